// TestRunStore, third part: who hears about a source's runs, and what each notification did.
#include "services/testruns/testrunstore.h"

#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "models/testruns/insight.h"
#include "models/testruns/testrunmodels.h"
#include "services/store/auditlog.h"
#include "services/testruns/testrunstore_p.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

using TestRunStoreDetail::cacheError;
using TestRunStoreDetail::isoMs;
using TestRunStoreDetail::Tr;

namespace TestRunStore {

Result<NotifySettings> notifySettings(QSqlDatabase db, qint64 sourceId)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("SELECT slack_when, jira_when, jira_site, jira_account, jira_project, jira_issue_type "
                       "FROM test_source_notify WHERE source_id = ?"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading who hears about the test runs"));
    NotifySettings s;
    if (q.next()) {
        s.slack = notifyWhenFromId(q.value(0).toString());
        s.jira = notifyWhenFromId(q.value(1).toString());
        s.jiraSite = q.value(2).toString();
        s.jiraAccount = q.value(3).toString();
        s.jiraProject = q.value(4).toString();
        s.jiraIssueType = q.value(5).toString();
    }
    return s;
}

Result<void> setNotifySettings(qint64 sourceId, const NotifySettings &settings)
{
    const auto checked = checkNotifySettings(settings);
    if (!checked)
        return checked.error();
    const NotifySettings &s = checked.value();
    CacheTransaction tx;
    if (auto begun = tx.begin(); !begun)
        return begun;
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral("SELECT name FROM test_sources WHERE id = ?"));
    q.addBindValue(sourceId);
    if (!q.exec() || !q.next())
        return makeError("testrun.missing", Tr::tr("There is no test source %1.").arg(sourceId));
    const QString name = q.value(0).toString();
    q.prepare(QStringLiteral(
        "INSERT INTO test_source_notify (source_id, slack_when, jira_when, jira_site, jira_account, "
        "jira_project, "
        "jira_issue_type, updated_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (source_id) DO UPDATE SET "
        "slack_when = "
        "excluded.slack_when, jira_when = excluded.jira_when, jira_site = excluded.jira_site, jira_account = "
        "excluded.jira_account, jira_project = excluded.jira_project, jira_issue_type = "
        "excluded.jira_issue_type, "
        "updated_at = excluded.updated_at"));
    q.addBindValue(sourceId);
    for (const QString &v : {notifyWhenId(s.slack), notifyWhenId(s.jira), s.jiraSite, s.jiraAccount,
                             s.jiraProject, s.jiraIssueType, isoMs(QDateTime::currentDateTimeUtc())})
        q.addBindValue(v.isNull() ? QStringLiteral("") : v);
    if (!q.exec())
        return cacheError(q, Tr::tr("Saving who hears about %1").arg(name));
    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = AuditAction::testrunNotifySet;
    e.targetKind = QStringLiteral("source");
    e.targetId = QString::number(sourceId);
    e.targetName = name;
    e.details = QJsonObject{{QStringLiteral("slack"), notifyWhenId(s.slack)},
                            {QStringLiteral("jira"), notifyWhenId(s.jira)},
                            {QStringLiteral("jira_site"), s.jiraSite},
                            {QStringLiteral("jira_project"), s.jiraProject}};
    if (auto audited = AuditLog::append(tx.db(), e); !audited)
        return audited.error();
    tx.touch(QStringLiteral("test_source_notify"));
    tx.touch(AuditLog::table);
    return tx.commit();
}

Result<RunNotice> noticeFor(QSqlDatabase db, qint64 runId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT s.name, r.title, r.branch, r.commit_sha, r.tests, r.passed, r.failed, r.errors, "
        "r.skipped, r.flaky, r.duration_ms FROM test_runs r JOIN test_sources s ON s.id = "
        "r.source_id WHERE r.id = ?"));
    q.addBindValue(runId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading test run %1").arg(runId));
    if (!q.next())
        return makeError("testrun.missing", Tr::tr("There is no test run %1 in the cache.").arg(runId));
    RunNotice n;
    n.runId = runId;
    n.source = q.value(0).toString();
    n.run = q.value(1).toString();
    n.branch = q.value(2).toString();
    n.commit = q.value(3).toString();
    n.totals = {q.value(4).toInt(),
                q.value(5).toInt(),
                q.value(6).toInt(),
                q.value(7).toInt(),
                q.value(8).toInt(),
                q.value(9).toInt(),
                q.value(10).toLongLong() / 1000.0};
    const auto now = readRunResults(db, runId);
    if (!now)
        return now.error();
    for (const CaseResult &c : now.value())
        if (c.outcome == CaseOutcome::Failed || c.outcome == CaseOutcome::Errored)
            n.failing << c.key;
    n.failing.sort();
    const auto previous = previousRunOf(db, runId);
    if (!previous)
        return previous.error();
    if (previous.value() > 0) {
        const auto base = readRunResults(db, previous.value());
        if (!base)
            return base.error();
        n.newFailures = compareRuns(base.value(), now.value(), 1000).newlyFailing;
    }
    return n;
}

Result<void> recordNotification(const RunNotice &notice, const QString &channel,
                                const Result<QString> &outcome)
{
    CacheTransaction tx;
    if (auto begun = tx.begin(); !begun)
        return begun;
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral(
        "INSERT INTO test_notifications (run_id, channel, ok, detail, sent_at) VALUES (?,?,?,?,?)"));
    q.addBindValue(notice.runId);
    q.addBindValue(channel);
    q.addBindValue(outcome.ok() ? 1 : 0);
    const QString detail = outcome ? outcome.value() : outcome.message();
    q.addBindValue(detail.isNull() ? QStringLiteral("") : detail);
    q.addBindValue(isoMs(QDateTime::currentDateTimeUtc()));
    if (!q.exec())
        return cacheError(q, Tr::tr("Recording a notification"));
    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = AuditAction::testrunNotify;
    e.targetKind = QStringLiteral("run");
    e.targetId = QString::number(notice.runId);
    e.targetName = notice.source + QStringLiteral(" › ") + notice.run;
    e.outcome = outcome ? AuditOutcome::Success : AuditOutcome::Failure;
    if (!outcome)
        e.comment = outcome.message();
    e.details = QJsonObject{{QStringLiteral("channel"), channel},
                            {QStringLiteral("new_failures"), int(notice.newFailures.size())},
                            {QStringLiteral("failing"), int(notice.failing.size())}};
    if (outcome && !outcome.value().isEmpty())
        e.details.insert(QStringLiteral("issue"), outcome.value());
    if (auto audited = AuditLog::append(tx.db(), e); !audited)
        return audited.error();
    tx.touch(QStringLiteral("test_notifications"));
    tx.touch(AuditLog::table);
    return tx.commit();
}

} // namespace TestRunStore
} // namespace opsdeck
