// A test run's record and its signature: HMAC-SHA256 over a canonical serialization, so a record
// edited after it was signed (an outcome flipped, a case dropped, a duration changed) shows as
// tampered, whatever order its cases are stored or read in.
//
// The canonical form: the record as compact JSON (UTF-8, no whitespace, object keys in ascending
// order: branch, cases, commit, format ("opsdeck-run/1"), run, source, started_at, totals), each
// case as {classname, duration_ms, flaky, name, outcome, suite}, the cases sorted by suite,
// classname, name (compared as UTF-8 bytes, the order of SQLite's BINARY collation), then outcome,
// duration and flakiness; times in UTC as "yyyy-MM-ddTHH:mm:ss.zzzZ"; durations
// in whole milliseconds. The signature is the lowercase hex HMAC-SHA256 of exactly those bytes with
// the run-signing key, so a receiver of the bytes checks them as they came, without re-serializing.
#pragma once

#include "models/core/result.h"
#include "models/testruns/junitreader.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>

namespace opsdeck {

struct RunCaseRecord
{
    QString suite;
    QString classname;
    QString name;
    CaseOutcome outcome = CaseOutcome::Passed;
    bool flaky = false;
    qint64 durationMs = 0;
};

struct RunRecord
{
    QString source; // the source's name ("api-tests", "github:acme/api", "golden:payments")
    QString run;    // the run's id within its source
    QString branch;
    QString commit;
    QDateTime startedAt;
    JUnitTotals totals;
    QList<RunCaseRecord> cases;
};

// OtherKey: signed on a teammate's desktop with a key this desktop does not hold, so not checkable here.
enum class SignatureState { Verified, Tampered, Unsigned, OtherKey };

constexpr qsizetype runSigningKeyBytes = 32;

QByteArray canonicalRunRecord(const RunRecord &record);
// The canonical order of cases.
bool canonicalCaseLess(const RunCaseRecord &a, const RunCaseRecord &b);

// Signs a record too large to hold whole (a report of millions of cases): the header (every field
// but cases) first, then each case in canonical order, as a cache query sorted by
// canonicalCaseLess's keys hands them over. The bytes hashed are exactly canonicalRunRecord's.
class RunRecordSigner
{
public:
    // copy: when given, also receives the canonical bytes themselves (what a telemetry post sends).
    RunRecordSigner(const RunRecord &header, const QByteArray &key, QByteArray *copy = nullptr);
    ~RunRecordSigner();
    RunRecordSigner(const RunRecordSigner &) = delete;
    RunRecordSigner &operator=(const RunRecordSigner &) = delete;

    void addCase(const RunCaseRecord &c);
    // Lowercase hex; "testrun.key" for a short key, "testrun.order" when a case came out of order.
    Result<QByteArray> finish();

private:
    struct Private;
    std::unique_ptr<Private> d;
};
// Lowercase hex; the key must have runSigningKeyBytes bytes or more.
Result<QByteArray> signRunRecord(const RunRecord &record, const QByteArray &key);
// Unsigned when the signature is empty; Tampered when it does not match (compared in constant time).
SignatureState verifyRunRecord(const RunRecord &record, const QByteArray &signature, const QByteArray &key);
// A new key from the system's random source, for the keychain.
QByteArray newRunSigningKey();
// A canonical record read back (a teammate's, from the workspace): "testrun.record" naming what is
// wrong. Reading does not check the signature; verifyRunRecord does.
Result<RunRecord> parseRunRecord(const QByteArray &bytes);

RunCaseRecord caseRecordOf(const JUnitCase &c);
QString signatureStateText(SignatureState s); // "verified", "tampered", "unsigned", in words

} // namespace opsdeck
