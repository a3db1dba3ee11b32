// Log streaming: a producer thread writes 100,000 lines per second into the multiplexed frame
// format of the Docker Engine API; the decoder runs on a worker thread and hands 50 ms batches to
// the GUI thread's LogView (ring buffer of 50,000 lines, follow mode, a search active), as the
// Deployments pane does. Prints lines per second shown and the longest GUI-thread stall.
// Usage: bench_logs [--seconds N] [--rate LINES_PER_SECOND]
#include "benchreport.h"
#include "services/docker/dockerlogs.h"
#include "ui/panes/deployments/logview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>

using namespace opsdeck;

namespace {
QByteArray frame(const QByteArray &payload)
{
    QByteArray f(8, '\0');
    f[0] = 1;
    const quint32 n = quint32(payload.size());
    f[4] = char(n >> 24);
    f[5] = char(n >> 16);
    f[6] = char(n >> 8);
    f[7] = char(n);
    return f + payload;
}
} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int seconds = 5, rate = 100000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--seconds"))
            seconds = args.at(i + 1).toInt();
        if (args.at(i) == QLatin1String("--rate"))
            rate = args.at(i + 1).toInt();
    }
    LogView view;
    view.resize(1200, 700);
    view.show();
    view.searchEdit()->setText(QStringLiteral("request 4242"));
    qint64 shown = 0;

    // The worker: decode what the "engine" produced every 50 ms and send the batch.
    QThread worker;
    QObject context;
    context.moveToThread(&worker);
    worker.start();
    std::atomic_bool running{true};
    QMetaObject::invokeMethod(&context, [&] {
        auto *decoder = new DockerLogDecoder(true, true);
        auto *timer = new QTimer(&context);
        auto *clock = new QElapsedTimer;
        clock->start();
        auto *produced = new qint64(0);
        QObject::connect(timer, &QTimer::timeout, &context, [&, decoder, clock, produced] {
            if (!running)
                return;
            const qint64 due = clock->elapsed() * rate / 1000;
            QByteArray wire;
            const QByteArray stamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8();
            for (; *produced < due; ++*produced)
                wire += frame(stamp + " GET /api/orders request " + QByteArray::number(*produced) +
                              " 200 12ms\n");
            QList<LogLine> lines;
            (void)decoder->feed(wire, lines);
            QMetaObject::invokeMethod(&view, [&view, &shown, lines] {
                view.append(lines);
                shown += lines.size();
            });
        });
        timer->start(50);
    });

    // The probe: a 1 ms timer on the GUI thread; every gap between two ticks is a stall.
    qint64 last = 0;
    QList<qint64> gaps;
    gaps.reserve(seconds * 1200);
    QElapsedTimer wall;
    wall.start();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = wall.nsecsElapsed();
        gaps.append(now - last);
        last = now;
    });
    probe.start();
    while (wall.elapsed() < seconds * 1000)
        app.processEvents(QEventLoop::AllEvents, 5);
    running = false;
    probe.stop();
    const double elapsed = wall.elapsed() / 1000.0;
    QMetaObject::invokeMethod(
        &context, [&] { qDeleteAll(context.children()); }, Qt::BlockingQueuedConnection);
    worker.quit();
    worker.wait();
    std::printf(
        "log streaming: %d lines/s offered for %d s into a LogView (ring buffer %d, follow, search on)\n",
        rate, seconds, view.model()->capacity());
    std::printf("  lines shown per second:        %10.0f\n", shown / elapsed);
    std::printf("  lines kept in the view:        %10d (older dropped: %lld)\n", view.model()->rowCount(),
                view.model()->dropped());
    std::sort(gaps.begin(), gaps.end());
    const auto stallMs = [&](double quantile) {
        if (gaps.isEmpty())
            return 0.0;
        const qint64 gap = gaps.at(qMin(gaps.size() - 1, qsizetype(quantile * double(gaps.size()))));
        return qMax<double>(0, gap / 1e6 - 1); // the probe's own 1 ms interval is not a stall
    };
    const auto over = std::count_if(gaps.cbegin(), gaps.cend(), [](qint64 g) { return g > 17'000'000; });
    std::printf("  GUI-thread stall p50 / p99:    %6.1f / %.1f ms\n", stallMs(0.5), stallMs(0.99));
    std::printf("  longest GUI-thread stall:      %10.1f ms\n", stallMs(1.0));
    benchFigure(QStringLiteral("log streaming"), QStringLiteral("lines shown per second"), shown / elapsed,
                QStringLiteral("lines/s"), double(rate), QStringLiteral("lines offered"));
    benchFigure(QStringLiteral("log streaming"), QStringLiteral("longest GUI stall"), stallMs(1.0),
                QStringLiteral("ms"));
    benchFigure(QStringLiteral("log streaming"), QStringLiteral("GUI stall p99"), stallMs(0.99),
                QStringLiteral("ms"));
    std::printf("  stalls longer than a frame:    %10lld (of %lld probe ticks)\n", qint64(over),
                qint64(gaps.size()));
    return 0;
}
