// Golden suites run by Opsdeck (TestRunsService::runGolden): a suite folder written here, run against
// a local HTTP server: passing cases, each kind of mismatch with its diff, an unreadable case, a
// timeout, bounded concurrency, cancel, a suite in a git repository cloned with libgit2, and the run
// stored, signed and audited like an imported report, with every case's request and response kept.
#include "models/store/database.h"
#include "models/testruns/goldensuite.h"
#include "models/testruns/mocks.h"
#include "models/testruns/sourcemodels.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "services/testruns/mockstore.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunsservice.h"
#include "testhttpserver.h"
#include "ui/panes/testruns/goldensuitesdialog.h"
#include "ui/panes/testruns/mocksdialog.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestGoldenRun : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void settings_data();
    void settings();
    void runsSuite();
    void boundedConcurrency();
    void cancelKeepsNothing();
    void suiteFromGit();
    void missingFolder();
    void suitesDialog();
    void mockSettings_data();
    void mockSettings();
    void mockHealth();
    void suiteAgainstMock();

private:
    qint64 addSuite(const QString &name, const GoldenSuiteSettings &settings);
    QList<QVariant> run(qint64 sourceId, quint64 job);
    void writeCase(const QString &folder, const QString &file, const QByteArray &json);
    int count(const QString &sql);

    QTemporaryDir m_dir;
    TestHttpServer m_server;
    ServiceHost m_host;
    TestRunsService *m_service = nullptr;
    QList<qint64> m_arrivals; // ms since m_clock started, of /api/wait requests
    QElapsedTimer m_clock;
    QByteArray m_createdBody;
    QByteArray m_createdType;
};

void TestGoldenRun::initTestCase()
{
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    SecretStore::keepInMemory(RunSigningKey::keychainKey,
                              QString::fromLatin1(QByteArray(32, 'g').toBase64()));
    QVERIFY(m_server.listen());
    m_server.route("GET", QStringLiteral("/api/users/1"), [](const TestRequest &) {
        return TestReply::json(200, R"({"id":1,"name":"alice","created":"2026-12-04T10:00:00Z"})")
            .header("X-Version", "1");
    });
    m_server.route("POST", QStringLiteral("/api/users"), [this](const TestRequest &req) {
        m_createdBody = req.body;
        m_createdType = req.header("Content-Type");
        const QJsonObject in = QJsonDocument::fromJson(req.body).object();
        return TestReply::json(201, QJsonDocument(QJsonObject{{"id", 7}, {"name", in.value("name")}})
                                        .toJson(QJsonDocument::Compact))
            .header("Location", "/api/users/7");
    });
    m_server.route("GET", QStringLiteral("/api/teapot"),
                   [](const TestRequest &) { return TestReply::json(418, R"({"message":"I'm a teapot"})"); });
    m_server.route("GET", QStringLiteral("/api/slow"), [](const TestRequest &) {
        TestReply r = TestReply::json(200, R"({"ok":true})");
        r.delayMs = 5000;
        return r;
    });
    m_server.route("GET", QStringLiteral("/api/wait"), [this](const TestRequest &) {
        m_arrivals << m_clock.elapsed();
        TestReply r = TestReply::json(200, R"({"ok":true})");
        r.delayMs = 500;
        return r;
    });
    m_service = new TestRunsService;
    m_service->setArtifactsDir(m_dir.filePath(QStringLiteral("golden")));
    m_host.add(m_service, QStringLiteral("testruns"));
    m_host.startAll();
}

void TestGoldenRun::cleanupTestCase()
{
    m_host.stopAll();
    SecretStore::forgetInMemory(RunSigningKey::keychainKey);
    Database::close();
}

void TestGoldenRun::settings_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("git");
    QTest::addColumn<QString>("base");
    QTest::addColumn<int>("concurrency");
    QTest::addColumn<QString>("error");
    QTest::newRow("local") << "/srv/suite"
                           << ""
                           << "http://127.0.0.1:8080/api" << 4 << "";
    QTest::newRow("git") << "cases"
                         << "https://git.acme.io/qa/golden.git"
                         << "https://api.acme.io" << 4 << "";
    QTest::newRow("relative folder") << "suite"
                                     << ""
                                     << "http://127.0.0.1:8080" << 4 << "validation.path";
    QTest::newRow("folder leaves the repository") << "../etc"
                                                  << "https://git.acme.io/x.git"
                                                  << "http://h" << 4 << "validation.path";
    QTest::newRow("credentials in the repository URL") << ""
                                                       << "https://u:p@git.acme.io/x.git"
                                                       << "http://h" << 4 << "validation.url";
    QTest::newRow("ftp base") << "/srv/suite"
                              << ""
                              << "ftp://h/x" << 4 << "validation.url";
    QTest::newRow("base with a query") << "/srv/suite"
                                       << ""
                                       << "http://h/x?a=1" << 4 << "validation.url";
    QTest::newRow("no host") << "/srv/suite"
                             << ""
                             << "http://" << 4 << "validation.url";
    QTest::newRow("too many at once") << "/srv/suite"
                                      << ""
                                      << "http://h" << 33 << "validation.range";
}

void TestGoldenRun::settings()
{
    QFETCH(QString, folder);
    QFETCH(QString, git);
    QFETCH(QString, base);
    QFETCH(int, concurrency);
    QFETCH(QString, error);
    GoldenSuiteSettings s;
    s.folder = folder;
    s.gitUrl = git;
    s.baseUrl = base;
    s.concurrency = concurrency;
    const auto checked = s.check();
    QCOMPARE(checked ? QString() : checked.error().code, error);
    if (error.isEmpty()) {
        QCOMPARE(GoldenSuiteSettings::fromJson(s.toJson()).toJson(), s.toJson());
        QCOMPARE(s.urlFor(QStringLiteral("/users?x=1")).toString(), base + QStringLiteral("/users?x=1"));
    }
}

void TestGoldenRun::writeCase(const QString &folder, const QString &file, const QByteArray &json)
{
    const QString path = QDir(folder).filePath(file);
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(json);
}

int TestGoldenRun::count(const QString &sql)
{
    QSqlQuery q(Database::connection());
    return q.exec(sql) && q.next() ? q.value(0).toInt() : -1;
}

qint64 TestGoldenRun::addSuite(const QString &name, const GoldenSuiteSettings &settings)
{
    QSignalSpy saved(m_service, &TestRunsService::sourceSaved);
    QMetaObject::invokeMethod(m_service,
                              [this, name, settings] { m_service->saveGoldenSource(1, 0, name, settings); });
    [&] {
        QTRY_COMPARE(saved.count(), 1);
    }();
    if (saved.isEmpty() || !saved.at(0).at(1).toBool())
        return 0;
    return saved.at(0).at(3).toLongLong();
}

// goldenFinished's arguments: job, source, ok, message, run id.
QList<QVariant> TestGoldenRun::run(qint64 sourceId, quint64 job)
{
    QSignalSpy finished(m_service, &TestRunsService::goldenFinished);
    QMetaObject::invokeMethod(m_service, [this, sourceId, job] { m_service->runGolden(job, sourceId); });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 30000);
    }();
    return finished.isEmpty() ? QList<QVariant>{} : finished.at(0);
}

void TestGoldenRun::runsSuite()
{
    const QString folder = m_dir.filePath(QStringLiteral("suite"));
    writeCase(folder, QStringLiteral("users/get.json"), R"({"name":"reads a user",
        "request":{"method":"GET","path":"/users/1"},
        "expect":{"status":200,"headers":{"X-Version":"1"},"body":{"id":1,"name":"alice","created":"$any-string"}}})");
    writeCase(folder, QStringLiteral("users/create.json"), R"({"name":"creates a user",
        "request":{"method":"POST","path":"/users","body":{"name":"bob"}},
        "expect":{"status":201,"headers":{"Location":"$regex:/api/users/[0-9]+"},"body":{"id":"$any-number","name":"bob"}}})");
    writeCase(folder, QStringLiteral("wrong-status.json"), R"({"request":{"method":"GET","path":"/teapot"},
        "expect":{"status":200}})");
    writeCase(folder, QStringLiteral("wrong-body.json"), R"({"request":{"method":"GET","path":"/users/1"},
        "expect":{"status":200,"body":{"id":1,"name":"bob","created":"$any-string"}}})");
    writeCase(folder, QStringLiteral("wrong-header.json"), R"({"request":{"method":"GET","path":"/users/1"},
        "expect":{"status":200,"headers":{"X-Version":"2"},"body":"$any"}})");
    writeCase(folder, QStringLiteral("wrong-pattern.json"), R"({"request":{"method":"GET","path":"/users/1"},
        "expect":{"status":200,"body":{"id":"$any-string","name":"$regex:^b.*","created":"$any"}}})");
    writeCase(folder, QStringLiteral("slow.json"),
              R"({"request":{"method":"GET","path":"/slow"},"expect":{"status":200}})");
    writeCase(folder, QStringLiteral("broken.json"), R"({"request":{"method":"GET",)");

    GoldenSuiteSettings settings;
    settings.folder = folder;
    settings.baseUrl = m_server.url(QStringLiteral("/api")).toString();
    settings.timeoutMs = 700;
    const qint64 source = addSuite(QStringLiteral("users API"), settings);
    QVERIFY(source > 0);

    QSignalSpy progress(m_service, &TestRunsService::goldenProgress);
    const QList<QVariant> done = run(source, 11);
    QVERIFY(!done.isEmpty());
    QVERIFY2(done.at(2).toBool(), qPrintable(done.at(3).toString()));
    const qint64 runId = done.at(4).toLongLong();
    QVERIFY(runId > 0);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(1).toInt(), 8);
    QCOMPARE(progress.last().at(2).toInt(), 8);
    // The request went out as the case says.
    QCOMPARE(QJsonDocument::fromJson(m_createdBody).object().value("name").toString(), QStringLiteral("bob"));
    QCOMPARE(m_createdType, QByteArray("application/json"));

    QSqlQuery q(Database::connection());
    QVERIFY(
        q.exec(QStringLiteral("SELECT tests, passed, failed, errors, signature, run_key, origin, event FROM "
                              "test_runs WHERE id = %1")
                   .arg(runId)));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 8);
    QCOMPARE(q.value(1).toInt(), 2);
    QCOMPARE(q.value(2).toInt(), 4);
    QCOMPARE(q.value(3).toInt(), 2);
    QVERIFY(!q.value(4).toString().isEmpty());
    QVERIFY(q.value(5).toString().startsWith(QLatin1String("golden:")));
    const QString artifacts = q.value(6).toString();
    QCOMPARE(q.value(7).toString(), QStringLiteral("golden"));

    // Each case's outcome, and what a failure says.
    const auto caseOf = [&](const QString &name) {
        QSqlQuery c(Database::connection());
        c.prepare(
            QStringLiteral("SELECT c.outcome, c.message, COALESCE(d.details, '') FROM test_cases c JOIN "
                           "test_case_keys k ON k.id = c.key_id LEFT JOIN test_case_details d ON d.run_id = "
                           "c.run_id AND d.key_id = c.key_id WHERE c.run_id = ? AND k.name = ?"));
        c.addBindValue(runId);
        c.addBindValue(name);
        return c.exec() && c.next()
                   ? QStringList{c.value(0).toString(), c.value(1).toString(), c.value(2).toString()}
                   : QStringList{};
    };
    QCOMPARE(caseOf(QStringLiteral("reads a user")).value(0), QStringLiteral("0"));
    QCOMPARE(caseOf(QStringLiteral("creates a user")).value(0), QStringLiteral("0"));
    const QStringList status = caseOf(QStringLiteral("wrong-status"));
    QCOMPARE(status.value(0), QStringLiteral("1"));
    QVERIFY2(status.value(1).contains(QLatin1String("status")) &&
                 status.value(1).contains(QLatin1String("418")),
             qPrintable(status.value(1)));
    const QStringList body = caseOf(QStringLiteral("wrong-body"));
    QCOMPARE(body.value(0), QStringLiteral("1"));
    QVERIFY2(body.value(2).contains(QLatin1String("body /name")) &&
                 body.value(2).contains(QLatin1String("\"bob\"")) &&
                 body.value(2).contains(QLatin1String("\"alice\"")),
             qPrintable(body.value(2)));
    const QStringList header = caseOf(QStringLiteral("wrong-header"));
    QVERIFY2(header.value(2).contains(QLatin1String("header X-Version")), qPrintable(header.value(2)));
    const QStringList pattern = caseOf(QStringLiteral("wrong-pattern"));
    QVERIFY2(pattern.value(2).contains(QLatin1String("/id")) &&
                 pattern.value(2).contains(QLatin1String("/name")),
             qPrintable(pattern.value(2)));
    const QStringList slow = caseOf(QStringLiteral("slow"));
    QCOMPARE(slow.value(0), QStringLiteral("2"));
    QVERIFY2(slow.value(1).contains(QLatin1String("did not answer")), qPrintable(slow.value(1)));
    const QStringList broken = caseOf(QStringLiteral("broken"));
    QCOMPARE(broken.value(0), QStringLiteral("2"));
    QVERIFY2(broken.value(1).contains(QLatin1String("broken.json")), qPrintable(broken.value(1)));

    // The artifacts: the report, and each case's request, response and diff.
    QVERIFY2(artifacts.startsWith(m_dir.filePath(QStringLiteral("golden"))), qPrintable(artifacts));
    const QDir dir(artifacts);
    QVERIFY(dir.exists(QStringLiteral("junit.xml")));
    const QStringList files = dir.entryList(QDir::Files);
    QCOMPARE(files.filter(QStringLiteral(".request.txt")).size(), 7);
    QCOMPARE(files.filter(QStringLiteral(".error.txt")).size(), 1);
    QCOMPARE(files.filter(QStringLiteral(".diff.txt")).size(), 4);
    QFile request(dir.filePath(files.filter(QStringLiteral("users-create.request.txt")).value(0)));
    QVERIFY(request.open(QIODevice::ReadOnly));
    const QByteArray sent = request.readAll();
    QVERIFY2(sent.startsWith("POST " + m_server.url(QStringLiteral("/api/users")).toString().toUtf8()),
             sent.constData());
    QVERIFY2(sent.contains("{\"name\":\"bob\"}"), sent.constData());
    QFile response(dir.filePath(files.filter(QStringLiteral("wrong-status.response.txt")).value(0)));
    QVERIFY(response.open(QIODevice::ReadOnly));
    QVERIFY(response.readAll().startsWith("418\n"));

    QCOMPARE(count(QStringLiteral(
                 "SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.import' AND outcome = "
                 "'success'")),
             1);
}

void TestGoldenRun::boundedConcurrency()
{
    const QString folder = m_dir.filePath(QStringLiteral("waits"));
    for (int i = 0; i < 4; ++i)
        writeCase(
            folder, QStringLiteral("wait%1.json").arg(i),
            R"({"request":{"method":"GET","path":"/wait"},"expect":{"status":200,"body":{"ok":true}}})");
    GoldenSuiteSettings settings;
    settings.folder = folder;
    settings.baseUrl = m_server.url(QStringLiteral("/api")).toString();
    settings.concurrency = 2;
    const qint64 source = addSuite(QStringLiteral("waits"), settings);
    QVERIFY(source > 0);
    m_arrivals.clear();
    m_clock.start();
    const QList<QVariant> done = run(source, 12);
    QVERIFY2(!done.isEmpty() && done.at(2).toBool(), qPrintable(done.value(3).toString()));
    QCOMPARE(m_arrivals.size(), 4);
    // Two at once: the third is sent only when one of the first two was answered (after 500 ms),
    // and the second did not wait for the first.
    QVERIFY2(m_arrivals.at(2) - m_arrivals.at(0) >= 450,
             qPrintable(QString::number(m_arrivals.at(2) - m_arrivals.at(0))));
    QVERIFY2(m_arrivals.at(1) - m_arrivals.at(0) < 450,
             qPrintable(QString::number(m_arrivals.at(1) - m_arrivals.at(0))));
}

void TestGoldenRun::cancelKeepsNothing()
{
    const QString folder = m_dir.filePath(QStringLiteral("slow"));
    for (int i = 0; i < 3; ++i)
        writeCase(folder, QStringLiteral("slow%1.json").arg(i),
                  R"({"request":{"method":"GET","path":"/slow"},"expect":{"status":200}})");
    GoldenSuiteSettings settings;
    settings.folder = folder;
    settings.baseUrl = m_server.url(QStringLiteral("/api")).toString();
    settings.timeoutMs = 20000;
    const qint64 source = addSuite(QStringLiteral("slow"), settings);
    QVERIFY(source > 0);
    const int runs = count(QStringLiteral("SELECT COUNT(*) FROM test_runs"));
    QSignalSpy progress(m_service, &TestRunsService::goldenProgress);
    QSignalSpy finished(m_service, &TestRunsService::goldenFinished);
    QMetaObject::invokeMethod(m_service, [this, source] { m_service->runGolden(13, source); });
    QTRY_VERIFY(m_server.requestCount(QStringLiteral("/api/slow")) >= 1);
    // Another run meanwhile is refused, not queued behind it.
    QMetaObject::invokeMethod(m_service, [this, source] { m_service->runGolden(14, source); });
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toULongLong(), quint64(14));
    QVERIFY(!finished.at(0).at(2).toBool());
    m_service->cancel(13);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
    QCOMPARE(finished.at(1).at(0).toULongLong(), quint64(13));
    QVERIFY(!finished.at(1).at(2).toBool());
    QVERIFY2(finished.at(1).at(3).toString().contains(QLatin1String("cancelled")),
             qPrintable(finished.at(1).at(3).toString()));
    QCOMPARE(finished.at(1).at(4).toLongLong(), 0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs")), runs);
    QVERIFY(!QDir(m_dir.filePath(QStringLiteral("golden/%1").arg(source))).exists());
}

void TestGoldenRun::suiteFromGit()
{
    if (QStandardPaths::findExecutable(QStringLiteral("git")).isEmpty())
        QSKIP("git is not installed (scripts/deps.sh --test installs it)");
    const QString repo = m_dir.filePath(QStringLiteral("repo"));
    writeCase(
        repo, QStringLiteral("cases/get.json"),
        R"({"request":{"method":"GET","path":"/users/1"},"expect":{"status":200,"body":{"id":1,"name":"alice","created":"$any"}}})");
    const auto git = [&](const QStringList &args) {
        QProcess p;
        p.setWorkingDirectory(repo);
        p.start(QStringLiteral("git"), QStringList{QStringLiteral("-c"), QStringLiteral("user.name=t"),
                                                   QStringLiteral("-c"), QStringLiteral("user.email=t@x")} +
                                           args);
        p.waitForFinished();
        return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    };
    git({QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")});
    git({QStringLiteral("add"), QStringLiteral(".")});
    git({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("cases")});
    const QString head = git({QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
    QCOMPARE(head.size(), 40);

    GoldenSuiteSettings settings;
    settings.gitUrl = QUrl::fromLocalFile(repo).toString();
    settings.gitRef = QStringLiteral("main");
    settings.folder = QStringLiteral("cases");
    settings.baseUrl = m_server.url(QStringLiteral("/api")).toString();
    const qint64 source = addSuite(QStringLiteral("from git"), settings);
    QVERIFY(source > 0);
    const QList<QVariant> done = run(source, 15);
    QVERIFY2(!done.isEmpty() && done.at(2).toBool(), qPrintable(done.value(3).toString()));
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT commit_sha, branch, passed, tests FROM test_runs WHERE id = %1")
                       .arg(done.at(4).toLongLong())));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), head);
    QCOMPARE(q.value(1).toString(), QStringLiteral("main"));
    QCOMPARE(q.value(2).toInt(), 1);
    QCOMPARE(q.value(3).toInt(), 1);
}

void TestGoldenRun::missingFolder()
{
    GoldenSuiteSettings settings;
    settings.folder = m_dir.filePath(QStringLiteral("nowhere"));
    settings.baseUrl = m_server.url().toString();
    const qint64 source = addSuite(QStringLiteral("nowhere"), settings);
    QVERIFY(source > 0);
    const int runs = count(QStringLiteral("SELECT COUNT(*) FROM test_runs"));
    const QList<QVariant> done = run(source, 16);
    QVERIFY(!done.isEmpty() && !done.at(2).toBool());
    QVERIFY2(done.at(3).toString().contains(QLatin1String("does not exist")),
             qPrintable(done.at(3).toString()));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs")), runs);
    QCOMPARE(count(QStringLiteral(
                 "SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.import' AND outcome = "
                 "'failure' AND target_name LIKE 'nowhere%'")),
             1);
    // A wrong suite is not saved at all.
    QSignalSpy saved(m_service, &TestRunsService::sourceSaved);
    GoldenSuiteSettings wrong = settings;
    wrong.baseUrl = QStringLiteral("ftp://x");
    QMetaObject::invokeMethod(
        m_service, [this, wrong] { m_service->saveGoldenSource(2, 0, QStringLiteral("x"), wrong); });
    QTRY_COMPARE(saved.count(), 1);
    QVERIFY(!saved.at(0).at(1).toBool());
}

void TestGoldenRun::suitesDialog()
{
    const QString folder = m_dir.filePath(QStringLiteral("dialog"));
    writeCase(folder, QStringLiteral("get.json"),
              R"({"request":{"method":"GET","path":"/users/1"},"expect":{"status":200,"body":"$any"}})");
    writeCase(folder, QStringLiteral("teapot.json"),
              R"({"request":{"method":"GET","path":"/teapot"},"expect":{"status":200}})");
    GoldenSuitesDialog dialog(m_service);
    QSignalSpy saved(&dialog, &GoldenSuitesDialog::saved);
    GoldenSuiteSettings settings;
    settings.folder = folder;
    settings.baseUrl = m_server.url(QStringLiteral("/api")).toString();
    dialog.save(0, QStringLiteral("a dialog suite"), settings);
    QTRY_COMPARE(saved.count(), 1);
    QVERIFY2(saved.at(0).at(0).toBool(), qPrintable(saved.at(0).at(1).toString()));
    GoldenSourcesModel *suites = dialog.suites();
    int row = -1;
    QTRY_VERIFY((row = suites
                           ->match(suites->index(0, GoldenSourcesModel::Name), Qt::DisplayRole,
                                   QStringLiteral("a dialog suite"), 1, Qt::MatchExactly)
                           .value(0)
                           .row()) >= 0);
    dialog.suitesView()->selectRow(row);
    QSignalSpy ran(&dialog, &GoldenSuitesDialog::ran);
    dialog.runSelected();
    QVERIFY(dialog.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(ran.count(), 1, 30000);
    QVERIFY2(ran.at(0).at(0).toBool(), qPrintable(ran.at(0).at(1).toString()));
    QVERIFY(ran.at(0).at(2).toLongLong() > 0);
    QVERIFY(!dialog.isRunning());
    QCOMPARE(dialog.message()->text(), ran.at(0).at(1).toString());
    QTRY_COMPARE(suites->index(row, GoldenSourcesModel::LastResult).data().toString(),
                 QStringLiteral("1 of 2 passed"));
    QCOMPARE(suites->index(row, GoldenSourcesModel::Runs).data().toInt(), 1);

    // The form says what is wrong before anything is saved.
    GoldenSuiteForm form;
    settings.baseUrl = QStringLiteral("localhost:8080");
    form.setValues(QStringLiteral("x"), settings);
    QVERIFY2(form.problem().contains(QLatin1String("base URL")), qPrintable(form.problem()));
    settings.baseUrl = m_server.url().toString();
    form.setValues(QStringLiteral("x"), settings);
    QCOMPARE(form.problem(), QString());
    QCOMPARE(form.settings().folder, folder);
}

void TestGoldenRun::mockSettings_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("interval");
    QTest::addColumn<QString>("container");
    QTest::addColumn<QString>("error");
    QTest::newRow("plain") << "http://payments-mock:8080"
                           << "/health" << 60 << ""
                           << "";
    QTest::newRow("no scheme") << "payments-mock:8080"
                               << "/" << 60 << ""
                               << "validation.url";
    QTest::newRow("credentials") << "http://u:p@mock"
                                 << "/" << 60 << ""
                                 << "validation.url";
    QTest::newRow("relative path") << "http://mock"
                                   << "health" << 60 << ""
                                   << "validation.path";
    QTest::newRow("too often") << "http://mock"
                               << "/" << 1 << ""
                               << "validation.range";
    QTest::newRow("container without connection") << "http://mock"
                                                  << "/" << 60 << "mock"
                                                  << "validation.container";
}

void TestGoldenRun::mockSettings()
{
    QFETCH(QString, url);
    QFETCH(QString, path);
    QFETCH(int, interval);
    QFETCH(QString, container);
    QFETCH(QString, error);
    MockServer m;
    m.name = QStringLiteral("payments");
    m.url = url;
    m.healthPath = path;
    m.intervalSec = interval;
    m.container = container;
    const auto checked = m.check();
    QCOMPARE(checked ? QString() : checked.error().code, error);
    if (error.isEmpty())
        QCOMPARE(m.healthUrl().toString(), url + path);
    else
        QVERIFY(!MockStore::save(m));
}

void TestGoldenRun::mockHealth()
{
    bool healthy = true;
    m_server.route("GET", QStringLiteral("/mock/health"), [&healthy](const TestRequest &) {
        return healthy ? TestReply::json(200, R"({"status":"ok"})")
                       : TestReply::json(503, R"({"status":"down"})");
    });
    MockServer mock;
    mock.name = QStringLiteral("users mock");
    mock.url = m_server.url(QStringLiteral("/mock")).toString();
    mock.healthPath = QStringLiteral("/health");
    mock.intervalSec = 5;
    QSignalSpy saved(m_service, &TestRunsService::mockSaved);
    QSignalSpy checked(m_service, &TestRunsService::mockChecked);
    QMetaObject::invokeMethod(m_service, [this, mock] { m_service->saveMock(21, mock); });
    QTRY_COMPARE(saved.count(), 1);
    QVERIFY2(saved.at(0).at(1).toBool(), qPrintable(saved.at(0).at(2).toString()));
    const qint64 id = saved.at(0).at(3).toLongLong();
    // Saved, then asked at once: up.
    QTRY_COMPARE(checked.count(), 1);
    QCOMPARE(checked.at(0).at(0).toLongLong(), id);
    QVERIFY(checked.at(0).at(1).toBool());
    healthy = false;
    QMetaObject::invokeMethod(m_service, [this, id] { m_service->checkMock(id); });
    QTRY_COMPARE(checked.count(), 2);
    QVERIFY(!checked.at(1).at(1).toBool());
    QVERIFY2(checked.at(1).at(2).toString().contains(QLatin1String("503")),
             qPrintable(checked.at(1).at(2).toString()));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_mock_health WHERE mock_id = %1").arg(id)), 2);
    QCOMPARE(count(QStringLiteral(
                       "SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.mock.set' AND target_id = "
                       "'%1'")
                       .arg(id)),
             1);

    // Uptime from a history: up two hours ago, down for half an hour from one hour ago, up since.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("DELETE FROM test_mock_health WHERE mock_id = %1").arg(id)));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(MockStore::record(id, HealthCheck{now.addSecs(-7200), true, 200, 5, {}}));
    QVERIFY(
        MockStore::record(id, HealthCheck{now.addSecs(-3600), false, 0, 5000, QStringLiteral("refused")}));
    QVERIFY(MockStore::record(id, HealthCheck{now.addSecs(-1800), true, 200, 5, {}}));
    // Forty days ago: forgotten once a newer check is recorded.
    QVERIFY(MockStore::record(id, HealthCheck{now.addDays(-40), true, 200, 5, {}}));
    QVERIFY(MockStore::record(id, HealthCheck{now.addSecs(-1), true, 200, 5, {}}));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_mock_health WHERE mock_id = %1").arg(id)), 4);
    MocksModel model;
    model.reload();
    QTRY_VERIFY(model.rowOfKey(id) >= 0);
    const int row = model.rowOfKey(id);
    QCOMPARE(model.index(row, MocksModel::State).data().toString(), QStringLiteral("up"));
    const double day = model.index(row, MocksModel::Uptime24h).data(CacheTableModel::RawRole).toDouble();
    QVERIFY2(qAbs(day - 75.0) < 0.5, qPrintable(QString::number(day)));
    QCOMPARE(model.index(row, MocksModel::Outages).data().toInt(), 1);
    QCOMPARE(model.mockAt(row).healthPath, QStringLiteral("/health"));

    // The dialog: the mock with its state; no restart without a container and a Docker service.
    {
        MocksDialog dialog(m_service, nullptr, nullptr);
        QTRY_VERIFY(dialog.mocks()->rowOfKey(id) >= 0);
        dialog.view()->selectRow(dialog.mocks()->rowOfKey(id));
        QCOMPARE(dialog.selectedMock(), id);
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("restartMockButton"))->isEnabled());
        QSignalSpy dialogSaved(&dialog, &MocksDialog::saved);
        MockServer wrong = mock;
        wrong.id = 0;
        wrong.url = QStringLiteral("nowhere");
        dialog.save(wrong);
        QTRY_COMPARE(dialogSaved.count(), 1);
        QVERIFY(!dialogSaved.at(0).at(0).toBool());
        QVERIFY2(dialog.message()->text().contains(QLatin1String("URL")),
                 qPrintable(dialog.message()->text()));
        MockForm form(nullptr);
        form.setMock(wrong);
        QVERIFY(!form.problem().isEmpty());
    }
    saved.clear();
    QMetaObject::invokeMethod(m_service, [this, id] { m_service->removeMock(22, id); });
    QTRY_COMPARE(saved.count(), 1);
    QVERIFY(saved.at(0).at(1).toBool());
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_mock_health WHERE mock_id = %1").arg(id)), 0);
}

void TestGoldenRun::suiteAgainstMock()
{
    // The form offers the mocks; choosing one names it and fills an empty base URL with its address.
    MockServer mock;
    mock.name = QStringLiteral("users-mock");
    mock.url = m_server.url(QStringLiteral("/api")).toString();
    const auto mockId = MockStore::save(mock);
    QVERIFY2(mockId.ok(), qPrintable(mockId.message()));
    mock.id = mockId.value();
    GoldenSuiteForm form;
    form.setMocks({mock});
    QCOMPARE(form.mockCombo()->count(), 2);
    const int at = form.mockCombo()->findData(mock.id);
    QVERIFY(at > 0);
    form.mockCombo()->setCurrentIndex(at);
    emit form.mockCombo()->activated(at);
    QCOMPARE(form.settings().mockId, mock.id);
    QCOMPARE(form.settings().baseUrl, mock.url);

    const QString folder = m_dir.filePath(QStringLiteral("mocked"));
    writeCase(folder, QStringLiteral("get.json"), R"({"request":{"method":"GET","path":"/users/1"},
        "expect":{"status":200,"body":"$any"}})");
    GoldenSuiteSettings settings = form.settings();
    settings.folder = folder;
    const qint64 source = addSuite(QStringLiteral("mocked API"), settings);
    QVERIFY(source > 0);
    // The mock up at its last check: the run says nothing of it.
    QVERIFY(
        MockStore::record(mock.id, {QDateTime::currentDateTimeUtc().addSecs(-60), true, 200, 2, {}}).ok());
    QList<QVariant> done = run(source, 31);
    QVERIFY(done.value(2).toBool());
    QVERIFY2(!done.value(3).toString().contains(QStringLiteral("users-mock")),
             qPrintable(done.value(3).toString()));
    // Down at its last check: the run's message says its failures may be the mock's.
    QVERIFY(MockStore::record(mock.id, {QDateTime::currentDateTimeUtc(), false, 0, 0,
                                        QStringLiteral("connection "
                                                       "refused")})
                .ok());
    done = run(source, 32);
    QVERIFY(done.value(2).toBool());
    QVERIFY2(
        done.value(3).toString().contains(QStringLiteral("The mock users-mock was down at its last check")) &&
            done.value(3).toString().contains(QStringLiteral("connection refused")),
        qPrintable(done.value(3).toString()));
}

QTEST_MAIN(TestGoldenRun)
#include "tst_goldenrun.moc"
