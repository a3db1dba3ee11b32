// LiteLLM spend at scale, on one cache file:
//  1. ingest of 1,000,000 spend log rows as a sync stores them (one transaction, every row once):
//     rows per second;
//  2. the attribution by team and day over them (models/budgets/spendattribution.h: the query, the
//     buckets, the names, the anomalies and the reconciliation), next to the sqlite3 command-line
//     tool running the same query on the same file: the ratio (aim: at most 1.2);
//  3. the Spend tab's chart redrawn when the dimension changes (organization, team, user, key, model,
//     by day over a year): the longest GUI-thread stall while each is computed and drawn.
// Usage: bench_budgets [--rows N]
#include "benchreport.h"
#include "models/budgets/spendattribution.h"
#include "models/store/database.h"
#include "services/budgets/spendlogstore.h"
#include "stallprobe.h"
#include "ui/panes/budgets/attributiontab.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QTimer>

#include <cstdio>

using namespace opsdeck;

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int rows = 1000000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i)
        if (args.at(i) == QLatin1String("--rows"))
            rows = qMax(1, args.at(i + 1).toInt());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
    if (!Database::open(path).ok()) {
        std::fprintf(stderr, "cannot open the cache\n");
        return 1;
    }
    const qint64 connection = 1;
    QSqlQuery q(Database::connection());
    q.exec(QStringLiteral(
        "INSERT INTO connections (id, uid, kind, name, endpoint, created_at, updated_at) VALUES "
        "(1, 'p', 'litellm', 'llm-proxy', 'https://llm.example.com', '', '')"));
    // 20 teams in 4 organizations, 200 keys, 300 users, 5 models; a year of requests.
    Database::connection().transaction();
    for (int t = 0; t < 20; ++t)
        q.exec(QStringLiteral(
                   "INSERT INTO litellm_teams (connection_id, team_id, alias, organization_id, synced_at) "
                   "VALUES (1, 't%1', 'team-%1', 'o%2', '')")
                   .arg(t)
                   .arg(t % 4));
    for (int o = 0; o < 4; ++o)
        q.exec(QStringLiteral(
                   "INSERT INTO litellm_organizations (connection_id, organization_id, alias, synced_at) "
                   "VALUES (1, 'o%1', 'org-%1', '')")
                   .arg(o));
    for (int k = 0; k < 200; ++k)
        q.exec(QStringLiteral(
                   "INSERT INTO litellm_keys (connection_id, token, alias, team_id, synced_at) VALUES "
                   "(1, 'hash-%1', 'key-%1', 't%2', '')")
                   .arg(k)
                   .arg(k % 20));
    Database::connection().commit();
    const char *models[] = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "text-embedding-3-small",
                            "llama-3.1-70b"};
    const QDate today = QDateTime::currentDateTimeUtc().date();
    const QDateTime first(today.addDays(-364), QTime(0, 0), QTimeZone::utc());
    const qint64 span = qint64(365) * 86400;
    QList<SpendLogRow> logs;
    logs.reserve(rows);
    for (int i = 0; i < rows; ++i) {
        SpendLogRow r;
        r.requestId = QStringLiteral("req-%1").arg(i);
        r.apiKey = QStringLiteral("hash-%1").arg((i * 7919) % 200);
        r.model = QLatin1String(models[i % 5]);
        r.callType = QStringLiteral("acompletion");
        r.spend = 0.0001 * (1 + (i * 31) % 500);
        r.totalTokens = 1000;
        r.promptTokens = 700;
        r.completionTokens = 300;
        r.startTime = first.addSecs(span * i / rows);
        r.endTime = r.startTime.addSecs(2);
        r.user = QStringLiteral("user-%1").arg((i * 13) % 300);
        logs << r;
    }

    // 1. Ingest.
    QElapsedTimer timer;
    timer.start();
    Database::connection().transaction();
    const auto added = SpendLogStore::store(Database::connection(), connection, logs);
    Database::connection().commit();
    const double ingestS = timer.nsecsElapsed() / 1e9;
    logs.clear();
    logs.squeeze();
    if (!added) {
        std::fprintf(stderr, "ingest failed: %s\n", qPrintable(added.message()));
        return 1;
    }
    std::printf("ingest %d spend log rows          %.1f s, %.0f rows/s\n", rows, ingestS, rows / ingestS);
    benchFigure(QStringLiteral("budgets"), QStringLiteral("ingest of %1 spend log rows").arg(rows),
                rows / ingestS, QStringLiteral("rows/s"));
    q.exec(QStringLiteral("ANALYZE"));

    // 2. Attribution by team and day over the year, against the sqlite3 tool on the same query.
    AttributionQuery query;
    query.connectionId = connection;
    query.dimension = SpendDimension::Team;
    query.bucket = SpendBucket::Day;
    query.from = today.addDays(-364);
    query.to = today;
    (void)attributeSpend(Database::connection(), query); // a warm page cache for both
    timer.restart();
    const auto a = attributeSpend(Database::connection(), query);
    const double oursMs = timer.nsecsElapsed() / 1e6;
    if (!a) {
        std::fprintf(stderr, "attribution failed: %s\n", qPrintable(a.message()));
        return 1;
    }
    QString sql = attributionSql(SpendDimension::Team) + QLatin1Char(';');
    const QStringList binds{QString::number(connection),
                            query.from.addDays(-anomalyWindowDays).toString(Qt::ISODate),
                            query.to.addDays(1).toString(Qt::ISODate)};
    for (const QString &b : binds)
        sql.replace(sql.indexOf(QLatin1Char('?')), 1, QLatin1Char('\'') + b + QLatin1Char('\''));
    double sqliteMs = -1;
    const QString sqlite3 = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    if (!sqlite3.isEmpty()) {
        for (int run = 0; run < 2; ++run) { // the second run, warm like ours
            QProcess p;
            p.start(sqlite3, {path});
            p.write(".timer on\n.output /dev/null\n" + sql.toUtf8() + "\n");
            p.closeWriteChannel();
            p.waitForFinished(600000);
            const QString out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
            const qsizetype at = out.lastIndexOf(QStringLiteral("Run Time: real "));
            if (at >= 0)
                sqliteMs = out.mid(at + 15).section(QLatin1Char(' '), 0, 0).toDouble() * 1000;
        }
    }
    std::printf("attribution by team and day       %.0f ms (%lld groups, %lld days, $%.2f)\n", oursMs,
                static_cast<long long>(a->groups.size()), static_cast<long long>(a->buckets.size()),
                a->total);
    if (sqliteMs >= 0)
        std::printf("  same query in sqlite3 CLI       %.0f ms  (ratio %.2f)\n", sqliteMs,
                    oursMs / qMax(0.001, sqliteMs));
    else
        std::printf("  sqlite3 CLI not found or gave no timing: no comparison\n");
    benchFigure(QStringLiteral("budgets"),
                QStringLiteral("attribution by team and day over %1 rows").arg(rows), oursMs,
                QStringLiteral("ms"), sqliteMs, QStringLiteral("sqlite3 CLI, same query"));

    // 3. The chart redrawn per dimension: the longest GUI-thread stall from the choice to the chart.
    AttributionTab tab(nullptr);
    tab.resize(1280, 800);
    tab.show();
    tab.rangeCombo()->setCurrentIndex(2); // the last 12 months
    tab.setProxies({{connection, QStringLiteral("llm-proxy")}});
    QEventLoop wait;
    QObject::connect(&tab, &AttributionTab::shown, &wait, &QEventLoop::quit);
    wait.exec();
    StallProbe probe;
    double worst = 0;
    for (int i : {0, 2, 3, 4, 1}) {
        probe.start();
        timer.restart();
        tab.dimensionCombo()->setCurrentIndex(i);
        wait.exec();
        QTimer::singleShot(50, &wait, &QEventLoop::quit); // the repaint after the redraw
        wait.exec();
        const double stall = probe.stopMs();
        worst = qMax(worst, stall);
        std::printf("  by %-14s %5.0f ms to the chart, longest stall %.1f ms\n",
                    qPrintable(tab.dimensionCombo()->currentText().toLower()),
                    timer.nsecsElapsed() / 1e6 - 50, stall);
    }
    std::printf("chart redraw on a dimension change: longest GUI-thread stall %.1f ms\n", worst);
    benchFigure(QStringLiteral("budgets"),
                QStringLiteral("chart redraw on a dimension change, longest stall"), worst,
                QStringLiteral("ms"));
    Database::close();
    return 0;
}
