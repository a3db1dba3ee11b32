// Cache ingest: 100,000 runner JSON objects (1,000 pages of GitHub's runner list) parsed and
// upserted into the cache in one transaction, as a sync stores them; next to the sqlite3
// command-line tool importing the same rows from CSV into the same table in one transaction.
// Usage: bench_ingest [--runners N]
#include "benchreport.h"
#include "models/connections/connectionstore.h"
#include "models/core/pageparser.h"
#include "models/github/runner.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cstdio>

using namespace opsdeck;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int count = 100000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i)
        if (args.at(i) == QLatin1String("--runners"))
            count = args.at(i + 1).toInt();
    QTemporaryDir dir;
    if (auto r = Database::open(dir.filePath(QStringLiteral("cache.sqlite"))); !r) {
        std::fprintf(stderr, "%s\n", qPrintable(r.message()));
        return 1;
    }
    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("acme");
    c.endpoint = QStringLiteral("https://api.github.com");
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    const qint64 connectionId = ConnectionStore::save(Database::connection(), c).value().id;

    // The pages as GitHub sends them, made before the clock starts.
    QList<QByteArray> pages;
    for (int start = 0; start < count; start += 100) {
        QJsonArray runners;
        for (int i = start; i < qMin(count, start + 100); ++i)
            runners << QJsonObject{
                {"id", i + 1},
                {"name", QStringLiteral("ci-linux-%1").arg(i + 1, 6, 10, QLatin1Char('0'))},
                {"os", "linux"},
                {"status", i % 7 ? "online" : "offline"},
                {"busy", i % 3 == 0},
                {"ephemeral", false},
                {"runner_group_id", 1},
                {"labels", QJsonArray{QJsonObject{{"id", 1}, {"name", "self-hosted"}, {"type", "read-only"}},
                                      QJsonObject{{"id", 2}, {"name", "linux"}, {"type", "read-only"}},
                                      QJsonObject{{"id", 3},
                                                  {"name", QStringLiteral("team-%1").arg(i % 40)},
                                                  {"type", "custom"}}}}};
        pages << QJsonDocument(QJsonObject{{"total_count", count}, {"runners", runners}})
                     .toJson(QJsonDocument::Compact);
    }

    // As a sync does it: each page is handed to the page parser as it arrives (here: all at once),
    // parsed on the thread pool, and written in page order inside one transaction while the pages
    // after it are still being parsed.
    QElapsedTimer clock;
    clock.start();
    {
        PageParser<RunnerPage> parser(parseRunnerPage);
        for (const QByteArray &body : std::as_const(pages))
            parser.add(body);
        CacheTransaction tx;
        if (!tx.begin())
            return 1;
        RunnerWriter writer(tx.db(), connectionId, QStringLiteral("org:acme"),
                            QDateTime::currentDateTimeUtc());
        if (!writer.start())
            return 1;
        for (qsizetype i = 0; i < parser.size(); ++i) {
            auto page = parser.take(i);
            if (!page) {
                std::fprintf(stderr, "%s\n", qPrintable(page.message()));
                return 1;
            }
            if (!writer.add(page->runners))
                return 1;
        }
        if (!writer.finish() || !tx.commit()) {
            std::fprintf(stderr, "the upsert failed\n");
            return 1;
        }
    }
    const double oursMs = clock.nsecsElapsed() / 1e6;
    // Parsing alone, on this thread, for the record.
    clock.restart();
    for (const QByteArray &body : std::as_const(pages))
        (void)parseRunnerPage(body);
    const double parseMs = clock.nsecsElapsed() / 1e6;
    std::printf(
        "cache ingest: %d runner JSON objects in %lld pages, parsed and upserted in one transaction\n", count,
        qint64(pages.size()));
    std::printf("  opsdeck:   %8.0f ms (parsing alone, one thread: %.0f ms) = %9.0f rows/s\n", oursMs,
                parseMs, count / (oursMs / 1000));

    // The same rows as CSV, into the same table, by the sqlite3 tool.
    const QString sqlite3 = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    QString schema;
    {
        QSqlQuery q(Database::connection());
        if (q.exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'runners'")) && q.next())
            schema = q.value(0).toString();
    }
    Database::close();
    if (sqlite3.isEmpty() || schema.isEmpty()) {
        std::printf("  sqlite3 not found: no comparison\n");
        benchFigure(QStringLiteral("cache ingest"), QStringLiteral("100,000 runners"),
                    count / (oursMs / 1000), QStringLiteral("rows/s"));
        return 0;
    }
    const QString csv = dir.filePath(QStringLiteral("runners.csv"));
    QProcess exporter;
    exporter.setStandardOutputFile(csv);
    exporter.start(sqlite3, {QStringLiteral("-csv"), dir.filePath(QStringLiteral("cache.sqlite")),
                             QStringLiteral("SELECT * FROM runners")});
    exporter.waitForFinished(120000);
    QProcess importer;
    importer.start(sqlite3, {dir.filePath(QStringLiteral("reference.sqlite"))});
    importer.waitForStarted();
    const QByteArray script =
        schema.toUtf8() + ";\n.mode csv\nBEGIN;\n.import " + csv.toUtf8() + " runners\nCOMMIT;\n";
    QElapsedTimer sqliteClock;
    sqliteClock.start();
    importer.write(script);
    importer.closeWriteChannel();
    importer.waitForFinished(300000);
    const double sqliteMs = sqliteClock.nsecsElapsed() / 1e6;
    const QByteArray errors = importer.readAllStandardError();
    if (importer.exitCode() != 0 || !errors.isEmpty()) {
        std::printf("  sqlite3 import failed: %s\n", errors.constData());
        return 1;
    }
    std::printf("  sqlite3 CSV import (one transaction): %8.0f ms = %9.0f rows/s\n", sqliteMs,
                count / (sqliteMs / 1000));
    std::printf("  ratio (time, opsdeck / sqlite3):       %8.2f\n", oursMs / sqliteMs);
    benchFigure(QStringLiteral("cache ingest"), QStringLiteral("100,000 runners: parse + upsert"), oursMs,
                QStringLiteral("ms"), sqliteMs, QStringLiteral("sqlite3 CSV import"));
    return 0;
}
