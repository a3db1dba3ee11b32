// "Test connection" for every HTTP backend against local servers that accept only what the
// official API descriptions in shared/specs document; GitHub App JWTs signed and verified.
#include "services/connections/connectionservice.h"
#include "services/connections/probes.h"
#include "services/github/githubappjwt.h"
#include "services/servicehost.h"
#include "specroutes.h"
#include "testhttpserver.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck;

class TestProbes : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void specsLoaded();
    void validatorRejectsUndocumented();
    void probeMatchesSpec_data();
    void probeMatchesSpec();
    void probeFailureIsReadable();
    void apiUrlJoins_data();
    void apiUrlJoins();
    void githubAppJwt();

private:
    ServiceHost *m_host = nullptr;
    ConnectionService *m_service = nullptr;
};

void TestProbes::initTestCase()
{
    m_host = new ServiceHost(this);
    m_service = m_host->add(new ConnectionService, QStringLiteral("connections"));
}

void TestProbes::cleanupTestCase()
{
    m_host->stopAll();
}

static SpecRoutes githubSpec()
{
    return SpecRoutes::fromOpenApiJson(specsDir() + QStringLiteral("/github/api.github.com.subset.json"));
}
static SpecRoutes cloudflareSpec()
{
    return SpecRoutes::fromOpenApiJson(
        specsDir() + QStringLiteral("/cloudflare/cloudflare-api.tunnels-dns.2024-08-06.subset.json"));
}
static SpecRoutes harborSpec()
{
    return SpecRoutes::fromSwaggerYaml(specsDir() +
                                       QStringLiteral("/harbor/harbor-api-v2.0.v2.15.2.subset.yaml"));
}
static SpecRoutes litellmSpec()
{
    return SpecRoutes::fromLiteLlmSummary(specsDir() +
                                          QStringLiteral("/litellm/litellm-proxy-admin-api.summary.yaml"));
}

void TestProbes::specsLoaded()
{
    QVERIFY2(githubSpec().size() > 20, qPrintable(specsDir()));
    QVERIFY(cloudflareSpec().size() >= 10);
    QVERIFY(harborSpec().size() >= 20);
    QCOMPARE(harborSpec().basePath(), QStringLiteral("/api/v2.0"));
    QVERIFY(litellmSpec().size() >= 20);
}

void TestProbes::validatorRejectsUndocumented()
{
    QVERIFY(!cloudflareSpec().check("GET", QStringLiteral("/user/tokens/verify")).isEmpty());
    QVERIFY(!githubSpec().check("DELETE", QStringLiteral("/user")).isEmpty());
    QVERIFY(githubSpec()
                .check("GET", QStringLiteral("/orgs/acme/actions/runners"),
                       QUrlQuery(QStringLiteral("per_page=100&page=2")))
                .isEmpty());
    QVERIFY(
        !githubSpec()
             .check("GET", QStringLiteral("/orgs/acme/actions/runners"), QUrlQuery(QStringLiteral("limit=5")))
             .isEmpty());
    QVERIFY(harborSpec()
                .check("GET", QStringLiteral("/projects"), QUrlQuery(QStringLiteral("page=1&page_size=10")))
                .isEmpty());
    QVERIFY(litellmSpec()
                .check("GET", QStringLiteral("/spend/logs"), QUrlQuery(QStringLiteral("start_date=x")))
                .isEmpty());
    // /model/new exists in LiteLLM but is not in the summary Opsdeck follows; /key/list is, for GET only.
    QVERIFY(!litellmSpec().check("POST", QStringLiteral("/model/new")).isEmpty());
    QVERIFY(litellmSpec().check("GET", QStringLiteral("/key/list")).isEmpty());
    QVERIFY(!litellmSpec().check("POST", QStringLiteral("/key/list")).isEmpty());
}

void TestProbes::probeMatchesSpec_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("auth");
    QTest::addColumn<QString>("basePath");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QByteArray>("expectedAuth");
    QTest::addColumn<QString>("expectedMessage");
    QTest::newRow("github token") << int(ConnectionKind::GitHub) << int(AuthKind::Token) << ""
                                  << "/user" << QByteArray(R"({"login":"octocat","id":1})")
                                  << QByteArray("Bearer s3cret-token") << "Signed in to GitHub as octocat.";
    QTest::newRow("github enterprise path")
        << int(ConnectionKind::GitHub) << int(AuthKind::Token) << "/api/v3"
        << "/api/v3/user" << QByteArray(R"({"login":"admin"})") << QByteArray("Bearer s3cret-token")
        << "Signed in to GitHub as admin.";
    QTest::newRow("harbor") << int(ConnectionKind::Harbor) << int(AuthKind::Basic) << ""
                            << "/api/v2.0/users/current" << QByteArray(R"({"user_id":3,"username":"robot"})")
                            << QByteArray("Basic " + QByteArray("admin:s3cret-token").toBase64())
                            << "Signed in to Harbor as robot.";
    QTest::newRow("litellm") << int(ConnectionKind::LiteLLM) << int(AuthKind::Token) << ""
                             << "/key/info" << QByteArray(R"({"key":"sk-...","info":{}})")
                             << QByteArray("Bearer s3cret-token") << "LiteLLM accepted the key.";
    QTest::newRow("cloudflare") << int(ConnectionKind::Cloudflare) << int(AuthKind::Token) << "/client/v4"
                                << "/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/cfd_tunnel"
                                << QByteArray(R"({"success":true,"errors":[],"messages":[],"result":[]})")
                                << QByteArray("Bearer s3cret-token") << "Cloudflare accepted the token.";
    QTest::newRow("registry anonymous")
        << int(ConnectionKind::Registry) << int(AuthKind::None) << ""
        << "/v2/" << QByteArray("{}") << QByteArray() << "The registry speaks the OCI distribution API.";
}

void TestProbes::probeMatchesSpec()
{
    QFETCH(int, kind);
    QFETCH(int, auth);
    QFETCH(QString, basePath);
    QFETCH(QString, route);
    QFETCH(QByteArray, answer);
    QFETCH(QByteArray, expectedAuth);
    QFETCH(QString, expectedMessage);

    TestHttpServer server;
    QVERIFY(server.listen());
    switch (ConnectionKind(kind)) {
    case ConnectionKind::GitHub:
        server.setSpec(githubSpec(), basePath);
        break;
    case ConnectionKind::Cloudflare:
        server.setSpec(cloudflareSpec(), basePath);
        break;
    case ConnectionKind::Harbor:
        server.setSpec(harborSpec(), harborSpec().basePath());
        break;
    case ConnectionKind::LiteLLM:
        server.setSpec(litellmSpec());
        break;
    default:
        break;
    }
    server.route("GET", route, [=](const TestRequest &) {
        return TestReply::json(200, answer)
            .header("X-RateLimit-Limit", "5000")
            .header("X-RateLimit-Remaining", "4999")
            .header("X-RateLimit-Reset", "1800000000");
    });

    Connection c;
    c.kind = ConnectionKind(kind);
    c.name = QStringLiteral("probe");
    c.auth = AuthKind(auth);
    c.endpoint = server.url(basePath).toString();
    c.username = QStringLiteral("admin");
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    c.options.insert(QStringLiteral("account_id"), QStringLiteral("023e105f4ecef8ad9ca31a8372d0c353"));

    QSignalSpy spy(m_service, &ConnectionService::tested);
    QSignalSpy limits(m_service, &ConnectionService::rateLimitChanged);
    QMetaObject::invokeMethod(m_service,
                              [this, c] { m_service->test(41, c, QStringLiteral("s3cret-token"), false); });
    QTRY_VERIFY_WITH_TIMEOUT(spy.count() > 0, 15000); // count, not wait(): the signal may come first
    const auto outcome = spy.at(0).at(1).value<Outcome>();
    QCOMPARE(spy.at(0).at(0).toULongLong(), quint64(41));
    QVERIFY2(server.specViolations().isEmpty(), qPrintable(server.specViolations().join(QLatin1Char('\n'))));
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QCOMPARE(outcome.message, expectedMessage);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().at(0).header("Authorization"), expectedAuth);
    QTRY_COMPARE(limits.count(), 1); // surfaced for the status bar
    QCOMPARE(limits.at(0).at(1).value<RateLimit>().remaining, 4999);
}

void TestProbes::probeFailureIsReadable()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    server.setSpec(githubSpec());
    server.route("GET", QStringLiteral("/user"), [](const TestRequest &) {
        return TestReply::json(
            401, R"({"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"})");
    });
    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("gh");
    c.auth = AuthKind::Token;
    c.endpoint = server.url().toString();
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    QSignalSpy spy(m_service, &ConnectionService::tested);
    QMetaObject::invokeMethod(m_service,
                              [this, c] { m_service->test(7, c, QStringLiteral("wrong"), false); });
    QTRY_VERIFY_WITH_TIMEOUT(spy.count() > 0, 15000); // count, not wait(): the signal may come first
    const auto outcome = spy.at(0).at(1).value<Outcome>();
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.code, QStringLiteral("http.unauthorized"));
    QVERIFY2(outcome.message.contains(QStringLiteral("401 Unauthorized: Bad credentials")),
             qPrintable(outcome.message));
    QVERIFY(server.specViolations().isEmpty());

    // A missing secret is refused before any request.
    spy.clear();
    server.clearRequests();
    QMetaObject::invokeMethod(m_service, [this, c] { m_service->test(8, c, QString(), false); });
    QTRY_VERIFY_WITH_TIMEOUT(spy.count() > 0, 5000); // count, not wait(): the signal may come first
    QCOMPARE(spy.at(0).at(1).value<Outcome>().code, QStringLiteral("connection.secret"));
    QCOMPARE(server.requests().size(), 0);
}

void TestProbes::apiUrlJoins_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("url");
    QTest::newRow("plain") << "https://api.github.com"
                           << "/user"
                           << "https://api.github.com/user";
    QTest::newRow("trailing slash") << "https://api.github.com/"
                                    << "/user"
                                    << "https://api.github.com/user";
    QTest::newRow("ghes") << "https://ghe.acme/api/v3"
                          << "/user"
                          << "https://ghe.acme/api/v3/user";
    QTest::newRow("harbor base typed") << "https://harbor.acme/api/v2.0"
                                       << "/api/v2.0/users/current"
                                       << "https://harbor.acme/api/v2.0/users/current";
    QTest::newRow("harbor host only") << "https://harbor.acme"
                                      << "/api/v2.0/users/current"
                                      << "https://harbor.acme/api/v2.0/users/current";
    QTest::newRow("registry v2 typed") << "https://reg.acme/v2/"
                                       << "/v2/"
                                       << "https://reg.acme/v2/";
}

void TestProbes::apiUrlJoins()
{
    QFETCH(QString, base);
    QFETCH(QString, path);
    QFETCH(QString, url);
    QCOMPARE(apiUrl(base, path).toString(), url);
}

void TestProbes::githubAppJwt()
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    QVERIFY(key);
    BIO *bio = BIO_new(BIO_s_mem());
    QVERIFY(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    const QByteArray pem(data, length);
    BIO_free(bio);

    const QDateTime now = QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC);
    const auto jwt = makeGitHubAppJwt(QStringLiteral("314159"), pem, now);
    QVERIFY2(jwt.ok(), qPrintable(jwt.message()));
    const QList<QByteArray> parts = jwt.value().split('.');
    QCOMPARE(parts.size(), 3);
    const auto decode = [](const QByteArray &b) {
        return QByteArray::fromBase64(b, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    QCOMPARE(QJsonDocument::fromJson(decode(parts[0])).object().value(QStringLiteral("alg")).toString(),
             QStringLiteral("RS256"));
    const QJsonObject claims = QJsonDocument::fromJson(decode(parts[1])).object();
    QCOMPARE(claims.value(QStringLiteral("iss")).toString(), QStringLiteral("314159"));
    QCOMPARE(qint64(claims.value(QStringLiteral("iat")).toDouble()), qint64(1800000000 - 60));
    QVERIFY(claims.value(QStringLiteral("exp")).toDouble() - 1800000000 <= 600);

    // The signature verifies with the public half of the key.
    const QByteArray input = parts[0] + '.' + parts[1];
    const QByteArray signature = decode(parts[2]);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    QCOMPARE(EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key), 1);
    QCOMPARE(EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
                              size_t(signature.size()),
                              reinterpret_cast<const unsigned char *>(input.constData()),
                              size_t(input.size())),
             1);
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);

    const auto bad = makeGitHubAppJwt(QStringLiteral("1"),
                                      "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n", now);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, QStringLiteral("github.app-key"));
}

QTEST_GUILESS_MAIN(TestProbes)
#include "tst_probes.moc"
