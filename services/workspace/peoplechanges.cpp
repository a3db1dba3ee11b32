#include "services/workspace/peoplechanges.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QSqlQuery>

namespace opsdeck::PeopleChanges {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::PeopleChanges)
};

// A null QString binds as SQL NULL, which the columns refuse.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

Result<void> exec(QSqlQuery &q, const QString &what)
{
    if (!q.exec())
        return WorkspaceStore::refusal(q.lastError(), what);
    return {};
}

// The team store: one call of the store's function, which decides as the login signed in. Each is
// one statement, so atomic on its own (and no prepared statement outlives an aborted transaction).
Result<void> applyTeam(QSqlDatabase db, const PersonChange &c, const QString &what)
{
    QSqlQuery q(db);
    switch (c.kind) {
    case PersonChange::Kind::Add:
        q.prepare(QStringLiteral("SELECT opsdeck_person_add(?, ?, ?, ?, ?, ?, ?::jsonb)"));
        q.addBindValue(c.login);
        q.addBindValue(text(c.email));
        q.addBindValue(c.role);
        q.addBindValue(text(c.password));
        q.addBindValue(text(c.displayName));
        q.addBindValue(text(c.githubLogin));
        q.addBindValue(c.identitiesJson());
        break;
    case PersonChange::Kind::Edit:
        q.prepare(QStringLiteral("SELECT opsdeck_person_edit(?, ?, ?, ?, ?::jsonb)"));
        q.addBindValue(c.login);
        q.addBindValue(text(c.email));
        q.addBindValue(text(c.displayName));
        q.addBindValue(text(c.githubLogin));
        q.addBindValue(c.identitiesJson());
        break;
    case PersonChange::Kind::LinkGitHub:
        q.prepare(QStringLiteral("SELECT opsdeck_person_link_github(?)"));
        q.addBindValue(c.githubLogin);
        break;
    case PersonChange::Kind::SetRole:
        q.prepare(QStringLiteral("SELECT opsdeck_person_set_role(?, ?)"));
        q.addBindValue(c.login);
        q.addBindValue(c.role);
        break;
    case PersonChange::Kind::Deactivate:
    case PersonChange::Kind::Reactivate:
        q.prepare(QStringLiteral("SELECT opsdeck_person_set_active(?, ?)"));
        q.addBindValue(c.login);
        q.addBindValue(c.kind == PersonChange::Kind::Reactivate);
        break;
    }
    return exec(q, what);
}

// The local store: its one admin is its superuser, and the same rules hold as in the team store's
// functions (nobody changes their own role or deactivates themselves; two superusers at most, which
// the store's triggers keep).
Result<void> applyLocal(const WorkspaceStore &store, const PersonChange &c, const QString &what)
{
    const auto actor = store.actingLogin();
    if (!actor)
        return actor.error();
    QSqlQuery q(store.db());
    if (c.kind != PersonChange::Kind::Add) {
        if (auto target = store.person(c.login); !target)
            return target.error();
        if (c.kind == PersonChange::Kind::LinkGitHub && c.login != actor.value())
            return makeError("workspace.denied",
                             Tr::tr("%1: only %2 links their own GitHub login").arg(what, c.login));
        if (c.login == actor.value() && c.kind != PersonChange::Kind::Edit &&
            c.kind != PersonChange::Kind::LinkGitHub)
            return makeError("workspace.denied", c.kind == PersonChange::Kind::SetRole
                                                     ? Tr::tr("%1: nobody changes their own role").arg(what)
                                                     : Tr::tr("%1: nobody deactivates themselves").arg(what));
    }
    switch (c.kind) {
    case PersonChange::Kind::Add:
        q.prepare(QStringLiteral("INSERT INTO people (login, email, display_name, role, github_login, "
                                 "identities, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(c.login);
        q.addBindValue(text(c.email));
        q.addBindValue(text(c.displayName));
        q.addBindValue(c.role);
        q.addBindValue(text(c.githubLogin));
        q.addBindValue(c.identitiesJson());
        q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
        break;
    case PersonChange::Kind::Edit:
        q.prepare(QStringLiteral("UPDATE people SET email = ?, display_name = ?, github_login = ?, "
                                 "identities = ? WHERE login = ?"));
        q.addBindValue(text(c.email));
        q.addBindValue(text(c.displayName));
        q.addBindValue(text(c.githubLogin));
        q.addBindValue(c.identitiesJson());
        q.addBindValue(c.login);
        break;
    case PersonChange::Kind::LinkGitHub:
        q.prepare(QStringLiteral("UPDATE people SET github_login = ? WHERE login = ?"));
        q.addBindValue(c.githubLogin);
        q.addBindValue(c.login);
        break;
    case PersonChange::Kind::SetRole:
        q.prepare(QStringLiteral("UPDATE people SET role = ? WHERE login = ?"));
        q.addBindValue(c.role);
        q.addBindValue(c.login);
        break;
    case PersonChange::Kind::Deactivate:
    case PersonChange::Kind::Reactivate:
        q.prepare(QStringLiteral("UPDATE people SET active = ? WHERE login = ?"));
        q.addBindValue(c.kind == PersonChange::Kind::Reactivate ? 1 : 0);
        q.addBindValue(c.login);
        break;
    }
    return exec(q, what);
}
} // namespace

Result<void> apply(const WorkspaceStore &store, const PersonChange &change)
{
    if (auto valid = validatePersonChange(change); !valid)
        return valid;
    const QString what = change.describe();
    QSqlDatabase db = store.db();
    Result<void> r;
    if (store.kind() == WorkspaceStore::Kind::Team) {
        // The store links the caller's own login; asking it for someone else is refused here.
        if (change.kind == PersonChange::Kind::LinkGitHub)
            if (const auto me = store.actingLogin(); !me || me.value() != change.login)
                return makeError("workspace.denied",
                                 Tr::tr("%1: only %2 links their own GitHub login").arg(what, change.login));
        r = applyTeam(db, change, what);
    } else {
        if (!db.transaction())
            return Database::describe(db.lastError(), what);
        r = applyLocal(store, change, what);
        if (r && !db.commit())
            r = Database::describe(db.lastError(), what);
        if (!r)
            db.rollback();
    }
    if (!r && r.error().code == QLatin1String("workspace.exists"))
        return makeError("workspace.exists",
                         Tr::tr("%1: %2 is a person of this workspace already.").arg(what, change.login));
    return r;
}

QJsonObject personRecord(const WorkspacePerson &p)
{
    return QJsonObject{{QStringLiteral("role"), p.role},
                       {QStringLiteral("active"), p.active},
                       {QStringLiteral("email"), p.email},
                       {QStringLiteral("display_name"), p.displayName},
                       {QStringLiteral("github_login"), p.githubLogin},
                       {QStringLiteral("harbor_user"), p.harborUser},
                       {QStringLiteral("litellm_user"), p.litellmUser},
                       {QStringLiteral("oidc_subject"), p.oidcSubject}};
}

AuditEvent auditEvent(const PersonChange &change, const QString &actor, const QString &workspace,
                      const QJsonObject &before, const Result<void> &outcome)
{
    QJsonObject after = before;
    switch (change.kind) {
    case PersonChange::Kind::Add:
        after = QJsonObject{{QStringLiteral("role"), change.role}, {QStringLiteral("active"), true}};
        [[fallthrough]];
    case PersonChange::Kind::Edit:
        after[QStringLiteral("email")] = change.email;
        after[QStringLiteral("display_name")] = change.displayName;
        after[QStringLiteral("github_login")] = change.githubLogin;
        after[QStringLiteral("harbor_user")] = change.harborUser;
        after[QStringLiteral("litellm_user")] = change.litellmUser;
        after[QStringLiteral("oidc_subject")] = change.oidcSubject;
        break;
    case PersonChange::Kind::SetRole:
        after[QStringLiteral("role")] = change.role;
        break;
    case PersonChange::Kind::LinkGitHub:
        after[QStringLiteral("github_login")] = change.githubLogin;
        after[QStringLiteral("github_verified")] = QStringLiteral("device flow");
        break;
    case PersonChange::Kind::Deactivate:
    case PersonChange::Kind::Reactivate:
        after[QStringLiteral("active")] = change.kind == PersonChange::Kind::Reactivate;
        break;
    }
    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = change.auditAction();
    e.backendIdentity = actor;
    e.targetKind = QStringLiteral("person");
    e.targetId = change.login;
    e.targetName = change.login;
    e.comment = change.comment;
    e.outcome = outcome ? AuditOutcome::Success : AuditOutcome::Failure;
    e.details = QJsonObject{{QStringLiteral("workspace"), workspace}, {QStringLiteral("after"), after}};
    if (!before.isEmpty())
        e.details[QStringLiteral("before")] = before;
    if (!outcome)
        e.details[QStringLiteral("error")] = outcome.message();
    return e;
}

} // namespace opsdeck::PeopleChanges
