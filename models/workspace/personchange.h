// One change to a person of the workspace, as the Users pane and `opsdeck team person …` ask for
// it: add, edit the details, change the role, deactivate, reactivate. Pure: what is valid, what
// permission it needs, and how it is audited. The workspace service applies it
// (services/workspace/peoplechanges.h), where the store has the last word.
#pragma once

#include "models/core/result.h"

#include <QMetaType>
#include <QString>

namespace opsdeck {

struct PersonChange
{
    // LinkGitHub: the acting person's own GitHub login, as GitHub's device flow showed it.
    enum class Kind { Add, Edit, SetRole, Deactivate, Reactivate, LinkGitHub };
    Kind kind = Kind::Edit;
    QString login;
    QString role;        // Add, SetRole: user, admin or superuser
    QString email;       // Add, Edit
    QString displayName; // Add, Edit
    QString githubLogin; // Add, Edit
    QString harborUser;  // Add, Edit: their Harbor user name (offboarding removes it from projects)
    QString litellmUser; // Add, Edit: their LiteLLM user id (offboarding blocks it and its keys)
    QString oidcSubject; // Add, Edit: the subject their identity provider (OIDC) gives them
    QString password;    // Add on a team store: the new login's password (empty: none yet)
    QString comment;     // why; required to deactivate

    // user.create, user.update, user.role, user.disable, user.enable
    QString auditAction() const;
    // "Deactivate bob", for progress and messages.
    QString describe() const;
    // {"harbor": …, "litellm": …, "oidc": …}, the set ones only, as the store keeps them.
    QString identitiesJson() const;
};

// "workspace.invalid" naming the field and the rule: a login of lower-case letters, digits and '_'
// (what PostgreSQL takes as a login, at most 63), a known role, an email address, a GitHub login,
// a comment to deactivate.
Result<void> validatePersonChange(const PersonChange &change);
bool isWorkspaceLogin(const QString &login);
QStringList workspaceRoles();

// The scopes of user.manage that a change needs, given the person's role now (empty for someone
// new): "role:ROLE" for whom it is about, and the new role too when the role changes. None when a
// person edits their own details.
QStringList personChangeScopes(const PersonChange &change, const QString &currentRole, const QString &actor);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::PersonChange)
