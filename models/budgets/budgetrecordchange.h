// A change to the workspace's budget records that a person asks for in the Budgets pane: set or
// remove a policy item at a scope, put a team in a group, set or remove an account's credits
// factor, settle an overflow entry. Pure: what it says, what is wrong with it before the store is
// asked, and its audit event (with the value before and after).
#pragma once

#include "models/audit/auditevent.h"
#include "models/budgets/budgetpolicy.h"
#include "models/core/result.h"

#include <QJsonValue>
#include <QMetaType>

#include <optional>

namespace opsdeck {

struct BudgetRecordChange
{
    enum class Kind { SetPolicy, RemovePolicy, SetGroup, SetCredits, RemoveCredits, Settle };
    Kind kind = Kind::SetPolicy;
    PolicyRecord policy;      // SetPolicy, RemovePolicy (the scope and item; the value for SetPolicy)
    BudgetGroup group;        // SetGroup (an empty group takes the team out)
    QString connection;       // SetCredits, RemoveCredits
    QString organization;     // SetCredits, RemoveCredits
    double factor = 1;        // SetCredits
    qint64 id = 0;            // Settle: the ledger entry
    QString reference;        // Settle
    QString comment;          // every kind: kept with the record and in the audit event
    QJsonValue before;        // what was there (null: nothing), for the audit event
    QString describe() const; // "set allowed models for team ml-platform", "settle overflow entry 3"
    QString auditAction() const;
};

// What a person can get wrong before the store is asked (models/budgets/budgetpolicy.h,
// overflow.h): "budgets.policy", "budgets.credits", "budgets.settle".
Result<void> validateBudgetRecordChange(const BudgetRecordChange &change);

// The audit event of a change made or refused (after: what it set; null when removed).
AuditEvent budgetRecordEvent(const BudgetRecordChange &change, const QString &actor, const QString &workspace,
                             const Result<qint64> &outcome);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::BudgetRecordChange)
