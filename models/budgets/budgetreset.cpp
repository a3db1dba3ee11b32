#include "models/budgets/budgetreset.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetCadence)
};

// A time of day the proxy's way: hours past 23 roll into the next day (at hour % 24).
QDateTime dayTime(const QDate &today, int hour, int minute, int second, const QTimeZone &zone)
{
    if (hour >= 24)
        return QDateTime(today.addDays(1), QTime(hour % 24, minute, second), zone);
    return QDateTime(today, QTime(hour, minute, second), zone);
}

// The next multiple of step after current (the proxy aligns within the next larger unit).
int nextMultiple(int current, int step)
{
    return (current / step + 1) * step;
}
} // namespace

QString BudgetCadence::text() const
{
    switch (unit) {
    case Unit::Months:
        return value == 1 ? Tr::tr("monthly (on the 1st)") : Tr::tr("every %1 months").arg(value);
    case Unit::Weeks:
        return value == 1 ? Tr::tr("weekly (on Mondays)") : Tr::tr("every %1 weeks").arg(value);
    case Unit::Days:
        if (value == 1)
            return Tr::tr("daily (at midnight)");
        if (value == 7)
            return Tr::tr("weekly (on Mondays)");
        if (value == 30)
            return Tr::tr("monthly (on the 1st)");
        return Tr::tr("every %1 days").arg(value);
    case Unit::Hours:
        return value == 1 ? Tr::tr("hourly") : Tr::tr("every %1 hours").arg(value);
    case Unit::Minutes:
        return value == 1 ? Tr::tr("every minute") : Tr::tr("every %1 minutes").arg(value);
    case Unit::Seconds:
        return value == 1 ? Tr::tr("every second") : Tr::tr("every %1 seconds").arg(value);
    }
    return {};
}

Result<BudgetCadence> parseBudgetDuration(const QString &text)
{
    static const QRegularExpression form(QStringLiteral("\\A(\\d{1,6})(mo|s|m|h|d|w)\\z"));
    const QString trimmed = text.trimmed();
    const auto m = form.match(trimmed);
    if (!m.hasMatch())
        return makeError("budget.duration",
                         Tr::tr("\"%1\" is not a budget duration: a number and s, m, h, d, w or mo (\"30d\", "
                                "\"1mo\").")
                             .arg(trimmed.left(40)));
    BudgetCadence c;
    c.value = m.captured(1).toInt();
    const QString unit = m.captured(2);
    c.unit = unit == QLatin1String("mo")  ? BudgetCadence::Unit::Months
             : unit == QLatin1String("w") ? BudgetCadence::Unit::Weeks
             : unit == QLatin1String("d") ? BudgetCadence::Unit::Days
             : unit == QLatin1String("h") ? BudgetCadence::Unit::Hours
             : unit == QLatin1String("m") ? BudgetCadence::Unit::Minutes
                                          : BudgetCadence::Unit::Seconds;
    if (c.value == 0)
        return makeError("budget.duration", Tr::tr("A budget duration of zero resets all the time."));
    return c;
}

QDateTime nextBudgetReset(const BudgetCadence &cadence, const QDateTime &now, const QTimeZone &zone)
{
    const QDateTime local = now.toTimeZone(zone);
    const QDate today = local.date();
    const auto midnight = [&zone](const QDate &d) {
        return QDateTime(d, QTime(0, 0), zone);
    };
    const auto firstOfNextMonth = [&] {
        return midnight(QDate(today.year(), today.month(), 1).addMonths(1));
    };
    const QTime t = local.time();
    switch (cadence.unit) {
    case BudgetCadence::Unit::Months:
        return cadence.value == 1 ? firstOfNextMonth() : QDateTime();
    case BudgetCadence::Unit::Weeks:
    case BudgetCadence::Unit::Days: {
        const int days = cadence.unit == BudgetCadence::Unit::Weeks ? cadence.value * 7 : cadence.value;
        if (days == 1)
            return midnight(today.addDays(1));
        if (days == 7) // the next Monday, a week on when today is one
            return midnight(today.addDays(8 - today.dayOfWeek()));
        if (days == 30)
            return firstOfNextMonth();
        return midnight(today.addDays(days));
    }
    case BudgetCadence::Unit::Hours:
        return dayTime(today, nextMultiple(t.hour(), cadence.value), 0, 0, zone);
    case BudgetCadence::Unit::Minutes: {
        const int minute = nextMultiple(t.minute(), cadence.value);
        return dayTime(today, t.hour() + minute / 60, minute % 60, 0, zone);
    }
    case BudgetCadence::Unit::Seconds: {
        const int second = nextMultiple(t.second(), cadence.value);
        const int minute = t.minute() + second / 60;
        return dayTime(today, t.hour() + minute / 60, minute % 60, second % 60, zone);
    }
    }
    return {};
}

} // namespace opsdeck
