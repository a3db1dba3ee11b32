// What the workspace's record modules (budgetrecords.cpp, testrunrecords.cpp) share: which store is
// asked, the store's times as UTC text, and a refusal in the store's words. Internal.
#pragma once

#include "models/core/result.h"
#include "services/workspace/workspacestore.h"

#include <QDateTime>
#include <QSqlError>
#include <QString>
#include <QVariant>

namespace opsdeck::WorkspaceRecords {

inline bool team(const WorkspaceStore &store)
{
    return store.kind() == WorkspaceStore::Kind::Team;
}

inline QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// A null QString binds NULL: the store's text columns want "".
inline QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

// A time as either store answers it: a timestamptz (QDateTime) or ISO text.
inline QDateTime timeOf(const QVariant &v)
{
    if (v.isNull())
        return {};
    if (v.metaType().id() == QMetaType::QDateTime)
        return v.toDateTime().toUTC();
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime::fromString(v.toString(), Qt::ISODate).toUTC();
}

inline QString stamp(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QStringLiteral("");
}

// A refusal in the store's words, with "no such record" (P0002) said plainly.
inline Error refused(const QSqlError &error, const QString &what)
{
    if (error.nativeErrorCode() == QLatin1String("P0002"))
        return makeError(
            "workspace.no-record",
            QStringLiteral("%1: %2").arg(what, error.databaseText().section(QLatin1Char('\n'), 0, 0)));
    return WorkspaceStore::refusal(error, what);
}

} // namespace opsdeck::WorkspaceRecords
