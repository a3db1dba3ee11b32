// The demo's budgets: services/store/demoworkspace.h, seedBudgets().
#include "models/budgets/budgetpolicy.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/budgets/budgetalerts.h"
#include "services/budgets/spendlogstore.h"
#include "services/store/demoworkspace.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

#include <cmath>

namespace opsdeck::DemoWorkspace {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DemoWorkspace)
};

// A budget as a share of the last 30 days' spend: 1.08 → spent 1/1.08 of it (near), 0.95 → over.
// 0: no budget.
struct Org
{
    const char *id, *alias;
    double use;
};
struct Team
{
    const char *id, *alias, *org;
    double use;
    const char *models;
    bool blocked;
};
struct User
{
    const char *id, *alias, *email, *org;
    double use;
};
struct Member
{
    const char *team, *user, *role;
    double use;
};
struct Key
{
    const char *alias, *user, *team;
    double perDay; // dollars a day
    const char *models;
    double use;
    bool blocked;
};
struct Customer
{
    const char *id, *alias;
    double spend, use;
    bool blocked;
};

const Org orgs[] = {
    {"org-research", "Research", 0.97}, {"org-product", "Product", 0.55}, {"org-support", "Support", 1.06}};
const Team teams[] = {
    {"team-ml", "ml-platform", "org-research", 0.93,
     "[\"gpt-4o\",\"claude-3-5-sonnet\",\"text-embedding-3-small\"]", false},
    {"team-nlp", "nlp", "org-research", 0.6, "[\"gpt-4o-mini\",\"llama-3.1-70b\"]", false},
    {"team-web", "web", "org-product", 0.72, "[\"gpt-4o-mini\",\"gpt-4o\"]", false},
    {"team-mobile", "mobile", "org-product", 0.35, "[\"gpt-4o-mini\"]", false},
    {"team-growth", "growth-experiments", "org-product", 0.82, "[\"gpt-4o\",\"claude-3-5-sonnet\"]", true},
    {"team-helpdesk", "helpdesk-bots", "org-support", 1.04, "[\"gpt-4o-mini\",\"claude-3-5-sonnet\"]", false},
    {"team-sre", "platform-sre", "", 0, "[]", false},
};
const User users[] = {
    {"u-alice", "Alice Moreau", "alice@acme.example", "org-research", 0},
    {"u-bob", "Bob Tanaka", "bob@acme.example", "org-research", 0},
    {"u-carol", "Carol Diaz", "carol@acme.example", "org-product", 0.4},
    {"u-dave", "Dave Okafor", "dave@acme.example", "org-product", 0},
    {"u-erin", "Erin Walsh", "erin@acme.example", "org-support", 0},
    {"u-frank", "Frank Ito", "frank@acme.example", "", 0.96},
    {"u-grace", "Grace Lee", "grace@acme.example", "", 0},
};
const Member members[] = {
    {"team-ml", "u-alice", "admin", 1.03}, {"team-ml", "u-bob", "user", 0.5},
    {"team-nlp", "u-bob", "admin", 0},     {"team-web", "u-carol", "admin", 0.7},
    {"team-web", "u-dave", "user", 0},     {"team-mobile", "u-dave", "admin", 0},
    {"team-growth", "u-carol", "user", 0}, {"team-helpdesk", "u-erin", "admin", 0},
};
const Key keys[] = {
    {"ml-training-ci", "u-alice", "team-ml", 38, "[]", 0, false},
    {"alice-notebook", "u-alice", "team-ml", 9, "[]", 0.9, false},
    {"ml-eval-batch", "u-bob", "team-ml", 14, "[]", 0, false},
    {"nlp-eval", "u-bob", "team-nlp", 11, "[]", 0.5, false},
    {"web-frontend-prod", "", "team-web", 21, "[\"gpt-4o-mini\"]", 0, false},
    {"web-staging", "u-carol", "team-web", 4, "[]", 0.8, false},
    {"mobile-app", "u-dave", "team-mobile", 6, "[]", 0, false},
    {"growth-ab", "u-carol", "team-growth", 12, "[]", 0, false},
    {"growth-legacy", "", "team-growth", 1.5, "[]", 0, true},
    {"helpdesk-router", "u-erin", "team-helpdesk", 17, "[]", 0, false},
    {"sre-oncall", "", "team-sre", 3.5, "[]", 0, false},
    {"frank-personal", "u-frank", "", 1.2, "[]", 0.98, false},
    {"grace-sandbox", "u-grace", "", 0.4, "[]", 0, false},
    {"service-batch", "", "", 2.5, "[]", 0, false},
};
const Customer customers[] = {
    {"cust-acme-retail", "Acme Retail", 120.40, 0.4, false},
    {"cust-globex", "Globex", 212.75, 1.06, false},
    {"cust-initech", "Initech", 18.20, 0.2, true},
};
const char *const modelMix[] = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "text-embedding-3-small",
                                "llama-3.1-70b"};

QString tokenOf(const char *alias)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArray("demo-key-") + alias, QCryptographicHash::Sha256).toHex());
}

QVariant budget(double spend, double use)
{
    if (use <= 0)
        return QVariant(QMetaType(QMetaType::Double));
    return std::round(spend / use / 10.0) * 10.0 + 10.0 * (use > 1 ? -1 : 0);
}

Result<void> exec(QSqlQuery &q, const QVariantList &values)
{
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i).typeId() == QMetaType::QString && values.at(i).toString().isNull()
                           ? QVariant(QStringLiteral(""))
                           : values.at(i));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Writing the demo budgets"));
    return {};
}
} // namespace

namespace {
// The proxy's models, the workspace's copy of its budget policies (every scope; team web differs
// from its policy on the proxy), groups, credits factors and an overflow ledger with open and
// settled entries; and the guardrails Opsdeck applied to every team but web.
Result<void> seedPolicies(QSqlDatabase db, const QDateTime &now, qint64 connectionId,
                          const QDateTime &periodEnd)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT name FROM connections WHERE id = ?"));
    q.addBindValue(connectionId);
    if (!q.exec() || !q.next())
        return Database::describe(q.lastError(), Tr::tr("Writing the demo policies"));
    const QString connection = q.value(0).toString();
    const QString at = now.addDays(-9).toUTC().toString(Qt::ISODateWithMs);
    const auto run = [&q](const QString &sql, const QVariantList &values) -> Result<void> {
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Writing the demo policies"));
        return {};
    };
    const char *const providers[] = {"openai", "openai", "anthropic", "openai", "meta_llama"};
    for (int i = 0; i < 5; ++i)
        if (auto r = run(
                QStringLiteral("INSERT INTO litellm_models (connection_id, model_id, model_name, provider, "
                               "input_cost, output_cost) VALUES (?,?,?,?,?,?)"),
                {connectionId, QStringLiteral("deploy-%1").arg(i + 1), QLatin1String(modelMix[i]),
                 QLatin1String(providers[i]), 2.5e-06 * (i + 1), 1.0e-05 * (i + 1)});
            !r)
            return r;
    const struct Policy
    {
        const char *scope, *id, *item, *value, *comment;
    } policies[] = {
        {"organization", "org-research", "models",
         R"(["claude-3-5-sonnet","gpt-4o","gpt-4o-mini","llama-3.1-70b","text-embedding-3-small"])",
         "every model research evaluates"},
        {"organization", "org-research", "guardrails", R"(["pii-masking"])", "customer data in prompts"},
        {"organization", "org-research", "create_agents", "true", ""},
        {"organization", "org-product", "models", R"(["gpt-4o","gpt-4o-mini"])",
         "the approved product models"},
        {"organization", "org-product", "guardrails", R"(["pii-masking","prompt-injection"])",
         "public-facing"},
        {"organization", "org-product", "image_generation", "false", "not in the product contract"},
        {"organization", "org-support", "create_connections", "false", "support uses the shared router"},
        {"group", "product-apps", "image_generation", "true", "apps may generate images (pilot)"},
        {"group", "research-core", "guardrails", R"(["pii-masking","toxicity"])", ""},
        {"team", "team-ml", "models", R"(["claude-3-5-sonnet","gpt-4o","text-embedding-3-small"])",
         "training and evaluation"},
        {"team", "team-web", "models", R"(["gpt-4o-mini"])", "cost: the mini model only since November"},
        {"team", "team-nlp", "models", R"(["gpt-4o-mini","llama-3.1-70b"])", "the open-weights comparison"},
        {"team", "team-mobile", "models", R"(["gpt-4o-mini"])", "the app's one model"},
        {"team", "team-growth", "models", R"(["claude-3-5-sonnet","gpt-4o"])", "A/B tests of both vendors"},
        {"user", "u-alice", "models", R"(["*"])", "model evaluations"},
        {"user", "u-carol", "create_connections", "false", ""},
    };
    for (const Policy &p : policies)
        if (auto r =
                run(QStringLiteral("INSERT INTO workspace_budget_policies (connection, scope_kind, scope_id, "
                                   "item, value, comment, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?)"),
                    {connection, QLatin1String(p.scope), QLatin1String(p.id), QLatin1String(p.item),
                     QLatin1String(p.value), QLatin1String(p.comment), QStringLiteral("alice"), at});
            !r)
            return r;
    for (const auto &[team, group] :
         {std::pair{"team-ml", "research-core"}, std::pair{"team-nlp", "research-core"},
          std::pair{"team-web", "product-apps"}, std::pair{"team-mobile", "product-apps"}})
        if (auto r =
                run(QStringLiteral("INSERT INTO workspace_budget_groups (connection, team_id, group_name, "
                                   "updated_by, updated_at) VALUES (?,?,?,?,?)"),
                    {connection, QLatin1String(team), QLatin1String(group), QStringLiteral("alice"), at});
            !r)
            return r;
    for (const auto &[org, factor, comment] :
         {std::tuple{"org-research", 1.0, "internal rate"},
          std::tuple{"org-product", 1.25, "includes the platform's overhead"},
          std::tuple{"org-support", 0.8, "support contract discount"}})
        if (auto r = run(
                QStringLiteral("INSERT INTO workspace_budget_credits (connection, organization_id, factor, "
                               "comment, updated_by, updated_at) VALUES (?,?,?,?,?,?)"),
                {connection, QLatin1String(org), factor, QLatin1String(comment), QStringLiteral("alice"),
                 at});
            !r)
            return r;
    // The guardrails applied from here: every team's policy but web's, which drifts on its models.
    const auto views = loadPolicyViews(db);
    if (!views)
        return views.error();
    for (const PolicyView &v : views.value()) {
        if (v.connectionId != connectionId)
            continue;
        for (const PolicyDrift &d : v.drift())
            if (d.target.kind == QLatin1String("team") && d.guardrails.set)
                if (auto r = run(
                        QStringLiteral("INSERT INTO litellm_applied_guardrails (connection_id, target_kind, "
                                       "target_id, guardrails, applied_at) VALUES (?,?,?,?,?)"),
                        {connectionId, QStringLiteral("team"), d.target.id,
                         QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(d.guardrails.values))
                                               .toJson(QJsonDocument::Compact)),
                         toStoredTime(now.addDays(-9))});
                    !r)
                    return r;
    }
    // The ledger: this month's overflow of Research as the last sync saw it (open), and earlier
    // periods, settled and not.
    if (!q.exec(QStringLiteral("SELECT organization_id, spend, max_budget FROM litellm_organizations WHERE "
                               "connection_id = %1 AND max_budget IS NOT NULL AND spend > max_budget")
                    .arg(connectionId)))
        return Database::describe(q.lastError(), Tr::tr("Writing the demo policies"));
    struct Entry
    {
        QString org;
        int monthsAgo;
        double budget, spend, settled;
        const char *reference, *comment;
    };
    QList<Entry> entries;
    while (q.next())
        entries.append({q.value(0).toString(), 0, q.value(2).toDouble(), q.value(1).toDouble(), 0, "", ""});
    entries.append({QStringLiteral("org-research"), 1, 1250, 1391.20, 141.20, "INV-2026-1107",
                    "charged with the November invoice"});
    entries.append({QStringLiteral("org-product"), 1, 900, 968.45, 0, "", ""});
    entries.append(
        {QStringLiteral("org-support"), 2, 700, 745.10, 45.10, "CN-0931", "waived: the router loop"});
    int id = 0;
    for (const Entry &e : entries) {
        const QDateTime end = periodEnd.addMonths(-e.monthsAgo);
        const bool settled = e.settled > 0;
        if (auto r =
                run(QStringLiteral("INSERT INTO workspace_budget_overflow (id, connection, organization_id, "
                                   "period_start, period_end, budget, spend, overflow, settled_amount, "
                                   "reference, comment, settled_by, settled_at, recorded_at) VALUES "
                                   "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
                    {++id, connection, e.org, end.addMonths(-1).toString(Qt::ISODateWithMs),
                     end.toString(Qt::ISODateWithMs), e.budget, e.spend, e.spend - e.budget, e.settled,
                     QLatin1String(e.reference), QLatin1String(e.comment),
                     settled ? QStringLiteral("alice") : QStringLiteral(""),
                     settled ? end.addDays(6).toString(Qt::ISODateWithMs) : QStringLiteral(""),
                     end.addMonths(-1).addDays(20).toString(Qt::ISODateWithMs)});
            !r)
            return r;
    }
    return {};
}
} // namespace

Result<void> seedBudgets(QSqlDatabase db, const QDateTime &now, qint64 connectionId)
{
    if (connectionId == 0)
        return {};
    // Three months of requests, the same every run; a few days stand out (the anomalies).
    QRandomGenerator random(20261203);
    const QDate today = now.toUTC().date();
    const QDateTime monthAgo = now.addDays(-30);
    QList<SpendLogRow> logs;
    QHash<QString, double> keySpend; // by alias, last 30 days
    QHash<QString, double> userTeamSpend;
    QHash<QString, double> userSpend;
    QHash<QString, double> teamSpend;
    const struct Spike
    {
        const char *key;
        int daysAgo;
        double factor;
    } spikes[] = {{"ml-training-ci", 12, 7.5},
                  {"helpdesk-router", 5, 5.0},
                  {"web-frontend-prod", 33, 6.0},
                  {"growth-ab", 58, 9.0}};
    int serial = 0;
    for (int day = 90; day >= 0; --day) {
        const QDate date = today.addDays(-day);
        const bool weekend = date.dayOfWeek() >= 6;
        for (const Key &k : keys) {
            double daily = k.perDay * (weekend ? 0.45 : 1.0) * (0.8 + 0.4 * random.generateDouble());
            for (const Spike &s : spikes)
                if (s.daysAgo == day && qstrcmp(s.key, k.alias) == 0)
                    daily *= s.factor;
            const int requests = 6 + int(daily * 0.9) + int(random.bounded(6));
            for (int r = 0; r < requests; ++r) {
                SpendLogRow row;
                row.requestId = QStringLiteral("demo-%1").arg(++serial, 7, 10, QLatin1Char('0'));
                row.apiKey = tokenOf(k.alias);
                row.model = QLatin1String(modelMix[(qHash(QLatin1String(k.alias)) + r % 3) % 5]);
                row.callType = row.model.startsWith(QLatin1String("text-embedding"))
                                   ? QStringLiteral("aembedding")
                                   : QStringLiteral("acompletion");
                row.spend = std::round(daily / requests * (0.6 + 0.8 * random.generateDouble()) * 1e6) / 1e6;
                row.promptTokens = 200 + random.bounded(3000);
                row.completionTokens =
                    row.callType == QLatin1String("aembedding") ? 0 : 50 + random.bounded(900);
                row.totalTokens = row.promptTokens + row.completionTokens;
                const int secondOfDay = int(random.bounded(
                    day == 0 ? qMax(1, now.toUTC().time().msecsSinceStartOfDay() / 1000) : 86400));
                row.startTime = QDateTime(date, QTime(0, 0), QTimeZone::utc()).addSecs(secondOfDay);
                row.endTime = row.startTime.addMSecs(400 + random.bounded(9000));
                row.user = QLatin1String(k.user);
                logs << row;
                if (row.startTime >= monthAgo) {
                    keySpend[QLatin1String(k.alias)] += row.spend;
                    userSpend[QLatin1String(k.user)] += row.spend;
                    teamSpend[QLatin1String(k.team)] += row.spend;
                    userTeamSpend[QLatin1String(k.team) + QLatin1Char('/') + QLatin1String(k.user)] +=
                        row.spend;
                }
            }
        }
    }
    if (auto r = SpendLogStore::store(db, connectionId, logs); !r)
        return r.error();
    // The proxy's own daily totals, which the Spend tab reconciles with: they agree.
    {
        QSqlQuery daily(db);
        if (!daily.exec(QStringLiteral("INSERT INTO litellm_daily_spend (connection_id, day, spend, "
                                       "api_requests, successful_requests, "
                                       "prompt_tokens, completion_tokens) SELECT connection_id, "
                                       "substr(start_time, 1, 10), SUM(spend), "
                                       "COUNT(*), COUNT(*), SUM(prompt_tokens), SUM(completion_tokens) FROM "
                                       "litellm_spend_logs WHERE "
                                       "connection_id = %1 GROUP BY substr(start_time, 1, 10)")
                            .arg(connectionId)))
            return Database::describe(daily.lastError(), Tr::tr("Writing the demo budgets"));
        daily.prepare(
            QStringLiteral("INSERT INTO litellm_proxy_state (connection_id, daily_activity, checked_at) "
                           "VALUES (?, 1, ?)"));
        daily.addBindValue(connectionId);
        daily.addBindValue(toStoredTime(now.addSecs(-12 * 60)));
        if (!daily.exec())
            return Database::describe(daily.lastError(), Tr::tr("Writing the demo budgets"));
    }

    const QString synced = toStoredTime(now.addSecs(-12 * 60));
    // Monthly budgets reset on the 1st; weekly ones on Monday (UTC, the proxy's default zone).
    const QDate firstNext = QDate(today.year(), today.month(), 1).addMonths(1);
    const QString monthly = toStoredTime(QDateTime(firstNext, QTime(0, 0), QTimeZone::utc()));
    const QString weekly =
        toStoredTime(QDateTime(today.addDays(8 - today.dayOfWeek()), QTime(0, 0), QTimeZone::utc()));
    QSqlQuery q(db);
    QHash<QString, double> orgSpend;
    for (const Team &t : teams)
        orgSpend[QLatin1String(t.org)] += teamSpend.value(QLatin1String(t.id));
    q.prepare(QStringLiteral(
        "INSERT INTO litellm_organizations (connection_id, organization_id, alias, budget_id, "
        "spend, max_budget, soft_budget, budget_duration, budget_reset_at, tpm_limit, rpm_limit, "
        "models, synced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const Org &o : orgs) {
        const double spend = orgSpend.value(QLatin1String(o.id));
        const QVariant max = budget(spend, o.use);
        if (auto r =
                exec(q, {connectionId, QLatin1String(o.id), QLatin1String(o.alias),
                         QStringLiteral("budget-") + QLatin1String(o.id), spend, max, max.toDouble() * 0.8,
                         QStringLiteral("1mo"), monthly, 2000000, 5000, QStringLiteral("[]"), synced});
            !r)
            return r;
    }
    // Each account's limits are a budget plan of its own (as /organization/new makes them), and one
    // plan for a pilot that no one is on yet.
    QSqlQuery plan(db);
    plan.prepare(QStringLiteral(
        "INSERT INTO litellm_budgets (connection_id, budget_id, max_budget, soft_budget, budget_duration, "
        "budget_reset_at, tpm_limit, rpm_limit, tpd_limit, created_at, updated_at, synced_at) VALUES "
        "(?,?,?,?,?,?,?,?,?,?,?,?)"));
    const QString created = toStoredTime(now.addDays(-200));
    for (const Org &o : orgs) {
        const QVariant max = budget(orgSpend.value(QLatin1String(o.id)), o.use);
        if (auto r = exec(plan, {connectionId, QStringLiteral("budget-") + QLatin1String(o.id), max,
                                 max.toDouble() * 0.8, QStringLiteral("1mo"), monthly, 2000000, 5000,
                                 QVariant(QMetaType(QMetaType::LongLong)), created, created, synced});
            !r)
            return r;
    }
    if (auto r = exec(plan, {connectionId, QStringLiteral("pilot-7d"), 50.0, 40.0, QStringLiteral("7d"),
                             weekly, 100000, 60, 1000000, created, toStoredTime(now.addDays(-3)), synced});
        !r)
        return r;
    q.prepare(QStringLiteral(
        "INSERT INTO litellm_teams (connection_id, team_id, alias, organization_id, spend, "
        "max_budget, soft_budget, budget_duration, budget_reset_at, tpm_limit, rpm_limit, models, "
        "blocked, synced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const Team &t : teams) {
        const double spend = teamSpend.value(QLatin1String(t.id));
        const QVariant max = budget(spend, t.use);
        const bool budgeted = !max.isNull();
        if (auto r = exec(q, {connectionId, QLatin1String(t.id), QLatin1String(t.alias), QLatin1String(t.org),
                              spend, max, budgeted ? QVariant(max.toDouble() * 0.9) : max,
                              budgeted ? QStringLiteral("30d") : QString(), budgeted ? monthly : QString(),
                              budgeted ? QVariant(500000) : QVariant(QMetaType(QMetaType::LongLong)),
                              budgeted ? QVariant(1000) : QVariant(QMetaType(QMetaType::LongLong)),
                              QLatin1String(t.models), t.blocked ? 1 : 0, synced});
            !r)
            return r;
    }
    q.prepare(
        QStringLiteral("INSERT INTO litellm_team_members (connection_id, team_id, user_id, role, spend, "
                       "max_budget, budget_duration, budget_reset_at) VALUES (?,?,?,?,?,?,?,?)"));
    for (const Member &m : members) {
        const double spend =
            userTeamSpend.value(QLatin1String(m.team) + QLatin1Char('/') + QLatin1String(m.user));
        const QVariant max = budget(spend, m.use);
        if (auto r = exec(
                q, {connectionId, QLatin1String(m.team), QLatin1String(m.user), QLatin1String(m.role), spend,
                    max, max.isNull() ? QString() : QStringLiteral("7d"), max.isNull() ? QString() : weekly});
            !r)
            return r;
    }
    q.prepare(QStringLiteral(
        "INSERT INTO litellm_users (connection_id, user_id, alias, email, role, organization_id, "
        "teams, spend, max_budget, soft_budget, budget_duration, budget_reset_at, tpm_limit, "
        "rpm_limit, models, key_count, synced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const User &u : users) {
        QStringList memberOf;
        for (const Member &m : members)
            if (qstrcmp(m.user, u.id) == 0)
                memberOf << QStringLiteral("\"%1\"").arg(QLatin1String(m.team));
        int keyCount = 0;
        for (const Key &k : keys)
            keyCount += qstrcmp(k.user, u.id) == 0 ? 1 : 0;
        const double spend = userSpend.value(QLatin1String(u.id));
        const QVariant max = budget(spend, u.use);
        if (auto r = exec(q, {connectionId, QLatin1String(u.id), QLatin1String(u.alias),
                              QLatin1String(u.email), QStringLiteral("internal_user"), QLatin1String(u.org),
                              QLatin1Char('[') + memberOf.join(QLatin1Char(',')) + QLatin1Char(']'), spend,
                              max, QVariant(QMetaType(QMetaType::Double)),
                              max.isNull() ? QString() : QStringLiteral("1mo"),
                              max.isNull() ? QString() : monthly, QVariant(QMetaType(QMetaType::LongLong)),
                              max.isNull() ? QVariant(QMetaType(QMetaType::LongLong)) : QVariant(60),
                              QStringLiteral("[]"), keyCount, synced});
            !r)
            return r;
    }
    q.prepare(
        QStringLiteral("INSERT INTO litellm_keys (connection_id, token, key_name, alias, user_id, team_id, "
                       "organization_id, spend, max_budget, soft_budget, budget_duration, budget_reset_at, "
                       "tpm_limit, rpm_limit, models, blocked, expires_at, synced_at) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const Key &k : keys) {
        const QString token = tokenOf(k.alias);
        QString org;
        for (const Team &t : teams)
            if (qstrcmp(t.id, k.team) == 0)
                org = QLatin1String(t.org);
        const double spend = keySpend.value(QLatin1String(k.alias));
        const QVariant max = budget(spend, k.use);
        if (auto r =
                exec(q, {connectionId, token, QStringLiteral("sk-...") + token.right(4),
                         QLatin1String(k.alias), QLatin1String(k.user), QLatin1String(k.team), org, spend,
                         max, QVariant(QMetaType(QMetaType::Double)),
                         max.isNull() ? QString() : QStringLiteral("1mo"), max.isNull() ? QString() : monthly,
                         QVariant(QMetaType(QMetaType::LongLong)), QVariant(QMetaType(QMetaType::LongLong)),
                         QLatin1String(k.models), k.blocked ? 1 : 0, QString(), synced});
            !r)
            return r;
    }
    q.prepare(QStringLiteral(
        "INSERT INTO litellm_customers (connection_id, customer_id, alias, blocked, spend, "
        "max_budget, budget_duration, budget_reset_at, synced_at) VALUES (?,?,?,?,?,?,?,?,?)"));
    for (const Customer &c : customers) {
        const QVariant max = budget(c.spend, c.use);
        if (auto r = exec(q, {connectionId, QLatin1String(c.id), QLatin1String(c.alias), c.blocked ? 1 : 0,
                              c.spend, max, QStringLiteral("1mo"), monthly, synced});
            !r)
            return r;
    }
    // Soft-limit alerts: ml-platform alerts at 75, 90 and 100 %; every other budget at 50, 80, 100 %.
    // The last sync raised them; the 50 % ones have been seen.
    if (auto r = BudgetAlerts::setThresholds(db, connectionId, QStringLiteral("team"),
                                             QStringLiteral("team-ml"), {75, 90, 100}, now.addDays(-20));
        !r)
        return r;
    const auto raised = BudgetAlerts::raise(db, connectionId, now.addSecs(-12 * 60));
    if (!raised)
        return raised.error();
    QList<qint64> seen;
    for (const BudgetAlert &a : raised.value())
        if (a.percent == 50)
            seen << a.id;
    if (auto r = BudgetAlerts::acknowledge(db, seen, now.addSecs(-5 * 60)); !r)
        return r;
    if (auto r = seedPolicies(db, now, connectionId, QDateTime(firstNext, QTime(0, 0), QTimeZone::utc())); !r)
        return r;
    return ConnectionStore::recordSuccess(db, connectionId, QStringLiteral("budgets"), now.addSecs(-12 * 60));
}

} // namespace opsdeck::DemoWorkspace
