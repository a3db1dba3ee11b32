// Audit log benchmark: generates N events (default 1,000,000) and prints
//  - the insert rate,
//  - an FTS query with two filters to the first page of results, as Opsdeck runs it, next to the
//    same query run by the sqlite3 command-line tool on the same file, with the ratio,
//  - the time to open the Audit log pane on that data (first rows shown),
//  - peak memory (RSS) while scrolling the pane from top to bottom.
// Usage: bench_audit [--events N] [--keep DIR]
#include "benchreport.h"
#include "models/audit/auditmodel.h"
#include "models/connections/connectionsmodel.h"
#include "models/store/database.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "services/store/auditservice.h"
#include "ui/panes/audit/auditlogpane.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>

using namespace opsdeck;

namespace {
long peakRssKb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

long currentRssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

void waitUntil(const std::function<bool()> &done, int timeoutMs = 600000)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}
} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    int events = 1000000;
    QString keep;
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--events"))
            events = args.at(i + 1).toInt();
        if (args.at(i) == QLatin1String("--keep"))
            keep = args.at(i + 1);
    }
    QTemporaryDir tmp;
    const QString dir = keep.isEmpty() ? tmp.path() : keep;
    const QString path = dir + QStringLiteral("/cache.sqlite");
    QFile::remove(path);
    if (auto r = Database::open(path); !r) {
        fprintf(stderr, "%s\n", qPrintable(r.message()));
        return 1;
    }

    // 1. Insert rate.
    const QStringList actions = auditActions();
    const QStringList users{QStringLiteral("maria"), QStringLiteral("jonas"), QStringLiteral("priya"),
                            QStringLiteral("tom")};
    const QStringList words{QStringLiteral("decommission"), QStringLiteral("rotate"),
                            QStringLiteral("incident"),     QStringLiteral("cleanup"),
                            QStringLiteral("policy"),       QStringLiteral("upgrade")};
    QRandomGenerator rng(1);
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-365);
    QElapsedTimer timer;
    timer.start();
    for (int done = 0; done < events;) {
        CacheTransaction tx;
        if (!tx.begin())
            return 1;
        AuditAppender appender(tx.db());
        if (!appender.start())
            return 1;
        for (int k = 0; k < 50000 && done < events; ++k, ++done) {
            AuditEvent e;
            e.timestamp = start.addMSecs(qint64(done) * 30000);
            e.osUser = users.at(done % 4);
            e.action = actions.at(int(rng.bounded(int(actions.size()))));
            e.system = e.action.startsWith(QLatin1String("runner")) ? QStringLiteral("github")
                                                                    : QStringLiteral("docker");
            e.outcome = rng.bounded(20) == 0 ? AuditOutcome::Failure : AuditOutcome::Success;
            e.targetKind = QStringLiteral("runner");
            e.targetName = QStringLiteral("runner-%1").arg(done % 5000);
            e.comment = words.at(int(rng.bounded(int(words.size())))) + QStringLiteral(" of batch ") +
                        QString::number(done / 1000);
            e.details = QJsonObject{{QStringLiteral("n"), done}};
            if (!appender.append(e))
                return 1;
        }
        if (!appender.finish())
            return 1;
        tx.touch(AuditLog::table);
        if (!tx.commit())
            return 1;
    }
    const double insertSeconds = timer.elapsed() / 1000.0;
    printf("audit events                      %d\n", events);
    printf("insert rate                       %.0f events/s (%.1f s)\n", events / insertSeconds,
           insertSeconds);

    // 2. FTS query with two filters, first page: Opsdeck's way (all matching ids, then the first page).
    AuditFilter filter;
    filter.text = QStringLiteral("decommission");
    filter.outcomes = {QStringLiteral("failure")};
    filter.systems = {QStringLiteral("github")};
    QVariantList binds;
    const QString where = auditWhere(filter, binds);
    timer.restart();
    QSqlQuery ids(Database::connection());
    ids.setForwardOnly(true);
    ids.prepare(QStringLiteral("SELECT id FROM audit_events WHERE %1 ORDER BY ts DESC, id DESC").arg(where));
    for (const QVariant &b : binds)
        ids.addBindValue(b);
    ids.exec();
    QVector<qint64> idList;
    while (ids.next())
        idList << ids.value(0).toLongLong();
    QStringList firstPage;
    for (int i = 0; i < qMin<int>(AuditModel::batchSize, int(idList.size())); ++i)
        firstPage << QString::number(idList.at(i));
    QSqlQuery page(Database::connection());
    page.exec(QStringLiteral("SELECT %1 FROM audit_events WHERE id IN (%2)")
                  .arg(auditSelectColumns(), firstPage.join(QLatin1Char(','))));
    int pageRows = 0;
    while (page.next())
        ++pageRows;
    const double oursMs = timer.nsecsElapsed() / 1e6;

    // The same question to the sqlite3 command-line tool: the first page, on the same file.
    QString sql = QStringLiteral("SELECT %1 FROM audit_events WHERE %2 ORDER BY ts DESC, id DESC LIMIT %3;")
                      .arg(auditSelectColumns(), where)
                      .arg(AuditModel::batchSize);
    for (const QVariant &b : binds)
        sql.replace(sql.indexOf(QLatin1Char('?')), 1,
                    QLatin1Char('\'') + b.toString().replace(QLatin1Char('\''), QStringLiteral("''")) +
                        QLatin1Char('\''));
    double sqliteMs = -1;
    const QString sqlite3 = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    if (!sqlite3.isEmpty()) {
        QProcess p;
        p.start(sqlite3, {path}); // the script on standard input: that is where .timer reports
        p.write(".timer on\n" + sql.toUtf8() + "\n");
        p.closeWriteChannel();
        p.waitForFinished(300000);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        // "Run Time: real 0.012 user ... sys ..."
        const qsizetype at = out.lastIndexOf(QStringLiteral("Run Time: real "));
        if (at >= 0)
            sqliteMs = out.mid(at + 15).section(QLatin1Char(' '), 0, 0).toDouble() * 1000;
    }
    printf("FTS + 2 filters, first page       %.1f ms (%lld matches, %d rows shown)\n", oursMs,
           static_cast<long long>(idList.size()), pageRows);
    if (sqliteMs >= 0)
        printf("  same query in sqlite3 CLI       %.1f ms  (ratio %.2f)\n", sqliteMs,
               oursMs / qMax(0.001, sqliteMs));
    else
        printf("  sqlite3 CLI not found or gave no timing: no comparison\n");
    benchFigure(QStringLiteral("audit search"), QStringLiteral("FTS + 2 filters over %1 events").arg(events),
                oursMs, QStringLiteral("ms"), sqliteMs, QStringLiteral("sqlite3 CLI, same query"));

    // 3. Time to open the pane on that data, and 4. peak memory while scrolling it.
    ServiceHost host;
    auto *audit = host.add(new AuditService, QStringLiteral("audit"));
    ConnectionsModel connections;
    const long rssBefore = currentRssKb();
    timer.restart();
    AuditLogPane pane(&connections, audit);
    pane.resize(1280, 800);
    pane.show();
    waitUntil([&] { return pane.model()->rowCount() == events && pane.model()->eventAt(0).has_value(); });
    const double openMs = timer.elapsed();
    printf("open the Audit log pane           %.0f ms (first rows shown)\n", openMs);

    timer.restart();
    QScrollBar *bar = pane.view()->verticalScrollBar();
    const int steps = 400;
    for (int s = 0; s <= steps; ++s) {
        bar->setValue(int(qint64(bar->maximum()) * s / steps));
        const int row = pane.view()->rowAt(10);
        waitUntil([&] { return row < 0 || pane.model()->eventAt(row).has_value(); }, 5000);
    }
    printf("scroll top to bottom              %.0f ms in %d steps\n", double(timer.elapsed()), steps);
    printf("memory: RSS before pane           %ld MB\n", rssBefore / 1024);
    printf("memory: RSS after scrolling       %ld MB (peak of the process %ld MB; events cached %d)\n",
           currentRssKb() / 1024, peakRssKb() / 1024, pane.model()->cachedEventCount());
    benchFigure(QStringLiteral("memory"),
                QStringLiteral("peak RSS, %1-event audit pane scrolled").arg(events), peakRssKb() / 1024.0,
                QStringLiteral("MB"));
    benchFigure(QStringLiteral("audit pane"), QStringLiteral("open on %1 events").arg(events), openMs,
                QStringLiteral("ms"));
    host.stopAll();
    Database::close();
    return 0;
}
