// Runner sync under latency: a local GitHub server in its own thread answers a list of 10,000
// runners in pages of 100 (Link headers), each response held back by 20 ms. Opsdeck's GitHub
// service syncs on its worker thread while the Runners pane is open on the GUI thread. Prints
//  - the wall time of the sync next to the serial latency floor (pages x latency),
//  - the longest time the GUI thread's event loop was blocked (a 1 ms probe timer's largest gap),
//  - the same for a second sync that changes nothing.
// GitHub asks clients to make requests serially, not concurrently (secondary rate limits), so
// the pages are fetched one after another and the floor is the target to approach.
// Usage: bench_sync [--runners N] [--latency MS]
#include "benchreport.h"
#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/github/runnersmodel.h"
#include "models/store/database.h"
#include "services/connections/secretstore.h"
#include "services/github/githubservice.h"
#include "services/servicehost.h"
#include "stallprobe.h"
#include "testhttpserver.h"
#include "ui/panes/runners/runnerspane.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cstdio>

using namespace opsdeck;

namespace {
QJsonObject runnerJson(int id)
{
    QJsonArray labels{QJsonObject{{QStringLiteral("id"), 1},
                                  {QStringLiteral("name"), QStringLiteral("self-hosted")},
                                  {QStringLiteral("type"), QStringLiteral("read-only")}},
                      QJsonObject{{QStringLiteral("id"), 2},
                                  {QStringLiteral("name"), QStringLiteral("linux")},
                                  {QStringLiteral("type"), QStringLiteral("read-only")}},
                      QJsonObject{{QStringLiteral("id"), 3},
                                  {QStringLiteral("name"), QStringLiteral("x64")},
                                  {QStringLiteral("type"), QStringLiteral("read-only")}},
                      QJsonObject{{QStringLiteral("id"), 4},
                                  {QStringLiteral("name"), QStringLiteral("team-%1").arg(id % 17)},
                                  {QStringLiteral("type"), QStringLiteral("custom")}}};
    return {{QStringLiteral("id"), id},
            {QStringLiteral("runner_group_id"), 1},
            {QStringLiteral("name"), QStringLiteral("ci-linux-x64-%1").arg(id, 5, 10, QLatin1Char('0'))},
            {QStringLiteral("os"), QStringLiteral("linux")},
            {QStringLiteral("status"), id % 7 == 0 ? QStringLiteral("offline") : QStringLiteral("online")},
            {QStringLiteral("busy"), id % 3 == 0},
            {QStringLiteral("ephemeral"), false},
            {QStringLiteral("labels"), labels}};
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int runners = 10000;
    int latencyMs = 20;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--runners"))
            runners = args.at(i + 1).toInt();
        if (args.at(i) == QLatin1String("--latency"))
            latencyMs = args.at(i + 1).toInt();
    }
    const int perPage = 100;
    const int pages = (runners + perPage - 1) / perPage;

    QTemporaryDir dir;
    if (!Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok()) {
        std::fprintf(stderr, "cannot open the cache\n");
        return 1;
    }

    // The server on its own thread, so its work never shows as a GUI-thread stall.
    QThread serverThread;
    serverThread.start();
    QObject serverContext;
    serverContext.moveToThread(&serverThread);
    TestHttpServer *server = nullptr;
    QList<QByteArray> bodies;
    for (int p = 0; p < pages; ++p) {
        QJsonArray items;
        for (int i = p * perPage; i < qMin(runners, (p + 1) * perPage); ++i)
            items << runnerJson(i + 1);
        bodies << QJsonDocument(QJsonObject{{QStringLiteral("total_count"), runners},
                                            {QStringLiteral("runners"), items}})
                      .toJson(QJsonDocument::Compact);
    }
    QMetaObject::invokeMethod(
        &serverContext,
        [&] {
            server = new TestHttpServer;
            server->listen();
            server->route(
                "GET", QStringLiteral("/orgs/bench/actions/runners"), [&, server](const TestRequest &req) {
                    const int page = qMax(1, req.query().queryItemValue(QStringLiteral("page")).toInt());
                    TestReply reply = TestReply::json(200, bodies.value(page - 1));
                    reply.delayMs = latencyMs;
                    if (page < pages)
                        reply.header(
                            "Link", QStringLiteral("<%1>; rel=\"next\"")
                                        .arg(server
                                                 ->url(QStringLiteral(
                                                           "/orgs/bench/actions/runners?per_page=100&page=%1")
                                                           .arg(page + 1))
                                                 .toString())
                                        .toUtf8());
                    return reply;
                });
        },
        Qt::BlockingQueuedConnection);

    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("bench");
    c.endpoint = server->url().toString();
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("bench"));
    const auto saved = ConnectionStore::save(Database::connection(), c);
    if (!saved) {
        std::fprintf(stderr, "%s\n", qPrintable(saved.message()));
        return 1;
    }
    SecretStore::keepInMemory(saved->secretKey(), QStringLiteral("ghp_bench"));

    ServiceHost host;
    auto *github = host.add(new GitHubService, QStringLiteral("github"));
    ConnectionsModel connections;
    RunnersPane pane(&connections, github);
    pane.resize(1200, 800);
    pane.show();

    std::printf("runner sync: %d runners, %d pages of %d, %d ms added per response\n", runners, pages,
                perPage, latencyMs);
    std::printf("  serial latency floor (pages x latency): %8.0f ms\n", double(pages * latencyMs));
    StallProbe probe;
    for (const char *round : {"first sync (all new)", "second sync (no change)"}) {
        bool done = false;
        Outcome outcome;
        const auto connection =
            QObject::connect(github, &GitHubService::syncFinished, &app, [&](qint64, const Outcome &o) {
                done = true;
                outcome = o;
            });
        probe.start();
        QElapsedTimer wall;
        wall.start();
        QMetaObject::invokeMethod(github, [github, id = saved->id] { github->syncRunners(id); });
        while (!done)
            app.processEvents(QEventLoop::AllEvents, 5);
        const qint64 syncMs = wall.elapsed();
        // ... and until the pane shows every runner.
        while (pane.model()->rowCount() < runners && wall.elapsed() < 120000)
            app.processEvents(QEventLoop::AllEvents, 5);
        const qint64 shownMs = wall.elapsed();
        const double stall = probe.stopMs();
        QObject::disconnect(connection);
        if (!outcome.ok) {
            std::fprintf(stderr, "sync failed: %s\n", qPrintable(outcome.message));
            return 1;
        }
        std::printf("  %s\n", round);
        std::printf("    wall time of the sync:                %8lld ms (%.2fx the floor)\n", syncMs,
                    double(syncMs) / (pages * latencyMs));
        std::printf("    until the pane shows all %d rows: %8lld ms\n", runners, shownMs);
        std::printf("    longest GUI-thread stall:             %8.1f ms\n", stall);
        const QString which = QString::fromLatin1(round).section(QLatin1Char(' '), 0, 1);
        benchFigure(QStringLiteral("sync under latency"), which + QStringLiteral(": wall time"),
                    double(syncMs), QStringLiteral("ms"), double(pages * latencyMs),
                    QStringLiteral("serial latency floor"));
        benchFigure(QStringLiteral("sync under latency"), which + QStringLiteral(": longest GUI stall"),
                    stall, QStringLiteral("ms"));
    }
    // Quit while busy: six connections, each in the middle of its sync, then what the window's
    // Ctrl+Q does after the event loop ends (stop every service thread). The cache afterwards holds
    // each connection's last complete sync, never part of one.
    QList<qint64> ids{saved->id};
    for (int k = 2; k <= 6; ++k) {
        Connection more = c;
        more.name = QStringLiteral("bench %1").arg(k);
        const auto added = ConnectionStore::save(Database::connection(), more);
        if (!added) {
            std::fprintf(stderr, "%s\n", qPrintable(added.message()));
            return 1;
        }
        SecretStore::keepInMemory(added->secretKey(), QStringLiteral("ghp_bench"));
        ids << added->id;
    }
    for (qint64 id : std::as_const(ids))
        QMetaObject::invokeMethod(github, [github, id] { github->syncRunners(id); });
    QElapsedTimer busy;
    busy.start();
    while (busy.elapsed() < 20 * latencyMs * 3) // a few pages into each sync
        app.processEvents(QEventLoop::AllEvents, 5);
    QElapsedTimer quit;
    quit.start();
    host.stopAll();
    const double quitMs = quit.nsecsElapsed() / 1e6;
    QStringList partial;
    for (qint64 id : std::as_const(ids)) {
        QSqlQuery q(Database::connection());
        q.prepare(
            QStringLiteral("SELECT COUNT(*) FROM runners WHERE connection_id = ? AND removed_at IS NULL"));
        q.addBindValue(id);
        const int rows = q.exec() && q.next() ? q.value(0).toInt() : -1;
        if (rows != 0 && rows != runners)
            partial << QStringLiteral("connection %1: %2 rows").arg(id).arg(rows);
    }
    std::printf("  quit with six connections syncing\n");
    std::printf("    stopping every service thread:        %8.1f ms\n", quitMs);
    std::printf("    cache after quit:                     %s\n",
                partial.isEmpty()
                    ? "each connection at its last complete sync"
                    : qPrintable(QStringLiteral("PARTIAL: ") + partial.join(QStringLiteral("; "))));
    benchFigure(QStringLiteral("quit while busy"), QStringLiteral("six syncs running: stop all services"),
                quitMs, QStringLiteral("ms"));
    QMetaObject::invokeMethod(
        &serverContext, [&] { delete server; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    Database::close();
    return 0;
}
