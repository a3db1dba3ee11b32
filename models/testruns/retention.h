// What the Test runs pane keeps: the health history of mock servers said as uptime and outages,
// and which runs a retention cleanup removes (older than the age limit, or beyond the newest N of
// their source), as pure functions over what the cache holds.
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include <utility>

namespace opsdeck {

struct HealthSample
{
    QDateTime at;
    bool up = false;
};

struct Outage
{
    QDateTime from;
    QDateTime to; // invalid while it lasts
};

struct Uptime
{
    double percent = 100; // of the time covered by samples in the window
    qint64 coveredSeconds = 0;
    QList<Outage> outages; // oldest first, clipped to the window
    bool known = false;    // false: no sample in or before the window
    bool upNow = false;
};

// samples: oldest first, each state holding until the next sample (or now). The time before the
// first sample is not counted either way.
Uptime uptimeOf(const QList<HealthSample> &samples, const QDateTime &from, const QDateTime &now);

struct RetainedRun
{
    qint64 id = 0;
    QString source;
    QDateTime startedAt;
    bool pinned = false; // a baseline the admin picked: never removed
};

struct RetentionRules
{
    int maxAgeDays = 90;        // 0: no age limit
    int maxRunsPerSource = 500; // the newest N unpinned runs of a source stay; 0: no count limit
    bool operator==(const RetentionRules &) const = default;
};

// The ids to remove, in ascending order.
QList<qint64> runsToRemove(const QList<RetainedRun> &runs, const RetentionRules &rules, const QDateTime &now);

// Mock health samples older than this go with a cleanup: the age limit, but never fewer than the
// 8 days the 7-day uptime needs (invalid: no age limit, every sample stays).
QDateTime healthCutoff(const RetentionRules &rules, const QDateTime &now);

// What a cleanup removes (or, previewed, would remove).
struct RetentionSummary
{
    int runs = 0;
    QList<std::pair<QString, int>> bySource; // source name and its runs removed, by name
    int keptRuns = 0;                        // runs the admin kept that the rules would otherwise remove
    int artifactFolders = 0;                 // golden runs' folders of requests and responses
    qint64 artifactBytes = 0;
    int healthSamples = 0;
    int remainingRuns = 0;
    bool isEmpty() const { return runs == 0 && healthSamples == 0; }
};

// One paragraph for people: "Removes 12 runs (payments 8, web 4) with 8 artifact folders (3.1 MB)…";
// preview: said as what a cleanup would do.
QString retentionSummaryText(const RetentionSummary &summary, bool preview);

} // namespace opsdeck
