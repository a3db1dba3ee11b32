// Cold start: the time from process start to the first painted main window, with a cache that
// holds 1,000,000 audit events and 100,000 runners, next to the same measurement for a minimal Qt
// Widgets program (one QMainWindow, same build flags). The two are run alternately, several
// times; the medians and their ratio are printed. Both paint offscreen unless QT_QPA_PLATFORM says
// otherwise.
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

// Wall time from start to the "first paint" line, in ms; -1 when it never came.
double timeToFirstPaint(const QString &program, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer clock;
    clock.start();
    p.start(program, args);
    while (p.waitForReadyRead(60000) || p.canReadLine()) {
        while (p.canReadLine())
            if (p.readLine().startsWith("first paint")) {
                const double ms = clock.nsecsElapsed() / 1e6;
                p.waitForFinished(30000);
                return ms;
            }
        if (p.state() == QProcess::NotRunning)
            break;
    }
    p.kill();
    p.waitForFinished();
    return -1;
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

    QList<double> ours, minimal;
    for (int i = 0; i < runs; ++i) {
        ours << timeToFirstPaint(QStringLiteral(OPSDECK_BINARY),
                                 {QStringLiteral("--data-dir"), dataDir, QStringLiteral("--startup-probe")});
        minimal << timeToFirstPaint(QStringLiteral(MINIMAL_WINDOW_BINARY), {});
    }
    if (ours.contains(-1) || minimal.contains(-1)) {
        std::fprintf(stderr, "a run did not report its first paint\n");
        return 1;
    }
    const double o = median(ours), m = median(minimal);
    std::printf("cold start to the first painted window (%d runs each, alternating, median)\n", runs);
    std::printf("  cache: %lld audit events, %lld runners\n", events, runners);
    std::printf("  opsdeck:                      %8.0f ms (min %.0f, max %.0f)\n", o,
                *std::min_element(ours.cbegin(), ours.cend()), *std::max_element(ours.cbegin(), ours.cend()));
    std::printf("  minimal Qt Widgets program:   %8.0f ms (min %.0f, max %.0f)\n", m,
                *std::min_element(minimal.cbegin(), minimal.cend()),
                *std::max_element(minimal.cbegin(), minimal.cend()));
    std::printf("  ratio:                        %8.2f\n", o / m);
    benchFigure(QStringLiteral("cold start"), QStringLiteral("first painted window"), o, QStringLiteral("ms"),
                m, QStringLiteral("minimal Qt Widgets program"));
    return 0;
}
