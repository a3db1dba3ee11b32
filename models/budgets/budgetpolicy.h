// Scoped policies for a LiteLLM proxy, pure: model access, guardrails and feature flags set at
// account (organization), group, team and user scope in the workspace, the effective policy for a
// person with the scope that decides each item, and drift: where a team's or key's `models` on the
// proxy differ from the policy, or the guardrails Opsdeck last applied differ from it.
//
// A group is a set of teams of one connection, named in the workspace (a team is in at most one).
// The most specific scope that sets an item decides it: user, then team, then group, then account.
//
// Model access applies to the proxy as a team's or key's `models` (["*"] in a policy means every
// model, which the proxy keeps as []); guardrails as `guardrails` in /team/update and /key/update.
// The spec's team and key records carry no guardrails field, so guardrails drift is judged against
// what Opsdeck last applied (kept in the cache), never guessed from the proxy. The feature flags
// are the workspace's own and are never sent to the proxy.
#pragma once

#include "models/budgets/budgetedit.h"
#include "models/core/result.h"

#include <QHash>
#include <QJsonValue>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace opsdeck {

enum class PolicyScope { Organization, Group, Team, User };
enum class PolicyItem { Models, Guardrails, CreateConnections, CreateAgents, ImageGeneration, ModelAccess };

QList<PolicyScope> policyScopes(); // broadest first
QList<PolicyItem> policyItems();
QString policyScopeKey(PolicyScope scope); // organization, group, team, user
std::optional<PolicyScope> policyScopeFromKey(const QString &key);
QString policyScopeText(PolicyScope scope); // Account, Group, Team, User
QString policyItemKey(PolicyItem item);     // models, guardrails, create_connections, …
std::optional<PolicyItem> policyItemFromKey(const QString &key);
QString policyItemText(PolicyItem item); // Allowed models, Guardrails, Create connections, …
bool isListItem(PolicyItem item);        // models and guardrails hold names; the flags on or off
bool appliesToProxy(PolicyItem item);    // models and guardrails

struct PolicyRecord
{
    qint64 id = 0;
    QString connection; // the connection's name, as grants and the workspace name it
    PolicyScope scope = PolicyScope::Organization;
    QString scopeId; // the organization, group name, team or user id
    PolicyItem item = PolicyItem::Models;
    QStringList values; // list items: sorted, no repeats; models ["*"]: every model
    bool enabled = false;
    QString comment;
    QString updatedBy;
    QString updatedAt;
    QJsonValue value() const; // what the workspace keeps: an array of names, or true/false
    QString valueText() const;
};
// Checks and normalises a record (names trimmed, sorted and unique, "*" alone); "budgets.policy"
// says what is wrong: no connection or scope id, a name with control characters or over 256
// characters, over 500 names, "*" among other models, "*" as a guardrail.
Result<PolicyRecord> checkPolicy(PolicyRecord record);
// The stored value (JSON text) read into a record's values or flag; "budgets.policy" when it is not
// an array of strings for a list item or a boolean for a flag.
Result<void> readPolicyValue(PolicyRecord &record, const QString &json);

struct BudgetGroup
{
    QString connection;
    QString teamId;
    QString group; // empty: in no group
};
// A group name: letters, digits, space, '.', '_', '-', 1 to 64; "budgets.policy" otherwise.
Result<QString> checkGroupName(const QString &name);

// Who a request comes from: the account, the team's group, the team and the user (each may be empty).
struct PolicyContext
{
    QString organization;
    QString group;
    QString team;
    QString user;
    bool operator==(const PolicyContext &) const = default;
};

struct EffectiveItem
{
    PolicyItem item = PolicyItem::Models;
    bool set = false; // false: no scope sets it (the proxy's own default holds)
    PolicyScope scope = PolicyScope::Organization;
    QString scopeId;
    QStringList values;
    bool enabled = false;
    QString comment;
    qint64 recordId = 0;
    // Broader scopes that set the item too and are overridden, broadest first ("Account acme").
    QStringList overridden;
    QString valueText() const;
    QString decidedText() const; // "Team ml-platform", or "no policy"
    bool operator==(const EffectiveItem &) const = default;
};
// Every item, in policyItems() order, for the context on connection.
QList<EffectiveItem> effectivePolicy(const QList<PolicyRecord> &records, const QString &connection,
                                     const PolicyContext &context);

// A team or key on the proxy as the cache holds it.
struct PolicyTarget
{
    QString kind; // team, key
    QString id;   // team id, or the key's hash
    QString name; // alias, or abbreviation
    QString organization;
    QString team; // a key's team
    QString user; // a key's user
    QStringList models;
    bool operator==(const PolicyTarget &) const = default;
};

struct PolicyDrift
{
    PolicyTarget target;
    PolicyContext context;
    EffectiveItem models;
    EffectiveItem guardrails;
    bool modelsDrift = false;
    // What Opsdeck last applied (nullopt: never applied from this desktop's cache).
    std::optional<QStringList> appliedGuardrails;
    bool guardrailsDrift = false;
    bool drifted() const { return modelsDrift || guardrailsDrift; }
    QString text() const; // in words, for the table and the dry run
    bool operator==(const PolicyDrift &) const = default;
};
// Teams first, then keys, each in the order given. groups: team id → group name on connection.
// applied: "team:<id>" or "key:<hash>" → guardrails last applied.
QList<PolicyDrift> policyDrift(const QList<PolicyRecord> &records, const QHash<QString, QString> &groups,
                               const QString &connection, const QList<PolicyTarget> &targets,
                               const QHash<QString, QStringList> &applied);
// The update that brings a drifted team or key in line: /team/update {team_id, models?, guardrails?}
// or /key/update {key, models?, guardrails?}, action budget.policy.apply, with before and after of
// each field; "budgets.unchanged" when nothing drifts.
Result<ProxyChange> policyChange(const PolicyDrift &drift);

// What a policy view shows for one connection, read from the cache (schema 21): the workspace's
// records and groups, the proxy's teams and keys, and the guardrails last applied.
struct PolicyView
{
    qint64 connectionId = 0;
    QString connection;
    QList<PolicyRecord> records;
    QList<BudgetGroup> groups;
    QList<PolicyTarget> targets;
    QHash<QString, QStringList> applied;
    QStringList models;    // the proxy's model names (/model/info), sorted
    QStringList users;     // user ids on the proxy
    QStringList userTeams; // "user\tteam" for each membership
    QHash<QString, QString> teamOrganization;
    QHash<QString, QString> userOrganization;
    QHash<QString, QString> groupOf() const; // team → group
    QList<PolicyDrift> drift() const;
    // A user's contexts: one per team they are a member of, and one without a team.
    QList<PolicyContext> contextsOf(const QString &user) const;
};
Result<QList<PolicyView>> loadPolicyViews(QSqlDatabase cache);

} // namespace opsdeck
