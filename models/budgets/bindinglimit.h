// Which limit binds, pure: the chain of budgets a LiteLLM request passes (key, the user's personal
// budget or, for a team's key, the team member budget, the team, the organization, the end
// customer, the proxy's own), each with its spend, what remains and when it resets; which of them
// refuses a request now or one of a given cost, and which will stop requests first.
//
// As the proxy decides: a request is refused once a budget's spend has reached its max budget (or
// the key, team or customer is blocked); a key that belongs to a team is held to the team's budget
// and the member's budget in that team, not to its user's personal budget.
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace opsdeck {

struct BudgetLimit
{
    enum class Level { Key, User, TeamMember, Team, Organization, Customer, Proxy };
    Level level = Level::Key;
    QString name;                     // the key's alias, the team's alias, …
    std::optional<double> maxBudget;  // none: no budget at this level
    std::optional<double> softBudget; // alert only
    double spend = 0;
    QDateTime resetAt; // invalid: never resets
    bool blocked = false;
    std::optional<double> remaining() const; // none without a budget
    QString levelText() const;               // "key", "team member budget", …
    QString levelName() const;               // "key", "team member", … (a table's column)
    QString levelId() const;                 // "key", "team_member", … (untranslated, for scripts)
};

struct LimitChain
{
    bool teamKey = false;      // the key belongs to a team
    QList<BudgetLimit> limits; // in the order the proxy checks them
};

// The chain for a key: the user's personal budget only for a key outside any team.
LimitChain keyChain(const BudgetLimit &key, const std::optional<BudgetLimit> &user,
                    const std::optional<BudgetLimit> &member, const std::optional<BudgetLimit> &team,
                    const std::optional<BudgetLimit> &organization,
                    const std::optional<BudgetLimit> &customer, const std::optional<BudgetLimit> &proxy);

struct BindingVerdict
{
    int refusing = -1;   // the limit that refuses the request (index into the chain), or -1
    int bindsFirst = -1; // the budget with the least left, the one that will stop requests first
    QString explanation; // in words, for the pane and `opsdeck budgets explain`
};

// cost: the request's cost in USD (0: whether requests pass at all now).
BindingVerdict resolveBinding(const LimitChain &chain, double cost = 0);

} // namespace opsdeck
