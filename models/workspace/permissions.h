// Per-action permissions of the workspace: grants of (role or person) x action x scope, allow or
// deny, and the decision for one person, action and scope, with every grant that applies and the
// one that decides. Deny wins over allow; nothing allowed is denied. Pure: the Users pane, the
// services (before any remote call) and `opsdeck team can` all ask this; the team store enforces
// the same rules for its own tables.
//
// An action is one of the audit taxonomy ("runner.provision", "container.stop", "user.manage"), a
// system wildcard ("container.*") or "*". A scope is a set of facets, "key:value" separated by
// spaces: the facets of what is done ("connection:acme-gh mode:jit labels:linux,x64 owner:alice
// project:shop"), and of a grant, which applies when every one of its facets matches ("*" or empty
// matches everything; a value may use * as a wildcard; "owner:self" matches the person's own login;
// "role:superuser" in a user.manage grant names whom it is about).
#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace opsdeck {

struct WorkspaceGrant
{
    qint64 id = 0;       // 0: one of Opsdeck's defaults
    QString subjectKind; // "role" or "person"
    QString subject;     // "user", "admin", "superuser", or a login
    QString action;
    QString scope = QStringLiteral("*");
    bool allow = true;
    QString grantedBy;
    QString describe() const; // "role user: allow runner.provision on mode:jit"
    bool operator==(const WorkspaceGrant &) const = default;
};

struct WorkspacePerson
{
    WorkspacePerson() = default;
    WorkspacePerson(QString login_, QString role_, bool active_)
        : login(std::move(login_)), role(std::move(role_)), active(active_)
    {
    }
    QString login;
    QString role = QStringLiteral("user"); // user, admin, superuser
    bool active = true;
    // What the Users pane shows; decisions need only the three above.
    QString email;
    QString displayName;
    QString githubLogin;
    QString harborUser; // identities on other systems, as the workspace links them
    QString litellmUser;
    QString oidcSubject;    // the subject ("sub") their identity provider gives them, if any
    QString createdAt;      // UTC, ISO 8601
    QString lastSeenAt;     // UTC, ISO 8601, or empty
    QString reviewedAt;     // UTC, ISO 8601, or empty: the last access review signed off
    bool introDone = false; // they have finished the first-run introduction
};

struct PermissionDecision
{
    bool allowed = false;
    std::optional<WorkspaceGrant> deciding; // none: nothing allows it (or the person is inactive)
    QList<WorkspaceGrant> applying;         // every grant whose subject, action and scope match
    QString reason;                         // for people: why, naming the deciding grant
};

// The defaults, as the dashboards Opsdeck replaces have them: a user may provision just-in-time
// runners (within the label policy, which the runner service checks) and remove the runners they
// provisioned; an admin may do everything but manage superusers; a superuser may do everything.
QList<WorkspaceGrant> defaultGrants();

bool actionMatches(const QString &pattern, const QString &action);
// Whether a grant's scope covers the scope of what is done, for `login` ("owner:self").
bool scopeMatches(const QString &grantScope, const QString &scope, const QString &login);

PermissionDecision decidePermission(const WorkspacePerson &person, const QString &action,
                                    const QString &scope, const QList<WorkspaceGrant> &grants);

// The same decisions for many questions over one set of grants (a removal list of thousands of
// runners, the Users pane's table): the grants are indexed by subject and their scopes parsed once.
class PermissionIndex
{
public:
    explicit PermissionIndex(const QList<WorkspaceGrant> &grants);
    PermissionDecision decide(const WorkspacePerson &person, const QString &action,
                              const QString &scope) const;

private:
    struct Entry
    {
        WorkspaceGrant grant;
        QList<std::pair<QString, QString>> facets; // what the grant's scope requires, parsed once
        int specificity = 0;
    };
    QList<Entry> m_entries;
    QHash<QString, QList<int>> m_bySubject; // "role user", "person bob" -> entries, most specific first
};

} // namespace opsdeck
