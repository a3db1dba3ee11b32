// kill -9 in the middle of the work, repeated: Opsdeck's services run in a child process (as the
// application hosts them, without the window) and are killed during a runner sync and during a
// deploy job. After every kill the database passes PRAGMA integrity_check, the audit chain
// verifies, the cache holds one whole sync (never half of one), and an interrupted job shows as
// interrupted once the opsdeck program starts again. (tst_appcrash kills the program itself
// during its own sync.)
#include "fakeengine.h"
#include "killchecks.h"
#include "models/deploy/job.h"
#include "models/store/database.h"
#include "specroutes.h"
#include "testhttpserver.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestCrash : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void killedDuringSync();
    void killedDuringDeployJob();

private:
    // Starts the worker and waits for a line starting with `expect`; returns the line.
    QString startWorker(QProcess &p, const QStringList &args, const QString &expect);
    void checkDatabase(const QString &when);

    QTemporaryDir m_dir;
    QString m_db;
    TestHttpServer m_github;
    TestHttpServer m_engine;
    int m_generation = 0; // each sync sees a whole new set of runners
    int m_pagesServed = 0;
    static constexpr int pages = KillChecks::pages, perPage = KillChecks::perPage;
};

void TestCrash::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(QStringLiteral("cache.sqlite"));
    QVERIFY(Database::open(m_db).ok());

    QVERIFY(m_github.listen());
    m_github.setSpec(
        SpecRoutes::fromOpenApiJson(specsDir() + QStringLiteral("/github/api.github.com.subset.json")));
    m_github.route("GET", QStringLiteral("/orgs/acme/actions/runners"), [this](const TestRequest &req) {
        const int page = qMax(1, req.query().queryItemValue(QStringLiteral("page")).toInt());
        if (page == 1)
            ++m_generation;
        ++m_pagesServed;
        TestReply reply = KillChecks::runnerPage(m_github, m_generation, page);
        reply.delayMs = 10;
        return reply;
    });

    // A Docker engine whose pull never ends: progress lines, slowly, for a minute.
    QVERIFY(m_engine.listen());
    serveAsDockerEngine(m_engine);
    m_engine.route("GET", QStringLiteral("/containers/json"),
                   [](const TestRequest &) { return TestReply::json(200, "[]"); });
    m_engine.route("POST", QStringLiteral("/images/create"),
                   [](const TestRequest &) { return KillChecks::endlessPull(); });
}

void TestCrash::cleanupTestCase()
{
    Database::close();
}

QString TestCrash::startWorker(QProcess &p, const QStringList &args, const QString &expect)
{
    p.setProgram(QCoreApplication::applicationDirPath() + QStringLiteral("/crash_worker"));
    p.setArguments(args);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start();
    if (!p.waitForStarted(10000))
        return {};
    QByteArray out;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 30000) {
        if (p.canReadLine()) {
            const QString line = QString::fromUtf8(p.readLine()).trimmed();
            if (line.startsWith(expect))
                return line;
            qInfo().noquote() << "worker:" << line;
            continue;
        }
        if (p.state() == QProcess::NotRunning)
            return {};
        p.waitForReadyRead(200);
    }
    return {};
}

void TestCrash::checkDatabase(const QString &when)
{
    const QString problem = KillChecks::cacheProblem();
    QVERIFY2(problem.isEmpty(), qPrintable(when + QStringLiteral(": ") + problem));
}

void TestCrash::killedDuringSync()
{
    int completeSyncs = 0, fetching = 0;
    for (int round = 1; round <= 10; ++round) {
        const int pagesBefore = m_pagesServed;
        QProcess worker;
        QCOMPARE(startWorker(worker, {QStringLiteral("sync"), m_db, m_github.url().toString()},
                             QStringLiteral("ready")),
                 QStringLiteral("ready"));
        // Once the first sync is under way, somewhere in it or one of the next ones (each takes a
        // few hundred ms, more under a sanitizer).
        QTRY_VERIFY_WITH_TIMEOUT(m_pagesServed > pagesBefore, 30000);
        const int after = QRandomGenerator::global()->bounded(0, 1500);
        QTest::qWait(after);
        completeSyncs += int(worker.readAll().count("synced"));
        worker.kill(); // SIGKILL: no shutdown, no destructors
        QVERIFY(worker.waitForFinished(10000));
        QCOMPARE(worker.exitStatus(), QProcess::CrashExit);

        const QString when =
            QStringLiteral("round %1, killed %2 ms after the first page").arg(round).arg(after);
        // Killed while fetching pages, or once all of a sync's pages were in (while it writes).
        fetching += (m_pagesServed - pagesBefore) % pages != 0 ? 1 : 0;
        checkDatabase(when);
        // The list holds one whole sync: all runners of one generation, or none yet (runners a later
        // sync removed stay as history, with removed_at set).
        const auto [count, syncs] = KillChecks::activeRunners();
        QVERIFY2(count == 0 || (count == pages * perPage && syncs == 1),
                 qPrintable(when + QStringLiteral(": %1 runners of %2 syncs").arg(count).arg(syncs)));
    }
    qInfo("%d syncs completed between the kills; %d of 10 kills came while pages were fetched, the others "
          "after a sync's last page",
          completeSyncs, fetching);
    QVERIFY(m_generation >= 10); // every round's worker had a sync under way
}

void TestCrash::killedDuringDeployJob()
{
    for (int round = 1; round <= 3; ++round) {
        QProcess worker;
        const QString started = startWorker(
            worker,
            {QStringLiteral("deploy"), m_db, QStringLiteral("tcp://127.0.0.1:%1").arg(m_engine.port())},
            QStringLiteral("job "));
        QVERIFY2(!started.isEmpty(), "the deploy job did not start");
        const qint64 jobId = started.mid(4).toLongLong();
        // Until the pull is under way.
        QTRY_VERIFY_WITH_TIMEOUT(m_engine.requestCount(QStringLiteral("/images/create")) >= round, 30000);
        QTest::qWait(QRandomGenerator::global()->bounded(100, 800));
        worker.kill();
        QVERIFY(worker.waitForFinished(10000));
        const QString when = QStringLiteral("deploy round %1").arg(round);
        checkDatabase(when);
        Job job = JobStore::byId(Database::connection(), jobId).value();
        QCOMPARE(job.state, JobState::Running); // as the kill left it

        // The next start of the opsdeck program (until its window is first painted) marks it
        // interrupted, and says so.
        QProcess next;
        next.setProgram(QStringLiteral(OPSDECK_APP));
        next.setArguments({QStringLiteral("--data-dir"), m_dir.path(), QStringLiteral("--startup-probe")});
        next.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        next.start();
        QVERIFY(next.waitForFinished(60000));
        QCOMPARE(next.exitCode(), 0);
        QVERIFY(next.readAllStandardOutput().contains("first paint"));
        job = JobStore::byId(Database::connection(), jobId).value();
        QCOMPARE(job.state, JobState::Interrupted);
        QVERIFY2(!job.message.isEmpty(), "the interrupted job says what happened");
        checkDatabase(when + QStringLiteral(", after the next start"));
    }
    QVERIFY2(m_engine.specViolations().isEmpty(), qPrintable(m_engine.specViolations().join('\n')));
    QVERIFY2(m_github.specViolations().isEmpty(), qPrintable(m_github.specViolations().join('\n')));
}

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
