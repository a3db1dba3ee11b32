// LiteLLM proxy admin answers -> domain types, pure (../shared/specs/litellm/): organizations,
// teams with their members, a page of users, a page of keys (never more of a key than the proxy
// shows: its hash, alias and the key_name prefix), end customers, and a page of spend logs. Every
// figure is checked (finite, not negative), every id and alias bounded; an answer that is not of the
// documented shape is "litellm.schema" with what is wrong, and nothing of it is kept.
#pragma once

#include "models/core/result.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace opsdeck {

// The budget fields every level shares (LiteLLM_BudgetTable and the same columns on a team, user or key).
struct LiteLLMBudget
{
    std::optional<double> maxBudget;
    std::optional<double> softBudget;
    QString duration;  // budget_duration as the proxy keeps it ("30d"), or empty
    QDateTime resetAt; // budget_reset_at, or invalid
    std::optional<qint64> tpmLimit;
    std::optional<qint64> rpmLimit;
};

struct LiteLLMMember
{
    QString userId;
    QString role; // admin, user (teams); the organization role (organizations)
    double spend = 0;
    LiteLLMBudget budget; // a member's budget in the team or organization, where the proxy gives one
};

struct LiteLLMOrganization
{
    QString id;
    QString alias;
    QString budgetId;
    double spend = 0;
    QStringList models;
    LiteLLMBudget budget; // litellm_budget_table
    QList<LiteLLMMember> members;
    QStringList teamIds;
};

struct LiteLLMTeam
{
    QString id;
    QString alias;
    QString organizationId;
    double spend = 0;
    QStringList models;
    bool blocked = false;
    LiteLLMBudget budget;
    QList<LiteLLMMember> members; // members_with_roles
};

struct LiteLLMUser
{
    QString id;
    QString alias;
    QString email;
    QString role;
    QString organizationId;
    QStringList teams;
    double spend = 0;
    QStringList models;
    LiteLLMBudget budget;
    int keyCount = 0;
};

struct LiteLLMKey
{
    QString token;   // the key's hash as the proxy lists it
    QString keyName; // the proxy's abbreviation ("sk-...abcd"), never the key
    QString alias;
    QString userId;
    QString teamId;
    QString organizationId;
    double spend = 0;
    QStringList models;
    bool blocked = false;
    QDateTime expires;
    LiteLLMBudget budget;
    QString budgetId; // the budget plan (/budget/list) the key's limits come from, or empty
};

struct LiteLLMCustomer
{
    QString id; // user_id of the end customer
    QString alias;
    bool blocked = false;
    double spend = 0;
    LiteLLMBudget budget;
    QString budgetId; // the budget plan the customer is on, or empty
};

// A budget plan of /budget/list (a LiteLLM_BudgetTable row): limits and a cadence that
// organizations, keys and end customers point at by budget_id.
struct LiteLLMBudgetPlan
{
    QString id; // budget_id
    LiteLLMBudget budget;
    std::optional<qint64> tpdLimit;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct SpendLogRow
{
    QString requestId;
    QString apiKey; // hashed
    QString model;
    QString callType;
    double spend = 0;
    qint64 totalTokens = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    QDateTime startTime;
    QDateTime endTime;
    QString user;
};

// One day of the proxy's own daily spend records (/user/daily/activity without a user: all of them).
struct DailyActivity
{
    QDate date;
    double spend = 0;
    qint64 apiRequests = 0;
    qint64 successfulRequests = 0;
    qint64 failedRequests = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
};

// One deployment of /model/info: the public model name, its deployment id, the provider and the
// cost per token where the proxy's cost map knows them.
struct ModelDeployment
{
    QString id;
    QString modelName;
    QString provider;
    std::optional<double> inputCostPerToken;
    std::optional<double> outputCostPerToken;
};

template<typename T> struct LiteLLMPage
{
    QList<T> items;
    int page = 1;
    int totalPages = 1;
    qint64 total = 0;
};

Result<QList<LiteLLMOrganization>> parseLiteLLMOrganizations(const QByteArray &body); // /organization/list
Result<QList<LiteLLMTeam>> parseLiteLLMTeams(const QByteArray &body);                 // /team/list
Result<LiteLLMPage<LiteLLMUser>> parseLiteLLMUsers(const QByteArray &body);           // /user/list
// /key/list with return_full_object=true: keys that are plain strings are refused (nothing to show).
Result<LiteLLMPage<LiteLLMKey>> parseLiteLLMKeys(const QByteArray &body);
Result<QList<LiteLLMCustomer>> parseLiteLLMCustomers(const QByteArray &body); // /customer/list
Result<LiteLLMPage<SpendLogRow>> parseSpendLogs(const QByteArray &body);      // /spend/logs/v2
// /user/daily/activity: SpendAnalyticsPaginatedResponse (results with their date and metrics;
// metadata.page and total_pages); a date twice on a page is refused.
Result<LiteLLMPage<DailyActivity>> parseDailyActivity(const QByteArray &body);
// GET /model/info: {data: [{model_name, litellm_params, model_info: {id, …}}]}.
Result<QList<ModelDeployment>> parseModelInfo(const QByteArray &body);
// GET /budget/list: an array of BudgetRow (budget_id, created_at and updated_at required; the limits
// may come as decimal strings); a budget_id twice is refused.
Result<QList<LiteLLMBudgetPlan>> parseBudgetPlans(const QByteArray &body);

} // namespace opsdeck
