// A golden suite as a source of test runs: where its case files are (a local folder, or a folder of
// a git repository), the base URL it runs against, how many cases run at once and how long one may
// take; and a finished run of it as a JUnit report, so that it is stored, signed, audited and shown
// like every other run. Pure: no network, no files.
#pragma once

#include "models/core/result.h"
#include "models/testruns/golden.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

namespace opsdeck {

struct GoldenSuiteSettings
{
    QString folder;  // a local folder of case files, or, with gitUrl, the folder within the repository
    QString gitUrl;  // empty: folder is local
    QString gitRef;  // a branch; empty: the repository's default
    QString baseUrl; // "http://127.0.0.1:8080/api"
    int concurrency = 4;
    int timeoutMs = 10000;
    qint64 mockId = 0; // the mock the suite runs against (0: none)

    bool isGit() const { return !gitUrl.isEmpty(); }
    QJsonObject toJson() const;
    static GoldenSuiteSettings fromJson(const QJsonObject &o);
    // validation.* errors that say which field is wrong and why.
    Result<void> check() const;
    // The case's URL: the base URL's path followed by the case's path and query.
    QUrl urlFor(const QString &casePath) const;
};

// What one case did.
struct GoldenResult
{
    GoldenCase goldenCase;
    QString loadError; // the case file could not be read (errored, nothing sent)
    QString sendError; // no answer: refused, timed out, broken off (errored)
    int status = 0;
    GoldenHeaders headers;
    QByteArray body;
    QList<GoldenMismatch> mismatches;
    qint64 durationMs = 0;
    bool cancelled = false;

    bool passed() const { return loadError.isEmpty() && sendError.isEmpty() && mismatches.isEmpty(); }
};

// A case's request body as it is sent: compact JSON (a string, number or literal on its own too).
QByteArray goldenBodyBytes(const QJsonValue &body);

// The request as it was sent and the response as it came, as text for the run's artifacts.
QByteArray goldenRequestText(const GoldenResult &result, const QUrl &url);
QByteArray goldenResponseText(const GoldenResult &result);

// The run as a JUnit report: one testsuite named after the suite, a testcase per case (classname:
// the case file's folder), a failure with the diff for a mismatch, an error for a case that could
// not be read or got no answer.
QByteArray goldenJUnitReport(const QString &suite, const QList<GoldenResult> &results,
                             const QDateTime &startedAt);

} // namespace opsdeck
