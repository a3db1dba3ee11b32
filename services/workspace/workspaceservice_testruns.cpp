// The workspace service's test-run records: sources' shared settings and notifications, mocks, and
// the signed records of runs imported on this desktop (services/workspace/testrunrecords.h).
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/workspace/testrunrecords.h"
#include "services/workspace/workspaceservice.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QSysInfo>

Q_DECLARE_LOGGING_CATEGORY(lcWorkspace)

namespace opsdeck {

namespace {
// What the copy holds now for the source or mock a change is about (null: nothing).
QJsonValue heldBefore(const TestRunRecordChange &c)
{
    const bool source =
        c.kind == TestRunRecordChange::Kind::SetSource || c.kind == TestRunRecordChange::Kind::RemoveSource;
    QSqlQuery q(Database::connection());
    if (source) {
        q.prepare(QStringLiteral("SELECT kind, detail, slack_when, jira_when, jira_site, jira_project, "
                                 "jira_issue_type FROM workspace_testrun_sources WHERE name = ?"));
    } else {
        q.prepare(QStringLiteral("SELECT url, health_path, interval_s, docker_connection, container FROM "
                                 "workspace_testrun_mocks WHERE name = ?"));
    }
    q.addBindValue(c.name());
    if (!q.exec() || !q.next())
        return {};
    if (source) {
        TeamTestSource s;
        s.kind = q.value(0).toString();
        s.detail = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
        s.slack = notifyWhenFromId(q.value(2).toString());
        s.jira = notifyWhenFromId(q.value(3).toString());
        s.jiraSite = q.value(4).toString();
        s.jiraProject = q.value(5).toString();
        s.jiraIssueType = q.value(6).toString();
        return teamSourceJson(s);
    }
    TeamMock m;
    m.url = q.value(0).toString();
    m.healthPath = q.value(1).toString();
    m.intervalSec = q.value(2).toInt();
    m.dockerConnection = q.value(3).toString();
    m.container = q.value(4).toString();
    return teamMockJson(m);
}

QString runName(const TeamRunRecord &r)
{
    return r.source + QLatin1Char('/') + r.runKey;
}
} // namespace

void WorkspaceService::changeTestRunRecords(const QList<TestRunRecordChange> &changes,
                                            const QString &requestId)
{
    QStringList problems;
    int applied = 0;
    for (const TestRunRecordChange &change : changes) {
        if (auto r = changeTestRunRecord(change); r)
            ++applied;
        else
            problems << r.message();
    }
    if (applied > 0)
        syncTables({QStringLiteral("testrun_sources"), QStringLiteral("testrun_mocks")});
    emit testRunRecordsChanged(requestId, applied, problems);
}

Result<void> WorkspaceService::changeTestRunRecord(TestRunRecordChange change)
{
    Result<void> r = validateTestRunRecordChange(change);
    if (r && (!m_store || !m_online))
        r = makeError("workspace.offline",
                      tr("%1: the workspace does not answer, so the shared test-run records cannot change "
                         "now. Try again once it is back online.")
                          .arg(change.describe()));
    change.before = heldBefore(change);
    if (r) {
        switch (change.kind) {
        case TestRunRecordChange::Kind::SetSource:
            r = TestRunRecords::setSource(*m_store, change.source);
            break;
        case TestRunRecordChange::Kind::SetMock:
            r = TestRunRecords::setMock(*m_store, change.mock);
            break;
        case TestRunRecordChange::Kind::RemoveSource:
        case TestRunRecordChange::Kind::RemoveMock: {
            const bool source = change.kind == TestRunRecordChange::Kind::RemoveSource;
            const auto removed = source ? TestRunRecords::removeSource(*m_store, change.source.name)
                                        : TestRunRecords::removeMock(*m_store, change.mock.name);
            if (!removed)
                r = removed.error();
            else if (!removed.value())
                r = makeError(
                    "workspace.no-record",
                    source ? tr("There is no shared test-run source %1 in this workspace.")
                                 .arg(change.source.name)
                           : tr("There is no shared mock %1 in this workspace.").arg(change.mock.name));
            break;
        }
        }
    }
    if (auto audited = AuditLog::record(testRunRecordEvent(change, m_login, m_address, r)); !audited)
        qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
    if (!r)
        qCWarning(lcWorkspace).noquote() << r.message();
    return r;
}

void WorkspaceService::publishTestRuns(const QList<TeamRunRecord> &records)
{
    QStringList problems;
    for (TeamRunRecord r : records) {
        if (r.desktop.isEmpty())
            r.desktop = m_desktopId.isEmpty() ? QSysInfo::machineHostName().left(200) : m_desktopId;
        // A record the store would refuse anyway is said now and never waits.
        if (auto valid = checkTeamRunRecord(r); !valid)
            problems << valid.message();
        else
            m_unpublished << r;
    }
    if (!m_store || !m_online) {
        if (!problems.isEmpty())
            (void)AuditLog::record(testRunPublishEvent({}, {}, problems, m_login, m_address));
        emit testRunsPublished(0, 0, int(m_unpublished.size()), problems);
        return;
    }
    flushPublished(problems);
}

void WorkspaceService::flushPublished(QStringList problems)
{
    QStringList published;
    QStringList already;
    QList<TeamRunRecord> waiting;
    QString silence; // why the store stopped answering, if it did
    for (const TeamRunRecord &r : std::as_const(m_unpublished)) {
        if (!silence.isEmpty()) {
            waiting << r;
            continue;
        }
        const auto done = TestRunRecords::publish(*m_store, r);
        if (done) {
            (done.value() ? published : already) << runName(r);
            continue;
        }
        // Refused (no testrun.record, another record under the key, a record the store's checks turn
        // down): said and given up. A store that no longer answers (a dropped connection usually stays
        // "open") keeps this record and the rest for the next time it does.
        const bool refusal = done.error().code != QLatin1String("workspace.sql");
        if (!refusal)
            silence = storeSilence();
        if (!silence.isEmpty()) {
            waiting << r;
            continue;
        }
        problems << done.message();
    }
    m_unpublished = waiting;
    if (!published.isEmpty() || !already.isEmpty() || !problems.isEmpty())
        if (auto audited =
                AuditLog::record(testRunPublishEvent(published, already, problems, m_login, m_address));
            !audited)
            qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
    for (const QString &p : std::as_const(problems))
        qCWarning(lcWorkspace).noquote() << p;
    if (!published.isEmpty() && silence.isEmpty())
        if (auto r = copyToCache({QStringLiteral("testrun_records")}); !r)
            qCWarning(lcWorkspace).noquote() << "the published runs are not in the copy yet:" << r.message();
    emit testRunsPublished(int(published.size()), int(already.size()), int(m_unpublished.size()), problems);
    if (silence.isEmpty())
        return;
    // The rest goes when the store answers again: a team store is reconnected (and its sync flushes
    // the queue); a local one is retried with the next batch.
    if (m_store->kind() == WorkspaceStore::Kind::Team)
        wentOffline(silence);
    else
        qCWarning(lcWorkspace).noquote() << "the local workspace stopped answering:" << silence;
}

} // namespace opsdeck
