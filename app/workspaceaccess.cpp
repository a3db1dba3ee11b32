#include "workspaceaccess.h"

#include "models/core/appsettings.h"
#include "services/connections/secretstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
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

QString commandDataDir(const QString &option)
{
    return QDir(option.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : option)
        .absolutePath();
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
