// TestRunStore, fourth part: the retention cleanup of old runs, their golden artifact folders and
// old mock health samples, and the runs an admin keeps through every cleanup.
#include "services/testruns/testrunstore.h"

#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/testruns/testrunstore_p.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QSqlQuery>

namespace opsdeck {

using TestRunStoreDetail::cacheError;
using TestRunStoreDetail::isoMs;
using TestRunStoreDetail::Tr;

namespace {

constexpr int deleteBatch = 500; // ids per DELETE … IN (…), well under SQLite's bound-variable limit

// The folder, if it lies inside root (both as they are on disk, links resolved): a run's origin
// names where its artifacts went, but only Opsdeck's own folder is ever cleaned.
QString folderInside(const QString &folder, const QString &root)
{
    if (folder.isEmpty() || root.isEmpty())
        return {};
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();
    const QFileInfo info(folder);
    const QString canonical = info.canonicalFilePath();
    if (canonicalRoot.isEmpty() || canonical.isEmpty() || !info.isDir() || info.isSymLink())
        return {};
    return canonical.startsWith(canonicalRoot + QLatin1Char('/')) ? canonical : QString();
}

qint64 folderBytes(const QString &folder)
{
    qint64 bytes = 0;
    QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        bytes += it.fileInfo().size();
    }
    return bytes;
}

Result<int> countHealthSamples(QSqlDatabase db, const QDateTime &cutoff)
{
    if (!cutoff.isValid())
        return 0;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM test_mock_health WHERE checked_at < ?"));
    q.addBindValue(isoMs(cutoff));
    if (!q.exec() || !q.next())
        return cacheError(q, Tr::tr("Reading the mock servers' health history"));
    return q.value(0).toInt();
}

} // namespace

namespace TestRunStore {

Result<RetentionPlan> planRetention(QSqlDatabase db, const RetentionRules &rules, const QDateTime &now,
                                    const QString &artifactsRoot)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT r.id, s.name, r.started_at, r.pinned, s.kind, r.origin "
                               "FROM test_runs r JOIN test_sources s ON s.id = r.source_id")))
        return cacheError(q, Tr::tr("Reading the test runs for a cleanup"));
    QList<RetainedRun> runs;
    QHash<qint64, QString> goldenOrigin;
    while (q.next()) {
        RetainedRun r;
        r.id = q.value(0).toLongLong();
        r.source = q.value(1).toString();
        r.startedAt = QDateTime::fromString(q.value(2).toString(), Qt::ISODateWithMs);
        r.pinned = q.value(3).toBool();
        if (q.value(4).toString() == QLatin1String("golden"))
            goldenOrigin.insert(r.id, q.value(5).toString());
        runs << r;
    }
    q.finish();

    RetentionPlan plan;
    plan.runs = runsToRemove(runs, rules, now);
    // The kept runs the rules would have taken.
    QList<RetainedRun> unkept = runs;
    for (RetainedRun &r : unkept)
        r.pinned = false;
    plan.summary.keptRuns = int(runsToRemove(unkept, rules, now).size() - plan.runs.size());

    const QSet<qint64> removed(plan.runs.cbegin(), plan.runs.cend());
    QMap<QString, int> bySource;
    for (const RetainedRun &r : std::as_const(runs)) {
        if (!removed.contains(r.id))
            continue;
        ++bySource[r.source];
        const QString folder = folderInside(goldenOrigin.value(r.id), artifactsRoot);
        if (!folder.isEmpty()) {
            plan.artifactFolders << folder;
            plan.summary.artifactBytes += folderBytes(folder);
        }
    }
    for (auto it = bySource.cbegin(); it != bySource.cend(); ++it)
        plan.summary.bySource.append({it.key(), it.value()});
    plan.summary.runs = int(plan.runs.size());
    plan.summary.remainingRuns = int(runs.size() - plan.runs.size());
    plan.summary.artifactFolders = int(plan.artifactFolders.size());
    auto samples = countHealthSamples(db, healthCutoff(rules, now));
    if (!samples)
        return samples.error();
    plan.summary.healthSamples = samples.value();
    return plan;
}

Result<RetentionOutcome> applyRetention(const RetentionRules &rules, const QDateTime &now,
                                        const QString &artifactsRoot, const QString &trigger)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    auto planned = planRetention(tx.db(), rules, now, artifactsRoot);
    if (!planned)
        return planned.error();
    const RetentionPlan &plan = planned.value();
    RetentionOutcome out;
    out.summary = plan.summary;
    if (plan.summary.isEmpty())
        return out; // rolled back: nothing was written

    QSqlQuery q(tx.db());
    QSet<qint64> sources;
    for (qsizetype at = 0; at < plan.runs.size(); at += deleteBatch) {
        const QList<qint64> batch = plan.runs.mid(at, deleteBatch);
        const QString marks = QStringLiteral("?,").repeated(int(batch.size())).chopped(1);
        q.prepare(QStringLiteral("SELECT DISTINCT source_id FROM test_runs WHERE id IN (%1)").arg(marks));
        for (qint64 id : batch)
            q.addBindValue(id);
        if (!q.exec())
            return cacheError(q, Tr::tr("Reading the sources of old test runs"));
        while (q.next())
            sources.insert(q.value(0).toLongLong());
        q.finish();
        q.prepare(QStringLiteral("DELETE FROM test_runs WHERE id IN (%1)").arg(marks));
        for (qint64 id : batch)
            q.addBindValue(id);
        if (!q.exec())
            return cacheError(q, Tr::tr("Removing old test runs"));
    }
    // Case names that no remaining run of their source uses.
    for (qint64 source : std::as_const(sources)) {
        q.prepare(QStringLiteral("DELETE FROM test_case_keys WHERE source_id = ? AND NOT EXISTS "
                                 "(SELECT 1 FROM test_cases c WHERE c.key_id = test_case_keys.id)"));
        q.addBindValue(source);
        if (!q.exec())
            return cacheError(q, Tr::tr("Removing the names of cases no run has any more"));
    }
    const QDateTime cutoff = healthCutoff(rules, now);
    if (cutoff.isValid() && plan.summary.healthSamples > 0) {
        q.prepare(QStringLiteral("DELETE FROM test_mock_health WHERE checked_at < ?"));
        q.addBindValue(isoMs(cutoff));
        if (!q.exec())
            return cacheError(q, Tr::tr("Removing old mock health samples"));
    }

    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = AuditAction::testrunRetention;
    e.targetKind = QStringLiteral("cache");
    e.targetName = Tr::tr("test runs");
    QJsonObject bySource;
    for (const auto &[name, count] : plan.summary.bySource)
        bySource.insert(name, count);
    e.details = QJsonObject{{QStringLiteral("trigger"), trigger},
                            {QStringLiteral("runs"), plan.summary.runs},
                            {QStringLiteral("by_source"), bySource},
                            {QStringLiteral("kept_runs"), plan.summary.keptRuns},
                            {QStringLiteral("artifact_folders"), plan.summary.artifactFolders},
                            {QStringLiteral("artifact_bytes"), double(plan.summary.artifactBytes)},
                            {QStringLiteral("health_samples"), plan.summary.healthSamples},
                            {QStringLiteral("max_age_days"), rules.maxAgeDays},
                            {QStringLiteral("max_runs_per_source"), rules.maxRunsPerSource}};
    if (auto r = AuditLog::append(tx.db(), e); !r)
        return r.error();
    for (const char *table :
         {"test_runs", "test_cases", "test_case_keys", "test_artifacts", "test_mock_health"})
        tx.touch(QString::fromLatin1(table));
    tx.touch(AuditLog::table);
    if (auto r = tx.commit(); !r)
        return r.error();

    // The runs are gone; their folders follow. One that will not go is said, not fatal.
    for (const QString &folder : plan.artifactFolders) {
        if (!QDir(folder).removeRecursively())
            out.folderProblems << folder;
    }
    return out;
}

Result<void> keepRun(qint64 runId, bool kept)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral("SELECT r.title, s.name, r.pinned FROM test_runs r JOIN test_sources s ON "
                             "s.id = r.source_id WHERE r.id = ?"));
    q.addBindValue(runId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading test run %1").arg(runId));
    if (!q.next())
        return makeError("testrun.run", Tr::tr("There is no test run %1 (removed meanwhile?).").arg(runId));
    const QString title = q.value(0).toString();
    const QString source = q.value(1).toString();
    if (q.value(2).toBool() == kept)
        return {};
    q.finish();
    q.prepare(QStringLiteral("UPDATE test_runs SET pinned = ? WHERE id = ?"));
    q.addBindValue(kept ? 1 : 0);
    q.addBindValue(runId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Keeping test run %1").arg(title));
    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = AuditAction::testrunKeep;
    e.targetKind = QStringLiteral("run");
    e.targetId = QString::number(runId);
    e.targetName = title;
    e.details = QJsonObject{{QStringLiteral("source"), source}, {QStringLiteral("kept"), kept}};
    if (auto r = AuditLog::append(tx.db(), e); !r)
        return r.error();
    tx.touch(QStringLiteral("test_runs"));
    tx.touch(AuditLog::table);
    return tx.commit();
}

} // namespace TestRunStore
} // namespace opsdeck
