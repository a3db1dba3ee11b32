#include "services/workspace/workspaceservice.h"

#include "models/github/runnerpolicystore.h"
#include "services/workspace/budgetrecords.h"
#include "services/workspace/imagerecords.h"
#include "services/workspace/testrunrecords.h"

#include "models/connections/connectionstore.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/workspace/teamaudit.h"

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
    qRegisterMetaType<opsdeck::PersonChange>();
    qRegisterMetaType<QList<opsdeck::PersonChange>>();
    qRegisterMetaType<opsdeck::ImageChange>();
    qRegisterMetaType<QList<opsdeck::ImageChange>>();
    qRegisterMetaType<opsdeck::BudgetRecordChange>();
    qRegisterMetaType<QList<opsdeck::BudgetRecordChange>>();
    qRegisterMetaType<opsdeck::TestRunRecordChange>();
    qRegisterMetaType<QList<opsdeck::TestRunRecordChange>>();
    qRegisterMetaType<opsdeck::TeamRunRecord>();
    qRegisterMetaType<QList<opsdeck::TeamRunRecord>>();
    qRegisterMetaType<opsdeck::OverflowObservation>();
    qRegisterMetaType<QList<opsdeck::OverflowObservation>>();
    qRegisterMetaType<QList<opsdeck::GrantChange>>();
    qRegisterMetaType<opsdeck::ReviewDecision>();
    qRegisterMetaType<QList<opsdeck::ReviewDecision>>();
}

WorkspaceService::~WorkspaceService() = default;

void WorkspaceService::shutdown()
{
    m_joined = false;
    m_store.reset();
}

void WorkspaceService::ensureTimers()
{
    if (m_health)
        return;
    m_health = new QTimer(this);
    connect(m_health, &QTimer::timeout, this, [this] {
        // The store says nothing while all is well: a small question tells whether it still answers.
        if (!m_store || m_store->kind() != WorkspaceStore::Kind::Team)
            return;
        if (const QString why = storeSilence(); !why.isEmpty())
            return wentOffline(why);
        exchangeAudit(); // and anything the outbox still holds goes now
    });
    m_retry = new QTimer(this);
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &WorkspaceService::connectNow);
    m_coalesce = new QTimer(this);
    m_coalesce->setSingleShot(true);
    m_coalesce->setInterval(30); // a burst of announcements, one read
    connect(m_coalesce, &QTimer::timeout, this, [this] {
        const QSet<QString> changed = std::exchange(m_changed, {});
        syncTables(changed);
    });
    m_auditSoon = new QTimer(this);
    m_auditSoon->setSingleShot(true);
    m_auditSoon->setInterval(100); // a burst of local events, one exchange
    connect(m_auditSoon, &QTimer::timeout, this, &WorkspaceService::exchangeAudit);
    // A local audit event was written: it goes to the team store soon after.
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (((m_joined && m_online) || !m_shownKind.isEmpty()) &&
                    tables.contains(QStringLiteral("audit_events")))
                    m_auditSoon->start();
                if (m_online && (tables.contains(QStringLiteral("runner_provisioning")) ||
                                 tables.contains(QStringLiteral("runner_policies"))))
                    m_ownersSoon->start();
            });
    m_ownersSoon = new QTimer(this);
    m_ownersSoon->setSingleShot(true);
    m_ownersSoon->setInterval(100);
    connect(m_ownersSoon, &QTimer::timeout, this, [this] {
        const bool owners = recordOwnedRunners();
        if (sendPendingPolicies() || owners)
            sync();
    });
}

void WorkspaceService::openLocal(const QString &path, const QString &login)
{
    ensureTimers();
    m_joined = false;
    m_online = false;
    m_health->stop();
    m_retry->stop();
    m_store.reset();
    // Not translated: WorkspaceStatus reads it.
    m_address = m_shownKind.isEmpty() ? QStringLiteral("local: ") + path : m_demoAddress;
    m_login = login;
    auto store = WorkspaceStore::openLocal(path, QStringLiteral("workspace-local-%1").arg(++m_generation));
    QString problem = store ? QString() : store.message();
    if (store) {
        m_store = std::make_unique<WorkspaceStore>(std::move(store.value()));
        if (auto r = m_store->initialize(login, {}); !r) {
            m_store.reset();
            problem = r.message();
        } else if (!m_shownKind.isEmpty()) {
            if (auto seeded = seedDemoStore(); !seeded)
                qCWarning(lcWorkspace).noquote() << "the demo workspace:" << seeded.message();
        }
    }
    if (!m_store) {
        qCWarning(lcWorkspace).noquote() << "the local workspace" << path << "cannot be opened:" << problem;
        writeState(false, problem);
        emit stateChanged(false, problem, {});
        return;
    }
    if (auto r = copyToCache(); !r) {
        qCWarning(lcWorkspace).noquote() << "the local workspace cannot be copied:" << r.message();
        emit stateChanged(false, r.message(), {});
        return;
    }
    m_online = true;
    if (!m_unpublished.isEmpty())
        flushPublished();
    if (!m_shownKind.isEmpty())
        exchangeAudit();
    emit stateChanged(true,
                      m_shownKind.isEmpty()
                          ? tr("The local workspace of this desktop; %1 is its superuser.").arg(login)
                          : tr("Signed in to %1.").arg(m_address),
                      m_syncedAt);
}

void WorkspaceService::joinTeam(const WorkspaceUrl &url, const QString &secret, const QString &desktopId,
                                bool test)
{
    ensureTimers();
    m_url = url;
    m_secret = secret;
    m_desktopId = desktopId;
    m_address = url.display();
    m_login = url.user;
    m_joined = true;
    m_testing = test;
    m_failures = 0;
    m_health->setInterval(m_healthMs);
    connectNow();
}

void WorkspaceService::recordMembership(const QString &action)
{
    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = action;
    e.targetKind = QStringLiteral("workspace");
    e.targetName = m_url.display();
    e.backendIdentity = m_url.user;
    e.details = QJsonObject{{QStringLiteral("desktop"), m_desktopId}};
    if (auto r = AuditLog::record(e); !r)
        qCWarning(lcWorkspace).noquote() << "cannot record" << action << r.message();
}

void WorkspaceService::leave(const QString &localPath, const QString &login)
{
    if (m_joined) {
        // Sent now if the store answers; otherwise it stays in the local log.
        recordMembership(AuditAction::workspaceLeave);
        exchangeAudit();
    }
    m_joined = false;
    m_store.reset();
    if (m_health) {
        m_health->stop();
        m_retry->stop();
    }
    forgetCopy();
    openLocal(localPath, login);
}

void WorkspaceService::forgetCopy()
{
    CacheTransaction tx;
    if (!tx.begin())
        return;
    QSqlQuery q(tx.db());
    for (const QString &table : {Tables::workspacePeople, Tables::workspaceGrants,
                                 Tables::workspaceRunnerOwners, Tables::workspaceState}) {
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

void WorkspaceService::connectNow()
{
    if (!m_joined)
        return;
    m_store.reset();
    auto store = WorkspaceStore::openTeam(m_url, WorkspaceCredential::fromSecret(m_secret),
                                          QStringLiteral("workspace-service-%1").arg(++m_generation));
    const auto giveUpTest = [this](const QString &why) {
        // A join the admin is trying out: nothing is kept, the dialog says why.
        m_joined = false;
        m_testing = false;
        m_store.reset();
        emit joinFinished(false, why);
    };
    if (!store)
        return m_testing ? giveUpTest(store.message()) : wentOffline(store.message());
    m_store = std::make_unique<WorkspaceStore>(std::move(store.value()));
    if (m_testing) {
        // Joining needs a workspace this Opsdeck can read, and the login must be a person of it.
        const auto version = m_store->schemaVersion();
        if (!version)
            return giveUpTest(version.message());
        if (version.value() == 0)
            return giveUpTest(tr("%1 holds no Opsdeck workspace yet: its database owner runs opsdeck team "
                                 "init first.")
                                  .arg(m_url.display()));
        if (version.value() < WorkspaceSchema::latest())
            return giveUpTest(
                tr("%1 holds workspace schema %2, older than this Opsdeck needs (%3): its database "
                   "owner runs opsdeck team init again, which upgrades it.")
                    .arg(m_url.display())
                    .arg(version.value())
                    .arg(WorkspaceSchema::latest()));
        if (version.value() > WorkspaceSchema::latest())
            return giveUpTest(tr("%1 holds workspace schema %2, newer than this Opsdeck knows (%3): use a "
                                 "newer Opsdeck.")
                                  .arg(m_url.display())
                                  .arg(version.value())
                                  .arg(WorkspaceSchema::latest()));
        const auto me = m_store->person(m_url.user);
        if (!me)
            return giveUpTest(me.message());
        if (!me->active)
            return giveUpTest(tr("%1 is deactivated in this workspace.").arg(m_url.user));
    }
    QSqlDriver *driver = m_store->db().driver();
    if (!driver->subscribeToNotification(channel)) {
        const QString why =
            tr("The store does not deliver change announcements: %1").arg(driver->lastError().text());
        return m_testing ? giveUpTest(why) : wentOffline(why);
    }
    connect(driver, &QSqlDriver::notification, this,
            [this](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                if (name != channel)
                    return;
                // The payload names the table that changed: only its copy is read again.
                m_changed.insert(payload.toString());
                m_coalesce->start();
            });
    m_failures = 0;
    m_online = true;
    m_health->start();
    qCInfo(lcWorkspace).noquote() << "signed in to" << m_url.display();
    const bool joining = m_testing;
    if (m_testing) {
        m_testing = false;
        forgetCopy(); // the local store's copy (or another team's) gives way to this team's
    }
    if (joining)
        recordMembership(AuditAction::workspaceJoin);
    sync();
    if (joining && m_online)
        emit joinFinished(true, tr("Joined %1.").arg(m_url.display()));
}

QString WorkspaceService::storeSilence() const
{
    if (!m_store)
        return tr("the store is closed");
    QSqlQuery q(m_store->db());
    if (q.exec(QStringLiteral("SELECT 1")))
        return {};
    QString why = q.lastError().databaseText().trimmed();
    if (why.isEmpty())
        why = q.lastError().text().trimmed();
    return why.isEmpty() ? tr("the store stopped answering") : why;
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
    syncTables({});
}

void WorkspaceService::syncTables(const QSet<QString> &tables)
{
    if (!m_store)
        return;
    if (auto r = copyToCache(tables); !r)
        return m_store->kind() == WorkspaceStore::Kind::Team
                   ? wentOffline(r.message())
                   : emit stateChanged(false, r.message(), m_syncedAt);
    if (!m_unpublished.isEmpty())
        flushPublished();
    if (!m_store)
        return; // it stopped answering while the runs were published
    const bool owners = recordOwnedRunners();
    if (sendPendingPolicies() || owners)
        (void)copyToCache(); // with the owners and policies just recorded
    if (m_store->kind() != WorkspaceStore::Kind::Team)
        return;
    emit stateChanged(true, tr("Signed in to %1.").arg(m_url.display()), m_syncedAt);
    exchangeAudit();
}

Result<void> WorkspaceService::copyToCache(const QSet<QString> &tables)
{
    // What to read again: everything, or the tables the store announced (access reviews change
    // people's reviewed_at; a table the copy does not hold changes nothing here).
    const auto wanted = [&tables](std::initializer_list<const char *> names) {
        if (tables.isEmpty())
            return true;
        for (const char *n : names)
            if (tables.contains(QLatin1String(n)))
                return true;
        return false;
    };
    const bool withPeople = wanted({"people", "access_reviews"});
    const bool withGrants = wanted({"grants"});
    const bool withOwners = wanted({"runner_owners"});
    const bool withPolicies = wanted({"runner_policies"});
    const bool withEntries = wanted({"image_allowlist"});
    const bool withRequests = wanted({"image_requests"});
    const bool withProjects = wanted({"projects", "project_members"});
    const bool withGate = wanted({"image_gate"});
    const bool withExceptions = wanted({"image_cve_exceptions"});
    const bool withBudgetPolicies = wanted({"budget_policies"});
    const bool withBudgetGroups = wanted({"budget_groups"});
    const bool withBudgetCredits = wanted({"budget_credits"});
    const bool withBudgetOverflow = wanted({"budget_overflow"});
    const bool withTestSources = wanted({"testrun_sources"});
    const bool withMocks = wanted({"testrun_mocks"});
    const bool withTestRecords = wanted({"testrun_records"});
    QSet<TestRunRecords::RunKey> copiedRuns;
    if (withTestRecords) {
        auto keys = TestRunRecords::readCopiedKeys(Database::connection());
        if (!keys)
            return keys.error();
        copiedRuns = keys.value();
    }
    // One read of the store in one transaction there (a consistent view), then one write here.
    QSqlDatabase store = m_store->db();
    if (!store.transaction())
        return Database::describe(store.lastError(), tr("Reading the workspace"));
    const auto people =
        withPeople ? m_store->people() : Result<QList<WorkspacePerson>>(QList<WorkspacePerson>());
    const auto grants = !people      ? Result<QList<WorkspaceGrant>>(people.error())
                        : withGrants ? m_store->grants()
                                     : Result<QList<WorkspaceGrant>>(QList<WorkspaceGrant>());
    const auto owners = !grants      ? Result<QList<RunnerOwner>>(grants.error())
                        : withOwners ? m_store->runnerOwners()
                                     : Result<QList<RunnerOwner>>(QList<RunnerOwner>());
    const auto policies = !owners        ? Result<QList<StoredPolicy>>(owners.error())
                          : withPolicies ? m_store->runnerPolicies()
                                         : Result<QList<StoredPolicy>>(QList<StoredPolicy>());
    ImageRecords::Copy images;
    Result<void> imagesRead;
    // Each wanted list read in turn, until one cannot be.
    const auto readInto = [&imagesRead](bool want, auto read, auto &into) {
        if (!want || !imagesRead)
            return;
        auto r = read();
        if (r)
            into = r.value();
        else
            imagesRead = r.error();
    };
    if (policies) {
        readInto(
            withEntries, [this] { return ImageRecords::entries(*m_store); }, images.entries);
        readInto(
            withRequests, [this] { return ImageRecords::requests(*m_store); }, images.requests);
        readInto(
            withProjects, [this] { return ImageRecords::projects(*m_store); }, images.projects);
        readInto(
            withGate, [this] { return ImageRecords::gateSettings(*m_store); }, images.gate);
        readInto(
            withExceptions, [this] { return ImageRecords::exceptions(*m_store); }, images.exceptions);
    }
    BudgetRecords::Copy budgets;
    if (policies && imagesRead) {
        auto read = BudgetRecords::read(*m_store, withBudgetPolicies, withBudgetGroups, withBudgetCredits,
                                        withBudgetOverflow);
        if (read)
            budgets = read.value();
        else
            imagesRead = read.error();
    }
    TestRunRecords::Copy testRuns;
    if (policies && imagesRead) {
        auto read = TestRunRecords::read(*m_store, withTestSources, withMocks, withTestRecords, copiedRuns);
        if (read)
            testRuns = read.value();
        else
            imagesRead = read.error();
    }
    // A question that always goes, so that a store gone away is noticed whatever was announced.
    QSqlQuery alive(store);
    const bool answers = alive.exec(QStringLiteral("SELECT 1"));
    store.commit();
    if (!policies)
        return policies.error();
    if (!imagesRead)
        return imagesRead.error();
    if (!answers)
        return Database::describe(alive.lastError(), tr("Reading the workspace"));

    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlQuery q(tx.db());
    if ((withPeople && !q.exec(QStringLiteral("DELETE FROM workspace_people"))) ||
        (withGrants && !q.exec(QStringLiteral("DELETE FROM workspace_grants"))))
        return Database::describe(q.lastError(), tr("Replacing the copy of the team workspace"));
    q.prepare(QStringLiteral(
        "INSERT INTO workspace_people (login, email, display_name, role, active, github_login, "
        "created_at, last_seen_at, harbor_user, litellm_user, reviewed_at, oidc_subject, intro_done) VALUES "
        "(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const WorkspacePerson &p : people.value()) {
        int c = 0;
        for (const QString *text : {&p.login, &p.email, &p.displayName, &p.role})
            q.bindValue(c++, text->isNull() ? QStringLiteral("") : *text);
        q.bindValue(c++, p.active ? 1 : 0);
        for (const QString *text : {&p.githubLogin, &p.createdAt, &p.lastSeenAt, &p.harborUser,
                                    &p.litellmUser, &p.reviewedAt, &p.oidcSubject})
            q.bindValue(c++, text->isNull() ? QStringLiteral("") : *text);
        q.bindValue(c++, p.introDone ? 1 : 0);
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
    if (withOwners && !q.exec(QStringLiteral("DELETE FROM workspace_runner_owners")))
        return Database::describe(q.lastError(), tr("Replacing the copy of the team workspace"));
    q.prepare(QStringLiteral("INSERT INTO workspace_runner_owners (connection, runner, owner_login, mode, "
                             "provisioned_at) VALUES (?,?,?,?,?)"));
    for (const RunnerOwner &o : owners.value()) {
        for (const QString &text : {o.connection, o.runner, o.owner, o.mode, o.provisionedAt})
            q.addBindValue(text.isNull() ? QStringLiteral("") : text);
        if (!q.exec())
            return Database::describe(q.lastError(), tr("Copying who provisioned which runner"));
    }
    if (withPolicies && !q.exec(QStringLiteral("DELETE FROM workspace_runner_policies")))
        return Database::describe(q.lastError(), tr("Replacing the copy of the team workspace"));
    q.prepare(QStringLiteral("INSERT INTO workspace_runner_policies (connection, policy_json, updated_by, "
                             "updated_at) VALUES (?,?,?,?)"));
    for (const StoredPolicy &p : policies.value()) {
        for (const QString &text : {p.connection, p.policy, p.updatedBy, p.updatedAt})
            q.addBindValue(text.isNull() ? QStringLiteral("") : text);
        if (!q.exec())
            return Database::describe(q.lastError(), tr("Copying the runner label policies"));
    }
    if (auto r = ImageRecords::writeCopy(tx.db(), images); !r)
        return r.error();
    if (auto r = BudgetRecords::writeCopy(tx.db(), budgets); !r)
        return r.error();
    if (auto r = TestRunRecords::writeCopy(tx.db(), testRuns); !r)
        return r.error();
    m_syncedAt = QDateTime::currentDateTimeUtc();
    q.prepare(QStringLiteral(
        "INSERT INTO workspace_state (id, address, online, problem, synced_at, kind, desktop_id, login) "
        "VALUES (1, ?, 1, '', ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET address = excluded.address, "
        "online = 1, problem = '', synced_at = excluded.synced_at, kind = excluded.kind, desktop_id = "
        "excluded.desktop_id, login = excluded.login"));
    q.addBindValue(m_address);
    q.addBindValue(toStoredTime(m_syncedAt));
    q.addBindValue(!m_shownKind.isEmpty()                          ? m_shownKind
                   : m_store->kind() == WorkspaceStore::Kind::Team ? QStringLiteral("team")
                                                                   : QStringLiteral("local"));
    q.addBindValue(m_desktopId.isEmpty() ? QStringLiteral("") : m_desktopId);
    q.addBindValue(m_login.isEmpty() ? QStringLiteral("") : m_login);
    if (!q.exec())
        return Database::describe(q.lastError(), tr("Recording the copy of the team workspace"));
    if (withPeople)
        tx.touch(Tables::workspacePeople);
    if (withGrants)
        tx.touch(Tables::workspaceGrants);
    tx.touch(Tables::workspaceState);
    if (withOwners)
        tx.touch(Tables::workspaceRunnerOwners);
    if (withPolicies)
        tx.touch(Tables::workspaceRunnerPolicies);
    if (withEntries)
        tx.touch(QStringLiteral("workspace_image_allowlist"));
    if (withRequests)
        tx.touch(QStringLiteral("workspace_image_requests"));
    if (withProjects)
        tx.touch(QStringLiteral("workspace_projects"));
    if (withGate)
        tx.touch(QStringLiteral("workspace_image_gate"));
    if (withExceptions)
        tx.touch(QStringLiteral("workspace_cve_exceptions"));
    if (withBudgetPolicies)
        tx.touch(QStringLiteral("workspace_budget_policies"));
    if (withBudgetGroups)
        tx.touch(QStringLiteral("workspace_budget_groups"));
    if (withBudgetCredits)
        tx.touch(QStringLiteral("workspace_budget_credits"));
    if (withBudgetOverflow)
        tx.touch(QStringLiteral("workspace_budget_overflow"));
    if (withTestSources)
        tx.touch(QStringLiteral("workspace_testrun_sources"));
    if (withMocks)
        tx.touch(QStringLiteral("workspace_testrun_mocks"));
    if (withTestRecords &&
        (!testRuns.goneRecords.isEmpty() || (testRuns.newRecords && !testRuns.newRecords->isEmpty())))
        tx.touch(QStringLiteral("workspace_testrun_records"));
    if (auto r = tx.commit(); !r)
        return r.error();
    if ((withTestSources || withMocks) && m_store->kind() == WorkspaceStore::Kind::Team)
        emit teamTestSettingsChanged();
    // On a team store, what other desktops published; a local store has only this desktop's.
    if (testRuns.newRecords && m_store->kind() == WorkspaceStore::Kind::Team) {
        QList<TeamRunRecord> others;
        for (const TeamRunRecord &r : std::as_const(*testRuns.newRecords))
            if (r.desktop != m_desktopId)
                others << r;
        if (!others.isEmpty())
            emit teamRunsArrived(others);
    }
    emit synced(int(people->size()), int(grants->size()));
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
    q.addBindValue(m_address);
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

void WorkspaceService::exchangeAudit()
{
    if (!m_shownKind.isEmpty()) {
        // The demo's team takes every event at once: nothing waits in its outbox.
        QSqlQuery q(Database::connection());
        if (q.exec(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM audit_events WHERE source = 'local'")) &&
            q.next())
            recordPushed(q.value(0).toLongLong());
        return;
    }
    if (!m_store || !m_online || m_store->kind() != WorkspaceStore::Kind::Team || m_desktopId.isEmpty())
        return;
    const auto pushed = TeamAudit::push(*m_store, m_desktopId, m_auditBatch);
    if (!pushed) {
        // Events stay in the outbox; what went, went whole (one transaction per batch).
        qCWarning(lcWorkspace).noquote() << "the audit outbox could not be sent:" << pushed.message();
        emit stateChanged(
            true, tr("Audit events could not be sent to the team workspace: %1").arg(pushed.message()),
            m_syncedAt);
        return;
    }
    recordPushed(pushed.value());
    if (auto pulled = TeamAudit::pull(*m_store, m_desktopId, m_auditBatch); !pulled)
        qCWarning(lcWorkspace).noquote() << "the team's audit trail could not be read:" << pulled.message();
}

void WorkspaceService::recordPushed(qint64 through)
{
    CacheTransaction tx;
    if (tx.begin()) {
        QSqlQuery q(tx.db());
        q.prepare(
            QStringLiteral("UPDATE workspace_state SET audit_pushed = ? WHERE id = 1 AND audit_pushed <> ?"));
        q.addBindValue(through);
        q.addBindValue(through);
        if (q.exec() && q.numRowsAffected() > 0)
            tx.touch(Tables::workspaceState);
        if (auto r = tx.commit(); !r)
            qCWarning(lcWorkspace).noquote()
                << "cannot record how far the audit log was sent:" << r.message();
    }
    emit outboxChanged(TeamAudit::pending(through));
}

} // namespace opsdeck
