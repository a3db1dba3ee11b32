// TLS against a local HTTPS server with certificates made at run time: a server whose certificate
// comes from a private (self-signed) CA is refused with a clear message, and accepted only once
// that CA file is configured for the connection; an expired certificate and a host-name mismatch
// are refused even then. Checked on the HTTP layer and through a connection test as the admin runs it.
#include "models/store/database.h"
#include "services/connections/connectionservice.h"
#include "services/connections/secretstore.h"
#include "services/deploy/compose.h"
#include "services/net/httpclient.h"
#include "services/servicehost.h"
#include "testcerts.h"
#include "testhttpserver.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestTls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void privateCaRefusedUntilConfigured();
    void expiredRefused();
    void hostNameMismatchRefused();
    void notYetValidRefused();
    void unreadableCaFile();
    void connectionTest();
    void composeGetsTheEngineTlsFiles();

private:
    HttpResponse get(const QUrl &url, const QString &caFile);
    QString writeFile(const QString &name, const QByteArray &data);

    QTemporaryDir m_dir;
    TestCa m_ca;
    TestCa m_otherCa;
    QString m_caFile;
};

void TestTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_caFile = writeFile(QStringLiteral("ca.pem"), m_ca.certificatePem());
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

void TestTls::cleanupTestCase()
{
    Database::close();
}

QString TestTls::writeFile(const QString &name, const QByteArray &data)
{
    QFile f(m_dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(data);
    return f.fileName();
}

HttpResponse TestTls::get(const QUrl &url, const QString &caFile)
{
    HttpClient client;
    client.setBackoff(10, 20);
    if (auto r = client.setCaFile(caFile); !r) {
        HttpResponse failed;
        failed.error = r.error();
        return failed;
    }
    HttpRequest request;
    request.url = url;
    request.what = QStringLiteral("Reading the test resource");
    request.maxRetries = 0;
    std::optional<HttpResponse> result;
    client.send(request, this, [&](const HttpResponse &r) { result = r; });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000);
    }();
    return result.value_or(HttpResponse{});
}

void TestTls::privateCaRefusedUntilConfigured()
{
    TestHttpServer server;
    QVERIFY(server.listenTls(
        m_ca.issue({QStringLiteral("127.0.0.1"), QStringLiteral("localhost")}).serverConfiguration()));
    server.route("GET", QStringLiteral("/ok"),
                 [](const TestRequest &) { return TestReply::json(200, "{}"); });
    QCOMPARE(server.url().scheme(), QStringLiteral("https"));

    // Not trusted by the system: refused, and the message says what to do.
    HttpResponse r = get(server.url(QStringLiteral("/ok")), QString());
    QVERIFY(!r.ok());
    QCOMPARE(r.error->code, QStringLiteral("net.tls"));
    QVERIFY2(r.error->message.contains(QStringLiteral("CA file")), qPrintable(r.error->message));
    QCOMPARE(server.requestCount(QStringLiteral("/ok")), 0); // nothing was sent over it

    // Another CA's file does not help.
    r = get(server.url(QStringLiteral("/ok")),
            writeFile(QStringLiteral("other-ca.pem"), m_otherCa.certificatePem()));
    QCOMPARE(r.error ? r.error->code : QString(), QStringLiteral("net.tls"));

    // With its CA configured: accepted.
    r = get(server.url(QStringLiteral("/ok")), m_caFile);
    QVERIFY2(r.ok(), qPrintable(r.error ? r.error->message : QString()));
    QCOMPARE(server.requestCount(QStringLiteral("/ok")), 1);
}

void TestTls::expiredRefused()
{
    TestHttpServer server;
    QVERIFY(server.listenTls(m_ca.issue({QStringLiteral("127.0.0.1")}, -60, -1).serverConfiguration()));
    const HttpResponse r = get(server.url(QStringLiteral("/ok")), m_caFile);
    QVERIFY(!r.ok());
    QCOMPARE(r.error->code, QStringLiteral("net.tls"));
    QVERIFY2(r.error->message.contains(QStringLiteral("expired"), Qt::CaseInsensitive) &&
                 r.error->message.contains(QStringLiteral("renewed")) &&
                 !r.error->message.contains(QStringLiteral("CA file")),
             qPrintable(r.error->message));
}

void TestTls::hostNameMismatchRefused()
{
    TestHttpServer server;
    QVERIFY(server.listenTls(m_ca.issue({QStringLiteral("registry.example.com")}).serverConfiguration()));
    const HttpResponse r = get(server.url(QStringLiteral("/ok")), m_caFile);
    QVERIFY(!r.ok());
    QCOMPARE(r.error->code, QStringLiteral("net.tls"));
    QVERIFY2(
        r.error->message.contains(QStringLiteral("issued for registry.example.com, not for this address")),
        qPrintable(r.error->message));
}

void TestTls::notYetValidRefused()
{
    TestHttpServer server;
    QVERIFY(server.listenTls(m_ca.issue({QStringLiteral("127.0.0.1")}, 2, 30).serverConfiguration()));
    const HttpResponse r = get(server.url(QStringLiteral("/ok")), m_caFile);
    QCOMPARE(r.error ? r.error->code : QString(), QStringLiteral("net.tls"));
    QVERIFY2(r.error->message.contains(QStringLiteral("valid only from")), qPrintable(r.error->message));
}

void TestTls::unreadableCaFile()
{
    HttpClient client;
    auto r = client.setCaFile(m_dir.filePath(QStringLiteral("missing.pem")));
    QCOMPARE(r.error().code, QStringLiteral("tls.ca-file"));
    r = client.setCaFile(writeFile(QStringLiteral("garbage.pem"), "not a certificate\n"));
    QCOMPARE(r.error().code, QStringLiteral("tls.ca-file"));
    QVERIFY2(r.message().contains(QStringLiteral("no PEM certificate")), qPrintable(r.message()));
}

void TestTls::connectionTest()
{
    // The admin's "Test" on a GitHub Enterprise connection behind a private CA.
    TestHttpServer server;
    QVERIFY(server.listenTls(m_ca.issue({QStringLiteral("127.0.0.1")}).serverConfiguration()));
    server.route("GET", QStringLiteral("/user"),
                 [](const TestRequest &) { return TestReply::json(200, R"({"login":"admin"})"); });
    ServiceHost host;
    auto *service = host.add(new ConnectionService, QStringLiteral("connections"));
    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("ghe");
    c.endpoint = server.url().toString();
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    const auto test = [&](const Connection &connection) {
        QSignalSpy tested(service, &ConnectionService::tested);
        QMetaObject::invokeMethod(service, [service, connection] {
            service->test(1, connection, QStringLiteral("ghp_test"), false);
        });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(tested.count() > 0, 30000);
        }();
        return tested.isEmpty() ? Outcome{} : tested.first().at(1).value<Outcome>();
    };
    Outcome o = test(c);
    QVERIFY(!o.ok);
    QVERIFY2(o.message.contains(QStringLiteral("certificate")) &&
                 o.message.contains(QStringLiteral("CA file")),
             qPrintable(o.message));
    c.caFile = m_caFile;
    o = test(c);
    QVERIFY2(o.ok, qPrintable(o.message));
    host.stopAll();
}

void TestTls::composeGetsTheEngineTlsFiles()
{
    // A deploy to an engine with TLS client certificates: compose is told where the files are,
    // under the names it reads, as links (the key is not copied).
    const TestCertificate client = m_ca.issue({QStringLiteral("opsdeck-client")});
    Connection c;
    c.kind = ConnectionKind::Docker;
    c.name = QStringLiteral("tls engine");
    c.endpoint = QStringLiteral("tcp://docker.example.com:2376");
    c.caFile = m_caFile;
    c.clientCertFile = writeFile(QStringLiteral("client.pem"), client.certificatePem);
    c.clientKeyFile = writeFile(QStringLiteral("client-key.pem"), client.keyPem);
    const QString dir = m_dir.filePath(QStringLiteral("workspace/.docker-tls/7"));
    const auto env = composeEnvironment(c, dir);
    QVERIFY2(env.ok(), qPrintable(env.message()));
    QCOMPARE(env->value(QStringLiteral("DOCKER_HOST")), QStringLiteral("tcp://docker.example.com:2376"));
    QCOMPARE(env->value(QStringLiteral("DOCKER_TLS_VERIFY")), QStringLiteral("1"));
    QCOMPARE(env->value(QStringLiteral("DOCKER_CERT_PATH")), dir);
    QCOMPARE(QFileInfo(dir + QStringLiteral("/key.pem")).symLinkTarget(),
             QFileInfo(c.clientKeyFile).absoluteFilePath());
    QCOMPARE(QFile(dir + QStringLiteral("/cert.pem")).open(QIODevice::ReadOnly), true);
    QCOMPARE(QFileInfo(dir + QStringLiteral("/ca.pem")).symLinkTarget(),
             QFileInfo(m_caFile).absoluteFilePath());
    QCOMPARE(QFileInfo(dir).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    // A missing key file is named; a plain engine gets no TLS variables.
    c.clientKeyFile = m_dir.filePath(QStringLiteral("gone.pem"));
    const auto missing = composeEnvironment(c, dir);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.message().contains(QStringLiteral("gone.pem")), qPrintable(missing.message()));
    c.endpoint = QStringLiteral("tcp://docker.example.com:2375");
    c.clientCertFile.clear();
    c.clientKeyFile.clear();
    const auto plain = composeEnvironment(c, dir);
    QVERIFY(plain.ok());
    QVERIFY(!plain->contains(QStringLiteral("DOCKER_TLS_VERIFY")));
    QVERIFY(!plain->contains(QStringLiteral("DOCKER_CERT_PATH")));
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
