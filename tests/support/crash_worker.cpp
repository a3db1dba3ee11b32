// A child process for the kill -9 tests: Opsdeck's services as the application hosts them (each
// on its own thread with its own database connection), without the window. The test kills it in
// the middle of the work and then checks the database it leaves.
//   crash_worker sync DB GITHUB_URL     syncs the "crash-github" connection's runners, again and again
//   crash_worker deploy DB ENGINE_URL   runs a quick-service job on the "crash-docker" engine
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/connections/secretstore.h"
#include "services/deploy/deployservice.h"
#include "services/github/githubservice.h"
#include "services/servicehost.h"

#include <QCoreApplication>

#include <cstdio>

using namespace opsdeck;

namespace {
Connection ensureConnection(const Connection &wanted)
{
    const auto all = ConnectionStore::all(Database::connection());
    if (all)
        for (const Connection &c : all.value())
            if (c.name == wanted.name)
                return c;
    auto saved = ConnectionStore::save(Database::connection(), wanted);
    if (!saved) {
        std::fprintf(stderr, "cannot save the connection: %s\n", qPrintable(saved.message()));
        std::exit(1);
    }
    return saved.value();
}

void say(const char *line)
{
    std::fputs(line, stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3)
        return 2;
    if (auto r = Database::open(args.at(2)); !r) {
        std::fprintf(stderr, "%s\n", qPrintable(r.message()));
        return 1;
    }
    ServiceHost host;
    const QString mode = args.at(1);
    if (args.size() < 4)
        return 2;
    if (mode == QLatin1String("sync")) {
        Connection c;
        c.kind = ConnectionKind::GitHub;
        c.name = QStringLiteral("crash-github");
        c.endpoint = args.at(3);
        c.auth = AuthKind::Token;
        c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
        c = ensureConnection(c);
        SecretStore::keepInMemory(c.secretKey(), QStringLiteral("ghp_crash"));
        auto *github = host.add(new GitHubService, QStringLiteral("github"));
        QObject::connect(github, &GitHubService::syncFinished, &app,
                         [github, id = c.id](qint64, const Outcome &o) {
                             say(o.ok ? "synced" : qPrintable(QStringLiteral("sync failed: ") + o.message));
                             QMetaObject::invokeMethod(github, [github, id] { github->syncRunners(id); });
                         });
        QMetaObject::invokeMethod(github, [github, id = c.id] { github->syncRunners(id); });
        say("ready");
        return app.exec();
    }
    if (mode == QLatin1String("deploy")) {
        Connection c;
        c.kind = ConnectionKind::Docker;
        c.name = QStringLiteral("crash-docker");
        c.endpoint = args.at(3);
        c.auth = AuthKind::None;
        c = ensureConnection(c);
        auto *deploy = host.add(new DeployService, QStringLiteral("deploy"));
        QObject::connect(deploy, &DeployService::jobStarted, &app,
                         [](quint64, qint64 job) { say(qPrintable(QStringLiteral("job %1").arg(job))); });
        QObject::connect(deploy, &DeployService::refused, &app, [&app](quint64, const Outcome &o) {
            say(qPrintable(QStringLiteral("refused: ") + o.message));
            app.exit(1);
        });
        QuickServiceSpec spec;
        spec.connectionId = c.id;
        spec.image = QStringLiteral("127.0.0.1:5999/team/slow:1.0");
        spec.containerPort = 80;
        QMetaObject::invokeMethod(deploy, [deploy, spec] { deploy->quickService(1, spec); });
        return app.exec();
    }
    return 2;
}
