// GitHub Actions sources of test runs in the cache (schema 25): which repository of which GitHub
// connection a source reads, the workflow runs seen, and what became of each artifact, so that an
// artifact is downloaded and imported once however often the sync runs. An artifact's test run and
// its record are written in one transaction with the testrun.import event, or not at all.
#pragma once

#include "models/core/result.h"
#include "models/testruns/workflowruns.h"
#include "services/testruns/testrunstore.h"

#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <QString>

namespace opsdeck {

struct GitHubSourceRow
{
    qint64 id = 0;
    QString name;
    qint64 connectionId = 0;
    GitHubTestSource settings;
};

// What became of one artifact.
struct ArtifactOutcome
{
    QString state;  // imported, no-junit, refused, expired, too-large, skipped
    QString detail; // why, for every state but imported
    std::optional<ImportedRun> run;
};

namespace GitHubRunStore {

// The github sources (all, or of one connection).
Result<QList<GitHubSourceRow>> sources(QSqlDatabase db, qint64 connectionId = 0);
Result<GitHubSourceRow> source(QSqlDatabase db, qint64 sourceId);

// Adds the source (id 0) or changes it, checked first, with a testrun.source.set event
// (TestRunStore::saveSourceIn); a changed source looks again at the artifacts it passed over.
Result<qint64> saveSource(qint64 sourceId, const QString &name, qint64 connectionId,
                          const GitHubTestSource &settings);

// Records the workflow runs listed (new ones added, known ones updated) and returns the completed
// runs whose artifacts are still to be looked at, oldest first.
Result<QList<WorkflowRun>> recordWorkflowRuns(qint64 sourceId, const QList<WorkflowRun> &runs);
// The artifacts decided before (any state).
Result<QSet<qint64>> knownArtifacts(QSqlDatabase db, qint64 sourceId);
// Records an artifact that is not read (expired, too large, not matching the pattern).
Result<void> recordSkipped(qint64 sourceId, const WorkflowArtifact &artifact, const QString &state,
                           const QString &detail);
// Every artifact of the run was decided: it is not asked about again.
Result<void> markRunDone(qint64 sourceId, qint64 ghRunId);

// Reads the downloaded zip's XML files into one test run of the source (run key "artifact:ID") and
// records the artifact, in one transaction. A zip without JUnit XML is recorded as no-junit; a
// refused report as refused, with its testrun.import failure event; neither keeps any case. Only
// cache errors (nothing recorded: the next sync tries again) come back as errors.
Result<ArtifactOutcome> importArtifact(const GitHubSourceRow &source, const WorkflowRun &run,
                                       const WorkflowArtifact &artifact, const QString &zipPath,
                                       const QByteArray &key, const TestRunStore::Progress &progress = {});

} // namespace GitHubRunStore
} // namespace opsdeck
