// A LiteLLM proxy for tests and benchmarks that answers only the routes and query parameters of
// ../shared/specs/litellm (the spec check records any other request), with the documented shapes:
// organizations, teams, customers and budget plans as lists; users (page/page_size), keys (page/size,
// return_full_object) and spend logs (/spend/logs/v2: page/page_size, start_date/end_date,
// sort_by/sort_order) as pages; the changes (/team/update, /key/block, /user/delete, …) on its own
// copy, with every body checked against the summary's schema. The master key is required as
// "Authorization: Bearer".
#pragma once

#include "testhttpserver.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

class FakeLiteLLM
{
public:
    FakeLiteLLM();
    bool listen() { return m_server.listen(); }
    QUrl url() const { return m_server.url(); }
    TestHttpServer &server() { return m_server; }
    void setMasterKey(const QByteArray &key) { m_key = key; }
    void setLatency(int ms) { m_latencyMs = ms; }
    QStringList violations() const { return m_server.specViolations(); }

    void addOrganization(const QJsonObject &o) { m_organizations.append(o); }
    void addTeam(const QJsonObject &t) { m_teams.append(t); }
    void addUser(const QJsonObject &u) { m_users.append(u); }
    void addKey(const QJsonObject &k) { m_keys.append(k); }
    void addCustomer(const QJsonObject &c) { m_customers.append(c); }
    // A BudgetRow of /budget/list (budget_id, created_at, updated_at and the limits).
    void addBudget(const QJsonObject &b) { m_budgets.append(b); }
    // A deployment of /model/info: model_name, litellm_params {model}, model_info {id, litellm_provider,
    // costs}.
    void addModel(const QString &name, const QString &id, const QString &provider = QStringLiteral("openai"));
    // The guardrails last sent for a team id or key hash (the records do not list them).
    QJsonArray guardrailsOf(const QString &id) const { return m_guardrails.value(id); }
    // count rows from first, one a minute, request ids "<prefix>-<n>", spend 0.001 * n.
    void addSpendLogs(int count, const QDateTime &first, const QString &prefix = QStringLiteral("req"));
    int spendLogCount() const { return int(m_spendLogs.size()); }
    // /user/daily/activity: the spend logs summed per UTC day, as the proxy's daily records are; a
    // day's reported spend can be set off by delta (a proxy whose records and logs disagree), and
    // the route can be absent (404, as on releases without it).
    void offsetDailySpend(const QDate &day, double delta) { m_dailyOffset[day] += delta; }
    void setDailyActivityOffered(bool offered) { m_dailyOffered = offered; }
    // Changes (POST and PATCH): each request kept; refused with the proxy's 400 and this message.
    QList<TestRequest> changes() const { return m_changes; }
    void refuseChanges(const QString &message)
    {
        m_refuseChanges = !message.isEmpty();
        m_refusal = message;
    }
    QJsonArray teams() const { return m_teams; }
    QJsonArray keys() const { return m_keys; }

private:
    TestReply answer(const TestRequest &request);
    TestReply change(const TestRequest &request);
    TestHttpServer m_server;
    QByteArray m_key;
    int m_latencyMs = 0;
    QJsonArray m_organizations;
    QJsonArray m_teams;
    QJsonArray m_users;
    QJsonArray m_keys;
    QJsonArray m_customers;
    QJsonArray m_budgets;
    QList<QJsonObject> m_spendLogs; // in start time order
    QHash<QDate, double> m_dailyOffset;
    bool m_dailyOffered = true;
    QJsonArray m_models;
    QHash<QString, QJsonArray> m_guardrails;
    QList<TestRequest> m_changes;
    bool m_refuseChanges = false;
    QString m_refusal;
};
