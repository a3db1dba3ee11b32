// What the parts of TestRunStore (testrunstore.cpp, _sources, _notify, _retention, _team)
// share and nobody else uses.
#pragma once

#include "models/core/result.h"
#include "models/store/database.h"
#include "services/testruns/testrunstore.h"

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

// testrunstore.cpp's writers and readers, for the other parts.
Result<qint64> sourceIdFor(QSqlDatabase db, const RunImport &r, bool create);
std::optional<qint64> runOf(QSqlDatabase db, qint64 source, const QString &runKey);
// The run's canonical record from the cache, signed with key (copy: the bytes themselves too).
Result<QByteArray> signCached(QSqlDatabase db, qint64 runId, const QByteArray &key,
                              QByteArray *copy = nullptr);
// A record's cases as the run's, in batches, with their keys.
Result<void> writeRecordCases(QSqlDatabase db, qint64 source, qint64 run, const QList<RunCaseRecord> &cases);
AuditEvent importEventFor(const ImportedRun &run, const RunImport &request);

} // namespace opsdeck::TestRunStoreDetail
