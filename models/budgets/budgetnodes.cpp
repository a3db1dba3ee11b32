// The budget tree's nodes read from the cache: models/budgets/budgettree.h, loadBudgetNodes().
#include "models/budgets/budgetreset.h"
#include "models/budgets/budgettree.h"
#include "models/connections/connectionstore.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetTreeModel)
};

std::optional<double> amount(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<double>(v.toDouble());
}

std::optional<qint64> limit(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

QStringList list(const QVariant &v)
{
    QStringList out;
    const QJsonArray array = QJsonDocument::fromJson(v.toString().toUtf8()).array();
    for (const QJsonValue &item : array)
        out << item.toString();
    return out;
}

// The proxy's own reset time when it has set one; otherwise the next one its cadence gives.
QDateTime nextReset(const QString &stored, const QString &duration, const QDateTime &now)
{
    const QDateTime at = fromStoredTime(stored);
    if (at.isValid())
        return at;
    const auto cadence = parseBudgetDuration(duration);
    return cadence ? nextBudgetReset(cadence.value(), now) : QDateTime();
}

QString nameOf(const QString &alias, const QString &id)
{
    return alias.isEmpty() ? id : alias;
}

void settle(BudgetNode &n)
{
    n.state = budgetState(n.spend, n.maxBudget, n.softBudget, n.blocked);
}
} // namespace

Result<QList<BudgetNode>> loadBudgetNodes(QSqlDatabase db, const QDateTime &now)
{
    QList<BudgetNode> out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    const auto failed = [&q](const QString &what) {
        return Database::describe(q.lastError(), what);
    };
    if (!q.exec(QStringLiteral("SELECT id, name FROM connections WHERE kind = 'litellm' ORDER BY name, id")))
        return failed(Tr::tr("Reading the LiteLLM connections"));
    QList<std::pair<qint64, QString>> proxies;
    while (q.next())
        proxies.append({q.value(0).toLongLong(), q.value(1).toString()});
    for (const auto &[cid, proxyName] : proxies) {
        const QString base = QStringLiteral("p%1").arg(cid);
        const auto bind = [&q, cid = cid](const QString &sql) {
            q.prepare(sql);
            q.addBindValue(cid);
            return q.exec();
        };
        BudgetNode proxy;
        proxy.key = base;
        proxy.kind = BudgetNode::Kind::Proxy;
        proxy.connectionId = cid;
        proxy.name = proxyName;
        if (!bind(QStringLiteral("SELECT COALESCE(SUM(spend), 0) FROM litellm_keys WHERE connection_id = ?")))
            return failed(Tr::tr("Reading the proxy's keys"));
        if (q.next())
            proxy.spend = q.value(0).toDouble();
        settle(proxy);
        out << proxy;

        // The alert thresholds (schema 20): a budget's own, else the proxy's for every budget, else 50, 80,
        // 100.
        QHash<QString, QList<int>> own;
        QList<int> every = {50, 80, 100};
        if (!bind(QStringLiteral("SELECT target_kind, target_id, percents FROM budget_thresholds WHERE "
                                 "connection_id = ?")))
            return failed(Tr::tr("Reading the alert thresholds"));
        while (q.next()) {
            QList<int> percents;
            for (const QString &p : q.value(2).toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
                percents << p.toInt();
            if (q.value(0).toString() == QLatin1String("*"))
                every = percents;
            else
                own.insert(q.value(0).toString() + QLatin1Char('/') + q.value(1).toString(), percents);
        }
        out.last().thresholds = every;
        out.last().ownThresholds = true; // the proxy's are what it sets
        const auto alertAt = [&own, &every](BudgetNode &n, const char *kind) {
            const QString key = QLatin1String(kind) + QLatin1Char('/') + n.id;
            n.ownThresholds = own.contains(key);
            n.thresholds = n.maxBudget ? own.value(key, every) : QList<int>();
        };

        QSet<QString> orgs;
        if (!bind(QStringLiteral(
                "SELECT organization_id, alias, spend, max_budget, soft_budget, budget_duration, "
                "budget_reset_at, tpm_limit, rpm_limit, models FROM litellm_organizations "
                "WHERE connection_id = ?")))
            return failed(Tr::tr("Reading the proxy's organizations"));
        while (q.next()) {
            BudgetNode n;
            n.kind = BudgetNode::Kind::Organization;
            n.connectionId = cid;
            n.id = q.value(0).toString();
            n.key = base + QStringLiteral("/o/") + n.id;
            n.parentKey = base;
            n.name = nameOf(q.value(1).toString(), n.id);
            n.spend = q.value(2).toDouble();
            n.maxBudget = amount(q.value(3));
            n.softBudget = amount(q.value(4));
            n.duration = q.value(5).toString();
            n.nextReset = nextReset(q.value(6).toString(), n.duration, now);
            n.tpmLimit = limit(q.value(7));
            n.rpmLimit = limit(q.value(8));
            n.models = list(q.value(9));
            settle(n);
            alertAt(n, "organization");
            orgs.insert(n.id);
            out << n;
        }
        const auto orgParent = [&](const QString &orgId) {
            return orgs.contains(orgId) ? base + QStringLiteral("/o/") + orgId : base;
        };

        QSet<QString> teams;
        if (!bind(QStringLiteral("SELECT team_id, alias, organization_id, spend, max_budget, soft_budget, "
                                 "budget_duration, budget_reset_at, tpm_limit, rpm_limit, models, blocked "
                                 "FROM litellm_teams WHERE connection_id = ?")))
            return failed(Tr::tr("Reading the proxy's teams"));
        while (q.next()) {
            BudgetNode n;
            n.kind = BudgetNode::Kind::Team;
            n.connectionId = cid;
            n.id = q.value(0).toString();
            n.key = base + QStringLiteral("/t/") + n.id;
            n.parentKey = orgParent(q.value(2).toString());
            n.name = nameOf(q.value(1).toString(), n.id);
            n.spend = q.value(3).toDouble();
            n.maxBudget = amount(q.value(4));
            n.softBudget = amount(q.value(5));
            n.duration = q.value(6).toString();
            n.nextReset = nextReset(q.value(7).toString(), n.duration, now);
            n.tpmLimit = limit(q.value(8));
            n.rpmLimit = limit(q.value(9));
            n.models = list(q.value(10));
            n.blocked = q.value(11).toInt() != 0;
            settle(n);
            alertAt(n, "team");
            teams.insert(n.id);
            out << n;
        }

        // Users first (their names are the members' names), written out after the members.
        QHash<QString, BudgetNode> users;
        QStringList userOrder;
        if (!bind(QStringLiteral(
                "SELECT user_id, alias, email, organization_id, spend, max_budget, soft_budget, "
                "budget_duration, budget_reset_at, tpm_limit, rpm_limit, models FROM "
                "litellm_users WHERE connection_id = ?")))
            return failed(Tr::tr("Reading the proxy's users"));
        while (q.next()) {
            BudgetNode n;
            n.kind = BudgetNode::Kind::User;
            n.connectionId = cid;
            n.id = q.value(0).toString();
            n.key = base + QStringLiteral("/u/") + n.id;
            n.parentKey = orgParent(q.value(3).toString());
            n.detail = q.value(2).toString();
            n.name = nameOf(q.value(1).toString(), n.detail.isEmpty() ? n.id : n.detail);
            n.spend = q.value(4).toDouble();
            n.maxBudget = amount(q.value(5));
            n.softBudget = amount(q.value(6));
            n.duration = q.value(7).toString();
            n.nextReset = nextReset(q.value(8).toString(), n.duration, now);
            n.tpmLimit = limit(q.value(9));
            n.rpmLimit = limit(q.value(10));
            n.models = list(q.value(11));
            settle(n);
            alertAt(n, "user");
            users.insert(n.id, n);
            userOrder << n.id;
        }

        QSet<QString> members; // "team/user"
        if (!bind(QStringLiteral("SELECT team_id, user_id, role, spend, max_budget, budget_duration, "
                                 "budget_reset_at FROM litellm_team_members WHERE connection_id = ?")))
            return failed(Tr::tr("Reading the proxy's team members"));
        while (q.next()) {
            const QString team = q.value(0).toString();
            if (!teams.contains(team))
                continue;
            BudgetNode n;
            n.kind = BudgetNode::Kind::Member;
            n.connectionId = cid;
            n.id = q.value(1).toString();
            n.teamId = team;
            n.key = base + QStringLiteral("/t/") + team + QStringLiteral("/m/") + n.id;
            n.parentKey = base + QStringLiteral("/t/") + team;
            n.name = users.contains(n.id) ? users.value(n.id).name : n.id;
            n.detail = q.value(2).toString(); // the member's role in the team
            n.spend = q.value(3).toDouble();
            n.maxBudget = amount(q.value(4));
            n.duration = q.value(5).toString();
            n.nextReset = nextReset(q.value(6).toString(), n.duration, now);
            settle(n);
            members.insert(team + QLatin1Char('/') + n.id);
            out << n;
        }
        for (const QString &id : std::as_const(userOrder))
            out << users.value(id);

        if (!bind(QStringLiteral(
                "SELECT token, key_name, alias, user_id, team_id, spend, max_budget, soft_budget, "
                "budget_duration, budget_reset_at, tpm_limit, rpm_limit, models, blocked "
                "FROM litellm_keys WHERE connection_id = ?")))
            return failed(Tr::tr("Reading the proxy's keys"));
        while (q.next()) {
            BudgetNode n;
            n.kind = BudgetNode::Kind::Key;
            n.connectionId = cid;
            n.id = q.value(0).toString();
            n.key = base + QStringLiteral("/k/") + n.id;
            n.detail = q.value(1).toString();
            n.name = nameOf(q.value(2).toString(), n.detail.isEmpty() ? n.id.left(12) : n.detail);
            const QString user = q.value(3).toString();
            const QString team = q.value(4).toString();
            if (teams.contains(team))
                n.parentKey = members.contains(team + QLatin1Char('/') + user)
                                  ? base + QStringLiteral("/t/") + team + QStringLiteral("/m/") + user
                                  : base + QStringLiteral("/t/") + team;
            else if (users.contains(user))
                n.parentKey = base + QStringLiteral("/u/") + user;
            else
                n.parentKey = base;
            n.teamId = team;
            n.spend = q.value(5).toDouble();
            n.maxBudget = amount(q.value(6));
            n.softBudget = amount(q.value(7));
            n.duration = q.value(8).toString();
            n.nextReset = nextReset(q.value(9).toString(), n.duration, now);
            n.tpmLimit = limit(q.value(10));
            n.rpmLimit = limit(q.value(11));
            n.models = list(q.value(12));
            n.blocked = q.value(13).toInt() != 0;
            settle(n);
            alertAt(n, "key");
            out << n;
        }

        if (!bind(QStringLiteral("SELECT customer_id, alias, blocked, spend, max_budget, budget_duration, "
                                 "budget_reset_at FROM litellm_customers WHERE connection_id = ?")))
            return failed(Tr::tr("Reading the proxy's end customers"));
        bool group = false;
        while (q.next()) {
            if (!group) {
                BudgetNode g;
                g.kind = BudgetNode::Kind::Customers;
                g.connectionId = cid;
                g.key = base + QStringLiteral("/c");
                g.parentKey = base;
                g.name = Tr::tr("End customers");
                out << g;
                group = true;
            }
            BudgetNode n;
            n.kind = BudgetNode::Kind::Customer;
            n.connectionId = cid;
            n.id = q.value(0).toString();
            n.key = base + QStringLiteral("/c/") + n.id;
            n.parentKey = base + QStringLiteral("/c");
            n.name = nameOf(q.value(1).toString(), n.id);
            n.blocked = q.value(2).toInt() != 0;
            n.spend = q.value(3).toDouble();
            n.maxBudget = amount(q.value(4));
            n.duration = q.value(5).toString();
            n.nextReset = nextReset(q.value(6).toString(), n.duration, now);
            settle(n);
            out << n;
        }
        if (group) {
            // The group's spend is its customers'.
            double total = 0;
            int at = -1;
            for (int i = int(out.size()) - 1; i >= 0 && out.at(i).connectionId == cid; --i) {
                if (out.at(i).kind == BudgetNode::Kind::Customer)
                    total += out.at(i).spend;
                else if (out.at(i).kind == BudgetNode::Kind::Customers)
                    at = i;
            }
            if (at >= 0)
                out[at].spend = total;
        }

        // The budget plans (/budget/list), each with who is on it: its spend is theirs, and it all
        // returns to zero at the plan's next reset.
        struct OnPlan
        {
            QString who;
            double spend = 0;
        };
        QHash<QString, QList<OnPlan>> onPlan;
        q.prepare(QStringLiteral(
            "SELECT budget_id, 0, COALESCE(NULLIF(alias, ''), organization_id), spend FROM "
            "litellm_organizations "
            "WHERE connection_id = ? AND budget_id <> '' "
            "UNION ALL SELECT budget_id, 1, COALESCE(NULLIF(alias, ''), NULLIF(key_name, ''), token), spend "
            "FROM litellm_keys WHERE connection_id = ? AND budget_id <> '' "
            "UNION ALL SELECT budget_id, 2, COALESCE(NULLIF(alias, ''), customer_id), spend FROM "
            "litellm_customers "
            "WHERE connection_id = ? AND budget_id <> '' ORDER BY 1, 2, 3"));
        for (int i = 0; i < 3; ++i)
            q.addBindValue(cid);
        if (!q.exec())
            return failed(Tr::tr("Reading who is on the proxy's budget plans"));
        while (q.next()) {
            const int kind = q.value(1).toInt();
            const QString name = q.value(2).toString();
            onPlan[q.value(0).toString()].append({kind == 0   ? Tr::tr("account %1").arg(name)
                                                  : kind == 1 ? Tr::tr("key %1").arg(name)
                                                              : Tr::tr("end customer %1").arg(name),
                                                  q.value(3).toDouble()});
        }
        if (!bind(
                QStringLiteral("SELECT budget_id, max_budget, soft_budget, budget_duration, budget_reset_at, "
                               "tpm_limit, rpm_limit FROM litellm_budgets WHERE connection_id = ?")))
            return failed(Tr::tr("Reading the proxy's budget plans"));
        bool plans = false;
        while (q.next()) {
            if (!plans) {
                BudgetNode g;
                g.kind = BudgetNode::Kind::Plans;
                g.connectionId = cid;
                g.key = base + QStringLiteral("/b");
                g.parentKey = base;
                g.name = Tr::tr("Budget plans");
                out << g;
                plans = true;
            }
            BudgetNode n;
            n.kind = BudgetNode::Kind::Plan;
            n.connectionId = cid;
            n.id = q.value(0).toString();
            n.key = base + QStringLiteral("/b/") + n.id;
            n.parentKey = base + QStringLiteral("/b");
            n.name = n.id;
            n.maxBudget = amount(q.value(1));
            n.softBudget = amount(q.value(2));
            n.duration = q.value(3).toString();
            n.nextReset = nextReset(q.value(4).toString(), n.duration, now);
            n.tpmLimit = limit(q.value(5));
            n.rpmLimit = limit(q.value(6));
            QStringList who;
            for (const OnPlan &p : onPlan.value(n.id)) {
                who << p.who;
                n.spend += p.spend;
            }
            n.detail = who.isEmpty() ? Tr::tr("no one is on it")
                                     : Tr::tr("for %1").arg(who.join(QStringLiteral(", ")));
            out << n; // a plan's limits apply to each one on it: no state of its own
        }
    }
    // The accounts' credits factors (the workspace's copy, schema 21), for them and all under them.
    QHash<QString, double> factors; // "<connection id>/<organization id>"
    if (!q.exec(QStringLiteral("SELECT c.id, b.organization_id, b.factor FROM workspace_budget_credits b "
                               "JOIN connections c ON c.name = b.connection AND c.kind = 'litellm'")))
        return failed(Tr::tr("Reading the credits factors"));
    while (q.next())
        factors.insert(QStringLiteral("%1/%2").arg(q.value(0).toLongLong()).arg(q.value(1).toString()),
                       q.value(2).toDouble());
    if (!factors.isEmpty()) {
        QHash<QString, double> byKey; // parents come before their children
        for (BudgetNode &n : out) {
            if (n.kind == BudgetNode::Kind::Organization) {
                const QString at = QStringLiteral("%1/%2").arg(n.connectionId).arg(n.id);
                if (factors.contains(at))
                    n.creditsFactor = factors.value(at);
            } else if (byKey.contains(n.parentKey)) {
                n.creditsFactor = byKey.value(n.parentKey);
            }
            if (n.creditsFactor)
                byKey.insert(n.key, *n.creditsFactor);
        }
    }
    return out;
}

} // namespace opsdeck
