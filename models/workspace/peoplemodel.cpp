#include "models/workspace/peoplemodel.h"

#include "models/connections/connectionstore.h"

#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

PeopleModel::PeopleModel(QObject *parent) : CacheTableModel(parent) {}

QStringList PeopleModel::headers() const
{
    return {tr("Login"),  tr("Name"),    tr("Email"),     tr("Role"),          tr("Active"),
            tr("GitHub"), tr("Runners"), tr("Last seen"), tr("Last reviewed"), tr("Other systems")};
}

QStringList PeopleModel::watchedTables() const
{
    return {QStringLiteral("workspace_people"), QStringLiteral("runner_provisioning"),
            QStringLiteral("workspace_runner_owners"), QStringLiteral("runners")};
}

CacheLoader PeopleModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        // Runners owned, of those that still exist: the team's record (which knows the runners other
        // desktops provisioned) where it has one, else this desktop's provisioning record.
        QHash<QString, int> owned;
        QSqlQuery r(db);
        if (!r.exec(QStringLiteral(
                "SELECT coalesce(o.owner_login, p.requested_by) AS owner, COUNT(*) FROM runners n JOIN "
                "connections c ON c.id = n.connection_id LEFT JOIN workspace_runner_owners o ON o.connection "
                "= c.name AND o.runner = CAST(n.runner_id AS TEXT) LEFT JOIN runner_provisioning p ON "
                "p.connection_id = n.connection_id AND p.runner_id = n.runner_id WHERE n.removed_at IS NULL "
                "AND (o.owner_login IS NOT NULL OR p.requested_by IS NOT NULL) GROUP BY owner")))
            return Database::describe(r.lastError(), QObject::tr("Reading who owns which runner"));
        while (r.next())
            owned.insert(r.value(0).toString(), r.value(1).toInt());
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT login, display_name, email, role, active, github_login, last_seen_at, harbor_user, "
                "litellm_user, reviewed_at, oidc_subject FROM workspace_people ORDER BY login")))
            return Database::describe(q.lastError(), QObject::tr("Reading the people of the workspace"));
        CacheRows rows;
        while (q.next()) {
            const QString login = q.value(0).toString();
            const QString harbor = q.value(7).toString();
            const QString litellm = q.value(8).toString();
            // Other systems: what the column shows and sorts on; then each one for the dialogs.
            QStringList other;
            if (!harbor.isEmpty())
                other << QStringLiteral("Harbor ") + harbor;
            if (!litellm.isEmpty())
                other << QStringLiteral("LiteLLM ") + litellm;
            const QString oidc = q.value(10).toString();
            if (!oidc.isEmpty())
                other << QStringLiteral("OIDC ") + oidc;
            rows << CacheRow{login,
                             {login, q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                              q.value(4).toBool(), q.value(5).toString(), owned.value(login),
                              q.value(6).toString(), q.value(9).toString(), other.join(QStringLiteral(", ")),
                              harbor, litellm, oidc}};
        }
        return rows;
    };
}

QVariant PeopleModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    if (role == RoleRole)
        return row.values.value(Role);
    if (role == ActiveRole)
        return row.values.value(Active);
    if (role == HarborRole)
        return row.values.value(ColumnCount);
    if (role == LiteLlmRole)
        return row.values.value(ColumnCount + 1);
    if (role == OidcRole)
        return row.values.value(ColumnCount + 2);
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Role: {
            const QString r = raw.toString();
            return r == QLatin1String("superuser") ? tr("superuser")
                   : r == QLatin1String("admin")   ? tr("admin")
                                                   : tr("user");
        }
        case Active:
            return raw.toBool() ? tr("active") : tr("deactivated");
        case Runners:
            return raw.toInt() ? QVariant(raw.toInt()) : QVariant(QString());
        case LastSeen:
        case Reviewed: {
            const QDateTime t = fromStoredTime(raw.toString());
            return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : tr("never");
        }
        default:
            return raw;
        }
    }
    return CacheTableModel::cellData(row, column, role);
}

GrantsModel::GrantsModel(QObject *parent) : CacheTableModel(parent) {}

QStringList GrantsModel::headers() const
{
    return {tr("Subject"), tr("Action"), tr("Scope"), tr("Effect"), tr("Granted by")};
}

QStringList GrantsModel::watchedTables() const
{
    return {QStringLiteral("workspace_grants")};
}

CacheLoader GrantsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT id, subject_kind, subject, action, scope, effect, granted_by FROM "
                                   "workspace_grants ORDER BY id")))
            return Database::describe(q.lastError(), QObject::tr("Reading the grants of the workspace"));
        CacheRows rows;
        while (q.next())
            rows << CacheRow{q.value(0),
                             {QStringLiteral("%1 %2").arg(q.value(1).toString(), q.value(2).toString()),
                              q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                              q.value(6).toString(), q.value(1).toString(), q.value(2).toString()}};
        return rows;
    };
}

QVariant GrantsModel::cellData(const CacheRow &row, int column, int role) const
{
    if (role == SubjectKindRole)
        return row.values.value(ColumnCount);
    if (role == SubjectRole)
        return row.values.value(ColumnCount + 1);
    if (role == Qt::DisplayRole && column == Effect)
        return row.values.value(Effect).toString() == QLatin1String("allow") ? tr("allow") : tr("deny");
    if (role == Qt::DisplayRole && column == GrantedBy &&
        row.values.value(GrantedBy).toString() == QLatin1String("opsdeck"))
        return tr("default");
    return CacheTableModel::cellData(row, column, role);
}

QList<WorkspaceGrant> GrantsModel::grants() const
{
    QList<WorkspaceGrant> out;
    for (int r = 0; r < rowCount(); ++r) {
        const CacheRow &row = rowAt(r);
        WorkspaceGrant g;
        g.id = row.key.toLongLong();
        g.subjectKind = row.values.value(ColumnCount).toString();
        g.subject = row.values.value(ColumnCount + 1).toString();
        g.action = row.values.value(Action).toString();
        g.scope = row.values.value(Scope).toString();
        g.allow = row.values.value(Effect).toString() == QLatin1String("allow");
        g.grantedBy = row.values.value(GrantedBy).toString();
        out << g;
    }
    return out;
}

} // namespace opsdeck
