// GitHub Actions as a source of test runs: the answers of GET /repos/{owner}/{repo}/actions/runs and
// GET .../actions/runs/{run_id}/artifacts (../shared/specs/github), mapped to values, and what a
// source of this kind is set to collect (a repository, the artifacts whose names match a pattern).
// Pure: no network, no cache.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace opsdeck {

struct WorkflowRun
{
    qint64 id = 0;
    QString name;         // the workflow's name ("CI")
    QString displayTitle; // the run's title (the commit message's first line, a PR title)
    QString branch;       // head_branch (empty for a run without one)
    QString commit;       // head_sha
    QString event;        // push, pull_request, schedule, …
    QString status;       // queued, in_progress, completed, …
    QString conclusion;   // success, failure, cancelled, … (empty until completed)
    qint64 runNumber = 0;
    int runAttempt = 1;
    QString htmlUrl;
    QDateTime createdAt; // UTC
    QDateTime updatedAt;

    bool completed() const { return status == QLatin1String("completed"); }
};

struct WorkflowRunPage
{
    qint64 totalCount = 0;
    QList<WorkflowRun> runs;
};

struct WorkflowArtifact
{
    qint64 id = 0;
    QString name;
    qint64 sizeInBytes = 0;
    bool expired = false;
    QDateTime createdAt;
    QString digest; // "sha256:…" (upload-artifact v4 and later), else empty
    qint64 workflowRunId = 0;
};

struct ArtifactPage
{
    qint64 totalCount = 0;
    QList<WorkflowArtifact> artifacts;
};

// Errors: "json.malformed", "github.schema" (a required field missing or of the wrong type).
Result<WorkflowRunPage> parseWorkflowRunPage(const QByteArray &body);
Result<ArtifactPage> parseArtifactPage(const QByteArray &body);

// What a GitHub source collects: test_sources.detail {"repo": "owner/name", "artifacts": "glob"}.
struct GitHubTestSource
{
    QString repo;                            // owner/name
    QString artifacts = QStringLiteral("*"); // artifact names to read, a wildcard pattern ("junit-*")
    int firstRuns = 30;                      // completed runs read on the first sync
    static constexpr qint64 maxArtifactBytes = 512LL * 1024 * 1024; // larger artifacts are skipped

    QJsonObject toJson() const;
    static GitHubTestSource fromJson(const QJsonObject &o);
    // "validation.repo", "validation.pattern" with a message that says what is wrong.
    Result<void> check() const;
    bool wants(const QString &artifactName) const; // the pattern matches the whole name
    QString owner() const { return repo.section(QLatin1Char('/'), 0, 0); }
    QString name() const { return repo.section(QLatin1Char('/'), 1); }
};

// The run key of an artifact's test run within its source: "artifact:ID".
QString artifactRunKey(qint64 artifactId);
// What the runs list shows for it: "CI #42 · junit-results" (the workflow, its number, the artifact).
QString artifactRunTitle(const WorkflowRun &run, const QString &artifact);

} // namespace opsdeck
