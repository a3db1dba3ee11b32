#include "services/workspace/grantchanges.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QSqlQuery>

namespace opsdeck::GrantChanges {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GrantChanges)
};

QString scopeOf(const WorkspaceGrant &g)
{
    const QString s = g.scope.trimmed();
    return s.isEmpty() ? QStringLiteral("*") : s;
}

Error noGrant(qint64 id)
{
    return makeError("workspace.no-grant",
                     Tr::tr("There is no grant %1 in this workspace (revoked already?).").arg(id));
}
} // namespace

Result<qint64> apply(const WorkspaceStore &store, const GrantChange &change)
{
    if (auto valid = validateGrantChange(change); !valid)
        return valid.error();
    const WorkspaceGrant &g = change.grant;
    const QString what = change.describe();
    QSqlQuery q(store.db());
    const bool team = store.kind() == WorkspaceStore::Kind::Team;
    if (change.kind == GrantChange::Kind::Revoke) {
        if (team) {
            q.prepare(QStringLiteral("SELECT opsdeck_grant_revoke(?)"));
        } else {
            q.prepare(QStringLiteral("DELETE FROM grants WHERE id = ?"));
        }
        q.addBindValue(g.id);
        if (!q.exec()) {
            // The store's own "no grant N in this workspace" (no_data_found) is said the same way.
            if (q.lastError().nativeErrorCode() == QLatin1String("P0002"))
                return noGrant(g.id);
            return WorkspaceStore::refusal(q.lastError(), what);
        }
        if (!team && q.numRowsAffected() == 0)
            return noGrant(g.id);
        return g.id;
    }
    if (team) {
        q.prepare(QStringLiteral("SELECT opsdeck_grant_add(?, ?, ?, ?, ?)"));
    } else {
        const auto me = store.actingLogin();
        if (!me)
            return me.error();
        q.prepare(
            QStringLiteral("INSERT INTO grants (subject_kind, subject, action, scope, effect, granted_by, "
                           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        q.bindValue(5, me.value());
        q.bindValue(6, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    }
    q.bindValue(0, g.subjectKind);
    q.bindValue(1, g.subject);
    q.bindValue(2, g.action);
    q.bindValue(3, scopeOf(g));
    q.bindValue(4, g.allow ? QStringLiteral("allow") : QStringLiteral("deny"));
    if (!q.exec()) {
        if (q.lastError().nativeErrorCode() == QLatin1String("P0002") ||
            q.lastError().databaseText().contains(QLatin1String("not a person of this workspace")))
            return makeError("workspace.no-person",
                             Tr::tr("%1: %2 is not a person of this workspace.").arg(what, g.subject));
        Error e = WorkspaceStore::refusal(q.lastError(), what);
        if (e.code == QLatin1String("workspace.exists"))
            return makeError("workspace.exists", Tr::tr("%1: the same grant is there already.").arg(what));
        return e;
    }
    if (team)
        return q.next() ? q.value(0).toLongLong() : qint64(0);
    return q.lastInsertId().toLongLong();
}

AuditEvent auditEvent(const GrantChange &change, const QString &actor, const QString &workspace,
                      const Result<qint64> &outcome)
{
    const WorkspaceGrant &g = change.grant;
    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = change.auditAction();
    e.backendIdentity = actor;
    e.targetKind = QStringLiteral("grant");
    const qint64 id = change.kind == GrantChange::Kind::Revoke ? g.id : (outcome ? outcome.value() : 0);
    e.targetId = id > 0 ? QString::number(id) : QString();
    e.targetName = g.subjectKind + QLatin1Char(' ') + g.subject;
    e.comment = change.comment;
    e.outcome = outcome ? AuditOutcome::Success : AuditOutcome::Failure;
    e.details = QJsonObject{
        {QStringLiteral("workspace"), workspace},
        {QStringLiteral("grant"), QJsonObject{{QStringLiteral("subject_kind"), g.subjectKind},
                                              {QStringLiteral("subject"), g.subject},
                                              {QStringLiteral("action"), g.action},
                                              {QStringLiteral("scope"), scopeOf(g)},
                                              {QStringLiteral("effect"),
                                               g.allow ? QStringLiteral("allow") : QStringLiteral("deny")}}}};
    if (!outcome)
        e.details[QStringLiteral("error")] = outcome.message();
    return e;
}

} // namespace opsdeck::GrantChanges
