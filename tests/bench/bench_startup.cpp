// Cold start: the time from process start to the first painted main window, with a cache that
// holds 1,000,000 audit events and 100,000 runners, next to the same measurement for the floor a
// Qt Widgets program that shows text pays (minimal_window: a QMainWindow with a seven-item list
// and a 30 x 8 text table, same build flags). The two are run alternately, several times; the
// medians and their ratio are printed. Each run quits right after its first paint, as Ctrl+Q
// would, and the time from that request to the end of the process is printed too. Both paint
// offscreen unless QT_QPA_PLATFORM says otherwise.
// Usage: bench_startup --data-dir DIR [--runs N]
//   DIR holds cache.sqlite with the audit events (scripts/bench.sh: bench_audit --keep DIR);
//   100,000 runners are added when the cache has none.
#include "benchreport.h"
#include "models/connections/connectionstore.h"
#include "models/github/runner.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlQuery>

#include <algorithm>
#include <cstdio>

using namespace opsdeck;

namespace {

bool addRunners(int count)
{
    QSqlQuery q(Database::connection());
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM runners")) && q.next() && q.value(0).toInt() >= count)
        return true;
    q.finish();
    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("acme (benchmark)");
    c.endpoint = QStringLiteral("https://api.github.com");
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    auto saved = ConnectionStore::save(Database::connection(), c);
    if (!saved)
        return false;
    QList<Runner> runners;
    runners.reserve(count);
    for (int i = 1; i <= count; ++i) {
        Runner r;
        r.id = i;
        r.name = QStringLiteral("ci-linux-%1").arg(i, 6, 10, QLatin1Char('0'));
        r.os = QStringLiteral("linux");
        r.status = i % 7 ? QStringLiteral("online") : QStringLiteral("offline");
        r.busy = i % 3 == 0;
        r.labels = {QStringLiteral("self-hosted"), QStringLiteral("linux"),
                    QStringLiteral("team-%1").arg(i % 40)};
        runners << r;
    }
    CacheTransaction tx;
    if (!tx.begin())
        return false;
    if (!storeRunners(tx.db(), saved->id, QStringLiteral("org:acme"), runners,
                      QDateTime::currentDateTimeUtc()))
        return false;
    return tx.commit().ok();
}

struct Run
{
    double firstPaint = -1; // ms from the start of the process to its "first paint" line
    double quit = -1;       // ms from that line (the quit request follows it at once) to the process's end
};

Run timeRun(const QString &program, const QStringList &args)
{
    Run run;
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer clock;
    clock.start();
    p.start(program, args);
    while (p.waitForReadyRead(60000) || p.canReadLine()) {
        while (p.canReadLine())
            if (p.readLine().startsWith("first paint")) {
                run.firstPaint = clock.nsecsElapsed() / 1e6;
                clock.restart();
                if (p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
                    run.quit = clock.nsecsElapsed() / 1e6;
                return run;
            }
        if (p.state() == QProcess::NotRunning)
            break;
    }
    p.kill();
    p.waitForFinished();
    return run;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QCoreApplication app(argc, argv);
    QString dataDir;
    int runs = 5;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--data-dir"))
            dataDir = args.at(i + 1);
        if (args.at(i) == QLatin1String("--runs"))
            runs = qMax(1, args.at(i + 1).toInt());
    }
    if (dataDir.isEmpty()) {
        std::fprintf(stderr, "usage: bench_startup --data-dir DIR [--runs N]\n");
        return 2;
    }
    if (auto r = Database::open(dataDir + QStringLiteral("/cache.sqlite")); !r) {
        std::fprintf(stderr, "%s\n", qPrintable(r.message()));
        return 1;
    }
    qint64 events = 0, runners = 0;
    {
        if (!addRunners(100000)) {
            std::fprintf(stderr, "cannot add the runners\n");
            return 1;
        }
        QSqlQuery q(Database::connection());
        if (q.exec(QStringLiteral(
                "SELECT (SELECT COUNT(*) FROM audit_events), (SELECT COUNT(*) FROM runners)")) &&
            q.next()) {
            events = q.value(0).toLongLong();
            runners = q.value(1).toLongLong();
        }
    }
    Database::close();

    QList<double> ours, minimal, oursQuit, minimalQuit;
    for (int i = 0; i < runs; ++i) {
        const Run o = timeRun(QStringLiteral(OPSDECK_BINARY),
                              {QStringLiteral("--data-dir"), dataDir, QStringLiteral("--startup-probe")});
        const Run m = timeRun(QStringLiteral(MINIMAL_WINDOW_BINARY), {});
        if (o.firstPaint < 0 || m.firstPaint < 0 || o.quit < 0 || m.quit < 0) {
            std::fprintf(stderr, "a run did not report its first paint or did not quit cleanly\n");
            return 1;
        }
        ours << o.firstPaint;
        minimal << m.firstPaint;
        oursQuit << o.quit;
        minimalQuit << m.quit;
    }
    const auto range = [](const QList<double> &v) {
        return QStringLiteral("min %1, max %2")
            .arg(*std::min_element(v.cbegin(), v.cend()), 0, 'f', 0)
            .arg(*std::max_element(v.cbegin(), v.cend()), 0, 'f', 0);
    };
    const double o = median(ours), m = median(minimal);
    std::printf("cold start to the first painted window (%d runs each, alternating, median)\n", runs);
    std::printf("  cache: %lld audit events, %lld runners\n", events, runners);
    std::printf("  opsdeck:                              %8.0f ms (%s)\n", o, qPrintable(range(ours)));
    std::printf("  floor: QMainWindow, 7-item list and a 30x8 text table: %8.0f ms (%s)\n", m,
                qPrintable(range(minimal)));
    std::printf("  ratio:                                %8.2f\n", o / m);
    const double oq = median(oursQuit), mq = median(minimalQuit);
    std::printf("quit, from the request to the end of the process (median)\n");
    std::printf("  opsdeck:                              %8.1f ms (%s)\n", oq, qPrintable(range(oursQuit)));
    std::printf("  floor:                                %8.1f ms\n", mq);
    benchFigure(QStringLiteral("cold start"), QStringLiteral("first painted window"), o, QStringLiteral("ms"),
                m, QStringLiteral("Qt window with list and text table"));
    benchFigure(QStringLiteral("quit"), QStringLiteral("quit request to end of process"), oq,
                QStringLiteral("ms"), mq, QStringLiteral("Qt window with list and text table"));
    return 0;
}
