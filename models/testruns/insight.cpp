#include "models/testruns/insight.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

#include <algorithm>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestInsight)
};

bool failing(CaseOutcome o)
{
    return o == CaseOutcome::Failed || o == CaseOutcome::Errored;
}
} // namespace

QString caseKey(const QString &suite, const QString &classname, const QString &name)
{
    return QStringList{suite, classname, name}.join(QStringLiteral(" › "));
}

void numberRepeatedKeys(QList<CaseResult> &results)
{
    QHash<QString, int> seen;
    for (CaseResult &r : results) {
        const int n = ++seen[r.key];
        if (n > 1)
            r.key += QStringLiteral(" #%1").arg(n);
    }
}

FlakyVerdict judgeFlaky(const QList<CaseResult> &history, const FlakyRules &rules)
{
    FlakyVerdict v;
    const qsizetype from = qMax<qsizetype>(0, history.size() - qMax(1, rules.window));
    int last = -1; // 0 passing, 1 failing
    for (qsizetype i = from; i < history.size(); ++i) {
        const CaseResult &r = history.at(i);
        if (r.outcome == CaseOutcome::Skipped)
            continue;
        const int state = failing(r.outcome) ? 1 : 0;
        ++v.runs;
        if (last >= 0 && state != last)
            ++v.flips;
        last = state;
        if (r.flaky && r.outcome == CaseOutcome::Passed)
            ++v.reruns;
    }
    v.rate = v.runs > 1 ? double(v.flips) / double(v.runs - 1) : 0.0;
    v.byRerun = rules.byRerun && v.reruns > 0;
    v.byHistory = v.runs >= qMax(2, rules.minimumRuns) && v.rate > rules.flipRate;
    v.flaky = v.byRerun || v.byHistory;
    QStringList words;
    if (v.byRerun)
        words
            << Tr::tr("passed on a rerun after failing in %1 of its last %2 runs").arg(v.reruns).arg(v.runs);
    if (v.byHistory)
        words << Tr::tr("flipped between passing and failing %1 times in its last %2 runs (%3 %, above %4 %)")
                     .arg(v.flips)
                     .arg(v.runs)
                     .arg(qRound(v.rate * 100))
                     .arg(qRound(rules.flipRate * 100));
    v.evidence = words.join(QStringLiteral("; "));
    return v;
}

RunComparison compareRuns(const QList<CaseResult> &base, const QList<CaseResult> &now, double slowerPercent,
                          qint64 minimumMs)
{
    RunComparison c;
    QHash<QString, const CaseResult *> before;
    for (const CaseResult &r : base)
        before.insert(r.key, &r);
    QSet<QString> present;
    for (const CaseResult &r : now) {
        present.insert(r.key);
        const CaseResult *b = before.value(r.key);
        if (!b) {
            c.added << r.key;
            continue;
        }
        if (failing(r.outcome) && b->outcome == CaseOutcome::Passed)
            c.newlyFailing << r.key;
        else if (r.outcome == CaseOutcome::Passed && failing(b->outcome))
            c.fixed << r.key;
        else if (failing(r.outcome) && failing(b->outcome))
            c.stillFailing << r.key;
        if (r.outcome != CaseOutcome::Skipped && b->outcome != CaseOutcome::Skipped &&
            qMax(r.durationMs, b->durationMs) >= minimumMs && b->durationMs > 0) {
            const double percent = 100.0 * double(r.durationMs - b->durationMs) / double(b->durationMs);
            if (percent > slowerPercent)
                c.slower << SlowerCase{r.key, b->durationMs, r.durationMs, percent};
        }
    }
    for (const CaseResult &r : base)
        if (!present.contains(r.key))
            c.removed << r.key;
    std::stable_sort(c.slower.begin(), c.slower.end(),
                     [](const SlowerCase &a, const SlowerCase &b) { return a.percent > b.percent; });
    return c;
}

std::optional<RunRef> baselineFor(const RunRef &run, const QList<RunRef> &runs, std::optional<qint64> picked)
{
    if (picked) {
        for (const RunRef &r : runs)
            if (r.id == *picked && r.id != run.id && r.source == run.source)
                return r;
    }
    std::optional<RunRef> best;
    for (const RunRef &r : runs) {
        if (r.id == run.id || r.source != run.source || r.branch != run.branch)
            continue;
        const bool earlier = r.startedAt < run.startedAt || (r.startedAt == run.startedAt && r.id < run.id);
        if (!earlier)
            continue;
        if (!best || r.startedAt > best->startedAt || (r.startedAt == best->startedAt && r.id > best->id))
            best = r;
    }
    return best;
}

} // namespace opsdeck
