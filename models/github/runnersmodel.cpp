#include "models/github/runnersmodel.h"

#include "models/connections/connectionstore.h"
#include "models/github/labelpolicy.h"
#include "models/github/runner.h"
#include "models/github/runnerpolicystore.h"
#include "models/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
enum Hidden { RemovedAt = RunnersModel::ColumnCount, LabelList, ProvisionedBy };
}

RunnersModel::RunnersModel(QObject *parent) : CacheTableModel(parent) {}

QStringList RunnersModel::headers() const
{
    return {tr("Name"),       tr("Status"),
            tr("Busy"),       tr("Labels"),
            tr("Drift"),      tr("Provisioned by"),
            tr("OS"),         tr("Organization / repository"),
            tr("Connection"), tr("ID")};
}

QStringList RunnersModel::watchedTables() const
{
    return {Tables::runners, Tables::connections, Tables::runnerPolicies, Tables::workspaceRunnerPolicies,
            Tables::runnerProvisioning};
}

CacheLoader RunnersModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        // Policies and provisioning records, to show drift and who asked for each runner.
        QHash<qint64, LabelPolicy> policies;
        struct Record
        {
            QStringList labels;
            QString byWhen; // "alice, 2026-11-20"
            QString by;
        };
        QHash<QString, Record> provisioned; // "conn/scope/id"
        {
            QSqlQuery p(db);
            if (!p.exec(QStringLiteral("SELECT connection_id, policy_json FROM effective_runner_policies")))
                return Database::describe(p.lastError(), QObject::tr("Reading label policies"));
            while (p.next())
                if (auto policy = LabelPolicy::fromJson(
                        QJsonDocument::fromJson(p.value(1).toString().toUtf8()).object()))
                    policies.insert(p.value(0).toLongLong(), policy.value());
            if (!p.exec(QStringLiteral(
                    "SELECT connection_id, scope, runner_id, labels, requested_by, requested_at "
                    "FROM runner_provisioning WHERE runner_id > 0")))
                return Database::describe(p.lastError(), QObject::tr("Reading provisioning records"));
            while (p.next()) {
                QStringList labels;
                for (const QJsonValue &v : QJsonDocument::fromJson(p.value(3).toString().toUtf8()).array())
                    labels << v.toString();
                provisioned.insert(
                    QStringLiteral("%1/%2/%3")
                        .arg(p.value(0).toLongLong())
                        .arg(p.value(1).toString())
                        .arg(p.value(2).toLongLong()),
                    {labels,
                     QStringLiteral("%1, %2").arg(p.value(4).toString(), p.value(5).toString().left(10)),
                     p.value(4).toString()});
            }
        }
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT r.connection_id, r.scope, r.runner_id, r.name, r.status, r.busy, r.labels, r.os, "
                "c.name, r.removed_at FROM runners r JOIN connections c ON c.id = r.connection_id "
                "ORDER BY r.name COLLATE NOCASE, r.runner_id")))
            return Database::describe(q.lastError(), QObject::tr("Reading runners"));
        CacheRows rows;
        while (q.next()) {
            QStringList labels;
            for (const QJsonValue &v : QJsonDocument::fromJson(q.value(6).toString().toUtf8()).array())
                labels << v.toString();
            CacheRow row;
            const QString key = QStringLiteral("%1/%2/%3")
                                    .arg(q.value(0).toLongLong())
                                    .arg(q.value(1).toString())
                                    .arg(q.value(2).toLongLong());
            row.key = key;
            const bool removed = !q.value(9).isNull();
            const auto record = provisioned.value(key);
            const opsdeck::Drift drift =
                removed ? opsdeck::Drift{}
                        : computeDrift(policies.value(q.value(0).toLongLong()), record.labels, labels);
            row.values = {q.value(3).toString(),
                          removed ? QStringLiteral("removed") : q.value(4).toString(),
                          q.value(5).toBool(),
                          labels.join(QStringLiteral(", ")),
                          drift.describe(),
                          record.byWhen,
                          q.value(7).toString(),
                          q.value(1).toString().section(QLatin1Char(':'), 1),
                          q.value(8).toString(),
                          q.value(2).toLongLong(),
                          q.value(9),
                          labels,
                          record.by};
            rows << row;
        }
        return rows;
    };
}

QVariant RunnersModel::cellData(const CacheRow &row, int column, int role) const
{
    const QStringList labels = row.values.value(LabelList).toStringList();
    if (role == CustomLabelsRole)
        return customLabels(labels);
    if (role == SystemLabelsRole)
        return systemLabels(labels);
    if (role == StateRole)
        return row.values.value(Status);
    if (role == ProvisionedByRole)
        return row.values.value(ProvisionedBy);
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Busy:
            return row.values.value(Busy).toBool() ? tr("busy") : tr("idle");
        case Labels: {
            // Custom labels first, system labels after them in brackets.
            const QStringList custom = customLabels(labels);
            const QStringList system = systemLabels(labels);
            return custom.join(QStringLiteral(", ")) +
                   (system.isEmpty() ? QString()
                                     : QStringLiteral("  [%1]").arg(system.join(QStringLiteral(", "))));
        }
        default:
            return row.values.value(column);
        }
    }
    if (role == Qt::ToolTipRole && column == Status && !row.values.value(RemovedAt).isNull())
        return tr("Gone from GitHub since %1").arg(row.values.value(RemovedAt).toString());
    return {};
}

} // namespace opsdeck
