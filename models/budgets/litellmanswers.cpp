#include "models/budgets/litellmanswers.h"

#include "models/core/jsonanswer.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTimeZone>

#include <cmath>
#include <functional>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::LiteLLMAnswers)
};

constexpr int maxItems = 100000; // a list or page longer than this is not an answer
constexpr int maxText = 512;     // ids, aliases, emails, model names

const QString source = QStringLiteral("The LiteLLM proxy's answer");

Error schema(const QString &what)
{
    return makeError("litellm.schema",
                     Tr::tr("%1 does not have the documented shape: %2.").arg(source, what));
}

// Reads the fields of one object, keeping the first problem.
class Fields
{
public:
    Fields(const QJsonObject &o, QString what) : m_o(o), m_what(std::move(what)) {}
    bool ok() const { return !m_error; }
    Error error() const { return *m_error; }

    QString text(const char *key, bool required = false)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isNull() || v.isUndefined()) {
            if (required)
                fail(Tr::tr("%1 has no \"%2\"").arg(m_what, QLatin1String(key)));
            return {};
        }
        if (!v.isString() || v.toString().size() > maxText) {
            fail(Tr::tr("%1's \"%2\" is not a text of at most %3 characters")
                     .arg(m_what, QLatin1String(key))
                     .arg(maxText));
            return {};
        }
        if (required && v.toString().isEmpty())
            fail(Tr::tr("%1's \"%2\" is empty").arg(m_what, QLatin1String(key)));
        return v.toString();
    }

    std::optional<double> money(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isNull() || v.isUndefined())
            return std::nullopt;
        if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < 0 || v.toDouble() > 1.0e15) {
            fail(Tr::tr("%1's \"%2\" is not an amount of dollars").arg(m_what, QLatin1String(key)));
            return std::nullopt;
        }
        return v.toDouble();
    }

    std::optional<qint64> count(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isNull() || v.isUndefined())
            return std::nullopt;
        // BigInt columns may come as decimal strings (BudgetListItem's note).
        bool ok = v.isDouble();
        double d = v.toDouble();
        if (v.isString())
            d = v.toString().toDouble(&ok);
        if (!ok || !std::isfinite(d) || d < 0 || d > 9.0e15 || d != std::floor(d)) {
            fail(Tr::tr("%1's \"%2\" is not a whole number").arg(m_what, QLatin1String(key)));
            return std::nullopt;
        }
        return qint64(d);
    }

    bool flag(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isNull() || v.isUndefined())
            return false;
        if (!v.isBool()) {
            fail(Tr::tr("%1's \"%2\" is not true or false").arg(m_what, QLatin1String(key)));
            return false;
        }
        return v.toBool();
    }

    QDateTime time(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isNull() || v.isUndefined())
            return {};
        QDateTime t;
        if (v.isString()) {
            const QString s = v.toString();
            t = QDateTime::fromString(s, Qt::ISODateWithMs);
            if (!t.isValid()) // "2025-11-25 10:00:00", as the proxy's logs write it
                t = QDateTime::fromString(s.left(19), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
            if (t.isValid() && t.timeSpec() == Qt::LocalTime)
                t.setTimeZone(QTimeZone::utc());
        }
        if (!t.isValid()) {
            fail(Tr::tr("%1's \"%2\" is not a date and time").arg(m_what, QLatin1String(key)));
            return {};
        }
        return t.toUTC();
    }

    QStringList strings(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isNull() || v.isUndefined())
            return {};
        if (!v.isArray() || v.toArray().size() > maxItems) {
            fail(Tr::tr("%1's \"%2\" is not a list").arg(m_what, QLatin1String(key)));
            return {};
        }
        QStringList out;
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString() || item.toString().size() > maxText) {
                fail(
                    Tr::tr("%1's \"%2\" holds something that is not a name").arg(m_what, QLatin1String(key)));
                return {};
            }
            out << item.toString();
        }
        return out;
    }

    QJsonArray objects(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isNull() || v.isUndefined())
            return {};
        if (!v.isArray() || v.toArray().size() > maxItems) {
            fail(Tr::tr("%1's \"%2\" is not a list").arg(m_what, QLatin1String(key)));
            return {};
        }
        for (const QJsonValue &item : v.toArray())
            if (!item.isObject()) {
                fail(Tr::tr("%1's \"%2\" holds something that is not an object")
                         .arg(m_what, QLatin1String(key)));
                return {};
            }
        return v.toArray();
    }

    QJsonObject object(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isNull() || v.isUndefined())
            return {};
        if (!v.isObject())
            fail(Tr::tr("%1's \"%2\" is not an object").arg(m_what, QLatin1String(key)));
        return v.toObject();
    }

    LiteLLMBudget budget()
    {
        LiteLLMBudget b;
        b.maxBudget = money("max_budget");
        b.softBudget = money("soft_budget");
        b.duration = text("budget_duration");
        b.resetAt = time("budget_reset_at");
        b.tpmLimit = count("tpm_limit");
        b.rpmLimit = count("rpm_limit");
        return b;
    }

    void fail(const QString &what)
    {
        if (!m_error)
            m_error = schema(what);
    }
    void keep(const Fields &other)
    {
        if (!other.ok() && !m_error)
            m_error = other.error();
    }

private:
    QJsonObject m_o;
    QString m_what;
    std::optional<Error> m_error;
};

Result<QJsonArray> listOf(const QByteArray &body, const QString &what)
{
    const auto list = jsonArrayAnswer(body, source, "litellm.schema");
    if (!list)
        return list.error();
    if (list->size() > maxItems)
        return schema(Tr::tr("more than %1 %2").arg(maxItems).arg(what));
    for (const QJsonValue &v : list.value())
        if (!v.isObject())
            return schema(Tr::tr("an item of the %1 is not an object").arg(what));
    return list.value();
}

// A page: {<items>: [...], total, page, page_size, total_pages} (or the key list's names), each
// item an object read by one.
template<typename T>
Result<LiteLLMPage<T>> pageOf(const QByteArray &body, const char *items, const char *total, const char *page,
                              const char *pages, const QString &what, std::function<Result<T>(Fields &)> one)
{
    const auto o = jsonObjectAnswer(body, source, "litellm.schema");
    if (!o)
        return o.error();
    Fields f(o.value(), Tr::tr("the page"));
    LiteLLMPage<T> p;
    p.total = f.count(total).value_or(0);
    p.page = int(qMin<qint64>(f.count(page).value_or(1), 1000000));
    p.totalPages = int(qMin<qint64>(f.count(pages).value_or(1), 1000000));
    if (!o->value(QLatin1String(items)).isArray())
        f.fail(Tr::tr("the page has no list \"%1\"").arg(QLatin1String(items)));
    if (!f.ok())
        return f.error();
    const QJsonArray list = o->value(QLatin1String(items)).toArray();
    if (list.size() > maxItems)
        return schema(Tr::tr("more than %1 %2 on a page").arg(maxItems).arg(what));
    for (const QJsonValue &v : list) {
        if (!v.isObject())
            return schema(Tr::tr("an item of the %1 is not an object").arg(what));
        Fields item(v.toObject(), what);
        auto read = one(item);
        if (!read)
            return read.error();
        if (!item.ok())
            return item.error();
        p.items << read.value();
    }
    return p;
}

LiteLLMMember member(const QJsonObject &o, Fields &parent, const QString &what)
{
    Fields f(o, what);
    LiteLLMMember m;
    m.userId = f.text("user_id");
    if (m.userId.isEmpty())
        m.userId = f.text("user_email");
    if (m.userId.isEmpty())
        f.fail(Tr::tr("%1 has neither \"user_id\" nor \"user_email\"").arg(what));
    m.role = f.text(o.contains(QLatin1String("user_role")) ? "user_role" : "role");
    m.spend = f.money("spend").value_or(0);
    const QJsonObject budget = f.object("litellm_budget_table");
    Fields b(budget, what);
    m.budget = b.budget();
    f.keep(b);
    parent.keep(f);
    return m;
}
} // namespace

Result<QList<LiteLLMOrganization>> parseLiteLLMOrganizations(const QByteArray &body)
{
    const auto list = listOf(body, Tr::tr("organizations"));
    if (!list)
        return list.error();
    QList<LiteLLMOrganization> out;
    for (const QJsonValue &v : list.value()) {
        const QJsonObject o = v.toObject();
        Fields f(o, Tr::tr("an organization"));
        LiteLLMOrganization org;
        org.id = f.text("organization_id", true);
        org.alias = f.text("organization_alias");
        org.budgetId = f.text("budget_id");
        org.spend = f.money("spend").value_or(0);
        org.models = f.strings("models");
        Fields b(f.object("litellm_budget_table"), Tr::tr("organization %1's budget").arg(org.id));
        org.budget = b.budget();
        f.keep(b);
        for (const QJsonValue &m : f.objects("members"))
            org.members << member(m.toObject(), f, Tr::tr("a member of organization %1").arg(org.id));
        for (const QJsonValue &t : f.objects("teams")) {
            Fields team(t.toObject(), Tr::tr("a team of organization %1").arg(org.id));
            org.teamIds << team.text("team_id", true);
            f.keep(team);
        }
        if (!f.ok())
            return f.error();
        out << org;
    }
    return out;
}

Result<QList<LiteLLMTeam>> parseLiteLLMTeams(const QByteArray &body)
{
    const auto list = listOf(body, Tr::tr("teams"));
    if (!list)
        return list.error();
    QList<LiteLLMTeam> out;
    for (const QJsonValue &v : list.value()) {
        Fields f(v.toObject(), Tr::tr("a team"));
        LiteLLMTeam t;
        t.id = f.text("team_id", true);
        t.alias = f.text("team_alias");
        t.organizationId = f.text("organization_id");
        t.spend = f.money("spend").value_or(0);
        t.models = f.strings("models");
        t.blocked = f.flag("blocked");
        t.budget = f.budget();
        for (const QJsonValue &m : f.objects("members_with_roles"))
            t.members << member(m.toObject(), f, Tr::tr("a member of team %1").arg(t.id));
        if (!f.ok())
            return f.error();
        out << t;
    }
    return out;
}

Result<LiteLLMPage<LiteLLMUser>> parseLiteLLMUsers(const QByteArray &body)
{
    return pageOf<LiteLLMUser>(
        body, "users", "total", "page", "total_pages", Tr::tr("users"), [](Fields &f) -> Result<LiteLLMUser> {
            LiteLLMUser u;
            u.id = f.text("user_id", true);
            u.alias = f.text("user_alias");
            u.email = f.text("user_email");
            u.role = f.text("user_role");
            u.organizationId = f.text("organization_id");
            u.teams = f.strings("teams");
            u.spend = f.money("spend").value_or(0);
            u.models = f.strings("models");
            u.budget = f.budget();
            u.keyCount = int(qMin<qint64>(f.count("key_count").value_or(0), 1000000000));
            return u;
        });
}

Result<LiteLLMPage<LiteLLMKey>> parseLiteLLMKeys(const QByteArray &body)
{
    // Keys as plain strings (return_full_object=false) are items that are not objects: refused.
    return pageOf<LiteLLMKey>(body, "keys", "total_count", "current_page", "total_pages",
                              Tr::tr("keys (ask with return_full_object=true)"),
                              [](Fields &f) -> Result<LiteLLMKey> {
                                  LiteLLMKey k;
                                  k.token = f.text("token", true);
                                  k.keyName = f.text("key_name");
                                  k.alias = f.text("key_alias");
                                  k.userId = f.text("user_id");
                                  k.teamId = f.text("team_id");
                                  k.organizationId = f.text("org_id");
                                  k.spend = f.money("spend").value_or(0);
                                  k.models = f.strings("models");
                                  k.blocked = f.flag("blocked");
                                  k.expires = f.time("expires");
                                  k.budget = f.budget();
                                  k.budgetId = f.text("budget_id");
                                  return k;
                              });
}

Result<QList<LiteLLMCustomer>> parseLiteLLMCustomers(const QByteArray &body)
{
    const auto list = listOf(body, Tr::tr("customers"));
    if (!list)
        return list.error();
    QList<LiteLLMCustomer> out;
    for (const QJsonValue &v : list.value()) {
        Fields f(v.toObject(), Tr::tr("a customer"));
        LiteLLMCustomer c;
        c.id = f.text("user_id", true);
        c.alias = f.text("alias");
        if (!v.toObject().value(QLatin1String("blocked")).isBool())
            f.fail(Tr::tr("customer %1 has no \"blocked\"").arg(c.id));
        c.blocked = f.flag("blocked");
        c.spend = f.money("spend").value_or(0);
        c.budgetId = f.text("budget_id");
        Fields b(f.object("litellm_budget_table"), Tr::tr("customer %1's budget").arg(c.id));
        c.budget = b.budget();
        f.keep(b);
        if (!f.ok())
            return f.error();
        out << c;
    }
    return out;
}

Result<LiteLLMPage<SpendLogRow>> parseSpendLogs(const QByteArray &body)
{
    return pageOf<SpendLogRow>(body, "data", "total", "page", "total_pages", Tr::tr("spend logs"),
                               [](Fields &f) -> Result<SpendLogRow> {
                                   SpendLogRow r;
                                   r.requestId = f.text("request_id", true);
                                   r.apiKey = f.text("api_key");
                                   r.model = f.text("model");
                                   r.callType = f.text("call_type");
                                   r.spend = f.money("spend").value_or(0);
                                   r.totalTokens = f.count("total_tokens").value_or(0);
                                   r.promptTokens = f.count("prompt_tokens").value_or(0);
                                   r.completionTokens = f.count("completion_tokens").value_or(0);
                                   r.startTime = f.time("startTime");
                                   r.endTime = f.time("endTime");
                                   r.user = f.text("user");
                                   if (!r.startTime.isValid())
                                       f.fail(Tr::tr("spend log %1 has no \"startTime\"").arg(r.requestId));
                                   return r;
                               });
}

Result<LiteLLMPage<DailyActivity>> parseDailyActivity(const QByteArray &body)
{
    const auto o = jsonObjectAnswer(body, source, "litellm.schema");
    if (!o)
        return o.error();
    Fields f(o.value(), Tr::tr("the daily activity"));
    const QJsonObject metadata = f.object("metadata");
    Fields m(metadata, Tr::tr("the daily activity's metadata"));
    LiteLLMPage<DailyActivity> p;
    p.page = int(qMin<qint64>(m.count("page").value_or(1), 1000000));
    p.totalPages = int(qMin<qint64>(m.count("total_pages").value_or(1), 1000000));
    if (!o->value(QLatin1String("results")).isArray())
        f.fail(Tr::tr("the daily activity has no list \"results\""));
    if (!f.ok())
        return f.error();
    if (!m.ok())
        return m.error();
    const QJsonArray list = o->value(QLatin1String("results")).toArray();
    if (list.size() > maxItems)
        return schema(Tr::tr("more than %1 days on a page of daily activity").arg(maxItems));
    QSet<QDate> seen;
    for (const QJsonValue &v : list) {
        if (!v.isObject())
            return schema(Tr::tr("a day of the daily activity is not an object"));
        Fields day(v.toObject(), Tr::tr("a day of the daily activity"));
        DailyActivity d;
        const QString date = day.text("date", true);
        d.date = QDate::fromString(date, Qt::ISODate);
        if (day.ok() && !d.date.isValid())
            return schema(
                Tr::tr("the daily activity's date \"%1\" is not a day (YYYY-MM-DD)").arg(date.left(40)));
        if (!v.toObject().value(QLatin1String("metrics")).isObject())
            day.fail(Tr::tr("the daily activity of %1 has no \"metrics\"").arg(date.left(40)));
        if (!day.ok())
            return day.error();
        Fields metrics(v.toObject().value(QLatin1String("metrics")).toObject(),
                       Tr::tr("the metrics of %1").arg(date));
        d.spend = metrics.money("spend").value_or(0);
        d.apiRequests = metrics.count("api_requests").value_or(0);
        d.successfulRequests = metrics.count("successful_requests").value_or(0);
        d.failedRequests = metrics.count("failed_requests").value_or(0);
        d.promptTokens = metrics.count("prompt_tokens").value_or(0);
        d.completionTokens = metrics.count("completion_tokens").value_or(0);
        if (!metrics.ok())
            return metrics.error();
        if (seen.contains(d.date))
            return schema(Tr::tr("the daily activity lists %1 twice").arg(date));
        seen.insert(d.date);
        p.items << d;
    }
    p.total = p.items.size();
    return p;
}

Result<QList<ModelDeployment>> parseModelInfo(const QByteArray &body)
{
    const auto o = jsonObjectAnswer(body, source, "litellm.schema");
    if (!o)
        return o.error();
    if (!o->value(QLatin1String("data")).isArray())
        return schema(Tr::tr("the model info has no list \"data\""));
    const QJsonArray list = o->value(QLatin1String("data")).toArray();
    if (list.size() > maxItems)
        return schema(Tr::tr("more than %1 model deployments").arg(maxItems));
    QList<ModelDeployment> out;
    QSet<QString> ids;
    for (const QJsonValue &v : list) {
        if (!v.isObject())
            return schema(Tr::tr("a model deployment is not an object"));
        Fields f(v.toObject(), Tr::tr("a model deployment"));
        ModelDeployment d;
        d.modelName = f.text("model_name", true);
        if (!v.toObject().value(QLatin1String("litellm_params")).isObject())
            f.fail(Tr::tr("model %1 has no \"litellm_params\"").arg(d.modelName.left(80)));
        if (!v.toObject().value(QLatin1String("model_info")).isObject())
            f.fail(Tr::tr("model %1 has no \"model_info\"").arg(d.modelName.left(80)));
        if (!f.ok())
            return f.error();
        Fields info(v.toObject().value(QLatin1String("model_info")).toObject(),
                    Tr::tr("the model info of %1").arg(d.modelName.left(80)));
        d.id = info.text("id", true);
        d.provider = info.text("litellm_provider");
        d.inputCostPerToken = info.money("input_cost_per_token");
        d.outputCostPerToken = info.money("output_cost_per_token");
        if (!info.ok())
            return info.error();
        if (ids.contains(d.id))
            return schema(Tr::tr("the model info lists deployment %1 twice").arg(d.id.left(80)));
        ids.insert(d.id);
        out << d;
    }
    return out;
}

Result<QList<LiteLLMBudgetPlan>> parseBudgetPlans(const QByteArray &body)
{
    const auto list = listOf(body, Tr::tr("budgets"));
    if (!list)
        return list.error();
    QList<LiteLLMBudgetPlan> out;
    QSet<QString> ids;
    for (const QJsonValue &v : list.value()) {
        Fields f(v.toObject(), Tr::tr("a budget"));
        LiteLLMBudgetPlan p;
        p.id = f.text("budget_id", true);
        p.budget = f.budget();
        p.tpdLimit = f.count("tpd_limit");
        p.createdAt = f.time("created_at");
        p.updatedAt = f.time("updated_at");
        if (f.ok() && (!p.createdAt.isValid() || !p.updatedAt.isValid()))
            f.fail(Tr::tr("budget %1 has no \"created_at\" or \"updated_at\"").arg(p.id.left(80)));
        if (!f.ok())
            return f.error();
        if (ids.contains(p.id))
            return schema(Tr::tr("the budget list holds budget %1 twice").arg(p.id.left(80)));
        ids.insert(p.id);
        out << p;
    }
    return out;
}

} // namespace opsdeck
