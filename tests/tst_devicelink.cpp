// Linking a GitHub login through the OAuth device flow, against a local server that answers as
// ../shared/specs/github/oauth-device-flow.excerpt.md describes (form-encoded requests, JSON
// answers asked for with Accept, HTTP 200 with an "error" while waiting): pending, slow_down (the
// interval grows by five), expired, denied; then GET /user names the login, which the workspace
// records as the person's own, audited. The token is never kept.
#include "models/connections/connectionstore.h"
#include "models/github/deviceflow.h"
#include "models/store/database.h"
#include "services/connections/secretstore.h"
#include "services/github/githubservice.h"
#include "services/servicehost.h"
#include "services/workspace/workspaceservice.h"
#include "testhttpserver.h"
#include "ui/panes/users/githublinkdialog.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace opsdeck;

class TestDeviceLink : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void parsers_data();
    void parsers();
    void pendingSlowDownThenToken();
    void expiredOrDenied_data();
    void expiredOrDenied();
    void noClientId();
    void dialogLinksTheLogin();

private:
    std::pair<Outcome, QString> link(qint64 connectionId);
    QTemporaryDir m_dir;
    TestHttpServer m_server;
    ServiceHost *m_host = nullptr;
    GitHubService *m_github = nullptr;
    WorkspaceService *m_workspace = nullptr;
    Connection m_connection;
    QStringList m_answers; // what the token endpoint answers next, one poll each
    QList<qint64> m_pollTimes;
    QElapsedTimer m_clock;
    QStringList m_problems;
    static constexpr int unitMs = 20;
};

void TestDeviceLink::initTestCase()
{
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    QVERIFY(m_server.listen());
    m_clock.start();
    const auto checkForm = [this](const TestRequest &req, const QStringList &fields) {
        if (req.header("Accept") != "application/json")
            m_problems << QStringLiteral("no Accept: application/json");
        if (!req.header("Content-Type").startsWith("application/x-www-form-urlencoded"))
            m_problems << QStringLiteral("not form-encoded");
        const QUrlQuery form(QString::fromUtf8(req.body));
        for (const QString &f : fields)
            if (!form.hasQueryItem(f))
                m_problems << QStringLiteral("no %1").arg(f);
        if (form.queryItemValue(QStringLiteral("client_id")) != QLatin1String("Iv1.abc123"))
            m_problems << QStringLiteral("wrong client_id");
        return form;
    };
    m_server.route("POST", QStringLiteral("/login/device/code"), [checkForm](const TestRequest &req) {
        checkForm(req, {QStringLiteral("client_id")});
        return TestReply::json(
            200, R"({"device_code":"3584d83530557fdd1f46af8289938c8ef79f9dc5",)"
                 R"("user_code":"WDJB-MJHT","verification_uri":"https://github.com/login/device",)"
                 R"("expires_in":900,"interval":1})");
    });
    m_server.route(
        "POST", QStringLiteral("/login/oauth/access_token"), [this, checkForm](const TestRequest &req) {
            const QUrlQuery form = checkForm(req, {QStringLiteral("client_id"), QStringLiteral("device_code"),
                                                   QStringLiteral("grant_type")});
            if (form.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded) !=
                QLatin1String("urn:ietf:params:oauth:grant-type:device_code"))
                m_problems << QStringLiteral("wrong grant_type");
            m_pollTimes << m_clock.elapsed();
            const QString answer =
                m_answers.isEmpty() ? QStringLiteral("authorization_pending") : m_answers.takeFirst();
            if (answer == QLatin1String("token"))
                return TestReply::json(200, R"({"access_token":"gho_16C7e42F292c6912E7710c838347Ae178B4a",)"
                                            R"("token_type":"bearer","scope":""})");
            return TestReply::json(
                200, QStringLiteral(R"({"error":"%1","error_description":"…"})").arg(answer).toUtf8());
        });
    m_server.route("GET", QStringLiteral("/user"), [](const TestRequest &req) {
        if (req.header("Authorization") != "Bearer gho_16C7e42F292c6912E7710c838347Ae178B4a")
            return TestReply::json(401, R"({"message":"Bad credentials"})");
        return TestReply::json(200, R"({"login":"octo-cat","id":1})");
    });
    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("acme");
    c.endpoint = m_server.url().toString();
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    c.options.insert(QStringLiteral("oauth_client_id"), QStringLiteral("Iv1.abc123"));
    auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY2(saved.ok(), qPrintable(saved.message()));
    m_connection = saved.value();
    SecretStore::keepInMemory(m_connection.secretKey(), QStringLiteral("ghp_test"));
    m_host = new ServiceHost(this);
    m_github = m_host->add(new GitHubService, QStringLiteral("github"));
    m_github->setDeviceFlowUnit(unitMs);
    m_workspace = m_host->add(new WorkspaceService, QStringLiteral("workspace"));
    QSignalSpy state(m_workspace, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("workspace.sqlite"));
    QMetaObject::invokeMethod(m_workspace,
                              [this, path] { m_workspace->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
}

void TestDeviceLink::cleanupTestCase()
{
    m_host->stopAll();
    QVERIFY2(m_problems.isEmpty(), qPrintable(m_problems.join('\n')));
    // The token was never written anywhere.
    QFile cache(m_dir.filePath(QStringLiteral("cache.sqlite")));
    QVERIFY(cache.open(QIODevice::ReadOnly));
    QVERIFY(!cache.readAll().contains("gho_16C7e42F"));
    Database::close();
}

void TestDeviceLink::parsers_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("interval");
    QTest::newRow("pending") << QByteArray(R"({"error":"authorization_pending"})")
                             << int(DevicePoll::State::Pending) << 0;
    QTest::newRow("slow down, no interval")
        << QByteArray(R"({"error":"slow_down"})") << int(DevicePoll::State::SlowDown) << 10;
    QTest::newRow("slow down, interval")
        << QByteArray(R"({"error":"slow_down","interval":12})") << int(DevicePoll::State::SlowDown) << 12;
    QTest::newRow("expired") << QByteArray(R"({"error":"expired_token"})") << int(DevicePoll::State::Expired)
                             << 0;
    QTest::newRow("denied") << QByteArray(R"({"error":"access_denied"})") << int(DevicePoll::State::Denied)
                            << 0;
    QTest::newRow("disabled") << QByteArray(R"({"error":"device_flow_disabled"})")
                              << int(DevicePoll::State::Failed) << 0;
    QTest::newRow("token") << QByteArray(R"({"access_token":"gho_x","token_type":"bearer"})")
                           << int(DevicePoll::State::Token) << 0;
    QTest::newRow("no token") << QByteArray(R"({"token_type":"bearer"})") << int(DevicePoll::State::Failed)
                              << 0;
    QTest::newRow("html") << QByteArray("<html>") << int(DevicePoll::State::Failed) << 0;
}

void TestDeviceLink::parsers()
{
    QFETCH(QByteArray, body);
    QFETCH(int, state);
    QFETCH(int, interval);
    const DevicePoll p = parseDevicePoll(body, 5);
    QCOMPARE(int(p.state), state);
    QCOMPARE(p.interval, interval);
    QCOMPARE(p.accessToken.isEmpty(), p.state != DevicePoll::State::Token);
    static const QByteArray noHyphen(
        "{\"device_code\":\"x\",\"user_code\":\"WDJBMJHT\",\"verification_uri\":"
        "\"https://github.com/login/device\",\"expires_in\":900,\"interval\":5}");
    QVERIFY(!parseDeviceCode(noHyphen)); // eight characters, but no hyphen in the middle
    QCOMPARE(oauthOrigin(QStringLiteral("https://api.github.com")).toString(),
             QStringLiteral("https://github.com"));
    QCOMPARE(oauthOrigin(QStringLiteral("https://ghe.acme.internal/api/v3")).toString(),
             QStringLiteral("https://ghe.acme.internal"));
}

std::pair<Outcome, QString> TestDeviceLink::link(qint64 connectionId)
{
    static quint64 requests = 0;
    const quint64 request = ++requests;
    QSignalSpy linked(m_github, &GitHubService::identityLinked);
    QMetaObject::invokeMethod(m_github, "linkIdentity", Q_ARG(quint64, request), Q_ARG(qint64, connectionId));
    if (!QTest::qWaitFor([&] { return !linked.isEmpty(); }, 20000))
        return {Outcome::failure(makeError("test", QStringLiteral("no answer"))), {}};
    return {linked.first().at(1).value<Outcome>(), linked.first().at(2).toString()};
}

void TestDeviceLink::pendingSlowDownThenToken()
{
    m_answers = {QStringLiteral("authorization_pending"), QStringLiteral("slow_down"),
                 QStringLiteral("token")};
    m_pollTimes.clear();
    const auto [outcome, login] = link(m_connection.id);
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QCOMPARE(login, QStringLiteral("octo-cat"));
    QCOMPARE(m_pollTimes.size(), 3);
    // The interval was 1 ("second" = 20 ms here); after slow_down it is 6: never faster than asked.
    QVERIFY2(m_pollTimes.at(1) - m_pollTimes.at(0) >= 1 * unitMs,
             qPrintable(QString::number(m_pollTimes.at(1) - m_pollTimes.at(0))));
    QVERIFY2(m_pollTimes.at(2) - m_pollTimes.at(1) >= 6 * unitMs,
             qPrintable(QString::number(m_pollTimes.at(2) - m_pollTimes.at(1))));
}

void TestDeviceLink::expiredOrDenied_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("says");
    QTest::newRow("expired") << "expired_token"
                             << "expired";
    QTest::newRow("denied") << "access_denied"
                            << "denied";
    QTest::newRow("disabled") << "device_flow_disabled"
                              << "does not allow the device flow";
}

void TestDeviceLink::expiredOrDenied()
{
    QFETCH(QString, answer);
    QFETCH(QString, says);
    m_answers = {QStringLiteral("authorization_pending"), answer};
    const auto [outcome, login] = link(m_connection.id);
    QVERIFY(!outcome.ok);
    QVERIFY2(outcome.message.contains(says), qPrintable(outcome.message));
    QVERIFY(login.isEmpty());
}

void TestDeviceLink::noClientId()
{
    Connection c = m_connection;
    c.id = 0;
    c.name = QStringLiteral("no-oauth");
    c.uid.clear();
    c.options.remove(QStringLiteral("oauth_client_id"));
    auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY(saved.ok());
    const auto [outcome, login] = link(saved->id);
    QVERIFY(!outcome.ok);
    QVERIFY2(outcome.message.contains(QLatin1String("no OAuth client ID")), qPrintable(outcome.message));
}

void TestDeviceLink::dialogLinksTheLogin()
{
    // ada, the local workspace's admin, links her own login from the dialog; the workspace records it.
    m_answers = {QStringLiteral("token")};
    GitHubLinkDialog dialog(QStringLiteral("ada"), m_github, m_workspace);
    QCOMPARE(dialog.connectionCombo()->count(), 1); // only the connection with an OAuth app
    QSignalSpy done(&dialog, &GitHubLinkDialog::linkFinished);
    dialog.startButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.codeText(), QStringLiteral("WDJB-MJHT"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
    QVERIFY2(done.first().at(0).toBool(), qPrintable(dialog.statusText()));
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT github_login FROM workspace_people WHERE login = 'ada'")) &&
            q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("octo-cat"));
    q.finish();
    QVERIFY(q.exec(QStringLiteral(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'user.update' AND target_name = "
                "'ada' AND outcome = 'success' AND details LIKE '%device flow%'")) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 1);
}

QTEST_MAIN(TestDeviceLink)
#include "tst_devicelink.moc"
