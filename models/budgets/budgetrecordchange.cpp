#include "models/budgets/budgetrecordchange.h"

#include "models/budgets/overflow.h"

#include <QCoreApplication>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetRecordChange)
};

QString scopeWords(const PolicyRecord &r)
{
    return QStringLiteral("%1 %2").arg(policyScopeText(r.scope).toLower(), r.scopeId);
}
} // namespace

QString BudgetRecordChange::describe() const
{
    switch (kind) {
    case Kind::SetPolicy:
        return Tr::tr("set %1 for %2 to %3")
            .arg(policyItemText(policy.item).toLower(), scopeWords(policy), policy.valueText());
    case Kind::RemovePolicy:
        return Tr::tr("remove the %1 policy of %2")
            .arg(policyItemText(policy.item).toLower(), scopeWords(policy));
    case Kind::SetGroup:
        return group.group.trimmed().isEmpty()
                   ? Tr::tr("take team %1 out of its group").arg(group.teamId)
                   : Tr::tr("put team %1 in group %2").arg(group.teamId, group.group.trimmed());
    case Kind::SetCredits:
        return Tr::tr("set the credits factor of %1 to %2").arg(organization, QString::number(factor));
    case Kind::RemoveCredits:
        return Tr::tr("remove the credits factor of %1").arg(organization);
    case Kind::Settle:
        return Tr::tr("settle overflow entry %1 (%2)").arg(id).arg(reference.trimmed());
    }
    return {};
}

QString BudgetRecordChange::auditAction() const
{
    switch (kind) {
    case Kind::SetPolicy:
    case Kind::RemovePolicy:
        return AuditAction::budgetPolicySet;
    case Kind::SetGroup:
        return AuditAction::budgetGroupSet;
    case Kind::SetCredits:
    case Kind::RemoveCredits:
        return AuditAction::budgetCreditsSet;
    case Kind::Settle:
        return AuditAction::budgetOverflowSettle;
    }
    return {};
}

Result<void> validateBudgetRecordChange(const BudgetRecordChange &c)
{
    if (c.comment.size() > 2000)
        return makeError("budgets.policy", Tr::tr("The comment is longer than 2,000 characters."));
    switch (c.kind) {
    case BudgetRecordChange::Kind::SetPolicy:
    case BudgetRecordChange::Kind::RemovePolicy:
        if (auto r = checkPolicy(c.policy); !r)
            return r.error();
        return {};
    case BudgetRecordChange::Kind::SetGroup:
        if (c.group.connection.trimmed().isEmpty() || c.group.teamId.trimmed().isEmpty())
            return makeError("budgets.policy", Tr::tr("Which team, on which connection?"));
        if (!c.group.group.trimmed().isEmpty())
            if (auto r = checkGroupName(c.group.group); !r)
                return r.error();
        return {};
    case BudgetRecordChange::Kind::SetCredits:
        if (auto r = checkCreditsFactor(c.factor); !r)
            return r.error();
        [[fallthrough]];
    case BudgetRecordChange::Kind::RemoveCredits:
        if (c.connection.trimmed().isEmpty() || c.organization.trimmed().isEmpty())
            return makeError("budgets.credits", Tr::tr("Which account, on which connection?"));
        return {};
    case BudgetRecordChange::Kind::Settle:
        if (c.id <= 0)
            return makeError("budgets.settle", Tr::tr("Which overflow entry? It is settled by its number."));
        if (c.reference.trimmed().isEmpty())
            return makeError(
                "budgets.settle",
                Tr::tr(
                    "A settlement needs a reference: the invoice, credit note or ticket that settles it."));
        if (c.reference.trimmed().size() > 200)
            return makeError("budgets.settle", Tr::tr("The reference is longer than 200 characters."));
        return {};
    }
    return {};
}

AuditEvent budgetRecordEvent(const BudgetRecordChange &c, const QString &actor, const QString &workspace,
                             const Result<qint64> &outcome)
{
    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = c.auditAction();
    e.backendIdentity = actor;
    e.comment = c.comment;
    e.outcome = outcome ? AuditOutcome::Success : AuditOutcome::Failure;
    e.details = QJsonObject{{QStringLiteral("workspace"), workspace}};
    QJsonValue after;
    switch (c.kind) {
    case BudgetRecordChange::Kind::SetPolicy:
    case BudgetRecordChange::Kind::RemovePolicy:
        e.targetKind = QStringLiteral("budget-policy");
        e.targetId = QStringLiteral("%1/%2/%3")
                         .arg(policyScopeKey(c.policy.scope), c.policy.scopeId, policyItemKey(c.policy.item));
        e.targetName = scopeWords(c.policy);
        e.details.insert(QStringLiteral("connection"), c.policy.connection);
        e.details.insert(QStringLiteral("item"), policyItemKey(c.policy.item));
        if (c.kind == BudgetRecordChange::Kind::SetPolicy)
            after = c.policy.value();
        break;
    case BudgetRecordChange::Kind::SetGroup:
        e.targetKind = QStringLiteral("team");
        e.targetId = c.group.teamId;
        e.targetName = c.group.teamId;
        e.details.insert(QStringLiteral("connection"), c.group.connection);
        if (!c.group.group.trimmed().isEmpty())
            after = c.group.group.trimmed();
        break;
    case BudgetRecordChange::Kind::SetCredits:
    case BudgetRecordChange::Kind::RemoveCredits:
        e.targetKind = QStringLiteral("organization");
        e.targetId = c.organization;
        e.targetName = c.organization;
        e.details.insert(QStringLiteral("connection"), c.connection);
        if (c.kind == BudgetRecordChange::Kind::SetCredits)
            after = c.factor;
        break;
    case BudgetRecordChange::Kind::Settle:
        e.targetKind = QStringLiteral("overflow-entry");
        e.targetId = QString::number(c.id);
        e.targetName = c.reference.trimmed();
        e.details.insert(QStringLiteral("reference"), c.reference.trimmed());
        if (outcome)
            e.details.insert(QStringLiteral("settled"), double(outcome.value()) / 100.0);
        break;
    }
    if (c.kind != BudgetRecordChange::Kind::Settle) {
        e.details.insert(QStringLiteral("before"), c.before);
        e.details.insert(QStringLiteral("after"), after);
    }
    if (!outcome)
        e.details.insert(QStringLiteral("error"), outcome.message());
    return e;
}

} // namespace opsdeck
