// Registry sync under latency: a Harbor that answers only its spec's routes (tests/support/fakeharbor.h),
// on its own thread, holds one repository with 10,000 tagged, scanned artifacts and holds every
// response back by 20 ms; Opsdeck's registry service syncs it on its worker thread, in pages of 100,
// while the Images pane is open on the GUI thread. Prints
//  - the wall time of the sync next to the serial latency floor (requests x latency),
//  - how long until the pane shows every tag, and the longest GUI-thread stall,
//  - the same for a second sync that changes nothing.
// Usage: bench_registry [--tags N] [--latency MS]
#include "benchreport.h"
#include "fakeharbor.h"
#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/images/imagesmodels.h"
#include "models/store/database.h"
#include "services/connections/secretstore.h"
#include "services/images/registryservice.h"
#include "services/servicehost.h"
#include "stallprobe.h"
#include "ui/panes/images/imagespane.h"

#include <QApplication>
#include <QCryptographicHash>
#include <QJsonObject>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>

using namespace opsdeck;

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int tags = 10000;
    int latencyMs = 20;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--tags"))
            tags = args.at(i + 1).toInt();
        if (args.at(i) == QLatin1String("--latency"))
            latencyMs = args.at(i + 1).toInt();
    }
    const int perPage = 100;
    const int pages = (tags + perPage - 1) / perPage;
    // projects, system CVE allowlist, repositories, then the artifact pages
    const int requests = 3 + pages;

    QTemporaryDir dir;
    if (!Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok()) {
        std::fprintf(stderr, "cannot open the cache\n");
        return 1;
    }
    QThread serverThread;
    serverThread.start();
    QObject serverContext;
    serverContext.moveToThread(&serverThread);
    FakeHarbor *harbor = nullptr;
    QMetaObject::invokeMethod(
        &serverContext,
        [&] {
            harbor = new FakeHarbor;
            harbor->listen();
            harbor->setCredentials("robot$bench", "bench");
            harbor->setLatency(latencyMs);
            harbor->addProject(1, QStringLiteral("bench"),
                               QJsonObject{{QStringLiteral("prevent_vul"), QStringLiteral("true")},
                                           {QStringLiteral("severity"), QStringLiteral("high")}});
            const QStringList severities{QStringLiteral("None"), QStringLiteral("Low"),
                                         QStringLiteral("Medium"), QStringLiteral("High"),
                                         QStringLiteral("Critical")};
            for (int i = 0; i < tags; ++i)
                harbor->addArtifact(
                    QStringLiteral("bench/app"),
                    QStringLiteral("sha256:") +
                        QString::fromLatin1(
                            QCryptographicHash::hash(QByteArray::number(i), QCryptographicHash::Sha256)
                                .toHex()),
                    {QStringLiteral("build-%1").arg(i, 5, 10, QLatin1Char('0'))}, severities.at(i % 5),
                    QJsonObject{{QStringLiteral("High"), i % 4}});
        },
        Qt::BlockingQueuedConnection);

    Connection c;
    c.kind = ConnectionKind::Harbor;
    c.name = QStringLiteral("bench harbor");
    c.endpoint = harbor->url().toString();
    c.auth = AuthKind::Basic;
    c.username = QStringLiteral("robot$bench");
    const auto saved = ConnectionStore::save(Database::connection(), c);
    if (!saved) {
        std::fprintf(stderr, "%s\n", qPrintable(saved.message()));
        return 1;
    }
    SecretStore::keepInMemory(saved->secretKey(), QStringLiteral("bench"));

    ServiceHost host;
    auto *registry = host.add(new RegistryService, QStringLiteral("registry"));
    ConnectionsModel connections;
    ImagesPane pane(&connections, nullptr, registry);
    pane.resize(1200, 800);
    pane.show();
    pane.tabs()->setCurrentIndex(2);

    std::printf("registry sync (Harbor): %d tags in %d pages of %d, %d ms added per response\n", tags, pages,
                perPage, latencyMs);
    std::printf("  serial latency floor (%d requests x latency): %8.0f ms\n", requests,
                double(requests * latencyMs));
    StallProbe probe;
    for (const char *round : {"first sync (all new)", "second sync (no change)"}) {
        bool done = false;
        Outcome outcome;
        const auto connection =
            QObject::connect(registry, &RegistryService::syncFinished, &app, [&](qint64, const Outcome &o) {
                done = true;
                outcome = o;
            });
        probe.start();
        QElapsedTimer wall;
        wall.start();
        QMetaObject::invokeMethod(registry, [registry, id = saved->id] { registry->syncImages(id); });
        while (!done)
            app.processEvents(QEventLoop::AllEvents, 5);
        const qint64 syncMs = wall.elapsed();
        while (pane.registryTags()->rowCount() < tags && wall.elapsed() < 120000)
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
                    double(syncMs) / (requests * latencyMs));
        std::printf("    until the pane shows all %d tags:  %8lld ms\n", tags, shownMs);
        std::printf("    longest GUI-thread stall:             %8.1f ms\n", stall);
        const QString which = QString::fromLatin1(round).section(QLatin1Char(' '), 0, 1);
        benchFigure(QStringLiteral("registry sync under latency"), which + QStringLiteral(": wall time"),
                    double(syncMs), QStringLiteral("ms"), double(requests * latencyMs),
                    QStringLiteral("serial latency floor"));
        benchFigure(QStringLiteral("registry sync under latency"),
                    which + QStringLiteral(": longest GUI stall"), stall, QStringLiteral("ms"));
    }
    const QStringList violations = harbor->violations();
    if (!violations.isEmpty())
        std::printf("  requests outside Harbor's spec: %s\n",
                    qPrintable(violations.join(QStringLiteral("; "))));
    host.stopAll();
    QMetaObject::invokeMethod(
        &serverContext, [&] { delete harbor; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    Database::close();
    return 0;
}
