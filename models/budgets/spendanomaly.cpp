#include "models/budgets/spendanomaly.h"

#include <algorithm>
#include <cmath>

namespace opsdeck {

namespace {
double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}
} // namespace

QList<SpendAnomaly> findAnomalies(const QMap<QDate, double> &daily, double k)
{
    QList<SpendAnomaly> out;
    if (daily.isEmpty() || !(k > 0))
        return out;
    const QDate first = daily.firstKey();
    const QDate last = daily.lastKey();
    // Every day of the series, zero where nothing was spent.
    QList<double> spend;
    for (QDate d = first; d <= last; d = d.addDays(1))
        spend << daily.value(d, 0.0);
    for (qsizetype i = anomalyWindowDays; i < spend.size(); ++i) {
        const QList<double> window = spend.mid(i - anomalyWindowDays, anomalyWindowDays);
        const double m = median(window);
        QList<double> deviations;
        for (const double v : window)
            deviations << std::abs(v - m);
        const double mad = median(deviations);
        const double excess = spend.at(i) - m;
        const bool flagged = mad > 0 ? excess > k * mad : excess > 0.01;
        if (!flagged)
            continue;
        out << SpendAnomaly{first.addDays(i), spend.at(i), m, mad, mad > 0 ? excess / mad : excess * 100};
    }
    return out;
}

} // namespace opsdeck
