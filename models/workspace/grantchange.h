// One change to the grants of the workspace, as the Users pane and `opsdeck team grant …` ask for
// it: a new grant (allow or deny, to a role or a person, an action, a scope), or a grant revoked.
// Pure: what is valid, what the acting person must hold to make it, and how it is audited. The
// workspace service applies it (services/workspace/grantchanges.h), where the store has the last
// word (opsdeck_grant_add and opsdeck_grant_revoke on a team store).
#pragma once

#include "models/core/result.h"
#include "models/workspace/permissions.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace opsdeck {

struct GrantChange
{
    enum class Kind { Add, Revoke };
    Kind kind = Kind::Add;
    // Add: subjectKind, subject, action, scope and allow. Revoke: the grant as the copy has it,
    // with its id.
    WorkspaceGrant grant;
    QString comment; // why, for the audit log; required to revoke

    // grant.add or grant.revoke
    QString auditAction() const;
    // "Grant role user: allow image.request everywhere", for progress and messages.
    QString describe() const;
};

// The actions a grant is usually about, for the dialog's list: every action of the taxonomy that
// Opsdeck checks, each system's wildcard, and "*".
QStringList grantableActions();
// The facets a grant's scope is made of, with what each says.
QStringList scopeFacets();

// "workspace.invalid" naming the field and the rule: a role or a workspace login as the subject, an
// action of the taxonomy (system.verb, system.* or *), a scope of known facets (key:value, '*'
// in a value matches any run of characters), a comment to revoke; a default grant is revoked like
// any other, but it needs its id.
Result<void> validateGrantChange(const GrantChange &change);

// What the acting person must hold to make the change, as the store decides it: user.manage over
// users, and a superuser for anything about user.manage itself, superusers, or (for an allow) an
// action they are not allowed themselves; "nobody grants what they do not hold". Checked on the
// copy's grants before the store is asked; "workspace.denied" with the reason.
Result<void> mayChangeGrant(const WorkspacePerson &actor, const QList<WorkspaceGrant> &grants,
                            const QString &subjectRole, const GrantChange &change);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::GrantChange)
