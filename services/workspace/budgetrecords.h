// The budget records of LiteLLM connections in the workspace store (schema 9): scoped policies,
// groups of teams, credits factors and the overflow ledger (models/budgets/budgetpolicy.h,
// overflow.h). On a team store every change goes through the store's functions
// (opsdeck_budget_policy_set, _group_set, _credits_set, _overflow_record, _overflow_settle), which
// decide as the login signed in (budget.policy, budget.settle on connection:NAME); on the local
// store the same rules as plain statements, for its one admin. Records are checked here first.
#pragma once

#include "models/budgets/budgetpolicy.h"
#include "models/budgets/overflow.h"
#include "models/core/result.h"
#include "services/workspace/workspacestore.h"

#include <QSqlDatabase>

#include <optional>

namespace opsdeck::BudgetRecords {

// Sets a policy item at a scope (checked first); its id. remove: takes the item away (0).
Result<qint64> setPolicy(const WorkspaceStore &store, const PolicyRecord &record, bool remove = false);
// Puts a team in a group (checked); an empty group takes it out.
Result<void> setGroup(const WorkspaceStore &store, const BudgetGroup &group);
// An account's credits factor (checked); nullopt removes it.
Result<void> setCredits(const WorkspaceStore &store, const QString &connection, const QString &organization,
                        const std::optional<double> &factor, const QString &comment);
// What a sync saw past a budget: the entry's id (accrue's rule: the figures only grow).
Result<qint64> recordOverflow(const WorkspaceStore &store, const OverflowObservation &seen);
// Settles what is open of an entry; the amount settled. "budgets.settle" when nothing is open or
// the reference is missing.
Result<double> settleOverflow(const WorkspaceStore &store, qint64 id, const QString &reference,
                              const QString &comment);

Result<QList<PolicyRecord>> policies(const WorkspaceStore &store);
Result<QList<BudgetGroup>> groups(const WorkspaceStore &store);
Result<QList<CreditsFactor>> credits(const WorkspaceStore &store);
Result<QList<OverflowEntry>> overflow(const WorkspaceStore &store);

// What the workspace service copies into the cache (schema 21), each list replacing its table;
// inside the caller's cache transaction.
struct Copy
{
    std::optional<QList<PolicyRecord>> policies;
    std::optional<QList<BudgetGroup>> groups;
    std::optional<QList<CreditsFactor>> credits;
    std::optional<QList<OverflowEntry>> overflow;
};
Result<Copy> read(const WorkspaceStore &store, bool withPolicies, bool withGroups, bool withCredits,
                  bool withOverflow);
Result<void> writeCopy(QSqlDatabase cache, const Copy &copy);

} // namespace opsdeck::BudgetRecords
