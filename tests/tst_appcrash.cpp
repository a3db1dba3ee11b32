// The opsdeck program itself, as an admin runs it (offscreen here), with its token in a real
// keychain (gnome-keyring in a private D-Bus session, support/with-keyring.sh):
// - killed with SIGKILL in the middle of its automatic runner sync, again and again: the cache
//   passes PRAGMA integrity_check, the audit chain verifies, the list holds one whole sync;
// - crashed with SIGSEGV: it leaves a crash report (signal, backtrace) and dies of that signal; the
//   next start tells the admin once;
// - killed with SIGKILL during a deploy job that an admin started from its window (a real X
//   window under Xvfb, driven by keyboard through xdotool: Ctrl+3, Alt+Q, the image, Enter): the
//   next start shows the job as interrupted;
// - the token it used appears nowhere it wrote: cache with its WAL, settings, log, crash report,
//   and what it printed.
#include "fakeengine.h"
#include "killchecks.h"
#include "models/connections/connectionstore.h"
#include "models/deploy/job.h"
#include "models/store/database.h"
#include "secretscan.h"
#include "services/connections/secretstore.h"
#include "specroutes.h"
#include "testhttpserver.h"
#include "testprocess.h"
#include "testutil.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QStandardPaths>
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
    void killedDuringDeployJob();
    void secretsStayOut(); // last

private:
    void startApp(QProcess &app, const QStringList &extraArgs = {}, const QString &display = {});
    // Runs xdotool on the display; false (with what it said) if it failed.
    bool xdotool(const QString &display, const QStringList &args, QString *out = nullptr);
    // Waits for a window whose title matches, and gives it the keyboard focus.
    bool focusWindow(const QString &display, const QString &title);
    // Waits until the running app has asked for `pages` more runner pages; false if it stopped.
    bool waitForPages(QProcess &app, int pages, int timeoutMs = 60000);
    void stop(QProcess &app, int signal);
    void checkDatabase(const QString &when);
    int activeRunners(int *generations = nullptr);

    QTemporaryDir m_dir;
    QString m_db;
    TestHttpServer m_github;
    TestHttpServer m_engine; // a Docker engine whose image pull never ends
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

void TestAppCrash::startApp(QProcess &app, const QStringList &extraArgs, const QString &display)
{
    // The sync is due at once when the cache has no record of an earlier attempt.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("DELETE FROM sync_state")));
    q.finish();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (display.isEmpty()) {
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    } else {
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("DISPLAY"), display);
    }
    app.setProcessEnvironment(env);
    app.setProgram(QStringLiteral(OPSDECK_APP));
    app.setArguments(QStringList{QStringLiteral("--data-dir"), m_dir.path()} + extraArgs);
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

bool TestAppCrash::xdotool(const QString &display, const QStringList &args, QString *out)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DISPLAY"), display);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("xdotool"), args);
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
    }
    const QString said =
        QString::fromLocal8Bit(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
    if (out)
        *out = said;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning().noquote() << "xdotool" << args.join(QLatin1Char(' ')) << "failed:" << said;
        return false;
    }
    return true;
}

bool TestAppCrash::focusWindow(const QString &display, const QString &title)
{
    QString windows;
    if (!xdotool(display,
                 {QStringLiteral("search"), QStringLiteral("--sync"), QStringLiteral("--onlyvisible"),
                  QStringLiteral("--name"), title},
                 &windows))
        return false;
    return xdotool(display, {QStringLiteral("windowfocus"), QStringLiteral("--sync"),
                             windows.section(QLatin1Char('\n'), 0, 0)});
}

void TestAppCrash::killedDuringDeployJob()
{
    OPSDECK_REQUIRE_COMPONENT(!QStandardPaths::findExecutable(QStringLiteral("Xvfb")).isEmpty(), "Xvfb");
    OPSDECK_REQUIRE_COMPONENT(!QStandardPaths::findExecutable(QStringLiteral("xdotool")).isEmpty(),
                              "xdotool");
    // The engine: lists nothing, and pulls slowly for a minute.
    QVERIFY(m_engine.listen());
    serveAsDockerEngine(m_engine);
    m_engine.route("GET", QStringLiteral("/containers/json"),
                   [](const TestRequest &) { return TestReply::json(200, "[]"); });
    m_engine.route("GET", QStringLiteral("/system/df"), [](const TestRequest &) {
        return TestReply::json(200, R"({"LayersSize":0,"Images":[],"Containers":[],"Volumes":[]})");
    });
    m_engine.route("POST", QStringLiteral("/images/create"),
                   [](const TestRequest &) { return KillChecks::endlessPull(); });
    Connection engine;
    engine.kind = ConnectionKind::Docker;
    engine.name = QStringLiteral("build host");
    engine.endpoint = QStringLiteral("tcp://127.0.0.1:%1").arg(m_engine.port());
    engine.auth = AuthKind::None;
    QVERIFY(ConnectionStore::save(Database::connection(), engine).ok());

    // A virtual X server, and the program's real window on it.
    TestProcess xvfb;
    xvfb.start(QStringLiteral("Xvfb"),
               {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                QStringLiteral("0"), QStringLiteral("1280x900x24"), QStringLiteral("-nolisten"),
                QStringLiteral("tcp")});
    QVERIFY(xvfb.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(xvfb.canReadLine(), 20000);
    const QString display = QLatin1Char(':') + QString::fromLatin1(xvfb.readLine()).trimmed();

    for (int round = 1; round <= 2; ++round) {
        QProcess app;
        startApp(app, {}, display);
        QVERIFY(focusWindow(display, QStringLiteral("^Opsdeck")));
        QTest::qWait(500);
        // As an admin: Ctrl+3 (Deployments), Alt+Q (Quick service…), Alt+I (Image), the image, Enter.
        const auto key = [&](const QString &keys) {
            return xdotool(display, {QStringLiteral("key"), QStringLiteral("--clearmodifiers"), keys});
        };
        QVERIFY(key(QStringLiteral("ctrl+3")));
        QTest::qWait(500);
        QVERIFY(key(QStringLiteral("alt+q")));
        QVERIFY(focusWindow(display, QStringLiteral("Quick service")));
        QTest::qWait(300);
        QVERIFY(key(QStringLiteral("alt+i")));
        QVERIFY(xdotool(display, {QStringLiteral("type"), QStringLiteral("--delay"), QStringLiteral("20"),
                                  QStringLiteral("127.0.0.1:5999/team/slow:1.0")}));
        QTest::qWait(300);
        QVERIFY(key(QStringLiteral("Return")));

        // The pull is under way: kill it there.
        QTRY_VERIFY_WITH_TIMEOUT(m_engine.requestCount(QStringLiteral("/images/create")) >= round, 30000);
        QTest::qWait(QRandomGenerator::global()->bounded(200, 1200));
        QSqlQuery q(Database::connection());
        QVERIFY(q.exec(QStringLiteral("SELECT id, state FROM jobs ORDER BY id DESC LIMIT 1")) && q.next());
        const qint64 jobId = q.value(0).toLongLong();
        QCOMPARE(q.value(1).toString(), jobStateId(JobState::Running));
        q.finish();
        stop(app, SIGKILL);
        QCOMPARE(app.exitStatus(), QProcess::CrashExit);
        checkDatabase(QStringLiteral("round %1: killed during the deploy job").arg(round));

        // The next start shows it as interrupted.
        QProcess next;
        startApp(next, {QStringLiteral("--startup-probe")});
        QVERIFY(next.waitForFinished(60000));
        QCOMPARE(next.exitCode(), 0);
        const Job job = JobStore::byId(Database::connection(), jobId).value();
        QCOMPARE(job.state, JobState::Interrupted);
        QVERIFY2(!job.message.isEmpty(), "the interrupted job says what happened");
        checkDatabase(QStringLiteral("round %1: after the next start").arg(round));
    }
    QVERIFY2(m_engine.specViolations().isEmpty(), qPrintable(m_engine.specViolations().join('\n')));
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
