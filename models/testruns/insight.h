// What a run's results say beyond its totals, as pure functions over results read from the cache:
// which cases are flaky (by rerun within a run, or by history: how often a case flips between
// passing and failing over its last runs), which fail newly against a baseline run, and what
// changed between any two runs (newly failing, fixed, still failing, added, removed, slower).
#pragma once

#include "models/testruns/junitreader.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace opsdeck {

// A case's identity across runs: suite, classname and name ("suite › classname › name"); a name
// that appears twice in one run gets " #2", " #3", … in report order.
QString caseKey(const QString &suite, const QString &classname, const QString &name);

struct CaseResult
{
    QString key;
    CaseOutcome outcome = CaseOutcome::Passed;
    bool flaky = false; // failed, then passed on a rerun within the run
    qint64 durationMs = 0;
};

// Makes the keys of one run's results unique (" #2", …), in their order.
void numberRepeatedKeys(QList<CaseResult> &results);

struct FlakyRules
{
    bool byRerun = true;   // a rerun that passed after a failure marks the case
    int window = 20;       // the last N runs of the source that have the case
    double flipRate = 0.2; // flips / (runs judged - 1) above this marks the case
    int minimumRuns = 5;   // fewer judged runs than this: no verdict by history
    bool operator==(const FlakyRules &) const = default;
};

struct FlakyVerdict
{
    bool flaky = false;
    bool byRerun = false;
    bool byHistory = false;
    int runs = 0;     // runs in the window where the case passed or failed (skips are left out)
    int flips = 0;    // changes between passing and failing from one of those runs to the next
    int reruns = 0;   // runs in the window where it passed on a rerun
    double rate = 0;  // flips / (runs - 1)
    QString evidence; // in words
};

// history: the case's results in its source's runs, oldest first (the window is taken from the end).
FlakyVerdict judgeFlaky(const QList<CaseResult> &history, const FlakyRules &rules);

struct SlowerCase
{
    QString key;
    qint64 baseMs = 0;
    qint64 nowMs = 0;
    double percent = 0; // how much slower
};

struct RunComparison
{
    QStringList newlyFailing; // failed or errored now, passed in the base: the new failures
    QStringList fixed;        // passed now, failed or errored in the base
    QStringList stillFailing;
    QStringList added;        // not in the base
    QStringList removed;      // not in this run
    QList<SlowerCase> slower; // slower by more than the percentage, slowest change first
};

// slowerPercent: how much slower counts; cases under minimumMs in both runs are not judged slower
// (a 1 ms case taking 2 ms is noise, not a regression).
RunComparison compareRuns(const QList<CaseResult> &base, const QList<CaseResult> &now, double slowerPercent,
                          qint64 minimumMs = 10);

struct RunRef
{
    qint64 id = 0;
    QString source;
    QString branch;
    QDateTime startedAt;
};

// The baseline for a run's new failures: the run the admin picked when they picked one (and it is
// of the same source), else the latest earlier run of the same source and branch.
std::optional<RunRef> baselineFor(const RunRef &run, const QList<RunRef> &runs,
                                  std::optional<qint64> picked = {});

} // namespace opsdeck
