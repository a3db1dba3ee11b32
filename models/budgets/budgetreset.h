// LiteLLM budget cadences, pure: a budget_duration ("30s", "12h", "1d", "7d", "30d", "1mo") read as
// the proxy reads it, said in words, and the next reset computed as the proxy computes it
// (litellm_core_utils/duration_parser.py, get_next_standardized_reset_time): every reset at a
// boundary in the proxy's time zone; "1d" at the next midnight, "7d" (and "1w") on the next Monday,
// "30d" and "1mo" on the first of the next month, any other number of days that many days after
// today's midnight, hours, minutes and seconds at the next multiple of their value. The proxy's own
// budget_reset_at, when it gives one, is what the pane shows; this is for budgets it has not set
// yet and for the renewal view.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace opsdeck {

struct BudgetCadence
{
    enum class Unit { Seconds, Minutes, Hours, Days, Weeks, Months };
    int value = 0;
    Unit unit = Unit::Days;
    QString text() const; // "monthly (on the 1st)", "daily (at midnight)", "every 14 days", "every 6 hours"
};

// "budget.duration" for text the proxy would not take (empty, "none", "30x", "-1d", "1.5d").
Result<BudgetCadence> parseBudgetDuration(const QString &text);

// The next reset after now, in zone (the proxy's litellm_settings.timezone; UTC by default). "2mo"
// and longer are refused by the proxy's reset job, and give an invalid time here.
QDateTime nextBudgetReset(const BudgetCadence &cadence, const QDateTime &now,
                          const QTimeZone &zone = QTimeZone::utc());

} // namespace opsdeck
