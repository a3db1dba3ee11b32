// The demo workspace: a separate data directory seeded from resources/demo through the same cache
// and models as real data, so a new user can explore Opsdeck without any server.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

#include <functional>

namespace opsdeck::DemoWorkspace {

// The demo's own data directory under the normal one.
QString dataDir(const QString &baseDataDir);
// Seeds an open, empty cache with the demo data; does nothing when it holds connections already.
// Runs on the calling thread's connection in one transaction.
Result<void> seed();

// The demo's audit log: `count` realistic events over the last 90 days, chained like real ones,
// written in batches of 10,000 (each its own transaction, announced, so the pane fills as it goes).
// progress(done, total) may return false to stop.
Result<void> seedAudit(int count, const std::function<bool(qint64, qint64)> &progress = {});
inline constexpr int demoAuditEvents = 200000;

// Farid's offboarding, half done; written inside seed()'s transaction on db.
Result<void> seedOffboarding(QSqlDatabase db, const QDateTime &now);

// The Images pane's demo: what the Harbor and mirror connections hold (scanned artifacts in every
// severity, an index with two platforms, a report), the team's projects, allowlist entries that
// show every registry mark and an expired one, and requests in every state; inside seed()'s
// transaction on db. harborId/mirrorId: the demo's connections (0: not there).
Result<void> seedImages(QSqlDatabase db, const QDateTime &now, qint64 harborId, qint64 mirrorId);

// The Budgets pane's demo: the LiteLLM proxy's organizations, teams with member budgets, users, keys
// and end customers at every budget state (within, near, past the soft budget, over, blocked, none),
// and three months of spend logs with a few anomalous days; inside seed()'s transaction on db.
Result<void> seedBudgets(QSqlDatabase db, const QDateTime &now, qint64 connectionId);

// The Test runs pane's demo: weeks of runs of two suites with flaky cases, a new failure and a
// tampered record, imported through the same path as real reports; the web suite's runs come from
// the GitHub Actions artifacts of acme/web on the GitHub connection (0: from files); inside seed()'s
// transaction.
Result<void> seedTestRuns(QSqlDatabase db, const QDateTime &now, qint64 githubConnectionId);

} // namespace opsdeck::DemoWorkspace
