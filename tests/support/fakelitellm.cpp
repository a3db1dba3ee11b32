#include "fakelitellm.h"

#include "specroutes.h"

#include <QJsonDocument>
#include <QMap>
#include <QTimeZone>

#include <algorithm>

namespace {
TestReply json(const QJsonValue &v)
{
    return TestReply::json(200, v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                            : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

TestReply detail(int status, const QString &error)
{
    return TestReply::json(status, QJsonDocument(QJsonObject{{QStringLiteral("detail"),
                                                              QJsonObject{{QStringLiteral("error"), error}}}})
                                       .toJson(QJsonDocument::Compact));
}

// The proxy's spend log dates: "2025-11-25 00:00:00" (or a date alone).
QDateTime proxyTime(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (!t.isValid())
        t = QDateTime::fromString(text, QStringLiteral("yyyy-MM-dd"));
    t.setTimeZone(QTimeZone::utc());
    return t;
}
} // namespace

FakeLiteLLM::FakeLiteLLM()
{
    const SpecRoutes spec = SpecRoutes::fromLiteLlmSummary(
        specsDir() + QStringLiteral("/litellm/litellm-proxy-admin-api.summary.yaml"));
    m_server.setSpec(spec);
    m_server.setFallback([this](const TestRequest &request) {
        TestReply reply = answer(request);
        reply.delayMs = m_latencyMs;
        return reply;
    });
}

void FakeLiteLLM::addSpendLogs(int count, const QDateTime &first, const QString &prefix)
{
    const int base = int(m_spendLogs.size());
    for (int i = 0; i < count; ++i) {
        const QDateTime start = first.addSecs(60 * i);
        m_spendLogs << QJsonObject{
            {QStringLiteral("request_id"), QStringLiteral("%1-%2").arg(prefix).arg(base + i)},
            {QStringLiteral("api_key"), QStringLiteral("8f3e")},
            {QStringLiteral("model"), QStringLiteral("gpt-4o")},
            {QStringLiteral("call_type"), QStringLiteral("acompletion")},
            {QStringLiteral("spend"), 0.001 * (base + i)},
            {QStringLiteral("total_tokens"), 100},
            {QStringLiteral("prompt_tokens"), 60},
            {QStringLiteral("completion_tokens"), 40},
            {QStringLiteral("startTime"), start.toString(Qt::ISODateWithMs)},
            {QStringLiteral("endTime"), start.addSecs(2).toString(Qt::ISODateWithMs)},
            {QStringLiteral("user"), QStringLiteral("alice")},
            {QStringLiteral("messages"), QJsonValue()},
            {QStringLiteral("response"), QJsonValue()}};
    }
    std::stable_sort(m_spendLogs.begin(), m_spendLogs.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QLatin1String("startTime")).toString() <
               b.value(QLatin1String("startTime")).toString();
    });
}

void FakeLiteLLM::addModel(const QString &name, const QString &id, const QString &provider)
{
    m_models.append(QJsonObject{
        {QStringLiteral("model_name"), name},
        {QStringLiteral("litellm_params"),
         QJsonObject{{QStringLiteral("model"), provider + QLatin1Char('/') + name}}},
        {QStringLiteral("model_info"), QJsonObject{{QStringLiteral("id"), id},
                                                   {QStringLiteral("db_model"), false},
                                                   {QStringLiteral("litellm_provider"), provider},
                                                   {QStringLiteral("input_cost_per_token"), 3.0e-06},
                                                   {QStringLiteral("output_cost_per_token"), 1.5e-05}}}});
}

TestReply FakeLiteLLM::answer(const TestRequest &request)
{
    if (!m_key.isEmpty() && request.header("Authorization") != "Bearer " + m_key)
        return detail(401, QStringLiteral("Authentication Error, Invalid proxy server token passed."));
    const QString path = request.path();
    const QUrlQuery q = request.query();
    const auto number = [&q](const char *name, int fallback) {
        bool ok = false;
        const int n = q.queryItemValue(QLatin1String(name)).toInt(&ok);
        return ok ? n : fallback;
    };
    if (request.method != "GET")
        return change(request);
    if (path == QLatin1String("/organization/list"))
        return json(m_organizations);
    if (path == QLatin1String("/team/list"))
        return json(m_teams);
    if (path == QLatin1String("/customer/list"))
        return json(m_customers);
    if (path == QLatin1String("/budget/list"))
        return json(m_budgets);
    if (path == QLatin1String("/model/info") || path == QLatin1String("/v1/model/info"))
        return json(QJsonObject{{QStringLiteral("data"), m_models}});
    if (path == QLatin1String("/user/list")) {
        const int page = number("page", 1);
        const int size = number("page_size", 25);
        if (page < 1 || size < 1 || size > 100)
            return detail(422, QStringLiteral("page >= 1 and 1 <= page_size <= 100"));
        QJsonArray users;
        for (qsizetype i = qsizetype(page - 1) * size; i < m_users.size() && i < qsizetype(page) * size; ++i)
            users.append(m_users.at(i));
        return json(QJsonObject{{QStringLiteral("users"), users},
                                {QStringLiteral("total"), int(m_users.size())},
                                {QStringLiteral("page"), page},
                                {QStringLiteral("page_size"), size},
                                {QStringLiteral("total_pages"), int((m_users.size() + size - 1) / size)}});
    }
    if (path == QLatin1String("/key/list")) {
        const int page = number("page", 1);
        const int size = number("size", 10);
        if (page < 1 || size < 1 || size > 100)
            return detail(422, QStringLiteral("page >= 1 and 1 <= size <= 100"));
        const bool full = q.queryItemValue(QStringLiteral("return_full_object")) == QLatin1String("true");
        QJsonArray keys;
        for (qsizetype i = qsizetype(page - 1) * size; i < m_keys.size() && i < qsizetype(page) * size; ++i)
            keys.append(full ? QJsonValue(m_keys.at(i))
                             : QJsonValue(m_keys.at(i).toObject().value(QLatin1String("token"))));
        return json(QJsonObject{{QStringLiteral("keys"), keys},
                                {QStringLiteral("total_count"), int(m_keys.size())},
                                {QStringLiteral("current_page"), page},
                                {QStringLiteral("total_pages"), int((m_keys.size() + size - 1) / size)}});
    }
    if (path == QLatin1String("/spend/logs/v2")) {
        const int page = number("page", 1);
        const int size = number("page_size", 50);
        if (page < 1 || size < 1 || size > 1000)
            return detail(422, QStringLiteral("page >= 1 and 1 <= page_size <= 1000"));
        const QDateTime from = proxyTime(q.queryItemValue(QStringLiteral("start_date")));
        const QDateTime to = proxyTime(q.queryItemValue(QStringLiteral("end_date")));
        QList<QJsonObject> rows;
        for (const QJsonObject &row : m_spendLogs) {
            const QDateTime start =
                QDateTime::fromString(row.value(QLatin1String("startTime")).toString(), Qt::ISODateWithMs);
            if ((!from.isValid() || start >= from) && (!to.isValid() || start <= to))
                rows << row;
        }
        if (q.queryItemValue(QStringLiteral("sort_order")) != QLatin1String("asc"))
            std::reverse(rows.begin(), rows.end()); // desc by default
        QJsonArray data;
        for (qsizetype i = qsizetype(page - 1) * size; i < rows.size() && i < qsizetype(page) * size; ++i)
            data.append(rows.at(i));
        return json(QJsonObject{{QStringLiteral("data"), data},
                                {QStringLiteral("total"), int(rows.size())},
                                {QStringLiteral("page"), page},
                                {QStringLiteral("page_size"), size},
                                {QStringLiteral("total_pages"), int((rows.size() + size - 1) / size)}});
    }
    if (path == QLatin1String("/user/daily/activity") && m_dailyOffered) {
        const int page = number("page", 1);
        const int size = number("page_size", 50);
        if (page < 1 || size < 1 || size > 1000)
            return detail(422, QStringLiteral("page >= 1 and 1 <= page_size <= 1000"));
        const QDate from = QDate::fromString(q.queryItemValue(QStringLiteral("start_date")), Qt::ISODate);
        const QDate to = QDate::fromString(q.queryItemValue(QStringLiteral("end_date")), Qt::ISODate);
        if (!from.isValid() || !to.isValid())
            return detail(400, QStringLiteral("start_date and end_date are required"));
        QMap<QDate, QJsonObject> days;
        for (const QJsonObject &row : m_spendLogs) {
            const QDate day =
                QDateTime::fromString(row.value(QLatin1String("startTime")).toString(), Qt::ISODateWithMs)
                    .toUTC()
                    .date();
            if (day < from || day > to)
                continue;
            QJsonObject m = days.value(day);
            m[QStringLiteral("spend")] =
                m.value(QLatin1String("spend")).toDouble() + row.value(QLatin1String("spend")).toDouble();
            m[QStringLiteral("api_requests")] = m.value(QLatin1String("api_requests")).toInt() + 1;
            m[QStringLiteral("successful_requests")] =
                m.value(QLatin1String("successful_requests")).toInt() + 1;
            m[QStringLiteral("prompt_tokens")] = m.value(QLatin1String("prompt_tokens")).toInt() +
                                                 row.value(QLatin1String("prompt_tokens")).toInt();
            m[QStringLiteral("completion_tokens")] = m.value(QLatin1String("completion_tokens")).toInt() +
                                                     row.value(QLatin1String("completion_tokens")).toInt();
            days.insert(day, m);
        }
        QJsonArray results;
        double total = 0;
        const QList<QDate> keys = days.keys();
        for (qsizetype i = qsizetype(page - 1) * size; i < keys.size() && i < qsizetype(page) * size; ++i) {
            QJsonObject m = days.value(keys.at(i));
            m[QStringLiteral("spend")] =
                m.value(QLatin1String("spend")).toDouble() + m_dailyOffset.value(keys.at(i));
            total += m.value(QLatin1String("spend")).toDouble();
            results.append(QJsonObject{{QStringLiteral("date"), keys.at(i).toString(Qt::ISODate)},
                                       {QStringLiteral("metrics"), m},
                                       {QStringLiteral("breakdown"), QJsonObject()}});
        }
        const int pages = int((keys.size() + size - 1) / size);
        return json(QJsonObject{
            {QStringLiteral("results"), results},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("total_spend"), total},
                                                     {QStringLiteral("page"), page},
                                                     {QStringLiteral("total_pages"), pages},
                                                     {QStringLiteral("has_more"), page < pages}}}});
    }
    return detail(404, QStringLiteral("Not Found"));
}

// The proxy's changes, on its copy: update (a merge: only the fields sent), block and unblock,
// delete. A body the proxy's handler would refuse is refused the same way (the spec check has
// already refused any field the API description does not have).
TestReply FakeLiteLLM::change(const TestRequest &request)
{
    m_changes << request;
    if (m_refuseChanges)
        return detail(400, m_refusal);
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString path = request.path();
    const auto update = [&](QJsonArray &list, const char *idField, const QString &id,
                            const QJsonObject &fields) -> std::optional<QJsonObject> {
        for (int i = 0; i < list.size(); ++i) {
            QJsonObject o = list.at(i).toObject();
            if (o.value(QLatin1String(idField)).toString() != id)
                continue;
            for (auto it = fields.begin(); it != fields.end(); ++it) {
                if (it.key() == QLatin1String(idField))
                    continue;
                // The team and key records have no guardrails field to list them in: kept aside.
                if (it.key() == QLatin1String("guardrails"))
                    m_guardrails.insert(id, it.value().toArray());
                else
                    o.insert(it.key(), it.value());
            }
            list[i] = o;
            return o;
        }
        return std::nullopt;
    };
    const auto softBelowMax = [](const QJsonObject &o) {
        const QJsonValue soft = o.value(QLatin1String("soft_budget"));
        const QJsonValue max = o.value(QLatin1String("max_budget"));
        return soft.isNull() || soft.isUndefined() || max.isNull() || max.isUndefined() ||
               soft.toDouble() < max.toDouble();
    };
    if (path == QLatin1String("/team/update") || path == QLatin1String("/team/block") ||
        path == QLatin1String("/team/unblock")) {
        QJsonObject fields = body;
        if (path != QLatin1String("/team/update"))
            fields = QJsonObject{{QStringLiteral("blocked"), path == QLatin1String("/team/block")}};
        const QString id = body.value(QLatin1String("team_id")).toString();
        QJsonArray before = m_teams;
        const auto team = update(m_teams, "team_id", id, fields);
        if (!team)
            return detail(404, QStringLiteral("Team not found, passed team_id=%1").arg(id));
        if (!softBelowMax(*team)) {
            m_teams = before;
            return detail(400, QStringLiteral("soft_budget must be less than max_budget"));
        }
        return json(*team);
    }
    if (path == QLatin1String("/budget/update")) {
        // BudgetNewRequest with budget_id required; negative amounts are a validation error (400).
        const QString id = body.value(QLatin1String("budget_id")).toString();
        if (id.isEmpty())
            return detail(400, QStringLiteral("budget_id is required"));
        if (body.value(QLatin1String("max_budget")).toDouble() < 0 ||
            body.value(QLatin1String("soft_budget")).toDouble() < 0)
            return detail(400, QStringLiteral("max_budget and soft_budget must be >= 0"));
        const auto budget = update(m_budgets, "budget_id", id, body);
        if (!budget)
            return detail(400, QStringLiteral("Budget %1 not found").arg(id));
        return json(*budget);
    }
    if (path == QLatin1String("/organization/update")) {
        // The body is not declared in the OpenAPI; the summary's notes name organization_id and
        // the flattened budget fields, and negative budgets are refused with 400.
        static const QStringList known = {QStringLiteral("organization_id"), QStringLiteral("max_budget"),
                                          QStringLiteral("soft_budget"), QStringLiteral("models")};
        for (auto it = body.begin(); it != body.end(); ++it)
            if (!known.contains(it.key()))
                return detail(422, QStringLiteral("unexpected field %1").arg(it.key()));
        if (body.value(QLatin1String("max_budget")).toDouble() < 0 ||
            body.value(QLatin1String("soft_budget")).toDouble() < 0)
            return detail(400, QStringLiteral("budget must be >= 0"));
        const QString id = body.value(QLatin1String("organization_id")).toString();
        QJsonObject fields;
        QJsonObject budget;
        for (auto it = body.begin(); it != body.end(); ++it)
            (it.key() == QLatin1String("models") ? fields : budget).insert(it.key(), it.value());
        for (int i = 0; i < m_organizations.size(); ++i) {
            QJsonObject o = m_organizations.at(i).toObject();
            if (o.value(QLatin1String("organization_id")).toString() != id)
                continue;
            QJsonObject table = o.value(QLatin1String("litellm_budget_table")).toObject();
            for (auto it = budget.begin(); it != budget.end(); ++it)
                if (it.key() != QLatin1String("organization_id"))
                    table.insert(it.key(), it.value());
            o.insert(QStringLiteral("litellm_budget_table"), table);
            for (auto it = fields.begin(); it != fields.end(); ++it)
                o.insert(it.key(), it.value());
            m_organizations[i] = o;
            return json(o);
        }
        return detail(404, QStringLiteral("Organization not found"));
    }
    if (path == QLatin1String("/user/update")) {
        const QString id = body.value(QLatin1String("user_id")).toString();
        const auto user = update(m_users, "user_id", id, body);
        return user ? json(*user) : detail(404, QStringLiteral("User not found, passed user_id=%1").arg(id));
    }
    if (path == QLatin1String("/key/update") || path == QLatin1String("/key/block") ||
        path == QLatin1String("/key/unblock")) {
        QJsonObject fields = body;
        fields.remove(QStringLiteral("key"));
        if (path != QLatin1String("/key/update"))
            fields = QJsonObject{{QStringLiteral("blocked"), path == QLatin1String("/key/block")}};
        const QString id = body.value(QLatin1String("key")).toString();
        const auto key = update(m_keys, "token", id, fields);
        return key ? json(*key) : detail(404, QStringLiteral("Key not found: %1").arg(id));
    }
    if (path == QLatin1String("/user/delete")) {
        const QJsonArray ids = body.value(QLatin1String("user_ids")).toArray();
        for (const QJsonValue &id : ids) {
            for (int i = int(m_users.size()) - 1; i >= 0; --i)
                if (m_users.at(i).toObject().value(QLatin1String("user_id")) == id)
                    m_users.removeAt(i);
            for (int i = int(m_keys.size()) - 1; i >= 0; --i)
                if (m_keys.at(i).toObject().value(QLatin1String("user_id")) == id)
                    m_keys.removeAt(i);
        }
        return json(QJsonObject{{QStringLiteral("deleted_users"), ids}});
    }
    if (path == QLatin1String("/key/delete")) {
        const QJsonArray keys = body.value(QLatin1String("keys")).toArray();
        for (const QJsonValue &k : keys)
            for (int i = int(m_keys.size()) - 1; i >= 0; --i)
                if (m_keys.at(i).toObject().value(QLatin1String("token")) == k)
                    m_keys.removeAt(i);
        return json(QJsonObject{{QStringLiteral("deleted_keys"), keys}});
    }
    return detail(405, QStringLiteral("Method Not Allowed"));
}
