// JUnit XML reports -> test cases, read as a stream (QXmlStreamReader over 64 KiB chunks), so a
// report of hundreds of megabytes never sits in memory whole. The dialects the common runners
// write are read alike: pytest, Maven Surefire and Failsafe (flakyFailure, flakyError,
// rerunFailure, rerunError), Gradle, jest-junit, go-junit-report, cargo-nextest, TestNG's JUnit
// reporter, CTest (status="notrun"), PHPUnit's nested testsuite elements.
//
// Counting follows the runners' rules: each case once, as errored (an <error>), failed (a
// <failure>), skipped (<skipped>, TestNG's <ignored>, CTest's notrun/disabled) or passed; a case
// that failed and then passed on a rerun (flakyFailure/flakyError only) is passed and flaky. The
// totals are the cases read; what the tests= attributes claim is compared and a difference noted.
//
// Refused, with the position where it can be given: a DOCTYPE or entity declaration (nothing is
// resolved), malformed or truncated XML, and XML that is not a JUnit report. Control characters
// that XML 1.0 forbids (terminal colour codes and the like) are shown as \xNN and noted instead.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <utility>

class QIODevice;

namespace opsdeck {

enum class CaseOutcome { Passed, Failed, Errored, Skipped };

using JUnitProperties = QList<std::pair<QString, QString>>;

struct JUnitCase
{
    QString suite; // the innermost testsuite's name
    QString classname;
    QString name;
    QString file;
    int line = 0; // 0: not given
    double seconds = 0;
    CaseOutcome outcome = CaseOutcome::Passed;
    bool flaky = false; // failed, then passed on a rerun
    int reruns = 0;     // rerun and flaky elements
    QString message;    // of the failure, error or skip that decided the outcome
    QString type;
    QString details; // its text (a stack trace, say), bounded
    QString systemOut;
    QString systemErr;
    JUnitProperties properties;
};

struct JUnitSuite
{
    QString name;
    QString hostname;
    QDateTime timestamp; // UTC; invalid when not given or unreadable
    double seconds = 0;
    int depth = 0; // 0 for a top-level suite, 1 for a suite inside it (PHPUnit), …
    int cases = 0; // read directly in it
    JUnitProperties properties;
    QString systemOut;
    QString systemErr;
};

struct JUnitTotals
{
    int tests = 0;
    int passed = 0;
    int failed = 0;
    int errors = 0;
    int skipped = 0;
    int flaky = 0; // among the passed
    double seconds = 0;

    bool operator==(const JUnitTotals &) const = default;
};

struct JUnitReport
{
    QList<JUnitSuite> suites;
    JUnitTotals totals;
    QString name;        // the root testsuites element's name (nextest, jest), if any
    QDateTime timestamp; // the first timestamp given, UTC
    QStringList notes;   // what was read with a caveat: escaped characters, counts that disagree, …
};

struct JUnitLimits
{
    qsizetype textPerField = 64 * 1024; // a case's message, details, system-out, system-err
    int notes = 20;
};

// Reads the report from in (open for reading) and hands over each case as it ends. Errors carry
// "junit.doctype", "junit.malformed", "junit.truncated", "junit.notjunit" or "junit.read", and a
// message that names the line and column where there is one; cases handed over before an error
// are to be discarded by the caller.
Result<JUnitReport> readJUnit(QIODevice &in, const std::function<void(JUnitCase &&)> &onCase,
                              const JUnitLimits &limits = {});
Result<JUnitReport> readJUnit(const QByteArray &xml, const std::function<void(JUnitCase &&)> &onCase,
                              const JUnitLimits &limits = {});

QString caseOutcomeId(CaseOutcome o); // "passed", "failed", "errored", "skipped"

} // namespace opsdeck
