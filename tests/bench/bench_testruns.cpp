// The Test runs pane opening on a cache of 1,000 runs with 10,000,000 case results (10 sources of
// 100 nightly runs, 10,000 cases each, about 2 % failing, some flipping): the time to the first rows
// of the run list, and to the selected run's cases with their history strips (the last 20 runs of
// the source: 200,000 results read) and new failures. The cache is written once and kept with
// --keep DIR (later runs reuse it). Prints figures; never fails on a time.
//   bench_testruns [--keep DIR] [--runs N] [--cases N]
#include "benchreport.h"
#include "models/store/batchwriter.h"
#include "models/store/database.h"
#include "models/testruns/testrunmodels.h"
#include "ui/panes/testrunspane.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QTimer>

#include <cstdio>

using namespace opsdeck;

namespace {
int option(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? qMax(1, args.at(at + 1).toInt()) : fallback;
}

// Runs the event loop until the model has loaded (or a minute has passed).
bool waitLoaded(CacheTableModel *model)
{
    QEventLoop loop;
    bool loaded = false;
    QObject::connect(model, &CacheTableModel::loaded, &loop, [&] {
        loaded = true;
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    return loaded;
}

bool ok(const Result<void> &r)
{
    if (!r)
        std::fprintf(stderr, "bench_testruns: %s\n", qPrintable(r.message()));
    return r.ok();
}

bool exec(QSqlQuery &q, const QString &sql)
{
    if (q.exec(sql))
        return true;
    std::fprintf(stderr, "bench_testruns: %s: %s\n", qPrintable(sql), qPrintable(q.lastError().text()));
    return false;
}

// Writes the runs straight through the batch writer (the importer's own path would take minutes
// for ten million cases; what is measured here is reading them).
bool generate(int runs, int cases)
{
    QElapsedTimer clock;
    clock.start();
    // The run rows follow their cases here (their figures come from them): keys checked after.
    QSqlQuery pragma(Database::connection());
    pragma.exec(QStringLiteral("PRAGMA foreign_keys = OFF"));
    CacheTransaction tx;
    if (!ok(tx.begin()))
        return false;
    QSqlQuery q(tx.db());
    if (!exec(q, QStringLiteral("DROP INDEX test_cases_by_key")))
        return false;
    const int sources = 10;
    const int perSource = qMax(1, runs / sources);
    BatchWriter keys(
        tx.db(),
        QStringLiteral("INSERT INTO test_case_keys (id, source_id, case_key, suite, classname, name) VALUES"),
        6, {}, QStringLiteral("keys"));
    BatchWriter runRows(
        tx.db(),
        QStringLiteral("INSERT INTO test_runs (id, source_id, run_key, title, branch, started_at, "
                       "imported_at, tests, passed, failed, errors, skipped, flaky, duration_ms) VALUES"),
        14, {}, QStringLiteral("runs"));
    BatchWriter caseRows(
        tx.db(),
        QStringLiteral(
            "INSERT INTO test_cases (run_id, key_id, outcome, flaky, duration_ms, message) VALUES"),
        6, {}, QStringLiteral("cases"), 512);
    quint32 dice = 7;
    const auto roll = [&dice] {
        dice = dice * 1664525u + 1013904223u;
        return dice >> 8;
    };
    const QDateTime start(QDate(2026, 1, 1), QTime(2, 0), QTimeZone::utc());
    qint64 runId = 0;
    for (int s = 1; s <= sources; ++s) {
        q.prepare(QStringLiteral(
            "INSERT INTO test_sources (id, name, kind, created_at) VALUES (?, ?, 'files', ?)"));
        q.addBindValue(s);
        q.addBindValue(QStringLiteral("suite-%1").arg(s));
        q.addBindValue(start.toString(Qt::ISODateWithMs));
        if (!q.exec()) {
            std::fprintf(stderr, "bench_testruns: %s\n", qPrintable(q.lastError().text()));
            return false;
        }
        for (int c = 0; c < cases; ++c) {
            const QString cls = QStringLiteral("com.acme.s%1.Module%2").arg(s).arg(c / 50);
            const QString name = QStringLiteral("test_case_%1").arg(c);
            keys.add(qint64(s) * cases + c + 1);
            keys.add(qint64(s));
            keys.add(QStringLiteral("suite › %1 › %2").arg(cls, name));
            keys.add(QStringLiteral("suite"));
            keys.add(cls);
            keys.add(name);
            if (!ok(keys.endRow()))
                return false;
        }
        for (int r = 0; r < perSource; ++r) {
            ++runId;
            int failed = 0;
            for (int c = 0; c < cases; ++c) {
                const bool flips = c % 97 == 0;
                const bool fails = (c % 61 == 0) || (flips && roll() % 3 == 0);
                failed += fails;
                caseRows.add(runId);
                caseRows.add(qint64(s) * cases + c + 1);
                caseRows.add(fails ? 1 : 0);
                caseRows.add(0);
                caseRows.add(qint64(5 + roll() % 200));
                caseRows.add(fails ? QStringLiteral("expected 200 but was 500") : QString());
                if (!ok(caseRows.endRow()))
                    return false;
            }
            runRows.add(runId);
            runRows.add(qint64(s));
            runRows.add(QStringLiteral("run-%1").arg(runId));
            runRows.add(QStringLiteral("nightly %1").arg(r));
            runRows.add(QStringLiteral("main"));
            const QString when = start.addDays(r).addSecs(s * 60).toString(Qt::ISODateWithMs);
            runRows.add(when);
            runRows.add(when);
            runRows.add(cases);
            runRows.add(cases - failed);
            runRows.add(failed);
            runRows.add(0);
            runRows.add(0);
            runRows.add(0);
            runRows.add(qint64(cases) * 100);
            if (!ok(runRows.endRow()))
                return false;
        }
        std::printf("  source %d of %d written (%.0f s)\n", s, sources, clock.elapsed() / 1000.0);
        std::fflush(stdout);
    }
    if (!ok(keys.finish()) || !ok(runRows.finish()) || !ok(caseRows.finish()))
        return false;
    if (!exec(q, QStringLiteral("CREATE INDEX test_cases_by_key ON test_cases(key_id, run_id)")))
        return false;
    tx.touch(QStringLiteral("test_runs"));
    if (!ok(tx.commit()))
        return false;
    pragma.exec(QStringLiteral("PRAGMA foreign_keys = ON"));
    if (pragma.exec(QStringLiteral("PRAGMA foreign_key_check")) && pragma.next()) {
        std::fprintf(stderr, "bench_testruns: the generated cache breaks a foreign key\n");
        return false;
    }
    std::printf("  %lld runs with %lld case results written in %.0f s\n", runId, runId * cases,
                clock.elapsed() / 1000.0);
    return true;
}
} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int runs = option(args, QStringLiteral("--runs"), 1000);
    const int cases = option(args, QStringLiteral("--cases"), 10000);
    QTemporaryDir temporary;
    QString dir = temporary.path();
    if (const qsizetype at = args.indexOf(QStringLiteral("--keep")); at >= 0 && at + 1 < args.size())
        dir = args.at(at + 1);
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(QStringLiteral("testruns-%1x%2.sqlite").arg(runs).arg(cases));
    const bool exists = QFile::exists(path);
    if (auto opened = Database::open(path); !opened) {
        std::fprintf(stderr, "bench_testruns: %s\n", qPrintable(opened.message()));
        return 1;
    }
    std::printf("Test runs pane on %d runs with %lld case results (%s)\n", runs, qint64(runs) * cases,
                exists ? "cache kept from an earlier run" : "writing the cache");
    if (!exists && !generate(runs, cases)) {
        Database::close();
        QFile::remove(path);
        return 1;
    }

    QElapsedTimer clock;
    clock.start();
    auto *pane = new TestRunsPane(nullptr, nullptr);
    pane->resize(1280, 800);
    pane->show();
    if (!waitLoaded(pane->runs()))
        return 1;
    const double firstRows = clock.nsecsElapsed() / 1e6;
    std::printf("  time to the first rows of the run list: %.0f ms (%d runs)\n", firstRows,
                pane->runs()->rowCount());
    if (pane->cases()->rowCount() == 0 && !waitLoaded(pane->cases()))
        return 1;
    const double withCases = clock.nsecsElapsed() / 1e6;
    std::printf("  time to the selected run's %d cases with their history and new failures: %.0f ms\n",
                pane->cases()->rowCount(), withCases);
    benchFigure(
        QStringLiteral("testruns"),
        QStringLiteral("pane on %1 runs / %2 results: first rows").arg(runs).arg(qint64(runs) * cases),
        firstRows, QStringLiteral("ms"));
    benchFigure(QStringLiteral("testruns"), QStringLiteral("pane: the selected run's cases with history"),
                withCases, QStringLiteral("ms"));
    delete pane; // before the cache closes: its readers finish first
    Database::close();
    return 0;
}
