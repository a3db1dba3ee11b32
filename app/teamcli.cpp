#include "teamcli.h"

#include "services/workspace/workspacestore.h"
#include "workspaceaccess.h"

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

int personAdd(const WorkspaceStore &store, const QString &login, const QString &role, const QString &email,
              const QString &password)
{
    QSqlQuery q(store.db());
    q.prepare(QStringLiteral("SELECT opsdeck_person_add(?, ?, ?, ?)"));
    q.addBindValue(login);
    q.addBindValue(email.isEmpty() ? QStringLiteral("") : email);
    q.addBindValue(role);
    q.addBindValue(password.isEmpty() ? QStringLiteral("") : password);
    if (!q.exec()) {
        err(Tr::tr("%1 was not added: %2").arg(login, q.lastError().databaseText().trimmed()));
        return 1;
    }
    out(Tr::tr("Added %1 as %2.").arg(login, role));
    return 0;
}
} // namespace

int runTeamCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck"));
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr(
        "The team workspace on PostgreSQL: people, roles and permissions shared by the team.\n\n"
        "  opsdeck team init --url URL --superuser LOGIN [--email E] [--password-stdin]\n"
        "      run once by the database owner (who needs CREATEROLE); safe to run again\n"
        "  opsdeck team status [--url URL]\n"
        "  opsdeck team can LOGIN ACTION [--scope S] [--url URL]   exit 0 when allowed, 1 when not, with "
        "the deciding grant\n"
        "  opsdeck team person add LOGIN --role user|admin|superuser [--email E] [--password-stdin] "
        "[--url URL]\n\n"
        "Without --url, a command acts on the workspace the data directory joined (File › Team "
        "Workspace…). URL is a libpq connection URI, postgresql://LOGIN@HOST[:PORT]/DATABASE[?sslmode="
        "verify-full&sslrootcert=FILE]; LOGIN is the person acting, under their own permissions. The "
        "password comes from PGPASSWORD (or ~/.pgpass), the keychain, or a prompt; never from the URL."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, Tr::tr("Show this help."));
    const QCommandLineOption url(QStringLiteral("url"), Tr::tr("The workspace (a libpq connection URI)."),
                                 Tr::tr("URL"));
    const QCommandLineOption superuser(QStringLiteral("superuser"),
                                       Tr::tr("init: the first superuser's login."), Tr::tr("LOGIN"));
    const QCommandLineOption role(QStringLiteral("role"), Tr::tr("person add: user, admin or superuser."),
                                  Tr::tr("ROLE"));
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
    parser.addOptions({help, url, superuser, role, email, passwordStdin, dataDir, scope});
    parser.addPositionalArgument(QStringLiteral("command"), Tr::tr("init, status or person add"));
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
    const bool isPersonAdd =
        command == QLatin1String("person") && positional.value(1) == QLatin1String("add");
    if (command != QLatin1String("init") && command != QLatin1String("status") &&
        command != QLatin1String("can") && !isPersonAdd) {
        err(Tr::tr("unknown command \"%1\": init, status, can or person add.")
                .arg(positional.join(QLatin1Char(' '))));
        return 2;
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
    if (positional.size() != 3 || !parser.isSet(role)) {
        err(Tr::tr("person add needs a LOGIN and --role user|admin|superuser."));
        return 2;
    }
    return personAdd(store, positional.at(2), parser.value(role), parser.value(email),
                     parser.isSet(passwordStdin) ? passwordFromStdin() : QString());
}

} // namespace opsdeck
