#include "models/github/runnerpolicystore.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"

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
    Q_DECLARE_TR_FUNCTIONS(opsdeck::RunnerPolicyStore)
};

QStringList labelsFrom(const QString &json)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
        out << v.toString();
    return out;
}
} // namespace

namespace RunnerPolicyStore {

Result<LabelPolicy> load(QSqlDatabase db, qint64 connectionId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT policy_json FROM effective_runner_policies WHERE connection_id = ?"));
    q.addBindValue(connectionId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the label policy"));
    if (!q.next())
        return LabelPolicy{};
    return LabelPolicy::fromJson(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object());
}

Result<void> save(QSqlDatabase db, qint64 connectionId, const LabelPolicy &policy, const QDateTime &now)
{
    if (auto valid = validatePolicy(policy); !valid)
        return valid;
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO runner_policies (connection_id, policy_json, updated_at, pending) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (connection_id) DO UPDATE SET policy_json = excluded.policy_json, "
        "updated_at = excluded.updated_at, pending = 1"));
    q.addBindValue(connectionId);
    q.addBindValue(QString::fromUtf8(QJsonDocument(policy.toJson()).toJson(QJsonDocument::Compact)));
    q.addBindValue(toStoredTime(now));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Saving the label policy"));
    return {};
}

Result<void> recordProvisioning(QSqlDatabase db, qint64 connectionId, const Provisioning &p)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO runner_provisioning (connection_id, scope, runner_id, name, labels, "
        "mode, requested_by, requested_at) VALUES (?,?,?,?,?,?,?,?)"));
    q.addBindValue(connectionId);
    q.addBindValue(p.scope);
    q.addBindValue(p.runnerId);
    q.addBindValue(p.name);
    q.addBindValue(QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(p.labels)).toJson(QJsonDocument::Compact)));
    q.addBindValue(provisioningModeId(p.mode));
    q.addBindValue(p.requestedBy);
    q.addBindValue(toStoredTime(p.requestedAt));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Recording the provisioned runner"));
    return {};
}

Result<int> matchPendingByName(QSqlDatabase db, qint64 connectionId)
{
    // The earliest matching runner wins; a runner already linked to a record is not taken twice.
    QSqlQuery pending(db);
    pending.prepare(QStringLiteral(
        "SELECT p.scope, p.runner_id, (SELECT r.runner_id FROM runners r WHERE r.connection_id = "
        "p.connection_id "
        "AND r.scope = p.scope AND lower(r.name) = lower(p.name) AND r.removed_at IS NULL "
        "AND r.first_seen_at >= p.requested_at AND NOT EXISTS (SELECT 1 FROM runner_provisioning o WHERE "
        "o.connection_id = r.connection_id AND o.scope = r.scope AND o.runner_id = r.runner_id) "
        "ORDER BY r.first_seen_at, r.runner_id LIMIT 1) FROM runner_provisioning p "
        "WHERE p.connection_id = ? AND p.runner_id < 0 ORDER BY p.requested_at"));
    pending.addBindValue(connectionId);
    if (!pending.exec())
        return Database::describe(pending.lastError(), Tr::tr("Reading provisioning records"));
    QList<std::tuple<QString, qint64, qint64>> links;
    while (pending.next())
        if (!pending.value(2).isNull())
            links.append(
                {pending.value(0).toString(), pending.value(1).toLongLong(), pending.value(2).toLongLong()});
    pending.finish();
    int linked = 0;
    QSet<QString> taken;
    for (const auto &[scope, placeholder, runnerId] : std::as_const(links)) {
        const QString key = scope + QLatin1Char('/') + QString::number(runnerId);
        if (taken.contains(key))
            continue; // two requests with one name: the earlier one gets the runner
        taken.insert(key);
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE runner_provisioning SET runner_id = ? WHERE connection_id = ? AND "
                                 "scope = ? AND runner_id = ?"));
        q.addBindValue(runnerId);
        q.addBindValue(connectionId);
        q.addBindValue(scope);
        q.addBindValue(placeholder);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Linking a provisioned runner"));
        linked += q.numRowsAffected();
    }
    return linked;
}

} // namespace RunnerPolicyStore

Result<QList<DriftItem>> driftPlan(QSqlDatabase db, qint64 connectionId)
{
    auto policy = RunnerPolicyStore::load(db, connectionId);
    if (!policy)
        return policy.error();
    QHash<QString, QStringList> provisioned; // scope/id -> labels
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("SELECT scope, runner_id, labels FROM runner_provisioning WHERE connection_id = ?"));
    q.addBindValue(connectionId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading provisioning records"));
    while (q.next())
        provisioned.insert(q.value(0).toString() + QLatin1Char('/') + q.value(1).toString(),
                           labelsFrom(q.value(2).toString()));
    q.prepare(
        QStringLiteral("SELECT scope, runner_id, name, busy, labels FROM runners WHERE connection_id = ? AND "
                       "removed_at IS NULL ORDER BY name"));
    q.addBindValue(connectionId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading runners"));
    QList<DriftItem> plan;
    while (q.next()) {
        DriftItem item;
        item.scope = q.value(0).toString();
        item.runnerId = q.value(1).toLongLong();
        item.name = q.value(2).toString();
        item.busy = q.value(3).toBool();
        item.drift = computeDrift(
            policy.value(), provisioned.value(item.scope + QLatin1Char('/') + QString::number(item.runnerId)),
            labelsFrom(q.value(4).toString()));
        if (!item.drift.drifted)
            continue;
        item.willDelete = !item.busy || policy->deleteBusyDrifted;
        plan << item;
    }
    return plan;
}

Result<void> markRunnerRemoved(QSqlDatabase db, qint64 connectionId, const QString &scope, qint64 runnerId,
                               const QDateTime &now)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "UPDATE runners SET removed_at = ? WHERE connection_id = ? AND scope = ? AND runner_id = ?"));
    q.addBindValue(toStoredTime(now));
    q.addBindValue(connectionId);
    q.addBindValue(scope);
    q.addBindValue(runnerId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Marking a runner removed"));
    return {};
}

} // namespace opsdeck
