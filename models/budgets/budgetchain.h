// The chain of limits for a key, a user, a team or a team member, read from the cache (schema 18)
// for the Budgets pane and `opsdeck budgets explain`: the rows of the key, its user or team member
// budget, its team, organization and (when named) end customer, as bindinglimit.h orders them.
#pragma once

#include "models/budgets/bindinglimit.h"
#include "models/core/result.h"

#include <QSqlDatabase>

namespace opsdeck {

struct BudgetSubject
{
    enum class Kind { Key, User, Team, Member };
    Kind kind = Kind::Key;
    QString id;         // a key's alias, abbreviation or hash; a user's id; a team's id or alias
    QString teamId;     // a member's team
    QString customerId; // the end customer the request is made for (optional)
};

struct SubjectChain
{
    QString subject; // in words: "key ci-bot (sk-...Ab12)"
    LimitChain chain;
};

// "budgets.unknown" when the cache has no such subject (or customer), "budgets.ambiguous" when an
// alias names several keys or teams. now: for budgets the proxy has not set a reset time for yet.
Result<SubjectChain> loadLimitChain(QSqlDatabase db, qint64 connectionId, const BudgetSubject &subject,
                                    const QDateTime &now);

} // namespace opsdeck
