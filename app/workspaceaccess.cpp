#include "workspaceaccess.h"

#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "services/connections/secretstore.h"
#include "services/store/auditlog.h"
#include "services/store/demoworkspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TeamCli)
};

QString keychainSecret(const QString &key)
{
    QString password;
    QEventLoop loop;
    SecretStore::instance()->read(key, &loop, [&](const Result<QString> &secret) {
        if (secret)
            password = secret.value();
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit); // a keychain that never answers
    loop.exec();
    return password;
}

// A password typed at the terminal, not echoed.
QString promptPassword(const QString &login)
{
    fprintf(stderr, "%s", Tr::tr("Password for %1: ").arg(login).toLocal8Bit().constData());
    fflush(stderr);
    termios saved{};
    const bool terminal = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    char buffer[1024] = {};
    const bool read = fgets(buffer, sizeof buffer, stdin) != nullptr;
    if (terminal)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    fprintf(stderr, "\n");
    QString password = read ? QString::fromLocal8Bit(buffer) : QString();
    while (password.endsWith(QLatin1Char('\n')) || password.endsWith(QLatin1Char('\r')))
        password.chop(1);
    return password;
}
} // namespace

Result<WorkspaceAccess> openWorkspaceForCommand(const QString &urlOption, const QString &dataDir,
                                                const QString &connectionName, bool *usage)
{
    *usage = false;
    const AppSettings settings(commandDataDir(dataDir));
    if (!urlOption.isEmpty() || !settings.workspaceUrl().isEmpty()) {
        auto team = openTeamForCommand(urlOption, dataDir, connectionName, usage);
        if (!team)
            return team.error();
        TeamAccess &t = team.value();
        const auto me = t.store.actingLogin();
        return WorkspaceAccess{t.url.display(), me ? me.value() : t.url.user, std::move(t.store)};
    }
    QDir().mkpath(commandDataDir(dataDir));
    const QString path = settings.localWorkspacePath();
    auto local = WorkspaceStore::openLocal(path, connectionName);
    if (!local)
        return local.error();
    const QString login = WorkspaceStore::loginFor(AuditLog::currentOsUser());
    if (auto r = local->initialize(login, {}); !r)
        return r.error();
    const auto me = local->actingLogin();
    return WorkspaceAccess{QStringLiteral("local: ") + path, me ? me.value() : login,
                           std::move(local.value())};
}

bool openCommandAuditLog(const QString &dataDir, const char *command)
{
    const QString dir = commandDataDir(dataDir);
    QDir().mkpath(dir); // as the window does on its first start
    const QString cache = dir + QStringLiteral("/cache.sqlite");
    if (auto opened = Database::open(cache); !opened) {
        fprintf(stderr, "opsdeck %s: %s\n", command,
                Tr::tr("Nothing was changed: the audit log %1 cannot be opened (%2).")
                    .arg(cache, opened.message())
                    .toLocal8Bit()
                    .constData());
        return false;
    }
    return true;
}

QString commandDataDir(const QString &option)
{
    return QDir(option.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : option)
        .absolutePath();
}

Result<void> openCommandCacheReadOnly(const QString &dataDirOption, bool demo)
{
    QString dir = dataDirOption;
    if (dir.isEmpty()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (demo)
            dir = DemoWorkspace::dataDir(dir);
    }
    const QString path = QDir(dir).absoluteFilePath(QStringLiteral("cache.sqlite"));
    if (!QFile::exists(path))
        return makeError(
            "command.nocache",
            QCoreApplication::translate("opsdeck::WorkspaceAccess",
                                        "there is no Opsdeck cache at %1: start Opsdeck once with this "
                                        "data directory.")
                .arg(path));
    return Database::open(path, Database::Mode::ReadOnly);
}

Result<TeamAccess> openTeamForCommand(const QString &urlOption, const QString &dataDir,
                                      const QString &connectionName, bool *usage)
{
    *usage = false;
    QString text = urlOption;
    if (text.isEmpty()) {
        AppSettings settings(commandDataDir(dataDir));
        text = settings.workspaceUrl();
        if (text.isEmpty()) {
            *usage = true;
            return makeError(
                "workspace.not-joined",
                Tr::tr("the data directory %1 has not joined a team workspace: join one in "
                       "File › Team Workspace…, or give it with --url postgresql://LOGIN@HOST/DATABASE.")
                    .arg(commandDataDir(dataDir)));
        }
    }
    auto url = parseWorkspaceUrl(text);
    if (!url) {
        *usage = true;
        return url.error();
    }
    // What the window keeps in the keychain: a client certificate, or a password (which
    // PGPASSWORD, when set, replaces).
    WorkspaceCredential credential =
        WorkspaceCredential::fromSecret(keychainSecret(AppSettings::workspaceSecretKey(url->display())));
    if (!qEnvironmentVariableIsEmpty("PGPASSWORD"))
        credential.password.clear();
    auto store = WorkspaceStore::openTeam(url.value(), credential, connectionName);
    if (store)
        return TeamAccess{url.value(), std::move(store.value())};
    if (store.error().code != QLatin1String("workspace.auth") || !isatty(STDIN_FILENO))
        return store.error();
    credential.password = promptPassword(url->user.isEmpty() ? qEnvironmentVariable("USER") : url->user);
    auto again = WorkspaceStore::openTeam(url.value(), credential, connectionName + QStringLiteral("-2"));
    if (!again)
        return again.error();
    return TeamAccess{url.value(), std::move(again.value())};
}

} // namespace opsdeck
