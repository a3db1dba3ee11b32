#include "models/budgets/budgetchain.h"

#include "models/budgets/budgetreset.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetChain)
};

struct Rows
{
    QSqlDatabase db;
    qint64 connectionId;
    QDateTime now;

    // The rows of table matching where (with ? for the connection first, then args), as records.
    Result<QList<QSqlRecord>> select(const QString &table, const QString &where,
                                     const QVariantList &args) const
    {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT * FROM %1 WHERE connection_id = ? AND (%2)").arg(table, where));
        q.addBindValue(connectionId);
        for (const QVariant &a : args)
            q.addBindValue(a);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Reading the budgets"));
        QList<QSqlRecord> out;
        while (q.next())
            out << q.record();
        return out;
    }
    std::optional<QSqlRecord> one(const QString &table, const QString &column, const QString &value) const
    {
        if (value.isEmpty())
            return std::nullopt;
        const auto rows = select(table, column + QStringLiteral(" = ?"), {value});
        if (!rows || rows->isEmpty())
            return std::nullopt;
        return rows->first();
    }

    BudgetLimit limit(BudgetLimit::Level level, const QSqlRecord &r, const QString &name) const
    {
        BudgetLimit l;
        l.level = level;
        l.name = name;
        l.spend = r.value(QStringLiteral("spend")).toDouble();
        const QVariant max = r.value(QStringLiteral("max_budget"));
        if (!max.isNull())
            l.maxBudget = max.toDouble();
        if (r.contains(QStringLiteral("soft_budget")) && !r.value(QStringLiteral("soft_budget")).isNull())
            l.softBudget = r.value(QStringLiteral("soft_budget")).toDouble();
        if (r.contains(QStringLiteral("blocked")))
            l.blocked = r.value(QStringLiteral("blocked")).toInt() != 0;
        l.resetAt = fromStoredTime(r.value(QStringLiteral("budget_reset_at")).toString());
        if (!l.resetAt.isValid()) {
            const auto cadence = parseBudgetDuration(r.value(QStringLiteral("budget_duration")).toString());
            if (cadence)
                l.resetAt = nextBudgetReset(cadence.value(), now);
        }
        return l;
    }
};

QString aliasOr(const QSqlRecord &r, const char *idColumn)
{
    const QString alias = r.value(QStringLiteral("alias")).toString();
    return alias.isEmpty() ? r.value(QLatin1String(idColumn)).toString() : alias;
}

Error unknown(const QString &what)
{
    return makeError("budgets.unknown", what);
}
} // namespace

Result<SubjectChain> loadLimitChain(QSqlDatabase db, qint64 connectionId, const BudgetSubject &s,
                                    const QDateTime &now)
{
    const Rows rows{db, connectionId, now};
    SubjectChain out;
    std::optional<BudgetLimit> key, user, member, team, organization, customer;
    QString teamId, userId, orgId;

    if (s.kind == BudgetSubject::Kind::Key) {
        const auto found =
            rows.select(QStringLiteral("litellm_keys"),
                        QStringLiteral("alias = ? OR key_name = ? OR token = ?"), {s.id, s.id, s.id});
        if (!found)
            return found.error();
        if (found->isEmpty())
            return unknown(
                Tr::tr("The cache has no key with the alias, abbreviation or hash \"%1\".").arg(s.id));
        if (found->size() > 1)
            return makeError("budgets.ambiguous",
                             Tr::tr("\"%1\" names %2 keys; give the key's abbreviation or hash instead.")
                                 .arg(s.id)
                                 .arg(found->size()));
        const QSqlRecord &k = found->first();
        const QString keyName = k.value(QStringLiteral("key_name")).toString();
        const QString alias = k.value(QStringLiteral("alias")).toString();
        key = rows.limit(BudgetLimit::Level::Key, k, alias.isEmpty() ? keyName : alias);
        out.subject =
            alias.isEmpty() ? Tr::tr("key %1").arg(keyName) : Tr::tr("key %1 (%2)").arg(alias, keyName);
        teamId = k.value(QStringLiteral("team_id")).toString();
        userId = k.value(QStringLiteral("user_id")).toString();
        orgId = k.value(QStringLiteral("organization_id")).toString();
    } else if (s.kind == BudgetSubject::Kind::Team) {
        const auto found = rows.select(QStringLiteral("litellm_teams"),
                                       QStringLiteral("team_id = ? OR alias = ?"), {s.id, s.id});
        if (!found)
            return found.error();
        if (found->isEmpty())
            return unknown(Tr::tr("The cache has no team with the id or alias \"%1\".").arg(s.id));
        if (found->size() > 1)
            return makeError(
                "budgets.ambiguous",
                Tr::tr("\"%1\" names %2 teams; give the team's id instead.").arg(s.id).arg(found->size()));
        teamId = found->first().value(QStringLiteral("team_id")).toString();
        out.subject = Tr::tr("team %1").arg(aliasOr(found->first(), "team_id"));
    } else if (s.kind == BudgetSubject::Kind::User) {
        const auto u = rows.one(QStringLiteral("litellm_users"), QStringLiteral("user_id"), s.id);
        if (!u)
            return unknown(Tr::tr("The cache has no user \"%1\".").arg(s.id));
        userId = s.id;
        orgId = u->value(QStringLiteral("organization_id")).toString();
        out.subject = Tr::tr("user %1").arg(aliasOr(*u, "user_id"));
    } else {
        teamId = s.teamId;
        userId = s.id;
    }

    std::optional<QSqlRecord> teamRow =
        rows.one(QStringLiteral("litellm_teams"), QStringLiteral("team_id"), teamId);
    if (!teamId.isEmpty() && !teamRow && s.kind != BudgetSubject::Kind::Key)
        return unknown(Tr::tr("The cache has no team \"%1\".").arg(teamId));
    if (teamRow) {
        team = rows.limit(BudgetLimit::Level::Team, *teamRow, aliasOr(*teamRow, "team_id"));
        if (orgId.isEmpty())
            orgId = teamRow->value(QStringLiteral("organization_id")).toString();
        if (!userId.isEmpty()) {
            const auto m = rows.select(QStringLiteral("litellm_team_members"),
                                       QStringLiteral("team_id = ? AND user_id = ?"), {teamId, userId});
            if (!m)
                return m.error();
            const auto u = rows.one(QStringLiteral("litellm_users"), QStringLiteral("user_id"), userId);
            const QString who = u ? aliasOr(*u, "user_id") : userId;
            if (!m->isEmpty())
                member = rows.limit(BudgetLimit::Level::TeamMember, m->first(),
                                    Tr::tr("%1 in %2").arg(who, team->name));
            else if (s.kind == BudgetSubject::Kind::Member)
                return unknown(Tr::tr("The cache has no member \"%1\" in team %2.").arg(userId, team->name));
            if (s.kind == BudgetSubject::Kind::Member)
                out.subject = Tr::tr("%1 in team %2").arg(who, team->name);
        }
    }
    if (!userId.isEmpty() && !teamRow) {
        if (const auto u = rows.one(QStringLiteral("litellm_users"), QStringLiteral("user_id"), userId)) {
            user = rows.limit(BudgetLimit::Level::User, *u, aliasOr(*u, "user_id"));
            if (orgId.isEmpty())
                orgId = u->value(QStringLiteral("organization_id")).toString();
        }
    }
    if (const auto o =
            rows.one(QStringLiteral("litellm_organizations"), QStringLiteral("organization_id"), orgId))
        organization = rows.limit(BudgetLimit::Level::Organization, *o, aliasOr(*o, "organization_id"));
    if (!s.customerId.isEmpty()) {
        const auto c =
            rows.one(QStringLiteral("litellm_customers"), QStringLiteral("customer_id"), s.customerId);
        if (!c)
            return unknown(Tr::tr("The cache has no end customer \"%1\".").arg(s.customerId));
        customer = rows.limit(BudgetLimit::Level::Customer, *c, aliasOr(*c, "customer_id"));
    }

    switch (s.kind) {
    case BudgetSubject::Kind::Key:
        out.chain = keyChain(*key, user, member, team, organization, customer, std::nullopt);
        break;
    case BudgetSubject::Kind::User:
    case BudgetSubject::Kind::Team:
    case BudgetSubject::Kind::Member:
        out.chain.teamKey = team.has_value();
        for (const auto &l : {member, user, team, organization, customer})
            if (l)
                out.chain.limits << *l;
        break;
    }
    return out;
}

} // namespace opsdeck
