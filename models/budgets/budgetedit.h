// Budget changes sent to a LiteLLM proxy, pure: what Opsdeck may change for each kind of record
// (only the routes and fields of ../shared/specs/litellm), the request for a change, a block or
// unblock, or a deletion, and every changed field before and after, for the preview, the
// confirmation, the audit event and the cache.
//   organization  PATCH /organization/update  max_budget, soft_budget, models
//   team          POST /team/update           max_budget, soft_budget (below max_budget), budget_duration,
//                                              tpm_limit, rpm_limit, models; POST /team/block, /team/unblock
//   user          POST /user/update           max_budget, budget_duration, tpm_limit, rpm_limit, models,
//                                              blocked; POST /user/delete (the user and their keys)
//   key           POST /key/update            the same by the key's hash; POST /key/block, /key/unblock,
//                                              /key/delete
// The spec has no route to delete a team or an organization, nor to change a member's budget in a
// team or an end customer; those stay read-only.
#pragma once

#include "models/budgets/budgettree.h"
#include "models/core/result.h"

#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace opsdeck {

struct BudgetFields
{
    bool maxBudget = false;
    bool softBudget = false;
    bool duration = false;
    bool limits = false; // tpm_limit and rpm_limit
    bool models = false;
    bool block = false;
    bool remove = false;
    bool any() const { return maxBudget || softBudget || duration || limits || models; }
};
BudgetFields editableFields(BudgetNode::Kind kind);

// A field set to a value, or cleared (std::nullopt inside); an unset field is left as it is.
struct BudgetEdit
{
    std::optional<std::optional<double>> maxBudget;
    std::optional<std::optional<double>> softBudget;
    std::optional<QString> duration; // "" clears
    std::optional<std::optional<qint64>> tpmLimit;
    std::optional<std::optional<qint64>> rpmLimit;
    std::optional<QStringList> models; // empty: every model
};

struct FieldChange
{
    QString field; // the proxy's and the cache's name: max_budget, models, blocked, …
    QString label; // "Max budget"
    QJsonValue before;
    QJsonValue after;
    QString beforeText; // "$1,750.00", "none", "all models"
    QString afterText;
};

struct ProxyChange
{
    enum class Kind { Update, Block, Unblock, Delete };
    Kind kind = Kind::Update;
    QByteArray method; // POST, PATCH
    QString path;
    QJsonObject body;
    QString action;     // the audit action: budget.update, budget.block, budget.unblock, budget.delete
    QString targetKind; // organization, team, user, key
    QString targetId;
    QString targetName;
    QList<FieldChange> changes;
    QString summary; // in words, for the confirmation
};

// "budgets.edit" for a field the kind cannot change or a value the proxy would refuse (negative
// amounts, a soft budget not below the max budget, a cadence the proxy does not read, absurd
// limits, empty or overlong model names); "budgets.unchanged" when nothing differs.
Result<ProxyChange> editChange(const BudgetNode &node, const BudgetEdit &edit);
Result<ProxyChange> blockChange(const BudgetNode &node, bool block);
Result<ProxyChange> deleteChange(const BudgetNode &node);

QString targetKindId(BudgetNode::Kind kind); // "team", …

} // namespace opsdeck
