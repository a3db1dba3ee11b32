#include "models/workspace/permissions.h"

#include "models/core/glob.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Permissions)
};

QHash<QString, QString> facets(const QString &scope)
{
    QHash<QString, QString> out;
    for (const QString &part : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (part == QLatin1String("*"))
            continue;
        const qsizetype colon = part.indexOf(QLatin1Char(':'));
        out.insert(colon < 0 ? part : part.left(colon), colon < 0 ? QString() : part.mid(colon + 1));
    }
    return out;
}

// Every facet a grant's scope requires is in what is done, with a matching value ("owner:self":
// the person's own login).
bool facetsMatch(const QList<std::pair<QString, QString>> &wanted, const QHash<QString, QString> &given,
                 const QString &login)
{
    for (const auto &[key, required] : wanted) {
        const auto found = given.constFind(key);
        if (found == given.constEnd())
            return false; // the grant is narrower than what is done
        const QString &value =
            required == QLatin1String("self") && key == QLatin1String("owner") ? login : required;
        if (!globMatch(value, found.value()))
            return false;
    }
    return true;
}

// A grant's scope as the list facetsMatch walks (faster to walk than the hash).
QList<std::pair<QString, QString>> facetList(const QString &scope)
{
    const QHash<QString, QString> parsed = facets(scope);
    QList<std::pair<QString, QString>> out;
    for (auto it = parsed.begin(); it != parsed.end(); ++it)
        out.append({it.key(), it.value()});
    return out;
}

// More specific grants report first: a person's before a role's, more facets before fewer, an
// exact action before a wildcard.
int specificity(const WorkspaceGrant &g)
{
    return (g.subjectKind == QLatin1String("person") ? 1000 : 0) + int(facets(g.scope).size()) * 10 +
           (g.action.contains(QLatin1Char('*')) ? 0 : 5);
}
} // namespace

QString WorkspaceGrant::describe() const
{
    const QString who = subjectKind == QLatin1String("role") ? Tr::tr("role %1").arg(subject)
                                                             : Tr::tr("person %1").arg(subject);
    const QString what = allow ? Tr::tr("allow %1").arg(action) : Tr::tr("deny %1").arg(action);
    const QString where =
        scope.isEmpty() || scope == QLatin1String("*") ? Tr::tr("everywhere") : Tr::tr("on %1").arg(scope);
    return QStringLiteral("%1: %2 %3%4")
        .arg(who, what, where,
             id == 0 || grantedBy == QLatin1String("opsdeck")
                 ? Tr::tr(" (default)")
                 : Tr::tr(" (grant %1, by %2)").arg(id).arg(grantedBy));
}

QList<WorkspaceGrant> defaultGrants()
{
    const auto grant = [](const char *role, const char *action, const char *scope, bool allow) {
        WorkspaceGrant g;
        g.subjectKind = QStringLiteral("role");
        g.subject = QLatin1String(role);
        g.action = QLatin1String(action);
        g.scope = QLatin1String(scope);
        g.allow = allow;
        g.grantedBy = QStringLiteral("opsdeck");
        return g;
    };
    return {grant("user", "runner.provision", "mode:jit", true),
            grant("user", "runner.delete", "owner:self", true),
            grant("user", "image.request", "*", true),
            grant("admin", "*", "*", true),
            grant("admin", "user.manage", "role:superuser", false),
            grant("superuser", "*", "*", true),
            grant("user", "testrun.record", "*", true)};
}

bool actionMatches(const QString &pattern, const QString &action)
{
    if (pattern == QLatin1String("*") || pattern == action)
        return true;
    if (pattern.endsWith(QLatin1String(".*")))
        return action.startsWith(pattern.left(pattern.size() - 1)); // "container." prefix
    return false;
}

bool scopeMatches(const QString &grantScope, const QString &scope, const QString &login)
{
    return facetsMatch(facetList(grantScope), facets(scope), login);
}

PermissionIndex::PermissionIndex(const QList<WorkspaceGrant> &grants)
{
    for (const WorkspaceGrant &g : grants) {
        Entry e;
        e.grant = g;
        e.facets = facetList(g.scope);
        e.specificity = specificity(g);
        m_entries << e;
        m_bySubject[g.subjectKind + QLatin1Char(' ') + g.subject] << int(m_entries.size() - 1);
    }
}

PermissionDecision PermissionIndex::decide(const WorkspacePerson &person, const QString &action,
                                           const QString &scope) const
{
    PermissionDecision d;
    const QHash<QString, QString> given = facets(scope); // once, not once per grant
    const auto matches = [&](const Entry &e) {
        return actionMatches(e.grant.action, action) && facetsMatch(e.facets, given, person.login);
    };
    // Only the grants of this person and of their role are looked at.
    QList<const Entry *> applying;
    for (const QString &subject :
         {QStringLiteral("person ") + person.login, QStringLiteral("role ") + person.role})
        for (int i : m_bySubject.value(subject))
            if (matches(m_entries.at(i)))
                applying << &m_entries.at(i);
    std::stable_sort(applying.begin(), applying.end(),
                     [](const Entry *a, const Entry *b) { return a->specificity > b->specificity; });
    for (const Entry *e : std::as_const(applying))
        d.applying << e->grant;
    const QString what = scope.trimmed().isEmpty() ? action : Tr::tr("%1 on %2").arg(action, scope.trimmed());
    if (!person.active) {
        d.reason = Tr::tr("%1 is deactivated: nothing is done in their name.").arg(person.login);
        return d;
    }
    for (const WorkspaceGrant &g : std::as_const(d.applying))
        if (!g.allow) {
            d.deciding = g;
            d.reason = Tr::tr("%1 may not %2: denied by %3 (a deny wins over any allow).")
                           .arg(person.login, what, g.describe());
            return d;
        }
    for (const WorkspaceGrant &g : std::as_const(d.applying))
        if (g.allow) {
            d.allowed = true;
            d.deciding = g;
            d.reason = Tr::tr("%1 may %2: allowed by %3.").arg(person.login, what, g.describe());
            return d;
        }
    d.reason = Tr::tr("%1 may not %2: no grant for the role %3 or for them allows it.")
                   .arg(person.login, what, person.role);
    return d;
}

PermissionDecision decidePermission(const WorkspacePerson &person, const QString &action,
                                    const QString &scope, const QList<WorkspaceGrant> &grants)
{
    return PermissionIndex(grants).decide(person, action, scope);
}

} // namespace opsdeck
