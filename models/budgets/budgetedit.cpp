#include "models/budgets/budgetedit.h"

#include "models/audit/auditevent.h"
#include "models/budgets/budgetreset.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <cmath>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetEdit)
};

constexpr double maxAmount = 1.0e9;
constexpr qint64 maxLimit = 1000000000000LL;

Error invalid(const QString &what)
{
    return makeError("budgets.edit", what);
}

QJsonValue money(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonValue whole(const std::optional<qint64> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QString moneyText(const std::optional<double> &v)
{
    return v ? usdText(*v) : Tr::tr("none");
}

QString limitText(const std::optional<qint64> &v)
{
    return v ? QString::number(*v) : Tr::tr("none");
}

QString cadenceText(const QString &duration)
{
    if (duration.isEmpty())
        return Tr::tr("never");
    const auto c = parseBudgetDuration(duration);
    return c ? QStringLiteral("%1 (%2)").arg(c->text(), duration) : duration;
}

QString modelsText(const QStringList &models)
{
    return models.isEmpty() ? Tr::tr("all models") : models.join(QStringLiteral(", "));
}

QString article(const BudgetNode &node)
{
    return QStringLiteral("%1 %2").arg(targetKindId(node.kind), node.name);
}

// The request's route and the field that names the record.
Result<ProxyChange> base(const BudgetNode &node)
{
    ProxyChange c;
    c.targetKind = targetKindId(node.kind);
    c.targetId = node.id;
    c.targetName = node.name;
    c.method = "POST";
    switch (node.kind) {
    case BudgetNode::Kind::Organization:
        c.method = "PATCH";
        c.path = QStringLiteral("/organization/update");
        c.body.insert(QStringLiteral("organization_id"), node.id);
        break;
    case BudgetNode::Kind::Team:
        c.path = QStringLiteral("/team/update");
        c.body.insert(QStringLiteral("team_id"), node.id);
        break;
    case BudgetNode::Kind::User:
        c.path = QStringLiteral("/user/update");
        c.body.insert(QStringLiteral("user_id"), node.id);
        break;
    case BudgetNode::Kind::Key:
        c.path = QStringLiteral("/key/update");
        c.body.insert(QStringLiteral("key"), node.id); // the hash: the proxy takes it as well as the key
        break;
    case BudgetNode::Kind::Plan:
        c.path = QStringLiteral("/budget/update"); // BudgetNewRequest; only the fields sent are written
        c.body.insert(QStringLiteral("budget_id"), node.id);
        break;
    default:
        return invalid(Tr::tr("The proxy's API offers no change to %1 %2.")
                           .arg(budgetKindText(node.kind).toLower(), node.name));
    }
    return c;
}
} // namespace

QString targetKindId(BudgetNode::Kind kind)
{
    switch (kind) {
    case BudgetNode::Kind::Proxy:
        return QStringLiteral("proxy");
    case BudgetNode::Kind::Organization:
        return QStringLiteral("organization");
    case BudgetNode::Kind::Team:
        return QStringLiteral("team");
    case BudgetNode::Kind::Member:
        return QStringLiteral("team member");
    case BudgetNode::Kind::User:
        return QStringLiteral("user");
    case BudgetNode::Kind::Key:
        return QStringLiteral("key");
    case BudgetNode::Kind::Customers:
    case BudgetNode::Kind::Customer:
        return QStringLiteral("end customer");
    case BudgetNode::Kind::Plans:
    case BudgetNode::Kind::Plan:
        return QStringLiteral("budget");
    }
    return {};
}

BudgetFields editableFields(BudgetNode::Kind kind)
{
    BudgetFields f;
    switch (kind) {
    case BudgetNode::Kind::Organization:
        f.maxBudget = f.softBudget = f.models = true;
        break;
    case BudgetNode::Kind::Team:
        f.maxBudget = f.softBudget = f.duration = f.limits = f.models = f.block = true;
        break;
    case BudgetNode::Kind::User:
    case BudgetNode::Kind::Key:
        f.maxBudget = f.duration = f.limits = f.models = f.block = f.remove = true;
        break;
    case BudgetNode::Kind::Plan:
        f.maxBudget = f.softBudget = f.duration = f.limits = true;
        break;
    default:
        break;
    }
    return f;
}

Result<ProxyChange> editChange(const BudgetNode &node, const BudgetEdit &edit)
{
    auto change = base(node);
    if (!change)
        return change;
    ProxyChange &c = change.value();
    c.kind = ProxyChange::Kind::Update;
    c.action = AuditAction::budgetUpdate;
    const BudgetFields can = editableFields(node.kind);
    const QString what = article(node);

    const auto amount = [&](const char *field, const QString &label, bool allowed,
                            const std::optional<std::optional<double>> &to,
                            const std::optional<double> &from) -> std::optional<Error> {
        if (!to)
            return std::nullopt;
        if (!allowed)
            return invalid(Tr::tr("The proxy's API offers no %1 for a %2.")
                               .arg(label.toLower(), targetKindId(node.kind)));
        if (*to && (!std::isfinite(**to) || **to < 0 || **to > maxAmount))
            return invalid(Tr::tr("%1 must be an amount from $0 to $%2.")
                               .arg(label)
                               .arg(QLocale().toString(maxAmount, 'f', 0)));
        if (*to == from)
            return std::nullopt;
        c.body.insert(QLatin1String(field), money(*to));
        c.changes << FieldChange{QLatin1String(field), label,           money(from),
                                 money(*to),           moneyText(from), moneyText(*to)};
        return std::nullopt;
    };
    const auto limitField = [&](const char *field, const QString &label,
                                const std::optional<std::optional<qint64>> &to,
                                const std::optional<qint64> &from) -> std::optional<Error> {
        if (!to)
            return std::nullopt;
        if (!can.limits)
            return invalid(
                Tr::tr("The proxy's API offers no %1 for a %2.").arg(label, targetKindId(node.kind)));
        if (*to && (**to < 0 || **to > maxLimit))
            return invalid(Tr::tr("%1 must be a whole number from 0 to %2.").arg(label).arg(maxLimit));
        if (*to == from)
            return std::nullopt;
        c.body.insert(QLatin1String(field), whole(*to));
        c.changes << FieldChange{QLatin1String(field), label,           whole(from),
                                 whole(*to),           limitText(from), limitText(*to)};
        return std::nullopt;
    };
    if (auto e = amount("max_budget", Tr::tr("Max budget"), can.maxBudget, edit.maxBudget, node.maxBudget))
        return *e;
    if (auto e =
            amount("soft_budget", Tr::tr("Soft budget"), can.softBudget, edit.softBudget, node.softBudget))
        return *e;
    // The team's rule (UpdateTeamRequest): a soft budget below the max budget.
    const std::optional<double> max = edit.maxBudget ? *edit.maxBudget : node.maxBudget;
    const std::optional<double> soft = edit.softBudget ? *edit.softBudget : node.softBudget;
    if (max && soft && *soft >= *max && (edit.maxBudget || edit.softBudget))
        return invalid(Tr::tr("The soft budget (%1) must be below the max budget (%2).")
                           .arg(usdText(*soft), usdText(*max)));
    if (edit.duration) {
        if (!can.duration)
            return invalid(
                Tr::tr("The proxy's API offers no reset cadence for a %1.").arg(targetKindId(node.kind)));
        const QString to = edit.duration->trimmed();
        if (!to.isEmpty()) {
            const auto cadence = parseBudgetDuration(to);
            if (!cadence)
                return invalid(cadence.message());
        }
        if (to != node.duration) {
            c.body.insert(QStringLiteral("budget_duration"),
                          to.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(to));
            c.changes << FieldChange{QStringLiteral("budget_duration"),
                                     Tr::tr("Resets"),
                                     node.duration.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                             : QJsonValue(node.duration),
                                     to.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(to),
                                     cadenceText(node.duration),
                                     cadenceText(to)};
        }
    }
    if (auto e = limitField("tpm_limit", Tr::tr("TPM limit"), edit.tpmLimit, node.tpmLimit))
        return *e;
    if (auto e = limitField("rpm_limit", Tr::tr("RPM limit"), edit.rpmLimit, node.rpmLimit))
        return *e;
    if (edit.models) {
        if (!can.models)
            return invalid(
                Tr::tr("The proxy's API offers no model list for a %1.").arg(targetKindId(node.kind)));
        QStringList to;
        for (const QString &m : *edit.models) {
            const QString name = m.trimmed();
            if (name.isEmpty())
                continue;
            if (name.size() > 200 || name.contains(QLatin1Char('\n')) || name.contains(QLatin1Char(',')))
                return invalid(Tr::tr("\"%1\" is not a model name.").arg(name.left(60)));
            if (!to.contains(name))
                to << name;
        }
        if (to.size() > 500)
            return invalid(Tr::tr("At most 500 models."));
        if (to != node.models) {
            c.body.insert(QStringLiteral("models"), QJsonArray::fromStringList(to));
            c.changes << FieldChange{QStringLiteral("models"),
                                     Tr::tr("Models"),
                                     QJsonArray::fromStringList(node.models),
                                     QJsonArray::fromStringList(to),
                                     modelsText(node.models),
                                     modelsText(to)};
        }
    }
    if (c.changes.isEmpty())
        return makeError("budgets.unchanged", Tr::tr("Nothing would change for %1.").arg(what));
    QStringList parts;
    for (const FieldChange &f : std::as_const(c.changes))
        parts << Tr::tr("%1 from %2 to %3").arg(f.label.toLower(), f.beforeText, f.afterText);
    c.summary = Tr::tr("Change %1: %2.").arg(what, parts.join(QStringLiteral("; ")));
    return change;
}

Result<ProxyChange> blockChange(const BudgetNode &node, bool block)
{
    if (!editableFields(node.kind).block)
        return invalid(Tr::tr("The proxy's API offers no way to block %1 %2.")
                           .arg(budgetKindText(node.kind).toLower(), node.name));
    if (node.blocked == block)
        return makeError("budgets.unchanged", block ? Tr::tr("%1 is blocked already.").arg(article(node))
                                                    : Tr::tr("%1 is not blocked.").arg(article(node)));
    auto change = base(node);
    if (!change)
        return change;
    ProxyChange &c = change.value();
    c.kind = block ? ProxyChange::Kind::Block : ProxyChange::Kind::Unblock;
    c.action = block ? AuditAction::budgetBlock : AuditAction::budgetUnblock;
    if (node.kind == BudgetNode::Kind::Team) {
        c.path = block ? QStringLiteral("/team/block") : QStringLiteral("/team/unblock");
    } else if (node.kind == BudgetNode::Kind::Key) {
        c.path = block ? QStringLiteral("/key/block") : QStringLiteral("/key/unblock");
    } else {
        c.body.insert(QStringLiteral("blocked"), block); // a user: /user/update
    }
    c.changes << FieldChange{QStringLiteral("blocked"),
                             Tr::tr("Blocked"),
                             !block,
                             block,
                             block ? Tr::tr("no") : Tr::tr("yes"),
                             block ? Tr::tr("yes") : Tr::tr("no")};
    c.summary =
        block ? Tr::tr("Block %1: the proxy refuses its requests until it is unblocked.").arg(article(node))
              : Tr::tr("Unblock %1: the proxy takes its requests again.").arg(article(node));
    return change;
}

Result<ProxyChange> deleteChange(const BudgetNode &node)
{
    if (!editableFields(node.kind).remove)
        return invalid(Tr::tr("The proxy's API offers no way to delete %1 %2.")
                           .arg(budgetKindText(node.kind).toLower(), node.name));
    ProxyChange c;
    c.kind = ProxyChange::Kind::Delete;
    c.action = AuditAction::budgetDelete;
    c.method = "POST";
    c.targetKind = targetKindId(node.kind);
    c.targetId = node.id;
    c.targetName = node.name;
    if (node.kind == BudgetNode::Kind::User) {
        c.path = QStringLiteral("/user/delete");
        c.body.insert(QStringLiteral("user_ids"), QJsonArray{node.id});
        c.summary = Tr::tr("Delete user %1 and every key of theirs.").arg(node.name);
    } else {
        c.path = QStringLiteral("/key/delete");
        c.body.insert(QStringLiteral("keys"), QJsonArray{node.id});
        c.summary = Tr::tr("Delete key %1.").arg(node.name);
    }
    return c;
}

} // namespace opsdeck
