#include "services/testruns/teamsettings.h"

#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "models/testruns/mocks.h"
#include "models/workspace/actingperson.h"
#include "services/store/auditlog.h"
#include "services/testruns/mockstore.h"
#include "services/testruns/testrunstore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSqlQuery>

namespace opsdeck::TeamSettings {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TeamSettings)
};

QString connectionName(QSqlDatabase db, qint64 id)
{
    if (id <= 0)
        return {};
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT name FROM connections WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

qint64 idByName(QSqlDatabase db, const char *table, const QString &name, const QString &kind = {})
{
    if (name.isEmpty())
        return 0;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id FROM %1 WHERE name = ?%2")
                  .arg(QLatin1String(table), kind.isEmpty() ? QString() : QStringLiteral(" AND kind = ?")));
    q.addBindValue(name);
    if (!kind.isEmpty())
        q.addBindValue(kind);
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

TestSourceKind kindOf(const QString &id)
{
    return id == QLatin1String("github")   ? TestSourceKind::GitHub
           : id == QLatin1String("golden") ? TestSourceKind::Golden
                                           : TestSourceKind::Files;
}

// The local detail a team source asks for: the team's settings over what this desktop keeps to itself
// (a git address's credentials when the address is the same, a GitHub source's first-sync depth).
QJsonObject localDetail(QSqlDatabase db, const TeamTestSource &team, const QJsonObject &held)
{
    QJsonObject out = held;
    for (auto it = team.detail.begin(); it != team.detail.end(); ++it)
        if (it.key() != QLatin1String("mock") && it.key() != QLatin1String("connection"))
            out.insert(it.key(), it.value());
    out.remove(QStringLiteral("mock_id"));
    if (team.kind == QLatin1String("golden")) {
        if (const qint64 mock =
                idByName(db, "test_mocks", team.detail.value(QLatin1String("mock")).toString()))
            out.insert(QStringLiteral("mock_id"), mock);
        const QString heldGit = held.value(QLatin1String("git_url")).toString();
        if (!heldGit.isEmpty() &&
            sharedSourceDetail(team.kind, held, {}, {}).value(QLatin1String("git_url")) ==
                team.detail.value(QLatin1String("git_url")))
            out.insert(QStringLiteral("git_url"), heldGit);
    }
    return out;
}

Result<void> adoptSource(QSqlDatabase db, const TeamTestSource &team, bool *changed)
{
    *changed = false;
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT id, kind, detail, COALESCE(connection_id, 0) FROM test_sources WHERE name = ?"));
    q.addBindValue(team.name);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading test source %1").arg(team.name));
    qint64 sourceId = 0;
    qint64 heldConnection = 0;
    QJsonObject held;
    if (q.next()) {
        heldConnection = q.value(3).toLongLong();
        if (q.value(1).toString() != team.kind)
            return makeError("testrun.source",
                             Tr::tr("The team's %1 is a %2 source; this desktop's is %3. Rename one of them.")
                                 .arg(team.name, team.kind, q.value(1).toString()));
        sourceId = q.value(0).toLongLong();
        held = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
    }
    const qint64 connection =
        idByName(db, "connections", team.detail.value(QLatin1String("connection")).toString());
    if (team.kind == QLatin1String("github") && connection == 0)
        return makeError("testrun.source",
                         Tr::tr("The team's %1 reads GitHub through the connection \"%2\", which "
                                "this desktop does not have.")
                             .arg(team.name, team.detail.value(QLatin1String("connection")).toString()));
    // What this desktop's detail would become; the same again changes nothing (and audits nothing).
    const QJsonObject wantedDetail = localDetail(db, team, held);
    if (sourceId == 0 || wantedDetail != held || (connection != 0 && connection != heldConnection)) {
        CacheTransaction tx;
        if (auto r = tx.begin(); !r)
            return r.error();
        const auto id = TestRunStore::saveSourceIn(tx.db(), sourceId, team.name, kindOf(team.kind),
                                                   connection ? connection : heldConnection, wantedDetail);
        if (!id)
            return id.error();
        tx.touch(QStringLiteral("test_sources"));
        tx.touch(AuditLog::table);
        if (auto r = tx.commit(); !r)
            return r.error();
        sourceId = id.value();
        *changed = true;
    }
    const auto notify = TestRunStore::notifySettings(db, sourceId);
    if (!notify)
        return notify.error();
    NotifySettings wanted = notify.value();
    wanted.slack = team.slack;
    wanted.jira = team.jira;
    wanted.jiraSite = team.jiraSite;
    wanted.jiraProject = team.jiraProject;
    wanted.jiraIssueType = team.jiraIssueType;
    if (wanted == notify.value())
        return {};
    if (wanted.jira != NotifyWhen::Off && wanted.jiraAccount.isEmpty())
        return makeError("testrun.notify",
                         Tr::tr("The team files Jira issues for %1: add your Jira account and token under "
                                "Notifications… to file them from this desktop.")
                             .arg(team.name));
    if (auto r = TestRunStore::setNotifySettings(sourceId, wanted); !r)
        return r.error();
    *changed = true;
    return {};
}
} // namespace

Result<void> mayChange(const QString &action, const QString &name, const QString &auditAction)
{
    const QString facet =
        action == QLatin1String("testrun.mock") ? QStringLiteral("mock") : QStringLiteral("source");
    auto allowed = checkActing(Database::connection(), action, testRunScope(facet, name));
    if (allowed)
        return {};
    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = auditAction;
    e.targetKind = facet == QLatin1String("mock") ? QStringLiteral("mock") : QStringLiteral("test-source");
    e.targetId = name;
    e.targetName = name;
    e.outcome = AuditOutcome::Failure;
    e.comment = allowed.message();
    if (auto r = AuditLog::record(e); !r)
        qWarning("testruns: a refused change was not audited: %s", qPrintable(r.message()));
    return allowed;
}

Result<TeamTestSource> sharedSource(QSqlDatabase db, qint64 sourceId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT name, kind, detail, COALESCE(connection_id, 0) FROM test_sources WHERE id = ?"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading test source %1").arg(sourceId));
    if (!q.next())
        return makeError("testrun.source",
                         Tr::tr("There is no test source %1 (removed meanwhile?).").arg(sourceId));
    TeamTestSource s;
    s.name = q.value(0).toString();
    s.kind = q.value(1).toString();
    const QJsonObject detail = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
    QString mock;
    if (const qint64 mockId = detail.value(QLatin1String("mock_id")).toInteger()) {
        QSqlQuery m(db);
        m.prepare(QStringLiteral("SELECT name FROM test_mocks WHERE id = ?"));
        m.addBindValue(mockId);
        if (m.exec() && m.next())
            mock = m.value(0).toString();
    }
    s.detail = sharedSourceDetail(s.kind, detail, connectionName(db, q.value(3).toLongLong()), mock);
    const auto notify = TestRunStore::notifySettings(db, sourceId);
    if (!notify)
        return notify.error();
    s.slack = notify->slack;
    s.jira = notify->jira;
    s.jiraSite = notify->jiraSite;
    s.jiraProject = notify->jiraProject;
    s.jiraIssueType = notify->jiraIssueType;
    return s;
}

Result<TeamMock> sharedMock(QSqlDatabase db, qint64 mockId)
{
    const auto mocks = MockStore::all(db);
    if (!mocks)
        return mocks.error();
    for (const MockServer &m : mocks.value())
        if (m.id == mockId) {
            TeamMock t;
            t.name = m.name;
            t.url = m.url;
            t.healthPath = m.healthPath;
            t.intervalSec = m.intervalSec;
            t.dockerConnection = connectionName(db, m.dockerConnectionId);
            t.container = t.dockerConnection.isEmpty() ? QString() : m.container;
            return t;
        }
    return makeError("testrun.mock", Tr::tr("There is no mock %1 (removed meanwhile?).").arg(mockId));
}

Adoption adopt()
{
    Adoption out;
    QSqlDatabase db = Database::connection();
    // Mocks first: a golden suite names its mock.
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT name, url, health_path, interval_s, docker_connection, container FROM "
                               "workspace_testrun_mocks ORDER BY name"))) {
        out.problems << Database::describe(q.lastError(), Tr::tr("Reading the team's mocks")).message;
        return out;
    }
    // Read whole before anything is saved: a save inside the reading would turn its read into a write
    // transaction, which SQLite refuses at once ("database is locked", no waiting) when the workspace
    // service wrote the cache since the read began.
    struct TeamMockRow
    {
        MockServer mock;
        QString docker;
        QString container;
    };
    QList<TeamMockRow> rows;
    while (q.next()) {
        TeamMockRow row;
        row.mock.name = q.value(0).toString();
        row.mock.url = q.value(1).toString();
        row.mock.healthPath = q.value(2).toString();
        row.mock.intervalSec = q.value(3).toInt();
        row.docker = q.value(4).toString();
        row.container = q.value(5).toString();
        rows << row;
    }
    q.finish();
    const auto held = MockStore::all(db);
    for (const TeamMockRow &row : std::as_const(rows)) {
        MockServer m = row.mock;
        m.dockerConnectionId = idByName(db, "connections", row.docker);
        m.container = m.dockerConnectionId ? row.container : QString();
        bool same = false;
        for (const MockServer &h : held ? held.value() : QList<MockServer>())
            if (h.name == m.name) {
                m.id = h.id;
                same = h.url == m.url && h.healthPath == m.healthPath && h.intervalSec == m.intervalSec &&
                       h.dockerConnectionId == m.dockerConnectionId && h.container == m.container;
            }
        if (same)
            continue;
        if (auto saved = MockStore::save(m); saved)
            ++out.mocks;
        else
            out.problems << Tr::tr("The team's mock %1: %2").arg(m.name, saved.message());
    }
    if (!q.exec(QStringLiteral("SELECT name, kind, detail, slack_when, jira_when, jira_site, jira_project, "
                               "jira_issue_type FROM workspace_testrun_sources ORDER BY name"))) {
        out.problems << Database::describe(q.lastError(), Tr::tr("Reading the team's test sources")).message;
        return out;
    }
    QList<TeamTestSource> sources;
    while (q.next()) {
        TeamTestSource s;
        s.name = q.value(0).toString();
        s.kind = q.value(1).toString();
        s.detail = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
        s.slack = notifyWhenFromId(q.value(3).toString());
        s.jira = notifyWhenFromId(q.value(4).toString());
        s.jiraSite = q.value(5).toString();
        s.jiraProject = q.value(6).toString();
        s.jiraIssueType = q.value(7).toString();
        sources << s;
    }
    q.finish();
    for (const TeamTestSource &s : std::as_const(sources)) {
        bool changed = false;
        if (auto r = adoptSource(db, s, &changed); !r)
            out.problems << r.message();
        if (changed)
            ++out.sources;
    }
    return out;
}

} // namespace opsdeck::TeamSettings
