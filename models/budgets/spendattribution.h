// Cost attribution from the cache's spend logs (schema 18), never from the proxy: spend by
// organization, team, user, key or model, per day, week (from Monday) or month, over a range of UTC
// days; each group's total, requests and per-bucket spend, the days a group's spend was anomalous
// (spendanomaly.h, judged on the 14 days before each day too), and the requests of one group on
// one day. A key's team and organization come from the synced keys (and the key's team's
// organization); a request whose key is not synced is "unattributed", and still counted.
#pragma once

#include "models/budgets/litellmanswers.h"
#include "models/budgets/spendanomaly.h"
#include "models/core/result.h"

#include <QDate>
#include <QSqlDatabase>
#include <QStringList>

namespace opsdeck {

enum class SpendDimension { Organization, Team, User, Key, Model };
enum class SpendBucket { Day, Week, Month };
QString spendDimensionText(SpendDimension d); // "Team"
QString spendBucketText(SpendBucket b);       // "Day"

struct AttributionQuery
{
    qint64 connectionId = 0;
    SpendDimension dimension = SpendDimension::Team;
    SpendBucket bucket = SpendBucket::Day;
    QDate from; // UTC days, inclusive
    QDate to;
    double anomalyK = 3.5; // MADs above the trailing median that make a day anomalous (0: none)
};

struct AttributionGroup
{
    QString id;   // the team id, key hash, model, …; empty: unattributed
    QString name; // the alias, or words for the unattributed
    double total = 0;
    qint64 requests = 0;
    QList<double> perBucket; // spend per bucket, in the buckets' order
    QList<SpendAnomaly> anomalies;
};

// The attributed spend against the proxy's own daily totals (/user/daily/activity) for the same
// days: equal to the half cent a day, or the days that differ.
struct Reconciliation
{
    enum class State { NotSynced, NotOffered, Matches, Differs };
    struct Day
    {
        QDate day;
        double logs = 0;  // the spend logs' sum
        double proxy = 0; // the proxy's daily record
    };
    State state = State::NotSynced;
    double proxyTotal = 0;
    QList<Day> differing;                  // largest difference first
    QString note;                          // NotOffered: what the proxy answered
    QString text(double attributed) const; // in words, for the pane
};

struct Attribution
{
    AttributionQuery query;
    QList<QDate> buckets;           // each bucket's first day
    QList<AttributionGroup> groups; // by total, largest first
    double total = 0;
    qint64 requests = 0;
    Reconciliation reconciliation;
    QString bucketLabel(int i) const; // "3 Nov", "w/c 3 Nov", "Nov 2026"
    QString toCsv() const;            // one row per group, one column per bucket (RFC 4180)
};

// The day and group of every spend log row, summed: what the attribution runs (and what the
// benchmark runs through the sqlite3 tool). Binds: connection id, first day, day after the last.
QString attributionSql(SpendDimension dimension);

Result<Attribution> attributeSpend(QSqlDatabase db, const AttributionQuery &query);

// The requests of one group on one day (the anomaly's), costliest first, at most limit.
Result<QList<SpendLogRow>> spendRequests(QSqlDatabase db, qint64 connectionId, SpendDimension dimension,
                                         const QString &groupId, const QDate &day, int limit = 500);

// The first day of the bucket a day falls in.
QDate bucketStart(SpendBucket bucket, const QDate &day);

} // namespace opsdeck
