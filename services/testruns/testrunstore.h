// Test runs in the cache (schema 23): a JUnit report becomes one run of a source in one cache
// transaction, with its cases, its signature and its testrun.import audit event, or nothing at all.
// The report is read as a stream and its cases written in batches, so a report of hundreds of
// megabytes needs no more memory than a batch; the record is signed from the cache afterwards, case
// by case in canonical order (RunRecordSigner), inside the same transaction.
#pragma once

#include "models/audit/auditevent.h"
#include "models/core/result.h"
#include "models/testruns/junitreader.h"
#include "models/testruns/notifications.h"
#include "models/testruns/retention.h"
#include "models/testruns/runrecord.h"
#include "models/testruns/teamrecords.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QIODevice;

namespace opsdeck {

enum class TestSourceKind { Files, GitHub, Golden };
QString testSourceKindId(TestSourceKind kind); // "files", "github", "golden"

struct RunImport
{
    QString source = QStringLiteral("files"); // the source's name; a new one is created
    TestSourceKind sourceKind = TestSourceKind::Files;
    std::optional<qint64> connectionId;
    QString runKey; // the run's id within its source; empty: "sha256:" and the report's hash
    QString title;  // what the run list shows: the file's name, the workflow run's title
    QString origin; // where it came from: a path, an artifact's URL
    QString branch;
    QString commit;
    QString event;
    QDateTime startedAt; // invalid: the report's first timestamp, else undatedAt, else now
    QDateTime undatedAt; // for a report without a timestamp (a file's time)
    bool dryRun = false; // read and count only; nothing is written
};

struct ImportedRun
{
    qint64 runId = 0;
    bool alreadyImported = false; // the source holds this run already (runId is that run)
    QString source;
    QString runKey;
    QDateTime startedAt;
    JUnitTotals totals;
    QStringList notes;
    QByteArray signature; // empty: unsigned (no key)
};

namespace TestRunStore {

// progress(bytesRead, bytesTotal) may return false to cancel ("testrun.cancelled").
using Progress = std::function<bool(qint64, qint64)>;

// Reads and stores the report. An empty key leaves the run unsigned. Errors: the reader's codes
// (junit.*), "testrun.source" (a source of another kind has that name), "testrun.cancelled", the
// cache's db.* codes. Nothing is written on an error; the caller records the failure.
Result<ImportedRun> importReport(QIODevice &in, const RunImport &request, const QByteArray &key,
                                 const Progress &progress = {});
// The same inside the caller's write transaction on db (the demo's seed): the caller commits, and
// announces test_runs, test_cases and the audit log.
Result<ImportedRun> importReportIn(QSqlDatabase db, QIODevice &in, const RunImport &request,
                                   const QByteArray &key, const Progress &progress = {});
// One of several reports read into one run (the XML files of a GitHub Actions artifact).
struct ReportPart
{
    QString name;                // the file's name within the artifact, for messages and notes
    QIODevice *device = nullptr; // open for reading
    qint64 size = 0;             // its length, for progress (0: not known)
};
// Reads the parts in turn into one run (request.runKey set when there are several). A part that is
// not JUnit XML is left out with a note; any other refusal (malformed, truncated, DOCTYPE) refuses
// the run, naming the part. "testrun.nojunit" when no part is a JUnit report.
Result<ImportedRun> importReportsIn(QSqlDatabase db, const QList<ReportPart> &parts, const RunImport &request,
                                    const QByteArray &key, const Progress &progress = {});
// The same for a file; the run key is the file's SHA-256, its title the file's name.
Result<ImportedRun> importFile(const QString &path, RunImport request, const QByteArray &key,
                               const Progress &progress = {});

// Adds a source (sourceId 0) or changes one of that kind, with a testrun.source.set event, in the
// caller's transaction on db. Names are shared by every kind: one in use by another source is
// refused ("testrun.source"). detail is the kind's settings (test_sources.detail).
Result<qint64> saveSourceIn(QSqlDatabase db, qint64 sourceId, const QString &name, TestSourceKind kind,
                            qint64 connectionId, const QJsonObject &detail);
// Removes the source with its runs and their cases, with a testrun.source.remove event.
Result<void> removeSource(qint64 sourceId);

// The testrun.import event of a report that was refused: which file, which source, and why.
AuditEvent refusalEvent(const QString &file, const QString &source, const Error &why);

// The JUnit reports under each path: a file as given, a folder's *.xml files (recursively, sorted).
// "testrun.path" for a path that does not exist or a folder without reports.
Result<QStringList> reportFiles(const QStringList &paths);

// The run's record as the cache holds it now, checked against its signature with key.
// previous: other keys this desktop holds, by id, for runs it signed before it took the team's key.
Result<SignatureState> verifyRun(QSqlDatabase db, qint64 runId, const QByteArray &key,
                                 const QHash<QString, QByteArray> &previous = {});

// The run's record in its canonical form (resources/schemas/opsdeck-run-1.schema.json) and its
// signature over exactly those bytes, for a telemetry post.
struct SignedRecord
{
    QByteArray body;
    QByteArray signature; // lowercase hex
};
Result<SignedRecord> signedRecord(QSqlDatabase db, qint64 runId, const QByteArray &key);
// The run as the team workspace takes it (models/testruns/teamrecords.h): its canonical bytes as the
// cache holds them, the signature it was stored with and the id of key, the key that signed it.
// "testrun.team-size" for a run too large to share.
Result<TeamRunRecord> publishableRecord(QSqlDatabase db, qint64 runId, const QByteArray &key);

// A teammate's run from the workspace, stored as a run of its source (created with kind when new)
// with the signature and key id it was published with, in one cache transaction with its
// testrun.import event; already: the source holds that run. "testrun.record" for a record that
// cannot be read or does not read back from the cache as the same bytes; "testrun.source" when a
// source of another kind has its name.
// notBefore: a run that started earlier is left out (skipped), as retention would remove it.
struct AdoptedRun
{
    qint64 runId = 0;
    bool already = false;
    bool skipped = false;
};
Result<AdoptedRun> adoptPublished(const TeamRunRecord &published, TestSourceKind kind,
                                  const QDateTime &notBefore = {});

// Who hears about a source's runs (defaults: nobody).
Result<NotifySettings> notifySettings(QSqlDatabase db, qint64 sourceId);
// Saves them (checked first) with a testrun.notify.set audit event, in one transaction.
Result<void> setNotifySettings(qint64 sourceId, const NotifySettings &settings);
// What a notification about the run says: its figures, failing cases, and the cases failing now
// that passed in the previous run of its source and branch.
Result<RunNotice> noticeFor(QSqlDatabase db, qint64 runId);
// What a notification did (the Jira issue's key, or why it failed), with its testrun.notify audit
// event, in one transaction. channel: "slack" or "jira".
Result<void> recordNotification(const RunNotice &notice, const QString &channel,
                                const Result<QString> &outcome);

// Retention (testrunstore_retention.cpp). A plan read from the cache as it is now: the runs the
// rules remove (kept runs never), their golden artifact folders under artifactsRoot (folders
// anywhere else are never touched; empty root: none), and the mock health samples past
// healthCutoff().
struct RetentionPlan
{
    QList<qint64> runs;
    QStringList artifactFolders;
    RetentionSummary summary;
};
Result<RetentionPlan> planRetention(QSqlDatabase db, const RetentionRules &rules, const QDateTime &now,
                                    const QString &artifactsRoot);
// Applies the plan in one transaction (the runs with their cases and details, case names no run
// uses any more, old health samples, and a testrun.retention event naming trigger: "automatic" or
// "manual"), then removes the artifact folders; a folder that cannot be removed is named in
// folderProblems. Nothing to remove: no transaction, no event.
struct RetentionOutcome
{
    RetentionSummary summary;
    QStringList folderProblems;
};
Result<RetentionOutcome> applyRetention(const RetentionRules &rules, const QDateTime &now,
                                        const QString &artifactsRoot, const QString &trigger);
// Keeps a run through every cleanup (or lets the rules apply to it again), with a testrun.keep event.
Result<void> keepRun(qint64 runId, bool kept);

} // namespace TestRunStore
} // namespace opsdeck
