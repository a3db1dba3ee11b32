// The test-runs service's side of the team workspace: each run imported on this desktop is offered
// for publishing (services/workspace/workspaceservice_testruns.cpp takes it from there).
#include "models/store/database.h"
#include "services/testruns/teamsettings.h"
#include "services/testruns/testrunsservice.h"

#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

void TestRunsService::setPublishing(bool on)
{
    m_publishing = on && !m_demo;
    if (!m_publishing) {
        m_toPublish.clear();
        m_offered.clear();
    }
}

void TestRunsService::publishEarlierRuns()
{
    if (!m_publishing)
        return;
    if (!m_key)
        return withKey([this] { publishEarlierRuns(); });
    // The newest runs of this desktop (not teammates'), signed; those the workspace holds are left.
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral(
        "SELECT r.id, EXISTS (SELECT 1 FROM workspace_testrun_records w WHERE w.source = s.name AND "
        "w.run_key = r.run_key) FROM test_runs r JOIN test_sources s ON s.id = r.source_id WHERE "
        "r.published_by = '' AND r.signature <> '' AND r.started_at >= ? ORDER BY r.started_at DESC, r.id "
        "DESC LIMIT ?"));
    const QDateTime cutoff = retentionCutoff();
    q.addBindValue(cutoff.isValid() ? cutoff.toString(Qt::ISODateWithMs) : QStringLiteral(""));
    q.addBindValue(publishBackfillRuns);
    if (!q.exec()) {
        qWarning("testruns: the runs to publish cannot be read: %s", qPrintable(q.lastError().text()));
        return;
    }
    int offered = 0;
    while (q.next()) {
        const qint64 runId = q.value(0).toLongLong();
        if (q.value(1).toBool() || m_offered.contains(runId))
            continue;
        m_offered.insert(runId);
        publishRun(runId);
        ++offered;
    }
    if (offered > 0)
        qInfo("testruns: %d earlier run(s) of this desktop offered to the workspace", offered);
}

void TestRunsService::publishRun(qint64 runId)
{
    if (!m_publishing || runId <= 0)
        return;
    if (!m_key) // the record goes out with the id of the key that signed it
        return withKey([this, runId] { publishRun(runId); });
    if (m_toPublish.contains(runId))
        return;
    m_toPublish << runId;
    // An import of many files publishes in one batch, once this turn of the event loop is done.
    if (m_toPublish.size() == 1)
        QMetaObject::invokeMethod(this, &TestRunsService::flushPublish, Qt::QueuedConnection);
}

void TestRunsService::flushPublish()
{
    const QList<qint64> runs = std::exchange(m_toPublish, {});
    QList<TeamRunRecord> records;
    for (qint64 runId : runs) {
        auto record =
            TestRunStore::publishableRecord(Database::connection(), runId, m_key.value_or(QByteArray()));
        if (record)
            records << record.value();
        else // removed since, or too large: it stays on this desktop, and the log says why
            qInfo("testruns: run %lld is not published: %s", runId, qPrintable(record.message()));
    }
    if (!records.isEmpty())
        emit runsToPublish(records);
}

QDateTime TestRunsService::retentionCutoff() const
{
    return m_retention.maxAgeDays > 0 ? QDateTime::currentDateTimeUtc().addDays(-m_retention.maxAgeDays)
                                      : QDateTime();
}

void TestRunsService::adoptPublished(const QList<TeamRunRecord> &records)
{
    if (m_demo || records.isEmpty())
        return;
    const QDateTime notBefore = retentionCutoff();
    QSqlQuery kindOf(Database::connection());
    kindOf.prepare(QStringLiteral("SELECT kind FROM workspace_testrun_sources WHERE name = ?"));
    int adopted = 0;
    QStringList problems;
    for (const TeamRunRecord &r : records) {
        kindOf.addBindValue(r.source);
        const QString kind = kindOf.exec() && kindOf.next() ? kindOf.value(0).toString() : QString();
        kindOf.finish();
        const TestSourceKind sourceKind = kind == QLatin1String("github")   ? TestSourceKind::GitHub
                                          : kind == QLatin1String("golden") ? TestSourceKind::Golden
                                                                            : TestSourceKind::Files;
        const auto done = TestRunStore::adoptPublished(r, sourceKind, notBefore);
        if (!done) {
            problems << done.message();
            qWarning("testruns: a run from the workspace was not adopted: %s", qPrintable(done.message()));
        } else if (!done->already && !done->skipped) {
            ++adopted;
        }
    }
    if (adopted > 0)
        retainSoon();
    if (adopted > 0 || !problems.isEmpty())
        emit teamRunsAdopted(adopted, problems);
}

void TestRunsService::shareSource(qint64 sourceId)
{
    if (!m_publishing)
        return;
    const auto shared = TeamSettings::sharedSource(Database::connection(), sourceId);
    if (!shared)
        return;
    TestRunRecordChange change;
    change.source = shared.value();
    emit testSettingsToShare({change});
}

void TestRunsService::adoptTeamSettings()
{
    if (m_demo)
        return;
    const TeamSettings::Adoption done = TeamSettings::adopt();
    for (const QString &p : done.problems)
        qWarning("testruns: a team setting was not applied here: %s", qPrintable(p));
    if (done.sources > 0 || done.mocks > 0 || !done.problems.isEmpty())
        emit teamSettingsAdopted(done.sources, done.mocks, done.problems);
}

} // namespace opsdeck
