#include "models/workspace/grantchange.h"

#include "models/audit/auditevent.h"
#include "models/workspace/personchange.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GrantChange)
};

Error invalid(const QString &message)
{
    return makeError("workspace.invalid", message);
}

Error denied(const QString &message)
{
    return makeError("workspace.denied", message);
}

QString systemOf(const QString &action)
{
    return action.section(QLatin1Char('.'), 0, 0);
}

bool everywhere(const QString &scope)
{
    return scope.isEmpty() || scope == QLatin1String("*");
}

// As SQL's LIKE with '*' for '%': either scope pattern takes in the other.
bool globEither(const QString &a, const QString &b)
{
    const auto covers = [](const QString &pattern, const QString &value) {
        return QRegularExpression(
                   QRegularExpression::anchoredPattern(QRegularExpression::escape(pattern).replace(
                       QStringLiteral("\\*"), QStringLiteral(".*"))))
            .match(value)
            .hasMatch();
    };
    return covers(a, b) || covers(b, a);
}

// opsdeck_holds in the store: a superuser holds everything; anyone else holds an action on a scope
// when one of their allows names it on that very scope (or everywhere), and none of their denies
// could overlap it.
bool holds(const WorkspacePerson &me, const QList<WorkspaceGrant> &grants, const QString &action,
           const QString &scope)
{
    if (me.role == QLatin1String("superuser"))
        return true;
    const auto mine = [&me](const WorkspaceGrant &g) {
        return (g.subjectKind == QLatin1String("role") && g.subject == me.role) ||
               (g.subjectKind == QLatin1String("person") && g.subject == me.login);
    };
    bool allowed = false;
    for (const WorkspaceGrant &g : grants) {
        if (!mine(g))
            continue;
        if (g.allow) {
            allowed =
                allowed || (actionMatches(g.action, action) && (everywhere(g.scope) || g.scope == scope));
            continue;
        }
        const bool actionOverlaps =
            g.action == QLatin1String("*") || action == QLatin1String("*") || g.action == action ||
            (systemOf(g.action) == systemOf(action) &&
             (g.action.endsWith(QLatin1String(".*")) || action.endsWith(QLatin1String(".*"))));
        const bool scopeOverlaps =
            everywhere(g.scope) || everywhere(scope) || g.scope == scope || globEither(g.scope, scope);
        if (actionOverlaps && scopeOverlaps)
            return false;
    }
    return allowed;
}
} // namespace

QString GrantChange::auditAction() const
{
    return kind == Kind::Add ? AuditAction::grantAdd : AuditAction::grantRevoke;
}

QString GrantChange::describe() const
{
    if (kind == Kind::Revoke)
        return Tr::tr("Revoke %1").arg(grant.describe());
    const QString who = grant.subjectKind == QLatin1String("role") ? Tr::tr("role %1").arg(grant.subject)
                                                                   : Tr::tr("person %1").arg(grant.subject);
    const QString where = everywhere(grant.scope) ? Tr::tr("everywhere") : Tr::tr("on %1").arg(grant.scope);
    return grant.allow ? Tr::tr("Allow %1 %2 to %3").arg(grant.action, where, who)
                       : Tr::tr("Deny %1 %2 to %3").arg(grant.action, where, who);
}

QStringList grantableActions()
{
    return {QStringLiteral("runner.provision"),  QStringLiteral("runner.delete"),
            QStringLiteral("runner.*"),          QStringLiteral("policy.update"),
            QStringLiteral("container.start"),   QStringLiteral("container.stop"),
            QStringLiteral("container.restart"), QStringLiteral("container.remove"),
            QStringLiteral("container.*"),       QStringLiteral("image.remove"),
            QStringLiteral("host.prune"),        QStringLiteral("deploy.start"),
            QStringLiteral("deploy.*"),          QStringLiteral("tunnel.route"),
            QStringLiteral("user.manage"),       QStringLiteral("image.request"),
            QStringLiteral("image.allow"),       QStringLiteral("image.approve"),
            QStringLiteral("image.override"),    QStringLiteral("image.*"),
            QStringLiteral("budget.policy"),     QStringLiteral("budget.settle"),
            QStringLiteral("budget.*"),          QStringLiteral("testrun.source"),
            QStringLiteral("testrun.mock"),      QStringLiteral("testrun.record"),
            QStringLiteral("testrun.*"),         QStringLiteral("*")};
}

QStringList scopeFacets()
{
    return {QStringLiteral("connection"), QStringLiteral("mode"),    QStringLiteral("labels"),
            QStringLiteral("owner"),      QStringLiteral("project"), QStringLiteral("role"),
            QStringLiteral("source"),     QStringLiteral("mock")};
}

Result<void> validateGrantChange(const GrantChange &c)
{
    const WorkspaceGrant &g = c.grant;
    if (c.kind == GrantChange::Kind::Revoke) {
        if (g.id <= 0)
            return invalid(Tr::tr("Which grant? A grant is revoked by its number."));
        if (c.comment.trimmed().isEmpty())
            return invalid(
                Tr::tr("Say why grant %1 is revoked: the comment goes into the audit log.").arg(g.id));
        if (c.comment.size() > 2000)
            return invalid(Tr::tr("The comment is longer than 2,000 characters."));
        return {};
    }
    if (g.subjectKind == QLatin1String("role")) {
        if (!workspaceRoles().contains(g.subject))
            return invalid(Tr::tr("\"%1\" is not a role: user, admin or superuser.").arg(g.subject));
    } else if (g.subjectKind == QLatin1String("person")) {
        if (!isWorkspaceLogin(g.subject))
            return invalid(Tr::tr("\"%1\" is not a workspace login: lower-case letters, digits and '_', "
                                  "starting with a letter or '_', at most 63.")
                               .arg(g.subject));
    } else {
        return invalid(
            Tr::tr("A grant is given to a role or to a person, not to \"%1\".").arg(g.subjectKind));
    }
    static const QRegularExpression action(QStringLiteral("\\A[a-z]+\\.([a-z_-]+|\\*)\\z"));
    static const QStringList systems{
        QStringLiteral("runner"), QStringLiteral("policy"), QStringLiteral("container"),
        QStringLiteral("deploy"), QStringLiteral("tunnel"), QStringLiteral("user"),
        QStringLiteral("image"),  QStringLiteral("budget"), QStringLiteral("testrun")};
    if (g.action != QLatin1String("*") &&
        (!action.match(g.action).hasMatch() || !systems.contains(systemOf(g.action))))
        return invalid(Tr::tr("\"%1\" is not an action a grant can name: system.verb (runner.provision), "
                              "system.* (container.*) or *, where the system is one of %2.")
                           .arg(g.action, systems.join(QStringLiteral(", "))));
    if (g.scope.size() > 500)
        return invalid(Tr::tr("The scope is longer than 500 characters."));
    if (!everywhere(g.scope.trimmed())) {
        static const QRegularExpression facet(QStringLiteral("\\A([a-z]+):([^\\s\\x00-\\x1f]+)\\z"));
        QStringList seen;
        for (const QString &part : g.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const auto m = facet.match(part);
            if (!m.hasMatch())
                return invalid(Tr::tr("\"%1\" in the scope is not a facet: key:value, such as "
                                      "connection:gh-prod, mode:jit or project:shop.")
                                   .arg(part));
            const QString key = m.captured(1);
            const QString value = m.captured(2);
            if (!scopeFacets().contains(key))
                return invalid(Tr::tr("\"%1\" is not a facet a scope can name: %2.")
                                   .arg(key, scopeFacets().join(QStringLiteral(", "))));
            if (seen.contains(key))
                return invalid(Tr::tr("The scope names %1 twice.").arg(key));
            seen << key;
            if (key == QLatin1String("mode") &&
                !QStringList{QStringLiteral("jit"), QStringLiteral("registration"), QStringLiteral("*")}
                     .contains(value))
                return invalid(Tr::tr("mode:%1 is not a provisioning mode: jit or registration.").arg(value));
            if (key == QLatin1String("role") && !workspaceRoles().contains(value) &&
                value != QLatin1String("*"))
                return invalid(Tr::tr("role:%1 is not a role: user, admin or superuser.").arg(value));
        }
    }
    if (c.comment.size() > 2000)
        return invalid(Tr::tr("The comment is longer than 2,000 characters."));
    return {};
}

Result<void> mayChangeGrant(const WorkspacePerson &actor, const QList<WorkspaceGrant> &grants,
                            const QString &subjectRole, const GrantChange &change)
{
    const WorkspaceGrant &g = change.grant;
    const QString what = change.describe();
    if (!actor.active)
        return denied(Tr::tr("%1: %2 is deactivated.").arg(what, actor.login));
    const PermissionDecision manage =
        decidePermission(actor, QStringLiteral("user.manage"), QStringLiteral("role:user"), grants);
    if (!manage.allowed || actor.role == QLatin1String("user"))
        return denied(Tr::tr("%1: %2 may not manage people, so may not change grants (%3).")
                          .arg(what, actor.login, manage.allowed ? Tr::tr("role user") : manage.reason));
    if (actor.role == QLatin1String("superuser"))
        return {};
    const bool aboutManaging = g.action == QLatin1String("user.manage") ||
                               g.action == QLatin1String("user.*") || g.action == QLatin1String("*");
    if (aboutManaging)
        return denied(Tr::tr("%1: only a superuser grants or revokes %2.").arg(what, g.action));
    if (subjectRole == QLatin1String("superuser"))
        return denied(Tr::tr("%1: only a superuser changes the grants of superusers.").arg(what));
    if (change.kind == GrantChange::Kind::Revoke && g.subjectKind == QLatin1String("role") &&
        g.subject == QLatin1String("admin"))
        return denied(Tr::tr("%1: only a superuser changes what every admin may do.").arg(what));
    const QString scope = everywhere(g.scope.trimmed()) ? QStringLiteral("*") : g.scope.trimmed();
    if (g.allow && !holds(actor, grants, g.action, scope))
        return denied(Tr::tr("%1: %2 does not hold %3 on %4, and nobody grants what they do not hold.")
                          .arg(what, actor.login, g.action, scope));
    return {};
}

} // namespace opsdeck
