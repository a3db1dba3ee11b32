// Stored times (ISO 8601, UTC) for people: what the item models show in their time columns.
#pragma once

#include "models/connections/connectionstore.h"

#include <QDateTime>
#include <QLocale>
#include <QString>

namespace opsdeck {

// A stored time for people: the local date and time, or never when there is none.
inline QString localTime(const QString &stored, const QString &never)
{
    const QDateTime t = fromStoredTime(stored);
    const QDateTime parsed = t.isValid() ? t : QDateTime::fromString(stored, Qt::ISODateWithMs);
    return parsed.isValid() ? QLocale().toString(parsed.toLocalTime(), QLocale::ShortFormat) : never;
}

// Expiry and approval are days, not minutes.
inline QString localDate(const QString &stored, const QString &never)
{
    const QDateTime t = fromStoredTime(stored);
    const QDateTime parsed = t.isValid() ? t : QDateTime::fromString(stored, Qt::ISODateWithMs);
    return parsed.isValid() ? QLocale().toString(parsed.toLocalTime().date(), QLocale::ShortFormat) : never;
}

} // namespace opsdeck
