// Mock servers in the cache (schema 26): saved and removed with their audit events, and the outcome
// of every health check, kept for 35 days.
#pragma once

#include "models/core/result.h"
#include "models/testruns/mocks.h"

#include <QList>
#include <QSqlDatabase>

namespace opsdeck::MockStore {

Result<QList<MockServer>> all(QSqlDatabase db);
// Adds (id 0) or changes a mock, checked first, with a testrun.mock.set event.
Result<qint64> save(const MockServer &mock);
// Removes it with its health history, with a testrun.mock.remove event.
Result<void> remove(qint64 mockId);
// Records a check and forgets those older than 35 days.
Result<void> record(qint64 mockId, const HealthCheck &check);
// When the mock was last checked (invalid: never).
QDateTime lastCheck(QSqlDatabase db, qint64 mockId);

} // namespace opsdeck::MockStore
