// What the parts of TestRunStore (testrunstore.cpp, testrunstore_sources.cpp, testrunstore_notify.cpp)
// share and nobody else uses.
#pragma once

#include "models/core/result.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

namespace opsdeck::TestRunStoreDetail {

// The context every part's messages are translated in.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestRunStore)
};

// Times as the cache stores them: UTC, ISO 8601 with milliseconds.
inline QString isoMs(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

inline Error cacheError(const QSqlQuery &q, const QString &what)
{
    return Database::describe(q.lastError(), what);
}

} // namespace opsdeck::TestRunStoreDetail
