#include "services/workspace/workspaceservice.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"

#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

Q_LOGGING_CATEGORY(lcWorkspace, "opsdeck.workspace", QtInfoMsg)

namespace opsdeck {

namespace {
const QString channel = QStringLiteral("opsdeck_workspace");
}

WorkspaceService::WorkspaceService(QObject *parent) : Service(parent)
{
    qRegisterMetaType<opsdeck::WorkspaceUrl>();
}

WorkspaceService::~WorkspaceService() = default;

void WorkspaceService::shutdown()
{
    m_joined = false;
    m_store.reset();
}

void WorkspaceService::joinTeam(const WorkspaceUrl &url, const QString &password)
{
    m_url = url;
    m_password = password;
    m_joined = true;
    m_failures = 0;
    if (!m_health) {
        m_health = new QTimer(this);
        connect(m_health, &QTimer::timeout, this, [this] {
            // The store says nothing while all is well: a small question tells whether it still answers.
            if (!m_store)
                return;
            QSqlQuery q(m_store->db());
            if (q.exec(QStringLiteral("SELECT 1")))
                return;
            QString why = q.lastError().databaseText().trimmed();
            if (why.isEmpty())
                why = q.lastError().text().trimmed();
            wentOffline(why.isEmpty() ? tr("the store stopped answering") : why);
        });
        m_retry = new QTimer(this);
        m_retry->setSingleShot(true);
        connect(m_retry, &QTimer::timeout, this, &WorkspaceService::connectNow);
        m_coalesce = new QTimer(this);
        m_coalesce->setSingleShot(true);
        m_coalesce->setInterval(30); // a burst of announcements, one read
        connect(m_coalesce, &QTimer::timeout, this, &WorkspaceService::sync);
    }
    m_health->setInterval(m_healthMs);
    connectNow();
}

void WorkspaceService::leave()
{
    m_joined = false;
    m_store.reset();
    if (m_health) {
        m_health->stop();
        m_retry->stop();
    }
    CacheTransaction tx;
    if (tx.begin()) {
        QSqlQuery q(tx.db());
        for (const QString &table :
             {Tables::workspacePeople, Tables::workspaceGrants, Tables::workspaceState}) {
            if (!q.exec(QStringLiteral("DELETE FROM %1").arg(table))) {
                qCWarning(lcWorkspace).noquote()
                    << "cannot forget the team workspace's copy:" << q.lastError().text();
                return; // rolled back: the copy stays whole rather than half gone
            }
            tx.touch(table);
        }
        if (auto r = tx.commit(); !r)
            qCWarning(lcWorkspace).noquote() << "cannot forget the team workspace's copy:" << r.message();
    }
    emit stateChanged(false, tr("Not joined to a team workspace."), {});
}

void WorkspaceService::connectNow()
{
    if (!m_joined)
        return;
    m_store.reset();
    auto store = WorkspaceStore::openTeam(m_url, m_password,
                                          QStringLiteral("workspace-service-%1").arg(++m_generation));
    if (!store)
        return wentOffline(store.message());
    m_store = std::make_unique<WorkspaceStore>(std::move(store.value()));
    QSqlDriver *driver = m_store->db().driver();
    if (!driver->subscribeToNotification(channel))
        return wentOffline(
            tr("The store does not deliver change announcements: %1").arg(driver->lastError().text()));
    connect(driver, &QSqlDriver::notification, this, [this](const QString &name) {
        if (name == channel)
            m_coalesce->start();
    });
    m_failures = 0;
    m_online = true;
    m_health->start();
    qCInfo(lcWorkspace).noquote() << "signed in to" << m_url.display();
    sync();
}

void WorkspaceService::wentOffline(const QString &why)
{
    m_store.reset();
    if (m_health)
        m_health->stop();
    const bool wasOnline = m_online;
    m_online = false;
    const int delay = qMin(30000, 500 << qMin(m_failures, 6)); // 0.5, 1, 2 … 30 s
    ++m_failures;
    qCWarning(lcWorkspace).noquote() << "the team workspace" << m_url.display() << "is offline:" << why;
    writeState(false, why);
    if (wasOnline || m_failures == 1)
        emit stateChanged(
            false,
            tr("The team workspace is offline (%1). Showing the copy from %2; trying again in %3 s.")
                .arg(why, m_syncedAt.isValid()
                              ? QLocale().toString(m_syncedAt.toLocalTime(), QLocale::ShortFormat)
                              : tr("never"))
                .arg(delay / 1000.0, 0, 'g', 2),
            m_syncedAt);
    if (m_joined && m_retry)
        m_retry->start(delay);
}

void WorkspaceService::sync()
{
    if (!m_store)
        return;
    if (auto r = copyToCache(); !r)
        return wentOffline(r.message());
    emit stateChanged(true, tr("Signed in to %1.").arg(m_url.display()), m_syncedAt);
}

Result<void> WorkspaceService::copyToCache()
{
    // One read of the store in one transaction there (a consistent view), then one write here.
    QSqlDatabase store = m_store->db();
    if (!store.transaction())
        return Database::describe(store.lastError(), tr("Reading the team workspace"));
    QSqlQuery people(store);
    people.setForwardOnly(true);
    if (!people.exec(
            QStringLiteral("SELECT login, email, display_name, role, active, github_login, "
                           "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                           "coalesce(to_char(last_seen_at AT TIME ZONE 'UTC', "
                           "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') FROM people ORDER BY login"))) {
        const Error e =
            Database::describe(people.lastError(), tr("Reading the people of the team workspace"));
        store.rollback();
        return e;
    }
    QList<QVariantList> personRows;
    while (people.next()) {
        QVariantList row;
        for (int c = 0; c < 8; ++c)
            row << people.value(c);
        personRows << row;
    }
    const auto grants = m_store->grants();
    store.commit();
    if (!grants)
        return grants.error();

    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlQuery q(tx.db());
    if (!q.exec(QStringLiteral("DELETE FROM workspace_people")) ||
        !q.exec(QStringLiteral("DELETE FROM workspace_grants")))
        return Database::describe(q.lastError(), tr("Replacing the copy of the team workspace"));
    q.prepare(QStringLiteral(
        "INSERT INTO workspace_people (login, email, display_name, role, active, github_login, "
        "created_at, last_seen_at) VALUES (?,?,?,?,?,?,?,?)"));
    for (const QVariantList &row : std::as_const(personRows)) {
        for (int c = 0; c < row.size(); ++c)
            q.bindValue(c, c == 4 ? QVariant(row.at(c).toBool() ? 1 : 0) : QVariant(row.at(c).toString()));
        if (!q.exec())
            return Database::describe(q.lastError(), tr("Copying the people of the team workspace"));
    }
    q.prepare(
        QStringLiteral("INSERT INTO workspace_grants (id, subject_kind, subject, action, scope, effect, "
                       "granted_by) VALUES (?,?,?,?,?,?,?)"));
    for (const WorkspaceGrant &g : grants.value()) {
        q.bindValue(0, g.id);
        q.bindValue(1, g.subjectKind);
        q.bindValue(2, g.subject);
        q.bindValue(3, g.action);
        q.bindValue(4, g.scope);
        q.bindValue(5, g.allow ? QStringLiteral("allow") : QStringLiteral("deny"));
        q.bindValue(6, g.grantedBy);
        if (!q.exec())
            return Database::describe(q.lastError(), tr("Copying the grants of the team workspace"));
    }
    m_syncedAt = QDateTime::currentDateTimeUtc();
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO workspace_state (id, address, online, problem, synced_at) VALUES "
        "(1, ?, 1, '', ?)"));
    q.addBindValue(m_url.display());
    q.addBindValue(toStoredTime(m_syncedAt));
    if (!q.exec())
        return Database::describe(q.lastError(), tr("Recording the copy of the team workspace"));
    tx.touch(Tables::workspacePeople);
    tx.touch(Tables::workspaceGrants);
    tx.touch(Tables::workspaceState);
    if (auto r = tx.commit(); !r)
        return r.error();
    emit synced(int(personRows.size()), int(grants->size()));
    return {};
}

void WorkspaceService::writeState(bool online, const QString &problem)
{
    CacheTransaction tx;
    if (!tx.begin())
        return;
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral(
        "INSERT INTO workspace_state (id, address, online, problem, synced_at) VALUES (1, ?, ?, "
        "?, ?) ON CONFLICT (id) DO UPDATE SET address = excluded.address, online = "
        "excluded.online, problem = excluded.problem"));
    q.addBindValue(m_url.display());
    q.addBindValue(online ? 1 : 0);
    q.addBindValue(problem.isEmpty() ? QStringLiteral("") : problem); // a null QString binds as NULL
    q.addBindValue(m_syncedAt.isValid() ? toStoredTime(m_syncedAt) : QStringLiteral(""));
    if (!q.exec()) {
        qCWarning(lcWorkspace).noquote() << "cannot record the workspace state:" << q.lastError().text();
        return;
    }
    tx.touch(Tables::workspaceState);
    if (auto r = tx.commit(); !r)
        qCWarning(lcWorkspace).noquote() << "cannot record the workspace state:" << r.message();
}

} // namespace opsdeck
