// The spend logs in the cache (schema 18, litellm_spend_logs): every row once, by its request_id,
// whatever pages and overlaps brought it; and where an incremental sync starts asking again.
#pragma once

#include "models/budgets/litellmanswers.h"
#include "models/core/result.h"

#include <QSqlDatabase>

namespace opsdeck::SpendLogStore {

// How far before the latest row the cache holds an incremental sync asks again: the proxy writes
// a request's row when it ends, so rows of requests that started earlier can arrive late.
inline constexpr int overlapSeconds = 15 * 60;

// Writes rows not held yet (inside the caller's transaction); how many were new. "cache.write".
Result<int> store(QSqlDatabase cache, qint64 connectionId, const QList<SpendLogRow> &rows);
// The start time of the latest row held, or invalid when none. "cache.read".
Result<QDateTime> latest(QSqlDatabase cache, qint64 connectionId);
// Where the next sync asks from: the latest row less the overlap, or invalid for a first sync.
QDateTime nextStart(const QDateTime &latest);

} // namespace opsdeck::SpendLogStore
