// Notifications about test runs (models/testruns/notifications.h, TestRunsService): when each
// channel speaks, what Slack's and Jira's answers mean, as tables; then the service against a local
// Slack webhook (plain-text "ok", error strings, a stalled answer) and a local Jira checked against
// ../shared/specs/notify (route, basic auth, an IssueUpdateDetails body). A notifier that answers 500
// or times out leaves the run imported, and is recorded and audited.
#include "models/core/jsonschema.h"
#include "models/store/database.h"
#include "models/testruns/notifications.h"
#include "models/testruns/runrecord.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunsservice.h"
#include "services/testruns/testrunstore.h"
#include "testhttpserver.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace opsdeck;

namespace {
RunNotice notice(int failed, const QStringList &newFailures)
{
    RunNotice n;
    n.source = QStringLiteral("api-tests");
    n.run = QStringLiteral("nightly.xml");
    n.runId = 7;
    n.branch = QStringLiteral("main");
    n.commit = QStringLiteral("0123456789abcdef");
    n.totals.tests = 10;
    n.totals.failed = failed;
    n.totals.passed = 10 - failed;
    n.newFailures = newFailures;
    for (int i = 0; i < failed; ++i)
        n.failing << QStringLiteral("s › c › t%1").arg(i);
    return n;
}

const QByteArray passingThenFailing[] = {
    R"(<testsuite name="s"><testcase classname="c" name="a"/><testcase classname="c" name="b"/></testsuite>)",
    R"(<testsuite name="s"><testcase classname="c" name="a"/><testcase classname="c" name="b"><failure message="x"/></testcase></testsuite>)",
};
} // namespace

class TestRunNotify : public QObject
{
    Q_OBJECT

private slots:
    void when_data();
    void when();
    void slackAnswers_data();
    void slackAnswers();
    void jiraAnswers_data();
    void jiraAnswers();
    void settingsChecked_data();
    void settingsChecked();
    void messages();
    void schemaChecks_data();
    void schemaChecks();
    void init();
    void cleanup();
    void slackAndJira();
    void failingNotifiers_data();
    void failingNotifiers();
    void telemetry_data();
    void telemetry();

private:
    qint64 importTwo(); // a passing run, then one with a new failure; the second's id
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunNotify::when_data()
{
    QTest::addColumn<int>("when");
    QTest::addColumn<int>("failed");
    QTest::addColumn<bool>("newFailure");
    QTest::addColumn<bool>("speaks");
    QTest::newRow("off, failed run") << int(NotifyWhen::Off) << 2 << true << false;
    QTest::newRow("on failure, failed run") << int(NotifyWhen::FailedRun) << 2 << false << true;
    QTest::newRow("on failure, passing run") << int(NotifyWhen::FailedRun) << 0 << false << false;
    QTest::newRow("on new failures, only old ones") << int(NotifyWhen::NewFailures) << 2 << false << false;
    QTest::newRow("on new failures, a new one") << int(NotifyWhen::NewFailures) << 2 << true << true;
}

void TestRunNotify::when()
{
    QFETCH(int, when);
    QFETCH(int, failed);
    QFETCH(bool, newFailure);
    QFETCH(bool, speaks);
    QCOMPARE(shouldNotify(NotifyWhen(when),
                          notice(failed, newFailure ? QStringList{"s › c › t0"} : QStringList{})),
             speaks);
    QCOMPARE(notifyWhenFromId(notifyWhenId(NotifyWhen(when))), NotifyWhen(when));
}

void TestRunNotify::slackAnswers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("says"); // empty: success
    QTest::newRow("ok") << 200 << QByteArray("ok") << "";
    QTest::newRow("ok with a newline") << 200 << QByteArray("ok\n") << "";
    QTest::newRow("200 but not ok") << 200 << QByteArray("<html>") << "instead of ok";
    QTest::newRow("invalid_payload") << 400 << QByteArray("invalid_payload") << "could not read the message";
    QTest::newRow("action_prohibited") << 403 << QByteArray("action_prohibited") << "restricts posting";
    QTest::newRow("channel_not_found") << 404 << QByteArray("channel_not_found") << "channel does not exist";
    QTest::newRow("channel_is_archived") << 410 << QByteArray("channel_is_archived") << "archived";
    QTest::newRow("rollup_error") << 500 << QByteArray("rollup_error") << "failed on its side";
    QTest::newRow("no_service") << 404 << QByteArray("no_service") << "disabled, removed";
    QTest::newRow("rate limited") << 429 << QByteArray() << "too many messages";
    QTest::newRow("something else") << 502 << QByteArray("Bad Gateway") << "Bad Gateway";
}

void TestRunNotify::slackAnswers()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, says);
    const auto answer = slackAnswer(status, body);
    QCOMPARE(answer.ok(), says.isEmpty());
    if (!says.isEmpty())
        QVERIFY2(answer.message().contains(says), qPrintable(answer.message()));
}

void TestRunNotify::jiraAnswers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("result"); // the key, or a part of the error
    QTest::addColumn<bool>("ok");
    QTest::newRow("created")
        << 201 << QByteArray(R"({"id":"10000","key":"ED-24","self":"https://x/rest/api/3/issue/10000"})")
        << "ED-24" << true;
    QTest::newRow("field errors")
        << 400 << QByteArray(R"({"errorMessages":[],"errors":{"project":"valid project is required"}})")
        << "project: valid project is required" << false;
    QTest::newRow("messages") << 403
                              << QByteArray(R"({"errorMessages":["You do not have permission"],"errors":{}})")
                              << "You do not have permission" << false;
    QTest::newRow("401 without a body") << 401 << QByteArray() << "API token is not accepted" << false;
    QTest::newRow("201 without a key") << 201 << QByteArray("{}") << "did not say its key" << false;
}

void TestRunNotify::jiraAnswers()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, result);
    QFETCH(bool, ok);
    const auto answer = jiraAnswer(status, body);
    QCOMPARE(answer.ok(), ok);
    if (ok)
        QCOMPARE(answer.value(), result);
    else
        QVERIFY2(answer.message().contains(result), qPrintable(answer.message()));
}

void TestRunNotify::settingsChecked_data()
{
    QTest::addColumn<QString>("site");
    QTest::addColumn<QString>("account");
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("problem");
    QTest::newRow("fine") << "https://acme.atlassian.net/"
                          << "ci@acme.io"
                          << "OPS"
                          << "";
    QTest::newRow("http elsewhere") << "http://acme.atlassian.net"
                                    << "ci@acme.io"
                                    << "OPS"
                                    << "https address";
    QTest::newRow("a path") << "https://acme.atlassian.net/jira"
                            << "ci@acme.io"
                            << "OPS"
                            << "https address";
    QTest::newRow("no e-mail") << "https://acme.atlassian.net"
                               << "ci"
                               << "OPS"
                               << "e-mail";
    QTest::newRow("lowercase key") << "https://acme.atlassian.net"
                                   << "ci@acme.io"
                                   << "ops"
                                   << "project key";
}

void TestRunNotify::settingsChecked()
{
    QFETCH(QString, site);
    QFETCH(QString, account);
    QFETCH(QString, project);
    QFETCH(QString, problem);
    NotifySettings s;
    s.jira = NotifyWhen::FailedRun;
    s.jiraSite = site;
    s.jiraAccount = account;
    s.jiraProject = project;
    const auto checked = checkNotifySettings(s);
    QCOMPARE(checked.ok(), problem.isEmpty());
    if (checked)
        QVERIFY(!checked->jiraSite.endsWith(QLatin1Char('/')));
    else
        QVERIFY2(checked.message().contains(problem), qPrintable(checked.message()));
    // Jira off: its fields are not needed.
    s.jira = NotifyWhen::Off;
    QVERIFY(checkNotifySettings(s));
    QVERIFY(!checkSlackWebhook(QStringLiteral("http://hooks.slack.com/services/T/B/X")));
    QVERIFY(checkSlackWebhook(QStringLiteral("https://hooks.slack.com/services/T/B/X")));
    QVERIFY(!checkSlackWebhook(QStringLiteral("not a url")));
}

void TestRunNotify::messages()
{
    const RunNotice n = notice(3, {QStringLiteral("s › c › t1"), QStringLiteral("s › c › <b>&")});
    const QJsonObject slack = QJsonDocument::fromJson(slackMessage(n)).object();
    QVERIFY(slack.value(QStringLiteral("text")).toString().contains(QStringLiteral("2 new failure")));
    const QString blocks =
        QString::fromUtf8(QJsonDocument(slack.value(QStringLiteral("blocks")).toArray()).toJson());
    QVERIFY2(blocks.contains(QStringLiteral("&lt;b&gt;&amp;")), qPrintable(blocks)); // mrkdwn escaped
    NotifySettings s;
    s.jiraProject = QStringLiteral("OPS");
    const QJsonObject jira = QJsonDocument::fromJson(jiraIssue(n, s)).object();
    const QJsonObject fields = jira.value(QStringLiteral("fields")).toObject();
    QCOMPARE(jira.keys(), QStringList{"fields"});
    QCOMPARE(fields.value(QStringLiteral("project")).toObject().value(QStringLiteral("key")).toString(),
             QStringLiteral("OPS"));
    QCOMPARE(fields.value(QStringLiteral("issuetype")).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("Bug"));
    QCOMPARE(fields.value(QStringLiteral("description")).toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("doc"));
    QVERIFY(fields.value(QStringLiteral("summary"))
                .toString()
                .startsWith(QStringLiteral("api-tests: 2 new failure")));
    // Many cases: a few named, the rest counted.
    RunNotice many = notice(40, {});
    QVERIFY(QString::fromUtf8(slackMessage(many, 10)).contains(QStringLiteral("and 30 more")));
}

void TestRunNotify::schemaChecks_data()
{
    QTest::addColumn<QString>("from"); // replaced in the canonical record …
    QTest::addColumn<QString>("to");   // … by this
    QTest::addColumn<QString>("problem");
    QTest::newRow("as made") << ""
                             << ""
                             << "";
    QTest::newRow("another format") << R"("opsdeck-run/1")"
                                    << R"("opsdeck-run/2")"
                                    << "$.format";
    QTest::newRow("an unknown outcome") << R"("outcome":"failed")"
                                        << R"("outcome":"broken")"
                                        << "$.cases[0].outcome";
    QTest::newRow("a field more") << R"("flaky":true)"
                                  << R"("flaky":true,"extra":1)"
                                  << "$.cases[0].extra";
    QTest::newRow("a negative count") << R"("tests":2)"
                                      << R"("tests":-2)"
                                      << "$.totals.tests";
    QTest::newRow("a time without zone") << R"(.000Z")"
                                         << R"(.000")"
                                         << "$.started_at";
}

void TestRunNotify::schemaChecks()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, problem);
    RunRecord r;
    r.source = QStringLiteral("api");
    r.run = QStringLiteral("sha256:ab");
    r.startedAt = QDateTime(QDate(2026, 12, 1), QTime(2, 0), QTimeZone::utc());
    r.totals.tests = 2;
    r.cases = {RunCaseRecord{QStringLiteral("s"), QStringLiteral("c"), QStringLiteral("a"),
                             CaseOutcome::Failed, true, 5}};
    QString body = QString::fromUtf8(canonicalRunRecord(r));
    if (!from.isEmpty()) {
        QVERIFY2(body.contains(from), qPrintable(body));
        body.replace(from, to);
    }
    QFile f(QStringLiteral(OPSDECK_TESTS_DIR "/../resources/schemas/opsdeck-run-1.schema.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto checked = validateJson(QJsonDocument::fromJson(body.toUtf8()).object(),
                                      QJsonDocument::fromJson(f.readAll()).object());
    QCOMPARE(checked.ok(), problem.isEmpty());
    if (!problem.isEmpty())
        QVERIFY2(checked.message().contains(problem), qPrintable(checked.message()));
}

void TestRunNotify::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(Database::open(m_dir->filePath(QStringLiteral("cache.sqlite"))));
}

void TestRunNotify::cleanup()
{
    Database::close();
    m_dir.reset();
}

qint64 TestRunNotify::importTwo()
{
    qint64 last = 0;
    for (const QByteArray &xml : passingThenFailing) {
        QBuffer b;
        b.setData(xml);
        b.open(QIODevice::ReadOnly);
        RunImport r;
        r.source = QStringLiteral("api-tests");
        r.branch = QStringLiteral("main");
        r.title = QStringLiteral("run");
        const auto run = TestRunStore::importReport(b, r, QByteArray(32, 'k'));
        if (!run)
            return -1;
        last = run->runId;
    }
    return last;
}

void TestRunNotify::slackAndJira()
{
    const qint64 run = importTwo();
    QVERIFY(run > 0);
    TestHttpServer slack;
    QVERIFY(slack.listen());
    slack.route("POST", QStringLiteral("/services/T000/B000/XXXX"), [](const TestRequest &r) {
        TestReply reply;
        const QJsonObject body = QJsonDocument::fromJson(r.body).object();
        // What Slack reads: a JSON body with text, sent as JSON.
        if (!r.header("content-type").startsWith("application/json") ||
            !body.value(QStringLiteral("text")).isString()) {
            reply.status = 400;
            reply.body = "invalid_payload";
        } else {
            reply.body = "ok";
        }
        reply.header("Content-Type", "text/plain;charset=utf-8");
        return reply;
    });
    TestHttpServer jira;
    QVERIFY(jira.listen());
    jira.setSpec(SpecRoutes::fromOpenApiJson(
        specsDir() + QStringLiteral("/notify/jira-cloud-platform-v3.issue-myself.subset.json")));
    jira.route("POST", QStringLiteral("/rest/api/3/issue"), [&jira](const TestRequest &r) {
        // Basic auth with the account and its API token; an IssueUpdateDetails body.
        if (r.header("authorization") != "Basic " + QByteArray("ci@acme.io:jira-token-123").toBase64())
            return TestReply::json(401, R"({"errorMessages":["Client must be authenticated"],"errors":{}})");
        const QJsonObject body = QJsonDocument::fromJson(r.body).object();
        static const QStringList allowed{"fields", "update", "historyMetadata", "properties", "transition"};
        for (const QString &k : body.keys())
            if (!allowed.contains(k))
                jira.recordViolation(QStringLiteral("IssueUpdateDetails has no %1").arg(k));
        const QJsonObject fields = body.value(QStringLiteral("fields")).toObject();
        if (fields.value(QStringLiteral("project")).toObject().value(QStringLiteral("key")).toString() !=
                QLatin1String("OPS") ||
            fields.value(QStringLiteral("summary")).toString().isEmpty())
            return TestReply::json(
                400, R"({"errorMessages":[],"errors":{"project":"valid project is required"}})");
        return TestReply::json(201,
                               R"({"id":"10000","key":"OPS-7","self":"http://x/rest/api/3/issue/10000"})");
    });

    ServiceHost host;
    auto *service = new TestRunsService;
    host.add(service, QStringLiteral("testruns"));
    host.startAll();
    SecretStore::keepInMemory(TestRunsService::slackSecretKey(QStringLiteral("api-tests")),
                              slack.url(QStringLiteral("/services/T000/B000/XXXX")).toString());
    SecretStore::keepInMemory(TestRunsService::jiraSecretKey(QStringLiteral("api-tests")),
                              QStringLiteral("jira-token-123"));
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT id FROM test_sources")) && q.next());
    NotifySettings settings;
    settings.slack = NotifyWhen::NewFailures;
    settings.jira = NotifyWhen::FailedRun;
    settings.jiraSite = jira.url().toString();
    settings.jiraAccount = QStringLiteral("ci@acme.io");
    settings.jiraProject = QStringLiteral("OPS");
    QVERIFY(TestRunStore::setNotifySettings(q.value(0).toLongLong(), settings));

    static QStringList logged;
    logged.clear();
    const auto previous =
        qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &m) { logged << m; });
    QSignalSpy notified(service, &TestRunsService::notified);
    QMetaObject::invokeMethod(service, [service, run] { service->notifyFor(run); });
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 2, 10000);
    qInstallMessageHandler(previous);
    // The webhook's path and the token are secrets: the log names the host only.
    QVERIFY(!logged.isEmpty());
    for (const QString &line : std::as_const(logged)) {
        QVERIFY2(!line.contains(QStringLiteral("XXXX")) && !line.contains(QStringLiteral("jira-token-123")),
                 qPrintable(line));
    }
    QStringList outcomes;
    for (const auto &n : notified)
        outcomes << n.at(1).toString() + QLatin1Char('=') +
                        (n.at(2).toBool() ? QStringLiteral("ok ") : QStringLiteral("failed ")) +
                        n.at(3).toString();
    outcomes.sort();
    QCOMPARE(outcomes, QStringList({"jira=ok OPS-7", "slack=ok "}));
    QVERIFY2(jira.specViolations().isEmpty(), qPrintable(jira.specViolations().join(QLatin1Char('\n'))));
    const QJsonObject posted = QJsonDocument::fromJson(slack.requests().first().body).object();
    QVERIFY(posted.value(QStringLiteral("text")).toString().contains(QStringLiteral("1 new failure")));
    QVERIFY(q.exec(QStringLiteral("SELECT channel, ok, detail FROM test_notifications ORDER BY channel")));
    QVERIFY(q.next());
    QCOMPARE(q.value(2).toString(), QStringLiteral("OPS-7"));
    QVERIFY(
        q.exec(QStringLiteral(
            "SELECT count(*) FROM audit_events WHERE action = 'testrun.notify' AND outcome = 'success'")) &&
        q.next());
    QCOMPARE(q.value(0).toInt(), 2);
    // A passing run tells no one.
    slack.clearRequests();
    QBuffer passing;
    passing.setData(passingThenFailing[0] + QByteArray("<!-- again -->"));
    passing.open(QIODevice::ReadOnly);
    RunImport again;
    again.source = QStringLiteral("api-tests");
    again.branch = QStringLiteral("main");
    const auto third = TestRunStore::importReport(passing, again, QByteArray(32, 'k'));
    QVERIFY(third);
    QMetaObject::invokeMethod(service, [service, id = third->runId] { service->notifyFor(id); });
    QTest::qWait(300);
    QCOMPARE(notified.size(), 2);
    QVERIFY(slack.requests().isEmpty());
    host.stopAll();
    SecretStore::forgetInMemory(TestRunsService::slackSecretKey(QStringLiteral("api-tests")));
    SecretStore::forgetInMemory(TestRunsService::jiraSecretKey(QStringLiteral("api-tests")));
}

void TestRunNotify::failingNotifiers_data()
{
    QTest::addColumn<int>("status"); // 0: the answer never comes
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("says");
    QTest::newRow("500 rollup_error") << 500 << QByteArray("rollup_error") << "failed on its side";
    QTest::newRow("404 no_service") << 404 << QByteArray("no_service") << "disabled, removed";
    QTest::newRow("times out") << 0 << QByteArray() << "did not answer within 1.5 seconds";
}

void TestRunNotify::failingNotifiers()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, says);
    const qint64 run = importTwo();
    TestHttpServer slack;
    QVERIFY(slack.listen());
    slack.route("POST", QStringLiteral("/hook"), [status, body](const TestRequest &) {
        TestReply reply;
        reply.status = status ? status : 200;
        reply.body = body;
        reply.delayMs = status == 0 ? 5000 : 0; // longer than the notifier waits
        reply.header("Content-Type", "text/plain");
        return reply;
    });
    ServiceHost host;
    auto *service = new TestRunsService;
    service->setNotifyTimeout(1500);
    host.add(service, QStringLiteral("testruns"));
    host.startAll();
    SecretStore::keepInMemory(TestRunsService::slackSecretKey(QStringLiteral("api-tests")),
                              slack.url(QStringLiteral("/hook")).toString());
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT id FROM test_sources")) && q.next());
    NotifySettings settings;
    settings.slack = NotifyWhen::FailedRun;
    QVERIFY(TestRunStore::setNotifySettings(q.value(0).toLongLong(), settings));
    QSignalSpy notified(service, &TestRunsService::notified);
    QMetaObject::invokeMethod(service, [service, run] { service->notifyFor(run); });
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, 15000);
    QCOMPARE(notified.first().at(2).toBool(), false);
    const QString why = notified.first().at(3).toString();
    QVERIFY2(says.isEmpty() ? !why.isEmpty() : why.contains(says), qPrintable(why));
    // The run stays as it was imported; the failure is recorded and audited with its reason.
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM test_runs")) && q.next());
    QCOMPARE(q.value(0).toInt(), 2);
    QVERIFY(q.exec(QStringLiteral("SELECT ok, detail FROM test_notifications")) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    QCOMPARE(q.value(1).toString(), why);
    QVERIFY(
        q.exec(QStringLiteral(
            "SELECT comment FROM audit_events WHERE action = 'testrun.notify' AND outcome = 'failure'")) &&
        q.next());
    QCOMPARE(q.value(0).toString(), why);
    host.stopAll();
    SecretStore::forgetInMemory(TestRunsService::slackSecretKey(QStringLiteral("api-tests")));
}

void TestRunNotify::telemetry_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("accepted") << 202;
    QTest::newRow("the receiver fails") << 500;
}

void TestRunNotify::telemetry()
{
    QFETCH(int, status);
    const QByteArray key =
        QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    SecretStore::keepInMemory(RunSigningKey::keychainKey, QString::fromLatin1(key.toBase64()));
    const qint64 run = importTwo();
    QVERIFY(run > 0);
    QTemporaryDir received;
    TestHttpServer receiver;
    QVERIFY(receiver.listen());
    QStringList problems;
    receiver.route("POST", QStringLiteral("/ingest"), [&](const TestRequest &r) {
        // The receiver's documented check: HMAC-SHA256 of the raw body with the shared key.
        const QByteArray expected =
            "sha256=" + QMessageAuthenticationCode::hash(r.body, key, QCryptographicHash::Sha256).toHex();
        if (r.header("x-opsdeck-signature") != expected)
            problems
                << QStringLiteral("signature %1").arg(QString::fromLatin1(r.header("x-opsdeck-signature")));
        QFile body(received.filePath(QStringLiteral("body.json")));
        if (body.open(QIODevice::WriteOnly))
            body.write(r.body);
        TestReply reply;
        reply.status = status;
        return reply;
    });
    ServiceHost host;
    auto *service = new TestRunsService;
    host.add(service, QStringLiteral("testruns"));
    host.startAll();
    QSignalSpy sent(service, &TestRunsService::telemetrySent);
    // Through an import, as the pane does it: the key comes from the keychain first.
    QDir().mkpath(received.filePath(QStringLiteral("r")));
    QFile report(received.filePath(QStringLiteral("r/third.xml")));
    QVERIFY(report.open(QIODevice::WriteOnly));
    report.write(
        R"(<testsuite name="s"><testcase classname="c" name="a" time="0.2"/><testcase classname="c" name="b"><failure/></testcase></testsuite>)");
    report.close();
    QMetaObject::invokeMethod(
        service, [service, url = receiver.url(QStringLiteral("/ingest"))] { service->setTelemetryUrl(url); });
    ImportJob job;
    job.paths = {report.fileName()};
    job.source = QStringLiteral("api-tests");
    QMetaObject::invokeMethod(service, [service, job] { service->importReports(1, job); });
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, 10000);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QCOMPARE(sent.first().at(1).toBool(), status < 300);
    // The body validates against the published schema with a complete JSON Schema implementation.
    QProcess validate;
    validate.start(QStringLiteral("python3"),
                   {QStringLiteral(OPSDECK_TESTS_DIR "/support/validate-json.py"),
                    QStringLiteral(OPSDECK_TESTS_DIR "/../resources/schemas/opsdeck-run-1.schema.json"),
                    received.filePath(QStringLiteral("body.json"))});
    QVERIFY(validate.waitForFinished(30000));
    if (validate.exitCode() == 77 && !qEnvironmentVariableIsSet("OPSDECK_REQUIRE_TESTBED"))
        QSKIP("python3-jsonschema is not installed");
    QVERIFY2(validate.exitCode() == 0, validate.readAllStandardError().constData());
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT outcome FROM audit_events WHERE action = 'testrun.telemetry'")) &&
            q.next());
    QCOMPARE(q.value(0).toString(), status < 300 ? QStringLiteral("success") : QStringLiteral("failure"));
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM test_runs")) && q.next());
    QCOMPARE(q.value(0).toInt(), 3); // imported whatever the receiver said
    host.stopAll();
    SecretStore::forgetInMemory(RunSigningKey::keychainKey);
}

QTEST_GUILESS_MAIN(TestRunNotify)
#include "tst_testrunnotify.moc"
