#include "models/budgets/bindinglimit.h"

#include <QCoreApplication>
#include <QLocale>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BindingLimit)
};

QString usd(double amount)
{
    return QStringLiteral("$") + QLocale::c().toString(amount, 'f', amount < 1 ? 4 : 2);
}

QString named(const BudgetLimit &l)
{
    return l.name.isEmpty() ? l.levelText() : QStringLiteral("%1 %2").arg(l.levelText(), l.name);
}

QString resetText(const BudgetLimit &l)
{
    return l.resetAt.isValid()
               ? Tr::tr("it resets %1")
                     .arg(l.resetAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")))
               : Tr::tr("it does not reset");
}
} // namespace

std::optional<double> BudgetLimit::remaining() const
{
    if (!maxBudget)
        return std::nullopt;
    return *maxBudget - spend;
}

QString BudgetLimit::levelText() const
{
    switch (level) {
    case Level::Key:
        return Tr::tr("key");
    case Level::User:
        return Tr::tr("user");
    case Level::TeamMember:
        return Tr::tr("team member budget of");
    case Level::Team:
        return Tr::tr("team");
    case Level::Organization:
        return Tr::tr("organization");
    case Level::Customer:
        return Tr::tr("end customer");
    case Level::Proxy:
        return Tr::tr("the proxy's budget");
    }
    return {};
}

QString BudgetLimit::levelName() const
{
    switch (level) {
    case Level::TeamMember:
        return Tr::tr("team member");
    case Level::Proxy:
        return Tr::tr("proxy");
    default:
        return levelText();
    }
}

QString BudgetLimit::levelId() const
{
    switch (level) {
    case Level::Key:
        return QStringLiteral("key");
    case Level::User:
        return QStringLiteral("user");
    case Level::TeamMember:
        return QStringLiteral("team_member");
    case Level::Team:
        return QStringLiteral("team");
    case Level::Organization:
        return QStringLiteral("organization");
    case Level::Customer:
        return QStringLiteral("end_customer");
    case Level::Proxy:
        return QStringLiteral("proxy");
    }
    return {};
}

LimitChain keyChain(const BudgetLimit &key, const std::optional<BudgetLimit> &user,
                    const std::optional<BudgetLimit> &member, const std::optional<BudgetLimit> &team,
                    const std::optional<BudgetLimit> &organization,
                    const std::optional<BudgetLimit> &customer, const std::optional<BudgetLimit> &proxy)
{
    LimitChain chain;
    chain.teamKey = team.has_value();
    chain.limits << key;
    if (team) {
        if (member)
            chain.limits << *member;
        chain.limits << *team;
    } else if (user) {
        chain.limits << *user;
    }
    for (const auto &l : {organization, customer, proxy})
        if (l)
            chain.limits << *l;
    return chain;
}

BindingVerdict resolveBinding(const LimitChain &chain, double cost)
{
    BindingVerdict v;
    std::optional<double> least;
    for (int i = 0; i < chain.limits.size(); ++i) {
        const BudgetLimit &l = chain.limits.at(i);
        const auto left = l.remaining();
        if (v.refusing < 0) {
            const bool refuses = l.blocked || (left && (*left <= 0 || (cost > 0 && cost > *left)));
            if (refuses)
                v.refusing = i;
        }
        if (left && (!least || *left < *least)) {
            least = left;
            v.bindsFirst = i;
        }
    }
    if (v.refusing >= 0) {
        const BudgetLimit &l = chain.limits.at(v.refusing);
        if (l.blocked)
            v.explanation = Tr::tr("Refused: the %1 is blocked.").arg(named(l));
        else if (*l.remaining() <= 0)
            v.explanation = Tr::tr("Refused: the %1 has spent %2 of its %3; %4.")
                                .arg(named(l), usd(l.spend), usd(*l.maxBudget), resetText(l));
        else
            v.explanation =
                Tr::tr("A request of %1 would take the %2 past its %3 (%4 left); %5.")
                    .arg(usd(cost), named(l), usd(*l.maxBudget), usd(*l.remaining()), resetText(l));
        return v;
    }
    if (v.bindsFirst < 0) {
        v.explanation = Tr::tr("No budget applies: nothing limits spend here.");
        return v;
    }
    const BudgetLimit &l = chain.limits.at(v.bindsFirst);
    v.explanation = Tr::tr("Requests pass. The %1 will stop them first: %2 left of %3; %4.")
                        .arg(named(l), usd(*l.remaining()), usd(*l.maxBudget), resetText(l));
    return v;
}

} // namespace opsdeck
