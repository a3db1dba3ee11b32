#include "models/workspace/personchange.h"

#include "models/audit/auditevent.h"
#include "models/core/validation.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::PersonChange)
};

Error invalid(const QString &message)
{
    return makeError("workspace.invalid", message);
}
} // namespace

QStringList workspaceRoles()
{
    return {QStringLiteral("user"), QStringLiteral("admin"), QStringLiteral("superuser")};
}

bool isWorkspaceLogin(const QString &login)
{
    static const QRegularExpression re(QStringLiteral("\\A[a-z_][a-z0-9_]{0,62}\\z"));
    return re.match(login).hasMatch();
}

QString PersonChange::auditAction() const
{
    switch (kind) {
    case Kind::Add:
        return AuditAction::userCreate;
    case Kind::Edit:
    case Kind::LinkGitHub:
        return AuditAction::userUpdate;
    case Kind::SetRole:
        return AuditAction::userRole;
    case Kind::Deactivate:
        return AuditAction::userDisable;
    case Kind::Reactivate:
        return AuditAction::userEnable;
    }
    return AuditAction::userUpdate;
}

QString PersonChange::describe() const
{
    switch (kind) {
    case Kind::Add:
        return Tr::tr("Add %1 as %2").arg(login, role);
    case Kind::Edit:
        return Tr::tr("Edit %1").arg(login);
    case Kind::SetRole:
        return Tr::tr("Make %1 %2").arg(login, role);
    case Kind::Deactivate:
        return Tr::tr("Deactivate %1").arg(login);
    case Kind::Reactivate:
        return Tr::tr("Reactivate %1").arg(login);
    case Kind::LinkGitHub:
        return Tr::tr("Link the GitHub login %1 to %2").arg(githubLogin, login);
    }
    return login;
}

QString PersonChange::identitiesJson() const
{
    QJsonObject o;
    if (!harborUser.isEmpty())
        o.insert(QStringLiteral("harbor"), harborUser);
    if (!litellmUser.isEmpty())
        o.insert(QStringLiteral("litellm"), litellmUser);
    if (!oidcSubject.isEmpty())
        o.insert(QStringLiteral("oidc"), oidcSubject);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Result<void> validatePersonChange(const PersonChange &c)
{
    if (!isWorkspaceLogin(c.login))
        return invalid(Tr::tr("\"%1\" is not a workspace login: lower-case letters, digits and '_', "
                              "starting with a letter or '_', at most 63.")
                           .arg(c.login));
    if ((c.kind == PersonChange::Kind::Add || c.kind == PersonChange::Kind::SetRole) &&
        !workspaceRoles().contains(c.role))
        return invalid(Tr::tr("\"%1\" is not a role: user, admin or superuser.").arg(c.role));
    if (c.kind == PersonChange::Kind::LinkGitHub && c.githubLogin.isEmpty())
        return invalid(Tr::tr("No GitHub login to link."));
    if (c.kind == PersonChange::Kind::Add || c.kind == PersonChange::Kind::Edit ||
        c.kind == PersonChange::Kind::LinkGitHub) {
        static const QRegularExpression email(QStringLiteral("\\A[^@\\s]+@[^@\\s]+\\.[^@\\s]+\\z"));
        if (!c.email.isEmpty() && !email.match(c.email).hasMatch())
            return invalid(Tr::tr("\"%1\" is not an email address.").arg(c.email));
        if (c.email.size() > 254)
            return invalid(Tr::tr("The email address is longer than 254 characters."));
        if (c.displayName.size() > 200 || c.displayName.contains(QLatin1Char('\n')))
            return invalid(Tr::tr("The name is one line of at most 200 characters."));
        if (!c.githubLogin.isEmpty() && !validateGitHubOwner(c.githubLogin))
            return invalid(Tr::tr("\"%1\" is not a GitHub login: letters, digits and single hyphens, "
                                  "not at either end, at most 39.")
                               .arg(c.githubLogin));
        static const QRegularExpression identity(QStringLiteral("\\A[^\\s\\x00-\\x1f]{1,255}\\z"));
        if (!c.harborUser.isEmpty() && !identity.match(c.harborUser).hasMatch())
            return invalid(Tr::tr("A Harbor user name is one word of at most 255 characters."));
        if (!c.litellmUser.isEmpty() && !identity.match(c.litellmUser).hasMatch())
            return invalid(Tr::tr("A LiteLLM user id is one word of at most 255 characters."));
        // OpenID Connect: "sub" is at most 255 ASCII characters.
        static const QRegularExpression subject(QStringLiteral("\\A[\\x21-\\x7e]{1,255}\\z"));
        if (!c.oidcSubject.isEmpty() && !subject.match(c.oidcSubject).hasMatch())
            return invalid(
                Tr::tr("An OIDC subject is at most 255 printable ASCII characters, without spaces."));
    }
    if (c.kind == PersonChange::Kind::Deactivate && c.comment.trimmed().isEmpty())
        return invalid(
            Tr::tr("Say why %1 is deactivated: the comment goes into the audit log.").arg(c.login));
    if (c.comment.size() > 2000)
        return invalid(Tr::tr("The comment is longer than 2,000 characters."));
    return {};
}

QStringList personChangeScopes(const PersonChange &c, const QString &currentRole, const QString &actor)
{
    if ((c.kind == PersonChange::Kind::Edit || c.kind == PersonChange::Kind::LinkGitHub) && c.login == actor)
        return {};
    const QString role = c.kind == PersonChange::Kind::Add ? c.role : currentRole;
    QStringList scopes{QStringLiteral("role:") + role};
    if (c.kind == PersonChange::Kind::SetRole && c.role != role)
        scopes << QStringLiteral("role:") + c.role;
    return scopes;
}

} // namespace opsdeck
