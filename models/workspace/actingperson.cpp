#include "models/workspace/actingperson.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Permissions)
};
} // namespace

QString connectionFacet(const QString &connectionName)
{
    // A facet value ends at a space: a connection named with spaces matches with '_' in their place.
    QString value = connectionName;
    value.replace(QLatin1Char(' '), QLatin1Char('_'));
    return QStringLiteral("connection:") + value;
}

QString actingLogin(QSqlDatabase cache)
{
    QSqlQuery q(cache);
    return q.exec(QStringLiteral("SELECT login FROM workspace_state WHERE id = 1")) && q.next()
               ? q.value(0).toString()
               : QString();
}

Result<ActingContext> readActing(QSqlDatabase cache)
{
    ActingContext out;
    QSqlQuery q(cache);
    if (!q.exec(QStringLiteral("SELECT login FROM workspace_state WHERE id = 1")))
        return Database::describe(q.lastError(), Tr::tr("Reading who acts on this desktop"));
    if (!q.next() || q.value(0).toString().isEmpty())
        return out;
    out.login = q.value(0).toString();
    q.prepare(QStringLiteral("SELECT role, active, intro_done FROM workspace_people WHERE login = ?"));
    q.addBindValue(out.login);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading who acts on this desktop"));
    if (!q.next())
        return out;
    out.person = WorkspacePerson(out.login, q.value(0).toString(), q.value(1).toBool());
    out.person->introDone = q.value(2).toBool();
    if (!q.exec(QStringLiteral(
            "SELECT id, subject_kind, subject, action, scope, effect, granted_by FROM workspace_grants")))
        return Database::describe(q.lastError(), Tr::tr("Reading the grants"));
    while (q.next()) {
        WorkspaceGrant g;
        g.id = q.value(0).toLongLong();
        g.subjectKind = q.value(1).toString();
        g.subject = q.value(2).toString();
        g.action = q.value(3).toString();
        g.scope = q.value(4).toString();
        g.allow = q.value(5).toString() == QLatin1String("allow");
        g.grantedBy = q.value(6).toString();
        out.grants << g;
    }
    return out;
}

Result<ActingDecision> decideActing(QSqlDatabase cache, const QString &action, const QString &scope)
{
    const auto acting = readActing(cache);
    if (!acting)
        return acting.error();
    ActingDecision out;
    out.login = acting->login;
    if (out.login.isEmpty()) {
        out.decision.allowed = true;
        out.decision.reason = Tr::tr("This desktop's own workspace: its admin may do everything.");
    } else if (!acting->person) {
        out.decision.reason = Tr::tr("%1 is not a person of the workspace.").arg(out.login);
    } else {
        out.decision = decidePermission(*acting->person, action, scope, acting->grants);
    }
    return out;
}

Result<void> checkActing(QSqlDatabase cache, const QString &action, const QString &scope)
{
    const auto decided = decideActing(cache, action, scope);
    if (!decided)
        return decided.error();
    if (decided->decision.allowed)
        return {};
    return makeError("permission.denied",
                     Tr::tr("Refused by the workspace's permissions: %1").arg(decided->decision.reason));
}

} // namespace opsdeck
