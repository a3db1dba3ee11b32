// Spend anomalies, pure: a day whose spend for one series (a team, user, key or model) exceeds its
// trailing 14-day median by more than k median absolute deviations. The window is the 14 days
// before the day (days without spend count as zero once the series has begun); a series needs a
// full window before it is judged, and a window whose MAD is zero (a flat spend) flags a day only
// when it exceeds the median by more than a cent, so that a constant series does not flag its
// first rounding difference.
#pragma once

#include <QDate>
#include <QList>
#include <QMap>
#include <QString>

namespace opsdeck {

struct SpendAnomaly
{
    QDate day;
    double spend = 0;
    double median = 0;
    double mad = 0;
    double score = 0; // (spend - median) / MAD; infinity-free: a zero MAD scores as spend - median in cents
};

inline constexpr int anomalyWindowDays = 14;

// daily: spend per day of one series (days missing are zero once the series has begun).
QList<SpendAnomaly> findAnomalies(const QMap<QDate, double> &daily, double k);

} // namespace opsdeck
