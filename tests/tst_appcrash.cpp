// The opsdeck program itself, as an admin runs it (offscreen here), with its token in a real
// keychain (gnome-keyring in a private D-Bus session, support/with-keyring.sh):
// - killed with SIGKILL in the middle of its automatic runner sync, again and again: the cache
//   passes PRAGMA integrity_check, the audit chain verifies, the list holds one whole sync;
// - crashed with SIGSEGV: it leaves a crash report (signal, backtrace) and dies of that signal; the
//   next start tells the admin once;
// - the token it used appears nowhere it wrote: cache with its WAL, settings, log, crash report,
//   and what it printed.
#include "connectionstore.h"
#include "database.h"
#include "killchecks.h"
#include "secretscan.h"
#include "secretstore.h"
#include "specroutes.h"
#include "testhttpserver.h"
#include "testutil.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>

using namespace opsdeck;

class TestAppCrash : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void killedDuringSync();
    void crashReport();
    void secretsStayOut(); // last

private:
    void startApp(QProcess &app);
    // Waits until the running app has asked for `pages` more runner pages; false if it stopped.
    bool waitForPages(QProcess &app, int pages, int timeoutMs = 60000);
    void stop(QProcess &app, int signal);
    void checkDatabase(const QString &when);
    int activeRunners(int *generations = nullptr);

    QTemporaryDir m_dir;
    QString m_db;
    TestHttpServer m_github;
    Connection m_connection;
    const QString m_token = QStringLiteral("ghp_appcrash_") + QUuid::createUuid().toString(QUuid::Id128);
    QByteArray m_output; // everything the app printed, scanned for the token at the end
    int m_pages = 0;
    int m_generation = 0;
    static constexpr int pages = KillChecks::pages, perPage = KillChecks::perPage;
};

void TestAppCrash::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("OPSDECK_KEYRING"), "run this test through support/with-keyring.sh");
    QVERIFY(QFileInfo(QStringLiteral(OPSDECK_APP)).isExecutable());
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(QStringLiteral("cache.sqlite"));
    QVERIFY(Database::open(m_db).ok());

    QVERIFY(m_github.listen());
    m_github.setSpec(
        SpecRoutes::fromOpenApiJson(specsDir() + QStringLiteral("/github/api.github.com.subset.json")));
    m_github.route("GET", QStringLiteral("/orgs/acme/actions/runners"), [this](const TestRequest &req) {
        if (req.header("Authorization") != "Bearer " + m_token.toUtf8())
            return TestReply::json(401, R"({"message":"Bad credentials"})");
        ++m_pages;
        const int page = qMax(1, req.query().queryItemValue(QStringLiteral("page")).toInt());
        if (page == 1)
            ++m_generation;
        TestReply reply = KillChecks::runnerPage(m_github, m_generation, page);
        reply.delayMs = 20;
        return reply;
    });

    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("acme on GitHub");
    c.endpoint = m_github.url().toString();
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY2(saved.ok(), qPrintable(saved.message()));
    m_connection = saved.value();
    // Into the keychain, as the Connections dialog puts it there: the app reads it from there.
    std::optional<Result<void>> written;
    SecretStore::instance()->write(m_connection.secretKey(), m_token, this,
                                   [&](const Result<void> &r) { written = r; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 15000);
    QVERIFY2(written->ok(), qPrintable(written->message()));
}

void TestAppCrash::cleanupTestCase()
{
    Database::close();
}

void TestAppCrash::startApp(QProcess &app)
{
    // The sync is due at once when the cache has no record of an earlier attempt.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("DELETE FROM sync_state")));
    q.finish();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    app.setProcessEnvironment(env);
    app.setProgram(QStringLiteral(OPSDECK_APP));
    app.setArguments({QStringLiteral("--data-dir"), m_dir.path()});
    app.setProcessChannelMode(QProcess::MergedChannels);
    connect(&app, &QProcess::readyRead, this, [this, &app] { m_output += app.readAll(); });
    app.start();
    QVERIFY2(app.waitForStarted(10000), qPrintable(app.errorString()));
}

bool TestAppCrash::waitForPages(QProcess &app, int count, int timeoutMs)
{
    const int target = m_pages + count;
    QElapsedTimer clock;
    clock.start();
    while (m_pages < target && clock.elapsed() < timeoutMs) {
        if (app.state() == QProcess::NotRunning)
            return false;
        QTest::qWait(5);
    }
    return m_pages >= target;
}

void TestAppCrash::stop(QProcess &app, int signal)
{
    ::kill(pid_t(app.processId()), signal);
    QVERIFY(app.waitForFinished(60000));
    m_output += app.readAll();
    app.disconnect(this);
}

void TestAppCrash::checkDatabase(const QString &when)
{
    const QString problem = KillChecks::cacheProblem();
    QVERIFY2(problem.isEmpty(), qPrintable(when + QStringLiteral(": ") + problem));
}

int TestAppCrash::activeRunners(int *generations)
{
    const auto [count, syncs] = KillChecks::activeRunners();
    if (generations)
        *generations = syncs;
    return count;
}

void TestAppCrash::killedDuringSync()
{
    for (int round = 1; round <= 6; ++round) {
        QProcess app;
        startApp(app);
        // Somewhere inside one sync of 30 pages: after page 2 … 28 was asked for.
        const int after = QRandomGenerator::global()->bounded(2, 29);
        QVERIFY2(waitForPages(app, after),
                 qPrintable(QStringLiteral("round %1: the app did not sync: %2")
                                .arg(round)
                                .arg(QString::fromLocal8Bit(m_output.right(2000)))));
        stop(app, SIGKILL);
        QCOMPARE(app.exitStatus(), QProcess::CrashExit);
        const QString when = QStringLiteral("round %1, killed after page %2").arg(round).arg(after);
        checkDatabase(when);
        int generations = 0;
        const int count = activeRunners(&generations);
        // Never a half sync: nothing yet, or the whole list of one earlier sync.
        QVERIFY2(count == 0 || (count == pages * perPage && generations == 1),
                 qPrintable(when + QStringLiteral(": %1 runners of %2 syncs").arg(count).arg(generations)));
    }
    QCOMPARE(activeRunners(), 0); // every round was killed before its sync ended
}

void TestAppCrash::crashReport()
{
    const QDir crashes(m_dir.filePath(QStringLiteral("crashes")));
    QProcess app;
    startApp(app);
    // A whole sync, so the token was read from the keychain and used, then SIGSEGV.
    QVERIFY(waitForPages(app, pages));
    QTRY_COMPARE_WITH_TIMEOUT(activeRunners(), pages * perPage, 30000);
    stop(app, SIGSEGV);
    QVERIFY(app.exitStatus() == QProcess::CrashExit || app.exitCode() != 0);
    checkDatabase(QStringLiteral("after the crash"));

    const QStringList reports = crashes.entryList({QStringLiteral("crash-*.txt")}, QDir::Files);
    QCOMPARE(reports.size(), 1);
    const QString report = QString::fromUtf8(readWholeFile(crashes.filePath(reports.first())));
    QVERIFY2(report.startsWith(QStringLiteral("Opsdeck ")) &&
                 report.contains(QStringLiteral("crashed: signal 11 (SIGSEGV)")),
             qPrintable(report));
    QVERIFY2(report.contains(QStringLiteral("sent by pid: %1").arg(QCoreApplication::applicationPid())),
             qPrintable(report));
    QVERIFY2(report.contains(QStringLiteral("backtrace:\n")) && report.count(QLatin1Char('\n')) > 8,
             qPrintable(report)); // frames follow
    QVERIFY2(m_output.contains("opsdeck: crashed (SIGSEGV); report: " +
                               crashes.filePath(reports.first()).toUtf8()),
             m_output.right(2000).constData());

    // The next start says so, once: in the log (and in a notice on the window).
    const QString logPath = m_dir.filePath(QStringLiteral("logs/opsdeck.log"));
    for (int start = 1; start <= 2; ++start) {
        QProcess next;
        startApp(next);
        QVERIFY(waitForPages(next, 1)); // up and syncing: the notice came before
        stop(next, SIGKILL);
        const int told = int(readWholeFile(logPath).count("an earlier run crashed: Opsdeck "));
        QCOMPARE(told, 1);
    }
    QVERIFY(readWholeFile(logPath).contains(reports.first().toUtf8()));
    QCOMPARE(crashes.entryList({QStringLiteral("crash-*.txt")}, QDir::Files).size(), 1); // kept
}

void TestAppCrash::secretsStayOut()
{
    // Everything the app wrote in these runs, and everything it printed.
    Database::close();
    QFile printed(m_dir.filePath(QStringLiteral("printed.txt")));
    QVERIFY(printed.open(QIODevice::WriteOnly));
    printed.write(m_output);
    printed.close();
    QVERIFY(m_output.contains("data directory")); // the app's log lines are in it
    const QStringList found = SecretScan::findings({m_token}, {m_dir.path()});
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY(Database::open(m_db).ok());
}

QTEST_GUILESS_MAIN(TestAppCrash)
#include "tst_appcrash.moc"
