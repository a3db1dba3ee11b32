#include "models/workspace/personactivity.h"

#include "models/connections/connectionstore.h"

#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

PersonActivityModel::PersonActivityModel(QObject *parent) : CacheTableModel(parent) {}

void PersonActivityModel::setLogin(const QString &login)
{
    if (login == m_login)
        return;
    m_login = login;
    reload();
}

QStringList PersonActivityModel::headers() const
{
    return {tr("What"), tr("Name"), tr("Where"), tr("When"), tr("Detail")};
}

QStringList PersonActivityModel::watchedTables() const
{
    return {QStringLiteral("runners"),
            QStringLiteral("runner_provisioning"),
            QStringLiteral("workspace_runner_owners"),
            QStringLiteral("containers"),
            QStringLiteral("jobs"),
            QStringLiteral("audit_events")};
}

CacheLoader PersonActivityModel::loader() const
{
    const QString login = m_login;
    return [login](QSqlDatabase db) -> Result<CacheRows> {
        CacheRows rows;
        if (login.isEmpty())
            return rows;
        QSqlQuery q(db);
        q.setForwardOnly(true);
        // Runners that still exist, owned by the person.
        q.prepare(QStringLiteral(
            "SELECT n.connection_id, n.runner_id, n.name, c.name, n.status, n.busy, n.first_seen_at FROM "
            "runners "
            "n JOIN connections c ON c.id = n.connection_id LEFT JOIN workspace_runner_owners o ON "
            "o.connection = c.name AND o.runner = CAST(n.runner_id AS TEXT) LEFT JOIN runner_provisioning p "
            "ON "
            "p.connection_id = n.connection_id AND p.runner_id = n.runner_id WHERE n.removed_at IS NULL AND "
            "COALESCE(o.owner_login, p.requested_by) = ? ORDER BY c.name, n.name"));
        q.addBindValue(login);
        if (!q.exec())
            return Database::describe(q.lastError(), QObject::tr("Reading %1's runners").arg(login));
        while (q.next())
            rows << CacheRow{
                QStringLiteral("runner:%1:%2").arg(q.value(0).toLongLong()).arg(q.value(1).toLongLong()),
                {QStringLiteral("runner"), q.value(2), q.value(3), q.value(6),
                 q.value(5).toBool() ? QObject::tr("%1, busy").arg(q.value(4).toString())
                                     : q.value(4).toString()}};
        // Deployments: the projects they last deployed, with their containers' states.
        q.prepare(QStringLiteral(
            "SELECT d.connection_id, d.project, c.name, d.finished_at, (SELECT group_concat(state, ', ') "
            "FROM "
            "(SELECT DISTINCT state FROM containers k WHERE k.connection_id = d.connection_id AND k.project "
            "= "
            "d.project)) FROM deployment_owners d JOIN connections c ON c.id = d.connection_id WHERE "
            "d.owner_login = ? ORDER BY c.name, d.project"));
        q.addBindValue(login);
        if (!q.exec())
            return Database::describe(q.lastError(), QObject::tr("Reading %1's deployments").arg(login));
        while (q.next())
            rows << CacheRow{
                QStringLiteral("deployment:%1:%2").arg(q.value(0).toLongLong()).arg(q.value(1).toString()),
                {QStringLiteral("deployment"), q.value(1), q.value(2), q.value(3),
                 q.value(4).isNull() ? QObject::tr("no containers") : q.value(4)}};
        // Their newest audit events, local and pulled from the team.
        q.prepare(QStringLiteral(
                      "SELECT id, action, target_name, COALESCE(NULLIF(connection_name, ''), source), ts, "
                      "outcome FROM audit_events WHERE id > (SELECT COALESCE(MAX(id), 0) FROM audit_events) "
                      "- %2 AND "
                      "(backend_identity = ? OR os_user = ?) ORDER BY id DESC LIMIT %1")
                      .arg(eventLimit)
                      .arg(eventWindow));
        q.addBindValue(login);
        q.addBindValue(login);
        if (!q.exec())
            return Database::describe(q.lastError(), QObject::tr("Reading %1's audit events").arg(login));
        while (q.next())
            rows << CacheRow{QStringLiteral("event:%1").arg(q.value(0).toLongLong()),
                             {QStringLiteral("event"), q.value(2), q.value(3), q.value(4),
                              QStringLiteral("%1 (%2)").arg(q.value(1).toString(), q.value(5).toString())}};
        return rows;
    };
}

QVariant PersonActivityModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    if (role == KindRole)
        return row.values.value(Kind);
    if (role == Qt::DisplayRole) {
        if (column == Kind) {
            const QString kind = raw.toString();
            return kind == QLatin1String("runner")       ? tr("Runner")
                   : kind == QLatin1String("deployment") ? tr("Deployment")
                                                         : tr("Action");
        }
        if (column == When) {
            const QDateTime t = fromStoredTime(raw.toString());
            return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
        }
    }
    return CacheTableModel::cellData(row, column, role);
}

} // namespace opsdeck
