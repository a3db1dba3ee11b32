// Label policies, provisioning records and the drift plan of a GitHub connection, in the cache.
#pragma once

#include "models/github/labelpolicy.h"
#include "models/github/runner.h"

namespace opsdeck {

namespace Tables {
inline const QString runnerPolicies = QStringLiteral("runner_policies");
inline const QString workspaceRunnerPolicies = QStringLiteral("workspace_runner_policies");
inline const QString runnerProvisioning = QStringLiteral("runner_provisioning");
} // namespace Tables

namespace RunnerPolicyStore {
// The connection's policy as it applies (effective_runner_policies): this desktop's change not yet
// in the workspace store, else the workspace's, else this desktop's own; the default (anything
// allowed) when there is none.
Result<LabelPolicy> load(QSqlDatabase db, qint64 connectionId);
// Saved here at once, and pending until the workspace service has sent it to the store.
Result<void> save(QSqlDatabase db, qint64 connectionId, const LabelPolicy &policy, const QDateTime &now);

struct Provisioning
{
    QString scope;
    // The runner's id; for a registration token, which has no runner yet, a negative placeholder
    // until a sync sees a runner of that name register (matchPendingByName).
    qint64 runnerId = 0;
    QString name;
    QStringList labels;
    ProvisioningMode mode = ProvisioningMode::JitConfig;
    QString requestedBy;
    QDateTime requestedAt;
};
Result<void> recordProvisioning(QSqlDatabase db, qint64 connectionId, const Provisioning &p);
// Links registration-token provisioning records still waiting for their runner to the runner of
// the same name (case-insensitive) in the same scope that GitHub lists now and that appeared no
// earlier than the request. Returns how many were linked.
Result<int> matchPendingByName(QSqlDatabase db, qint64 connectionId);
} // namespace RunnerPolicyStore

// What the next sync would do about drift: one entry per drifted runner still on GitHub.
struct DriftItem
{
    qint64 runnerId = 0;
    QString scope;
    QString name;
    bool busy = false;
    Drift drift;
    bool willDelete = false; // idle, or busy with "also delete busy drifted runners" on
};
Result<QList<DriftItem>> driftPlan(QSqlDatabase db, qint64 connectionId);

// Marks one runner removed (after Opsdeck deleted it on GitHub).
Result<void> markRunnerRemoved(QSqlDatabase db, qint64 connectionId, const QString &scope, qint64 runnerId,
                               const QDateTime &now);

} // namespace opsdeck
