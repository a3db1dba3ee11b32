#include "services/testruns/githubrunstore.h"

#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/testruns/artifactzip.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GitHubRunStore)
};

QString nowText()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

Error cacheError(const QSqlQuery &q, const QString &what)
{
    return Database::describe(q.lastError(), what);
}

const QStringList tables{QStringLiteral("test_sources"), QStringLiteral("test_runs"),
                         QStringLiteral("test_cases"), QStringLiteral("test_workflow_runs"),
                         QStringLiteral("test_artifacts")};

// Commits tx, touching the test-run tables and, when audited, the audit log.
Result<void> commit(CacheTransaction &tx, bool audited)
{
    for (const QString &table : tables)
        tx.touch(table);
    if (audited)
        tx.touch(AuditLog::table);
    return tx.commit();
}

Result<void> recordArtifact(QSqlDatabase db, qint64 sourceId, const WorkflowArtifact &a, const QString &state,
                            std::optional<qint64> testRunId, const QString &detail)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO test_artifacts (source_id, artifact_id, gh_run_id, name, size_bytes, state, "
        "test_run_id, "
        "detail, checked_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (source_id, artifact_id) DO UPDATE SET "
        "state = excluded.state, test_run_id = excluded.test_run_id, detail = excluded.detail, checked_at = "
        "excluded.checked_at"));
    q.addBindValue(sourceId);
    q.addBindValue(a.id);
    q.addBindValue(a.workflowRunId);
    q.addBindValue(a.name);
    q.addBindValue(a.sizeInBytes);
    q.addBindValue(state);
    q.addBindValue(testRunId ? QVariant(*testRunId) : QVariant(QMetaType(QMetaType::LongLong)));
    q.addBindValue(detail.isNull() ? QStringLiteral("") : detail);
    q.addBindValue(nowText());
    if (!q.exec())
        return cacheError(q, Tr::tr("Recording artifact %1").arg(a.name));
    return {};
}

GitHubSourceRow rowOf(const QSqlQuery &q)
{
    GitHubSourceRow r;
    r.id = q.value(0).toLongLong();
    r.name = q.value(1).toString();
    r.connectionId = q.value(2).toLongLong();
    r.settings = GitHubTestSource::fromJson(QJsonDocument::fromJson(q.value(3).toByteArray()).object());
    return r;
}

} // namespace

namespace GitHubRunStore {

Result<QList<GitHubSourceRow>> sources(QSqlDatabase db, qint64 connectionId)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("SELECT id, name, COALESCE(connection_id, 0), detail FROM test_sources WHERE kind = "
                       "'github' AND (? = 0 OR connection_id = ?) ORDER BY name"));
    q.addBindValue(connectionId);
    q.addBindValue(connectionId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading the GitHub test sources"));
    QList<GitHubSourceRow> out;
    while (q.next())
        out << rowOf(q);
    return out;
}

Result<GitHubSourceRow> source(QSqlDatabase db, qint64 sourceId)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("SELECT id, name, COALESCE(connection_id, 0), detail FROM test_sources WHERE id = ? "
                       "AND kind = 'github'"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading test source %1").arg(sourceId));
    if (!q.next())
        return makeError("testrun.source",
                         Tr::tr("There is no GitHub test source %1 (removed meanwhile?).").arg(sourceId));
    return rowOf(q);
}

Result<qint64> saveSource(qint64 sourceId, const QString &name, qint64 connectionId,
                          const GitHubTestSource &settings)
{
    if (connectionId <= 0)
        return makeError("testrun.source",
                         Tr::tr("Choose the GitHub connection the repository is read with."));
    if (auto ok = settings.check(); !ok)
        return ok.error();
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    const auto id = TestRunStore::saveSourceIn(tx.db(), sourceId, name, TestSourceKind::GitHub, connectionId,
                                               settings.toJson());
    if (!id)
        return id.error();
    if (sourceId != 0) {
        // Another pattern may want what was passed over: those artifacts are looked at again.
        QSqlQuery q(tx.db());
        q.prepare(QStringLiteral("DELETE FROM test_artifacts WHERE source_id = ? AND state = 'skipped'"));
        q.addBindValue(id.value());
        if (!q.exec())
            return cacheError(q, Tr::tr("Saving test source %1").arg(name));
        q.prepare(QStringLiteral("UPDATE test_workflow_runs SET artifacts_done = 0 WHERE source_id = ?"));
        q.addBindValue(id.value());
        if (!q.exec())
            return cacheError(q, Tr::tr("Saving test source %1").arg(name));
    }
    if (auto r = commit(tx, true); !r)
        return r.error();
    return id;
}

Result<QList<WorkflowRun>> recordWorkflowRuns(qint64 sourceId, const QList<WorkflowRun> &runs)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral(
        "INSERT INTO test_workflow_runs (source_id, gh_run_id, workflow, title, run_number, branch, "
        "commit_sha, "
        "event, status, conclusion, html_url, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT "
        "(source_id, gh_run_id) DO UPDATE SET workflow = excluded.workflow, title = excluded.title, status = "
        "excluded.status, conclusion = excluded.conclusion"));
    for (const WorkflowRun &r : runs) {
        q.addBindValue(sourceId);
        q.addBindValue(r.id);
        for (const QString &s : {r.name, r.displayTitle})
            q.addBindValue(s.isNull() ? QStringLiteral("") : s);
        q.addBindValue(r.runNumber);
        for (const QString &s : {r.branch, r.commit, r.event, r.status, r.conclusion, r.htmlUrl})
            q.addBindValue(s.isNull() ? QStringLiteral("") : s);
        q.addBindValue(r.createdAt.toString(Qt::ISODateWithMs));
        if (!q.exec())
            return cacheError(q, Tr::tr("Recording workflow run %1").arg(r.id));
    }
    q.prepare(
        QStringLiteral("SELECT gh_run_id FROM test_workflow_runs WHERE source_id = ? AND artifacts_done = 0 "
                       "AND status = 'completed'"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading the workflow runs to look at"));
    QSet<qint64> pending;
    while (q.next())
        pending.insert(q.value(0).toLongLong());
    if (auto r = commit(tx, false); !r)
        return r.error();
    QList<WorkflowRun> out;
    for (const WorkflowRun &r : runs)
        if (pending.contains(r.id))
            out << r;
    std::sort(out.begin(), out.end(),
              [](const WorkflowRun &a, const WorkflowRun &b) { return a.createdAt < b.createdAt; });
    return out;
}

Result<QSet<qint64>> knownArtifacts(QSqlDatabase db, qint64 sourceId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT artifact_id FROM test_artifacts WHERE source_id = ?"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading the artifacts seen"));
    QSet<qint64> out;
    while (q.next())
        out.insert(q.value(0).toLongLong());
    return out;
}

Result<void> recordSkipped(qint64 sourceId, const WorkflowArtifact &artifact, const QString &state,
                           const QString &detail)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    if (auto r = recordArtifact(tx.db(), sourceId, artifact, state, std::nullopt, detail); !r)
        return r;
    return commit(tx, false);
}

Result<void> markRunDone(qint64 sourceId, qint64 ghRunId)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral(
        "UPDATE test_workflow_runs SET artifacts_done = 1 WHERE source_id = ? AND gh_run_id = ?"));
    q.addBindValue(sourceId);
    q.addBindValue(ghRunId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Recording workflow run %1").arg(ghRunId));
    return commit(tx, false);
}

Result<ArtifactOutcome> importArtifact(const GitHubSourceRow &source, const WorkflowRun &run,
                                       const WorkflowArtifact &artifact, const QString &zipPath,
                                       const QByteArray &key, const TestRunStore::Progress &progress)
{
    const QString origin =
        QStringLiteral("github:%1/actions/artifacts/%2").arg(source.settings.repo).arg(artifact.id);
    // A refusal keeps no case: the reading is rolled back, then the refusal recorded on its own.
    const auto refuse = [&](const QString &state, const Error &why) -> Result<ArtifactOutcome> {
        CacheTransaction tx;
        if (auto r = tx.begin(); !r)
            return r.error();
        if (auto r = recordArtifact(tx.db(), source.id, artifact, state, std::nullopt, why.message); !r)
            return r.error();
        const bool audited = state == QLatin1String("refused");
        if (audited) {
            AuditEvent e = TestRunStore::refusalEvent(artifact.name, source.name, why);
            e.connectionId = source.connectionId;
            e.details.insert(QStringLiteral("origin"), origin);
            if (auto r = AuditLog::append(tx.db(), e); !r)
                return r.error();
        }
        if (auto r = commit(tx, audited); !r)
            return r.error();
        return ArtifactOutcome{state, why.message, std::nullopt};
    };

    auto zip = ArtifactZip::open(zipPath);
    if (!zip)
        return refuse(QStringLiteral("refused"), zip.error());
    const QList<ArtifactZip::Entry> entries = zip.value()->xmlEntries();
    if (entries.isEmpty())
        return refuse(QStringLiteral("no-junit"),
                      makeError("testrun.nojunit", Tr::tr("The artifact holds %n file(s), none of them XML.",
                                                          nullptr, zip.value()->entryCount())));
    std::vector<std::unique_ptr<ArtifactEntry>> devices;
    QList<TestRunStore::ReportPart> parts;
    for (const ArtifactZip::Entry &entry : entries) {
        Error error;
        auto device = zip.value()->openEntry(entry, ArtifactZip::maxEntryBytes, &error);
        if (!device)
            return refuse(QStringLiteral("refused"), error);
        parts << TestRunStore::ReportPart{entry.name, device.get(), entry.size};
        devices.push_back(std::move(device));
    }

    RunImport request;
    request.source = source.name;
    request.sourceKind = TestSourceKind::GitHub;
    request.connectionId = source.connectionId;
    request.runKey = artifactRunKey(artifact.id);
    request.title = artifactRunTitle(run, artifact.name);
    request.origin = origin;
    request.branch = run.branch;
    request.commit = run.commit;
    request.event = run.event;
    request.undatedAt = run.createdAt;

    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    auto imported = TestRunStore::importReportsIn(tx.db(), parts, request, key, progress);
    if (!imported) {
        tx.rollback();
        Error why = imported.error();
        // A capped or damaged entry makes the reader see a truncated file: say what really happened.
        for (const auto &device : devices)
            if (!device->failure().isEmpty())
                why = makeError("artifact.zip", device->failure());
        if (why.code.startsWith(QLatin1String("db.")) || why.code == QLatin1String("testrun.cancelled"))
            return why;
        return refuse(why.code == QLatin1String("testrun.nojunit") ? QStringLiteral("no-junit")
                                                                   : QStringLiteral("refused"),
                      why);
    }
    // Already there (the artifact's run was imported before its record was): recorded now.
    if (auto r =
            recordArtifact(tx.db(), source.id, artifact, QStringLiteral("imported"), imported->runId, {});
        !r)
        return r.error();
    if (auto r = commit(tx, !imported->alreadyImported); !r)
        return r.error();
    return ArtifactOutcome{QStringLiteral("imported"), {}, imported.value()};
}

} // namespace GitHubRunStore
} // namespace opsdeck
