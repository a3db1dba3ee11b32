#include "teamcli.h"

#include "application.h"

#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/workspace/grantchanges.h"
#include "services/workspace/peoplechanges.h"
#include "services/workspace/workspacestore.h"
#include "workspaceaccess.h"

#include <QDir>
#include <QJsonObject>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

#include <cstdio>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TeamCli)
};

void err(const QString &text)
{
    fprintf(stderr, "opsdeck team: %s\n", text.toLocal8Bit().constData());
}

void out(const QString &text)
{
    fprintf(stdout, "%s\n", text.toLocal8Bit().constData());
}

// A password given on standard input: the first line, without its line end.
QString passwordFromStdin()
{
    QTextStream in(stdin);
    return in.readLine();
}

int status(const WorkspaceStore &store, const WorkspaceUrl &url)
{
    const auto version = store.schemaVersion();
    if (!version) {
        err(version.message());
        return 1;
    }
    out(Tr::tr("Workspace: %1").arg(url.display()));
    if (version.value() == 0) {
        out(Tr::tr("Schema: none yet (run opsdeck team init as the database owner)"));
        return 0;
    }
    out(Tr::tr("Schema: %1 (this Opsdeck: %2)").arg(version.value()).arg(WorkspaceSchema::latest()));
    const auto me = store.actingLogin();
    QSqlQuery q(store.db());
    q.prepare(QStringLiteral("SELECT role, active FROM people WHERE login = ?"));
    q.addBindValue(me ? me.value() : QString());
    if (me && q.exec() && q.next())
        out(Tr::tr("Signed in as: %1 (%2%3)")
                .arg(me.value(), q.value(0).toString(),
                     q.value(1).toBool() ? QString() : Tr::tr(", deactivated")));
    else if (me)
        out(Tr::tr("Signed in as: %1 (not a person of this workspace)").arg(me.value()));
    if (q.exec(QStringLiteral(
            "SELECT role, COUNT(*), SUM(CASE WHEN active THEN 1 ELSE 0 END) FROM people GROUP BY "
            "role ORDER BY role"))) {
        QStringList counts;
        while (q.next())
            counts << Tr::tr("%1 %2 (%3 active)")
                          .arg(q.value(1).toInt())
                          .arg(q.value(0).toString())
                          .arg(q.value(2).toInt());
        out(Tr::tr("People: %1").arg(counts.isEmpty() ? Tr::tr("none") : counts.join(QStringLiteral(", "))));
    } else {
        err(Tr::tr("Cannot read the people: %1").arg(q.lastError().databaseText()));
        return 1;
    }
    return 0;
}

// `team can LOGIN ACTION [--scope S]`: exit 0 when allowed, 1 when not, with the deciding grant.
int can(const WorkspaceStore &store, const QString &login, const QString &action, const QString &scope)
{
    const auto person = store.person(login);
    if (!person) {
        err(person.message());
        return 1;
    }
    const auto grants = store.grants();
    if (!grants) {
        err(grants.message());
        return 1;
    }
    const PermissionDecision d = decidePermission(person.value(), action, scope, grants.value());
    out(d.reason);
    for (const WorkspaceGrant &g : d.applying)
        out(QStringLiteral("  %1 %2").arg(
            d.deciding && g == *d.deciding ? QStringLiteral("*") : QStringLiteral(" "), g.describe()));
    return d.allowed ? 0 : 1;
}

// `team person add|edit|role|deactivate|reactivate`: each change through the store's own rules, and
// each one recorded in this data directory's audit log (which the window sends to the team's
// trail), made or refused. Exit 0 when every change was made, 1 when any was refused.
int personChanges(const WorkspaceStore &store, const WorkspaceUrl &where, const QString &dataDir,
                  const QList<PersonChange> &changes)
{
    if (!openCommandAuditLog(dataDir, "team"))
        return 1;
    const auto everyone = store.people();
    const auto actor = store.actingLogin();
    int refused = 0;
    for (const PersonChange &change : changes) {
        QJsonObject before;
        for (const WorkspacePerson &p : everyone ? everyone.value() : QList<WorkspacePerson>())
            if (p.login == change.login)
                before = PeopleChanges::personRecord(p);
        const Result<void> r = PeopleChanges::apply(store, change);
        if (auto audited = AuditLog::record(PeopleChanges::auditEvent(
                change, actor ? actor.value() : where.user, where.display(), before, r));
            !audited)
            err(Tr::tr("%1: not recorded in the audit log: %2").arg(change.describe(), audited.message()));
        if (r) {
            out(Tr::tr("%1: done.").arg(change.describe()));
        } else {
            err(r.message());
            ++refused;
        }
    }
    Database::close();
    return refused ? 1 : 0;
}

// `team grant add|revoke`: the same way as people's changes, through the store's own rules
// (opsdeck_grant_add, opsdeck_grant_revoke), each recorded in this data directory's audit log.
int grantChanges(const WorkspaceStore &store, const WorkspaceUrl &where, const QString &dataDir,
                 QList<GrantChange> changes)
{
    const auto grants = store.grants();
    if (!grants) {
        err(grants.message());
        return 1;
    }
    if (!openCommandAuditLog(dataDir, "team"))
        return 1;
    const auto actor = store.actingLogin();
    int refused = 0;
    for (GrantChange &change : changes) {
        if (change.kind == GrantChange::Kind::Revoke)
            for (const WorkspaceGrant &g : grants.value())
                if (g.id == change.grant.id)
                    change.grant = g; // what it was, for the audit event
        const Result<qint64> r = GrantChanges::apply(store, change);
        if (auto audited = AuditLog::record(
                GrantChanges::auditEvent(change, actor ? actor.value() : where.user, where.display(), r));
            !audited)
            err(Tr::tr("%1: not recorded in the audit log: %2").arg(change.describe(), audited.message()));
        if (r) {
            out(change.kind == GrantChange::Kind::Add
                    ? Tr::tr("%1: done, grant %2.").arg(change.describe()).arg(r.value())
                    : Tr::tr("%1: done.").arg(change.describe()));
        } else {
            err(r.message());
            ++refused;
        }
    }
    Database::close();
    return refused ? 1 : 0;
}

// `team grant list [--person LOGIN | --role ROLE]`: the grants, one a line, with their numbers
// (what `grant revoke` takes).
int listGrants(const WorkspaceStore &store, const QString &person, const QString &role)
{
    const auto grants = store.grants();
    if (!grants) {
        err(grants.message());
        return 1;
    }
    QString personRole;
    if (!person.isEmpty()) {
        const auto p = store.person(person);
        if (!p) {
            err(p.message());
            return 1;
        }
        personRole = p->role;
    }
    for (const WorkspaceGrant &g : grants.value()) {
        const bool forPerson =
            g.subjectKind == QLatin1String("person") ? g.subject == person : g.subject == personRole;
        if (!person.isEmpty() && !forPerson)
            continue;
        if (!role.isEmpty() && (g.subjectKind != QLatin1String("role") || g.subject != role))
            continue;
        out(QStringLiteral("%1\t%2").arg(g.id).arg(g.describe()));
    }
    return 0;
}

// The details an edit keeps unless an option changes them.
std::optional<PersonChange> editOf(const WorkspaceStore &store, const QString &login)
{
    const auto everyone = store.people();
    if (!everyone) {
        err(everyone.message());
        return std::nullopt;
    }
    for (const WorkspacePerson &p : everyone.value())
        if (p.login == login) {
            PersonChange c;
            c.kind = PersonChange::Kind::Edit;
            c.login = login;
            c.email = p.email;
            c.displayName = p.displayName;
            c.githubLogin = p.githubLogin;
            c.harborUser = p.harborUser;
            c.litellmUser = p.litellmUser;
            c.oidcSubject = p.oidcSubject;
            return c;
        }
    err(Tr::tr("%1 is not a person of this workspace.").arg(login));
    return std::nullopt;
}
} // namespace

int runTeamCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication app(argc, argv);
    installTranslators(app);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck"));
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr(
        "The team workspace on PostgreSQL: people, roles and permissions shared by the team.\n\n"
        "  opsdeck team init --url URL --superuser LOGIN [--email E] [--password-stdin]\n"
        "      run once by the database owner (who needs CREATEROLE); safe to run again\n"
        "  opsdeck team status [--url URL]\n"
        "  opsdeck team can LOGIN ACTION [--scope S] [--url URL]   exit 0 when allowed, 1 when not, with "
        "the deciding grant\n"
        "  opsdeck team person add LOGIN --role user|admin|superuser [--email E] [--name N] [--github G] "
        "[--harbor H] [--litellm L] [--oidc S] [--password-stdin]\n"
        "  opsdeck team person edit LOGIN [--email E] [--name N] [--github G] [--harbor H] [--litellm L] "
        "[--oidc S]\n"
        "  opsdeck team person role LOGIN --role user|admin|superuser [--comment C]\n"
        "  opsdeck team person deactivate LOGIN... --comment C\n"
        "  opsdeck team person reactivate LOGIN... [--comment C]\n"
        "  opsdeck team grant add ACTION (--role R | --person LOGIN) [--scope S] [--deny] [--comment C]\n"
        "  opsdeck team grant revoke ID... --comment C\n"
        "      each change is recorded in the data directory's audit log; exit 1 when any is refused\n"
        "  opsdeck team grant list [--person LOGIN | --role R]   the grants, with the numbers revoke "
        "takes\n\n"
        "Without --url, a command acts on the workspace the data directory joined (File › Team "
        "Workspace…). URL is a libpq connection URI, postgresql://LOGIN@HOST[:PORT]/DATABASE[?sslmode="
        "verify-full&sslrootcert=FILE]; LOGIN is the person acting, under their own permissions. The "
        "password comes from PGPASSWORD (or ~/.pgpass), the keychain, or a prompt; never from the URL."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, Tr::tr("Show this help."));
    const QCommandLineOption url(QStringLiteral("url"), Tr::tr("The workspace (a libpq connection URI)."),
                                 Tr::tr("URL"));
    const QCommandLineOption superuser(QStringLiteral("superuser"),
                                       Tr::tr("init: the first superuser's login."), Tr::tr("LOGIN"));
    const QCommandLineOption role(QStringLiteral("role"),
                                  Tr::tr("person add, role: user, admin or superuser."), Tr::tr("ROLE"));
    const QCommandLineOption email(QStringLiteral("email"), Tr::tr("The person's email address."),
                                   Tr::tr("E"));
    const QCommandLineOption passwordStdin(
        QStringLiteral("password-stdin"),
        Tr::tr("Read the new login's password from the first line of standard input."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), Tr::tr("The data directory."),
                                     Tr::tr("dir"));
    const QCommandLineOption scope(
        QStringLiteral("scope"),
        Tr::tr("can: what the action is done on, as facets (\"connection:gh mode:jit\")."), Tr::tr("S"));
    const QCommandLineOption name(QStringLiteral("name"), Tr::tr("person: the display name."), Tr::tr("N"));
    const QCommandLineOption github(QStringLiteral("github"), Tr::tr("person: the GitHub login."),
                                    Tr::tr("G"));
    const QCommandLineOption harbor(QStringLiteral("harbor"), Tr::tr("person: their Harbor user name."),
                                    Tr::tr("H"));
    const QCommandLineOption litellm(QStringLiteral("litellm"), Tr::tr("person: their LiteLLM user id."),
                                     Tr::tr("L"));
    const QCommandLineOption oidc(QStringLiteral("oidc"),
                                  Tr::tr("person: the subject their identity provider (OIDC) gives them."),
                                  Tr::tr("S"));
    const QCommandLineOption comment(QStringLiteral("comment"),
                                     Tr::tr("person: why, for the audit log (required to deactivate)."),
                                     Tr::tr("C"));
    const QCommandLineOption person(QStringLiteral("person"),
                                    Tr::tr("grant: the person the grant is for (or listed for)."),
                                    Tr::tr("LOGIN"));
    const QCommandLineOption deny(QStringLiteral("deny"),
                                  Tr::tr("grant add: a deny, which wins over any allow."));
    parser.addOptions({help, url, superuser, role, email, passwordStdin, dataDir, scope, name, github, harbor,
                       litellm, comment, person, deny, oidc});
    parser.addPositionalArgument(QStringLiteral("command"), Tr::tr("init, status, can, person or grant"));
    if (!parser.parse(QStringList{QStringLiteral("opsdeck team")} + arguments)) {
        err(parser.errorText());
        return 2;
    }
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(help) || positional.isEmpty()) {
        fputs(parser.helpText().toLocal8Bit().constData(), parser.isSet(help) ? stdout : stderr);
        return parser.isSet(help) ? 0 : 2;
    }
    const QString command = positional.first();
    static const QStringList personVerbs{QStringLiteral("add"), QStringLiteral("edit"),
                                         QStringLiteral("role"), QStringLiteral("deactivate"),
                                         QStringLiteral("reactivate")};
    const QString verb = positional.value(1);
    const bool isPerson = command == QLatin1String("person") && personVerbs.contains(verb);
    const bool isGrant =
        command == QLatin1String("grant") &&
        QStringList{QStringLiteral("add"), QStringLiteral("revoke"), QStringLiteral("list")}.contains(verb);
    if (command != QLatin1String("init") && command != QLatin1String("status") &&
        command != QLatin1String("can") && !isPerson && !isGrant) {
        err(Tr::tr("unknown command \"%1\": init, status, can, person add|edit|role|deactivate|reactivate, "
                   "or grant add|revoke|list.")
                .arg(positional.join(QLatin1Char(' '))));
        return 2;
    }
    QList<GrantChange> grantList;
    if (isGrant && verb == QLatin1String("add")) {
        if (positional.size() != 3 || parser.isSet(role) == parser.isSet(person)) {
            err(Tr::tr("grant add needs one ACTION and either --role R or --person LOGIN, e.g. opsdeck team "
                       "grant add image.request --role user --scope project:shop."));
            return 2;
        }
        GrantChange c;
        c.grant.subjectKind = parser.isSet(role) ? QStringLiteral("role") : QStringLiteral("person");
        c.grant.subject = parser.isSet(role) ? parser.value(role) : parser.value(person);
        c.grant.action = positional.at(2);
        c.grant.scope = parser.isSet(scope) ? parser.value(scope).trimmed() : QStringLiteral("*");
        c.grant.allow = !parser.isSet(deny);
        c.comment = parser.value(comment).trimmed();
        grantList << c;
    } else if (isGrant && verb == QLatin1String("revoke")) {
        if (positional.size() < 3) {
            err(Tr::tr("grant revoke needs the numbers of one or more grants (opsdeck team grant list shows "
                       "them)."));
            return 2;
        }
        for (const QString &id : positional.mid(2)) {
            GrantChange c;
            c.kind = GrantChange::Kind::Revoke;
            bool ok = false;
            c.grant.id = id.toLongLong(&ok);
            if (!ok || c.grant.id <= 0) {
                err(Tr::tr("\"%1\" is not a grant's number.").arg(id));
                return 2;
            }
            c.comment = parser.value(comment).trimmed();
            grantList << c;
        }
    }
    for (const GrantChange &c : std::as_const(grantList))
        if (auto valid = validateGrantChange(c); !valid) {
            err(valid.message());
            return 2;
        }
    if (isPerson) {
        const bool many = verb == QLatin1String("deactivate") || verb == QLatin1String("reactivate");
        if (positional.size() < 3 || (!many && positional.size() != 3)) {
            err(many ? Tr::tr("person %1 needs one or more LOGINs.").arg(verb)
                     : Tr::tr("person %1 needs one LOGIN.").arg(verb));
            return 2;
        }
        if ((verb == QLatin1String("add") || verb == QLatin1String("role")) && !parser.isSet(role)) {
            err(Tr::tr("person %1 needs --role user|admin|superuser.").arg(verb));
            return 2;
        }
        if (verb == QLatin1String("deactivate") && parser.value(comment).trimmed().isEmpty()) {
            err(Tr::tr("person deactivate needs --comment: why, for the audit log."));
            return 2;
        }
    }
    if (command == QLatin1String("can") && positional.size() != 3) {
        err(Tr::tr(
            "can needs a LOGIN and an ACTION, e.g. opsdeck team can bob runner.delete --scope owner:carol."));
        return 2;
    }
    bool usage = false;
    auto access =
        openTeamForCommand(parser.value(url), parser.value(dataDir), QStringLiteral("team-cli"), &usage);
    if (!access) {
        err(access.message());
        return usage ? 2 : 1;
    }
    const WorkspaceStore &store = access->store;
    const WorkspaceUrl &where = access->url;
    if (command == QLatin1String("status"))
        return status(store, where);
    if (command == QLatin1String("can"))
        return can(store, positional.at(1), positional.at(2), parser.value(scope));
    if (isGrant)
        return verb == QLatin1String("list") ? listGrants(store, parser.value(person), parser.value(role))
                                             : grantChanges(store, where, parser.value(dataDir), grantList);
    if (command == QLatin1String("init")) {
        if (!parser.isSet(superuser)) {
            err(Tr::tr("init needs --superuser LOGIN: the first person who may manage everyone."));
            return 2;
        }
        const QString password = parser.isSet(passwordStdin) ? passwordFromStdin() : QString();
        if (auto r = store.initialize(parser.value(superuser), parser.value(email), password); !r) {
            err(r.message());
            return 1;
        }
        out(Tr::tr("The workspace %1 is at schema %2; %3 is a superuser.")
                .arg(where.display())
                .arg(WorkspaceSchema::latest())
                .arg(parser.value(superuser)));
        return 0;
    }
    QList<PersonChange> changes;
    if (verb == QLatin1String("edit")) {
        auto edit = editOf(store, positional.at(2));
        if (!edit)
            return 1;
        if (parser.isSet(email))
            edit->email = parser.value(email);
        if (parser.isSet(name))
            edit->displayName = parser.value(name);
        if (parser.isSet(github))
            edit->githubLogin = parser.value(github);
        if (parser.isSet(harbor))
            edit->harborUser = parser.value(harbor);
        if (parser.isSet(litellm))
            edit->litellmUser = parser.value(litellm);
        if (parser.isSet(oidc))
            edit->oidcSubject = parser.value(oidc);
        changes << *edit;
    } else {
        for (const QString &login : positional.mid(2)) {
            PersonChange c;
            c.kind = verb == QLatin1String("add")          ? PersonChange::Kind::Add
                     : verb == QLatin1String("role")       ? PersonChange::Kind::SetRole
                     : verb == QLatin1String("deactivate") ? PersonChange::Kind::Deactivate
                                                           : PersonChange::Kind::Reactivate;
            c.login = login;
            c.role = parser.value(role);
            c.email = parser.value(email);
            c.displayName = parser.value(name);
            c.githubLogin = parser.value(github);
            c.harborUser = parser.value(harbor);
            c.litellmUser = parser.value(litellm);
            c.oidcSubject = parser.value(oidc);
            c.comment = parser.value(comment).trimmed();
            changes << c;
        }
        if (verb == QLatin1String("add") && parser.isSet(passwordStdin))
            changes.first().password = passwordFromStdin();
    }
    return personChanges(store, where, parser.value(dataDir), changes);
}

} // namespace opsdeck
