// The registries behind the Images pane: the answers' mappers (tables), a real docker-registry holding
// busybox as a Docker v2 schema 2 manifest, an OCI manifest, an OCI index and a Docker manifest list
// (pushed by skopeo and podman), the catalog paged, a second registry on the same data that answers
// with a Bearer challenge and a local token server, and a Harbor that answers only its spec's routes.
#include "models/connections/connectionstore.h"
#include "models/images/registryanswers.h"
#include "models/store/database.h"
#include "services/connections/secretstore.h"
#include "services/images/registryservice.h"
#include "services/servicehost.h"

#include "fakeharbor.h"
#include "registrytokens.h"
#include "testprocess.h"
#include "testutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace opsdeck;

class TestRegistry : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    // pure
    void challenge_data();
    void challenge();
    void manifestKinds_data();
    void manifestKinds();
    void harborAnswers();
    void refusedAnswers_data();
    void refusedAnswers();
    // a real registry
    void everyManifestKind();
    void catalogPaged();
    void secondSyncReadsOnlyNewManifests();
    void movedAndRemovedTags();
    void bearerChallenge();
    void wrongCredentialsKeepTheCache();
    // Harbor
    void harborSync();
    void harborReportAndScan();
    void harborMalformedKeepsTheCache();

private:
    QString script() const { return QStringLiteral(OPSDECK_TESTS_DIR "/support/registry.sh"); }
    static quint16 freePort();
    Connection save(ConnectionKind kind, const QString &name, const QString &endpoint,
                    AuthKind auth = AuthKind::None, const QString &user = {}, const QString &secret = {});
    Outcome sync(qint64 connectionId);
    static Connection connectionNamed(const QString &name);
    // tag -> (digest, kind, platforms) in the cache
    QHash<QString, QStringList> tags(qint64 connectionId);
    QByteArray rawDigest(const QString &repository, const QString &reference);
    int registryLogCount(const QString &needle);

    QTemporaryDir m_dir{QStringLiteral("/tmp/opsdeck-registry-XXXXXX")};
    StopOnExit m_plainStop, m_tokenStop;
    QTemporaryDir m_data;
    QString m_plain; // 127.0.0.1:PORT
    QString m_tokened;
    RegistryTokenServer m_tokens;
    FakeHarbor m_harbor;
    ServiceHost *m_host = nullptr;
    RegistryService *m_service = nullptr;
    Connection m_plainConnection;
};

quint16 TestRegistry::freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

void TestRegistry::initTestCase()
{
    QVERIFY(Database::open(m_data.filePath(QStringLiteral("cache.sqlite"))).ok());
    m_host = new ServiceHost(this);
    m_service = m_host->add(new RegistryService, QStringLiteral("registry"));
    m_service->setPageSize(2); // every list pages
    QVERIFY(m_harbor.listen());
    m_harbor.setCredentials("robot$opsdeck", "harbor-secret");

    if (QStandardPaths::findExecutable(QStringLiteral("docker-registry")).isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("skopeo")).isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("podman")).isEmpty())
        return; // the registry cases skip (or fail under OPSDECK_REQUIRE_TESTBED) on their own
    m_plain = QStringLiteral("127.0.0.1:%1").arg(freePort());
    m_plainStop.arm(script(), {QStringLiteral("stop"), m_dir.filePath(QStringLiteral("plain"))});
    QCOMPARE(QProcess::execute(script(), {QStringLiteral("start"), m_dir.filePath(QStringLiteral("plain")),
                                          m_plain.section(QLatin1Char(':'), 1)}),
             0);
    QProcess image;
    image.start(QStringLiteral(OPSDECK_TESTS_DIR "/support/podman-service.sh"),
                {QStringLiteral("image"), m_dir.filePath(QStringLiteral("podman"))});
    QVERIFY(image.waitForFinished(120000));
    QVERIFY2(image.exitCode() == 0, image.readAllStandardError().constData());
    QProcess samples;
    samples.start(script(), {QStringLiteral("samples"), m_dir.filePath(QStringLiteral("plain")),
                             m_dir.filePath(QStringLiteral("podman")), m_plain});
    QVERIFY(samples.waitForFinished(180000));
    QVERIFY2(samples.exitCode() == 0, samples.readAllStandardError().constData());

    // The same data behind token authentication.
    QVERIFY(m_tokens.listen());
    m_tokens.requireUser(QStringLiteral("alice"), QStringLiteral("registry-pw"));
    const QString root = m_dir.filePath(QStringLiteral("token-root.pem"));
    QVERIFY(m_tokens.writeRootBundle(root));
    m_tokened = QStringLiteral("127.0.0.1:%1").arg(freePort());
    QProcess start;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPSDECK_REGISTRY_TOKEN_REALM"), m_tokens.realm().toString());
    env.insert(QStringLiteral("OPSDECK_REGISTRY_TOKEN_SERVICE"), RegistryTokenServer::service);
    env.insert(QStringLiteral("OPSDECK_REGISTRY_TOKEN_ISSUER"), RegistryTokenServer::issuer);
    env.insert(QStringLiteral("OPSDECK_REGISTRY_TOKEN_ROOT"), root);
    env.insert(QStringLiteral("OPSDECK_REGISTRY_STORAGE"), m_dir.filePath(QStringLiteral("plain/data")));
    start.setProcessEnvironment(env);
    m_tokenStop.arm(script(), {QStringLiteral("stop"), m_dir.filePath(QStringLiteral("tokened"))});
    start.start(script(), {QStringLiteral("start"), m_dir.filePath(QStringLiteral("tokened")),
                           m_tokened.section(QLatin1Char(':'), 1)});
    QVERIFY(start.waitForFinished(60000));
    QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());

    m_plainConnection =
        save(ConnectionKind::Registry, QStringLiteral("local registry"), QStringLiteral("http://") + m_plain);
}

void TestRegistry::cleanupTestCase()
{
    m_host->stopAll();
    Database::close();
}

Connection TestRegistry::save(ConnectionKind kind, const QString &name, const QString &endpoint,
                              AuthKind auth, const QString &user, const QString &secret)
{
    Connection c;
    c.kind = kind;
    c.name = name;
    c.endpoint = endpoint;
    c.auth = auth;
    c.username = user;
    const auto saved = ConnectionStore::save(Database::connection(), c);
    if (!saved)
        qWarning() << saved.message();
    if (!secret.isEmpty())
        SecretStore::keepInMemory(saved->secretKey(), secret);
    return saved.value();
}

Connection TestRegistry::connectionNamed(const QString &name)
{
    const auto all = ConnectionStore::all(Database::connection());
    for (const Connection &each : all.value())
        if (each.name == name)
            return each;
    return {};
}

Outcome TestRegistry::sync(qint64 connectionId)
{
    QSignalSpy finished(m_service, &RegistryService::syncFinished);
    QMetaObject::invokeMethod(m_service, [this, connectionId] { m_service->syncImages(connectionId); });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 60000);
    }();
    return finished.isEmpty() ? Outcome{false, QStringLiteral("timeout"), QStringLiteral("no answer")}
                              : finished.at(0).at(1).value<Outcome>();
}

QHash<QString, QStringList> TestRegistry::tags(qint64 connectionId)
{
    QHash<QString, QStringList> found;
    QSqlQuery q(Database::connection());
    q.prepare(
        QStringLiteral("SELECT repository || ':' || tag, digest, kind, platforms, size, severity, critical, "
                       "high, scan_status FROM registry_tags WHERE connection_id = ?"));
    q.addBindValue(connectionId);
    q.exec();
    while (q.next())
        found.insert(q.value(0).toString(),
                     {q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                      q.value(4).toString(), q.value(5).toString(), q.value(6).toString(),
                      q.value(7).toString(), q.value(8).toString()});
    return found;
}

QByteArray TestRegistry::rawDigest(const QString &repository, const QString &reference)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(
        QUrl(QStringLiteral("http://%1/v2/%2/manifests/%3").arg(m_plain, repository, reference)));
    request.setRawHeader("Accept", manifestAcceptHeader());
    QNetworkReply *reply = nam.head(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(10000);
    reply->deleteLater();
    return reply->rawHeader("Docker-Content-Digest");
}

int TestRegistry::registryLogCount(const QString &needle)
{
    QFile log(m_dir.filePath(QStringLiteral("plain/registry.log")));
    if (!log.open(QIODevice::ReadOnly))
        return -1;
    return int(QString::fromUtf8(log.readAll()).count(needle));
}

void TestRegistry::challenge_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("scheme"); // empty: refused
    QTest::addColumn<QString>("realm");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("scope");
    QTest::newRow("docker hub")
        << QByteArray(
               R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push")")
        << "bearer"
        << "https://auth.docker.io/token"
        << "registry.docker.io"
        << "repository:samalba/my-app:pull,push";
    QTest::newRow("catalog, scheme case")
        << QByteArray(R"(BEARER realm="http://127.0.0.1:1/token",service="r",scope="registry:catalog:*")")
        << "bearer"
        << "http://127.0.0.1:1/token"
        << "r"
        << "registry:catalog:*";
    QTest::newRow("error and spaces")
        << QByteArray(R"(Bearer realm="https://a.example/t", service="s", error="insufficient_scope")")
        << "bearer"
        << "https://a.example/t"
        << "s"
        << "";
    QTest::newRow("port in scope")
        << QByteArray(R"(Bearer realm="https://a.example/t",scope="repository:host:5000/x:pull")") << "bearer"
        << "https://a.example/t"
        << ""
        << "repository:host:5000/x:pull";
    QTest::newRow("basic") << QByteArray(R"(Basic realm="Harbor")") << "basic"
                           << "Harbor"
                           << ""
                           << "";
    QTest::newRow("no realm") << QByteArray(R"(Bearer service="s")") << ""
                              << ""
                              << ""
                              << "";
    QTest::newRow("realm not http") << QByteArray(R"(Bearer realm="file:///etc/passwd")") << ""
                                    << ""
                                    << ""
                                    << "";
    QTest::newRow("other scheme") << QByteArray("Negotiate abc") << ""
                                  << ""
                                  << ""
                                  << "";
    QTest::newRow("empty") << QByteArray() << ""
                           << ""
                           << ""
                           << "";
}

void TestRegistry::challenge()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, scheme);
    const auto c = parseAuthChallenge(header);
    QCOMPARE(c.has_value(), !scheme.isEmpty());
    if (!c)
        return;
    QCOMPARE(c->scheme, scheme);
    QTEST(c->realm, "realm");
    QTEST(c->service, "service");
    QTEST(c->scope, "scope");
}

void TestRegistry::manifestKinds_data()
{
    const QString d1 = QStringLiteral("sha256:") + QString(64, QLatin1Char('a'));
    const QString d2 = QStringLiteral("sha256:") + QString(64, QLatin1Char('b'));
    const QString d3 = QStringLiteral("sha256:") + QString(64, QLatin1Char('c'));
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("kind"); // empty: refused
    QTest::addColumn<QString>("platforms");
    QTest::addColumn<qint64>("size");
    const QByteArray image =
        QStringLiteral(
            R"({"schemaVersion":2,"mediaType":"%1","config":{"mediaType":"x","digest":"%2","size":100},"layers":[{"mediaType":"y","digest":"%3","size":1000}]})")
            .toUtf8();
    QTest::newRow("docker v2")
        << QByteArray("application/vnd.docker.distribution.manifest.v2+json")
        << QString::fromUtf8(image)
               .arg(QStringLiteral("application/vnd.docker.distribution.manifest.v2+json"), d1, d2)
               .toUtf8()
        << "Docker v2 schema 2"
        << "" << qint64(1100);
    QTest::newRow("oci without mediaType in body")
        << QByteArray("application/vnd.oci.image.manifest.v1+json")
        << QStringLiteral(R"({"schemaVersion":2,"config":{"digest":"%1","size":10},"layers":[]})")
               .arg(d1)
               .toUtf8()
        << "OCI image"
        << "" << qint64(10);
    const QByteArray index =
        QStringLiteral(
            R"({"schemaVersion":2,"mediaType":"%1","manifests":[{"digest":"%2","size":500,"platform":{"os":"linux","architecture":"amd64"}},{"digest":"%3","size":510,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},{"digest":"%4","size":5,"platform":{"os":"unknown","architecture":"unknown"}}]})")
            .toUtf8();
    QTest::newRow("oci index, attestation left out")
        << QByteArray("application/vnd.oci.image.index.v1+json")
        << QString::fromUtf8(index)
               .arg(QStringLiteral("application/vnd.oci.image.index.v1+json"), d1, d2, d3)
               .toUtf8()
        << "OCI index"
        << "linux/amd64, linux/arm64/v8" << qint64(1010);
    QTest::newRow("docker list")
        << QByteArray("application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8")
        << QString::fromUtf8(index)
               .arg(QStringLiteral("application/vnd.docker.distribution.manifest.list.v2+json"), d1, d2, d3)
               .toUtf8()
        << "Docker manifest list"
        << "linux/amd64, linux/arm64/v8" << qint64(1010);
    QTest::newRow("header and body disagree")
        << QByteArray("application/vnd.oci.image.index.v1+json")
        << QString::fromUtf8(image)
               .arg(QStringLiteral("application/vnd.docker.distribution.manifest.v2+json"), d1, d2)
               .toUtf8()
        << ""
        << "" << qint64(0);
    QTest::newRow("schema 1") << QByteArray("application/vnd.docker.distribution.manifest.v1+prettyjws")
                              << QByteArray(R"({"schemaVersion":1,"name":"x","fsLayers":[]})") << ""
                              << "" << qint64(0);
    QTest::newRow("bad digest")
        << QByteArray("application/vnd.oci.image.manifest.v1+json")
        << QByteArray(R"({"schemaVersion":2,"config":{"digest":"sha256:XYZ","size":1},"layers":[]})") << ""
        << "" << qint64(0);
    QTest::newRow("negative size")
        << QByteArray("application/vnd.oci.image.manifest.v1+json")
        << QStringLiteral(R"({"schemaVersion":2,"config":{"digest":"%1","size":-1},"layers":[]})")
               .arg(d1)
               .toUtf8()
        << ""
        << "" << qint64(0);
    QTest::newRow("not json") << QByteArray("application/vnd.oci.image.manifest.v1+json")
                              << QByteArray("<html>") << ""
                              << "" << qint64(0);
}

void TestRegistry::manifestKinds()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, kind);
    const auto info = parseManifest(contentType, body);
    QVERIFY2(info.ok() == !kind.isEmpty(), info.ok() ? "accepted" : qPrintable(info.message()));
    if (!info)
        return;
    QCOMPARE(info->kindText(), kind);
    QTEST(info->platformsText(), "platforms");
    QTEST(info->size, "size");
}

void TestRegistry::harborAnswers()
{
    const auto projects = parseHarborProjects(
        R"([{"project_id":3,"name":"shop","repo_count":2,"metadata":{"public":"false","prevent_vul":"true","severity":"high","auto_scan":"true","reuse_sys_cve_allowlist":"false"},"cve_allowlist":{"items":[{"cve_id":"CVE-2024-1"},{"cve_id":"CVE-2024-1"}],"expires_at":1893456000}}])");
    QVERIFY2(projects.ok(), qPrintable(projects.message()));
    QCOMPARE(projects->size(), 1);
    const HarborProject p = projects->first();
    QCOMPARE(p.name, QStringLiteral("shop"));
    QVERIFY(p.preventVulnerable);
    QCOMPARE(p.severity, QStringLiteral("high"));
    QVERIFY(!p.reuseSystemCveAllowlist);
    QCOMPARE(p.cveAllowlist, QStringList{QStringLiteral("CVE-2024-1")}); // duplicates once
    QCOMPARE(p.cveAllowlistExpires, QDateTime::fromSecsSinceEpoch(1893456000, Qt::UTC));

    const auto report = parseVulnerabilityReport(
        R"({"application/vnd.security.vulnerability.report; version=1.1":{"severity":"Critical","vulnerabilities":[{"id":"CVE-2024-3094","package":"xz-utils","version":"5.6.0","fix_version":"5.6.1","severity":"Critical","links":["https://nvd.nist.gov/vuln/detail/CVE-2024-3094"]}]}})");
    QVERIFY2(report.ok(), qPrintable(report.message()));
    QCOMPARE(report->size(), 1);
    QCOMPARE(report->first().severity, Severity::Critical);
    QCOMPARE(report->first().fixVersion, QStringLiteral("5.6.1"));
    QVERIFY(parseVulnerabilityReport("{}").ok()); // no report yet
    QCOMPARE(parseVulnerabilityReport("[]").error().code, QStringLiteral("harbor.schema"));
}

void TestRegistry::refusedAnswers_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::newRow("catalog not json") << "catalog" << QByteArray("{") << "json.malformed";
    QTest::newRow("catalog bad name")
        << "catalog" << QByteArray(R"({"repositories":["Team/App"]})") << "registry.schema";
    QTest::newRow("catalog traversal")
        << "catalog" << QByteArray(R"({"repositories":["../etc"]})") << "registry.schema";
    QTest::newRow("tags other repo") << "tags" << QByteArray(R"({"name":"other","tags":["1"]})")
                                     << "registry.schema";
    QTest::newRow("tags bad tag") << "tags" << QByteArray(R"({"name":"team/app","tags":["-x"]})")
                                  << "registry.schema";
    QTest::newRow("tags null") << "tags" << QByteArray(R"({"name":"team/app","tags":null})") << "";
    QTest::newRow("token missing") << "token" << QByteArray(R"({"expires_in":60})") << "registry.schema";
    QTest::newRow("token with newline") << "token" << QByteArray(R"({"token":"a\nb"})") << "registry.schema";
    QTest::newRow("access_token") << "token" << QByteArray(R"({"access_token":"abc"})") << "";
    QTest::newRow("artifact bad digest")
        << "artifacts" << QByteArray(R"([{"digest":"md5:1"}])") << "harbor.schema";
    QTest::newRow("artifacts object") << "artifacts" << QByteArray(R"({"digest":"x"})") << "harbor.schema";
    QTest::newRow("project severity")
        << "projects" << QByteArray(R"([{"project_id":1,"name":"a","metadata":{"severity":"apocalyptic"}}])")
        << "harbor.schema";
}

void TestRegistry::refusedAnswers()
{
    QFETCH(QString, what);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    Error error;
    bool ok = false;
    const auto take = [&](const auto &r) {
        ok = r.ok();
        if (!ok)
            error = r.error();
    };
    if (what == QLatin1String("catalog"))
        take(parseCatalog(body));
    else if (what == QLatin1String("tags"))
        take(parseTagList(body, QStringLiteral("team/app")));
    else if (what == QLatin1String("token"))
        take(parseRegistryToken(body));
    else if (what == QLatin1String("artifacts"))
        take(parseHarborArtifacts(body));
    else
        take(parseHarborProjects(body));
    QCOMPARE(ok, code.isEmpty());
    if (!ok) {
        QCOMPARE(error.code, code);
        QVERIFY(!error.message.isEmpty());
    }
}

void TestRegistry::everyManifestKind()
{
    OPSDECK_REQUIRE_COMPONENT(!m_plain.isEmpty(), QStringLiteral("docker-registry, skopeo and podman"));
    const Outcome o = sync(m_plainConnection.id);
    QVERIFY2(o.ok, qPrintable(o.message));
    const auto found = tags(m_plainConnection.id);
    QCOMPARE(found.size(), 25 + 2 + 2 + 1);
    QCOMPARE(found.value(QStringLiteral("team/busybox:v2s2")).value(1), QStringLiteral("Docker v2 schema 2"));
    QCOMPARE(found.value(QStringLiteral("team/busybox:oci")).value(1), QStringLiteral("OCI image"));
    QCOMPARE(found.value(QStringLiteral("team/multi:oci")).value(1), QStringLiteral("OCI index"));
    QCOMPARE(found.value(QStringLiteral("team/multi:list")).value(1), QStringLiteral("Docker manifest list"));
    QCOMPARE(found.value(QStringLiteral("team/multi:oci")).value(2),
             QStringLiteral("linux/amd64, linux/arm64"));
    QCOMPARE(found.value(QStringLiteral("team/multi:list")).value(2),
             QStringLiteral("linux/amd64, linux/arm64"));
    QVERIFY(found.value(QStringLiteral("team/busybox:oci")).value(3).toLongLong() >
            100000); // busybox's layer
    // Digests as the registry states them, for every kind.
    for (const QString &ref : {QStringLiteral("team/busybox:v2s2"), QStringLiteral("team/busybox:oci"),
                               QStringLiteral("team/multi:oci"), QStringLiteral("team/multi:list")})
        QCOMPARE(found.value(ref).value(0).toLatin1(),
                 rawDigest(ref.section(QLatin1Char(':'), 0, 0), ref.section(QLatin1Char(':'), 1)));
    QVERIFY(found.value(QStringLiteral("team/busybox:v2s2")).value(0) !=
            found.value(QStringLiteral("team/busybox:oci")).value(0));
    QCOMPARE(found.value(QStringLiteral("team/busybox:t07")).value(0),
             found.value(QStringLiteral("team/busybox:oci")).value(0));
    // Announced, audited, and the sync state recorded.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
        "SELECT details FROM audit_events WHERE action = 'sync.complete' AND target_kind = 'images' "
        "ORDER BY id DESC LIMIT 1")));
    QVERIFY(q.next());
    const QJsonObject details = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    QCOMPARE(details.value(QStringLiteral("tags")).toInt(), 30);
    QCOMPARE(details.value(QStringLiteral("repositories")).toInt(), 3);
    QVERIFY(q.exec(QStringLiteral("SELECT last_success_at FROM sync_state WHERE scope = 'images'")));
    QVERIFY(q.next() && !q.value(0).toString().isEmpty());
}

void TestRegistry::catalogPaged()
{
    OPSDECK_REQUIRE_COMPONENT(!m_plain.isEmpty(), QStringLiteral("docker-registry, skopeo and podman"));
    // Page size 2 over three repositories: the second page came through the registry's Link.
    QVERIFY(registryLogCount(QStringLiteral("GET /v2/_catalog?n=2 ")) >= 1);
    QVERIFY(registryLogCount(QStringLiteral("GET /v2/_catalog?last=team%2Fmulti&n=2 ")) >= 1);
}

void TestRegistry::secondSyncReadsOnlyNewManifests()
{
    OPSDECK_REQUIRE_COMPONENT(!m_plain.isEmpty(), QStringLiteral("docker-registry, skopeo and podman"));
    const int gets = registryLogCount(QStringLiteral("\"GET /v2/team/busybox/manifests/"));
    const int heads = registryLogCount(QStringLiteral("\"HEAD /v2/team/busybox/manifests/"));
    const Outcome o = sync(m_plainConnection.id);
    QVERIFY2(o.ok, qPrintable(o.message));
    QTRY_COMPARE(registryLogCount(QStringLiteral("\"HEAD /v2/team/busybox/manifests/")), heads + 27);
    QCOMPARE(registryLogCount(QStringLiteral("\"GET /v2/team/busybox/manifests/")), gets); // known digests
}

void TestRegistry::movedAndRemovedTags()
{
    OPSDECK_REQUIRE_COMPONENT(!m_plain.isEmpty(), QStringLiteral("docker-registry, skopeo and podman"));
    const auto before = tags(m_plainConnection.id);
    // v2s2 now points at the OCI manifest; team/other:1 is deleted.
    QNetworkAccessManager nam;
    QFile oci(m_dir.filePath(QStringLiteral("plain/oci.json")));
    QVERIFY(oci.open(QIODevice::ReadOnly));
    QNetworkRequest put(QUrl(QStringLiteral("http://%1/v2/team/busybox/manifests/v2s2").arg(m_plain)));
    put.setHeader(QNetworkRequest::ContentTypeHeader,
                  QByteArray("application/vnd.oci.image.manifest.v1+json"));
    QNetworkReply *reply = nam.put(put, oci.readAll());
    QVERIFY(QSignalSpy(reply, &QNetworkReply::finished).wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    QNetworkRequest del(QUrl(QStringLiteral("http://%1/v2/team/other/manifests/%2")
                                 .arg(m_plain, before.value(QStringLiteral("team/other:1")).value(0))));
    reply = nam.deleteResource(del);
    QVERIFY(QSignalSpy(reply, &QNetworkReply::finished).wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);

    const Outcome o = sync(m_plainConnection.id);
    QVERIFY2(o.ok, qPrintable(o.message));
    const auto after = tags(m_plainConnection.id);
    QVERIFY(!after.contains(QStringLiteral("team/other:1")));
    QCOMPARE(after.value(QStringLiteral("team/busybox:v2s2")).value(0),
             before.value(QStringLiteral("team/busybox:oci")).value(0));
    QCOMPARE(after.value(QStringLiteral("team/busybox:v2s2")).value(1), QStringLiteral("OCI image"));
    QVERIFY(o.message.contains(QStringLiteral("1 gone")));
}

void TestRegistry::bearerChallenge()
{
    OPSDECK_REQUIRE_COMPONENT(!m_tokened.isEmpty(), QStringLiteral("docker-registry, skopeo and podman"));
    const Connection c = save(ConnectionKind::Registry, QStringLiteral("token registry"),
                              QStringLiteral("http://") + m_tokened, AuthKind::Basic, QStringLiteral("alice"),
                              QStringLiteral("registry-pw"));
    const Outcome o = sync(c.id);
    QVERIFY2(o.ok, qPrintable(o.message));
    const auto found = tags(c.id);
    QCOMPARE(found.value(QStringLiteral("team/multi:oci")).value(1), QStringLiteral("OCI index"));
    QCOMPARE(found.value(QStringLiteral("team/busybox:v2s2")).value(0),
             tags(m_plainConnection.id).value(QStringLiteral("team/busybox:v2s2")).value(0));
    // One token per scope, asked with the connection's user; kept for the pages and manifests after.
    const QStringList asked = m_tokens.requests();
    QVERIFY2(asked.contains(QStringLiteral("scope=registry:catalog:*;user=alice")),
             qPrintable(asked.join(QLatin1Char('\n'))));
    QVERIFY(asked.contains(QStringLiteral("scope=repository:team/busybox:pull;user=alice")));
    QVERIFY(asked.contains(QStringLiteral("scope=repository:team/other:pull;user=alice")));
    QCOMPARE(asked.size(), 4); // catalog, busybox, multi, other (listed, its tag deleted)
}

void TestRegistry::wrongCredentialsKeepTheCache()
{
    OPSDECK_REQUIRE_COMPONENT(!m_tokened.isEmpty(), QStringLiteral("docker-registry, skopeo and podman"));
    const Connection c = connectionNamed(QStringLiteral("token registry"));
    QVERIFY(c.id > 0);
    const auto before = tags(c.id);
    QVERIFY(!before.isEmpty());
    SecretStore::keepInMemory(c.secretKey(), QStringLiteral("wrong"));
    const int refused = m_tokens.refused();
    const Outcome o = sync(c.id);
    QVERIFY(!o.ok);
    QCOMPARE(o.code, QStringLiteral("registry.token"));
    QVERIFY2(o.message.contains(QStringLiteral("token server refused")), qPrintable(o.message));
    QCOMPARE(m_tokens.refused(), refused + 1);
    QCOMPARE(tags(c.id), before);
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral(
        "SELECT last_error_code FROM sync_state WHERE connection_id = ? AND scope = 'images'"));
    q.addBindValue(c.id);
    QVERIFY(q.exec() && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("registry.token"));
}

void TestRegistry::harborSync()
{
    m_harbor.addProject(1, QStringLiteral("shop"),
                        QJsonObject{{QStringLiteral("public"), QStringLiteral("false")},
                                    {QStringLiteral("prevent_vul"), QStringLiteral("true")},
                                    {QStringLiteral("severity"), QStringLiteral("high")},
                                    {QStringLiteral("auto_scan"), QStringLiteral("true")},
                                    {QStringLiteral("reuse_sys_cve_allowlist"), QStringLiteral("false")}},
                        {QStringLiteral("CVE-2024-0001")});
    m_harbor.addProject(2, QStringLiteral("infra"));
    m_harbor.addProject(3, QStringLiteral("empty"));
    const QString d = QStringLiteral("sha256:");
    m_harbor.addArtifact(QStringLiteral("shop/web"), d + QString(64, QLatin1Char('1')),
                         {QStringLiteral("1.0"), QStringLiteral("latest")}, QStringLiteral("Critical"),
                         QJsonObject{{QStringLiteral("Critical"), 2}, {QStringLiteral("High"), 3}});
    m_harbor.addArtifact(QStringLiteral("shop/web"), d + QString(64, QLatin1Char('2')),
                         {QStringLiteral("0.9")}, QStringLiteral("None"), QJsonObject{});
    m_harbor.addArtifact(QStringLiteral("shop/web"), d + QString(64, QLatin1Char('3')),
                         {}); // untagged, never scanned
    m_harbor.addArtifact(QStringLiteral("shop/tools/cli"), d + QString(64, QLatin1Char('4')),
                         {QStringLiteral("2")}, QStringLiteral("Low"),
                         QJsonObject{{QStringLiteral("Low"), 1}});
    m_harbor.addArtifact(QStringLiteral("infra/proxy"), d + QString(64, QLatin1Char('5')),
                         {QStringLiteral("v1")});
    m_harbor.setSystemCves({QStringLiteral("CVE-2023-9999")}, 1893456000);
    // web:1.0's report is there to read; cli:2's is not yet (Harbor answers {}).
    m_harbor.setReport(d + QString(64, QLatin1Char('1')),
                       QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("CVE-2024-6119")},
                                              {QStringLiteral("package"), QStringLiteral("openssl")},
                                              {QStringLiteral("version"), QStringLiteral("3.0.2")},
                                              {QStringLiteral("fix_version"), QStringLiteral("3.0.15")},
                                              {QStringLiteral("severity"), QStringLiteral("Critical")}}});
    const Connection c =
        save(ConnectionKind::Harbor, QStringLiteral("harbor"), m_harbor.url().toString(), AuthKind::Basic,
             QStringLiteral("robot$opsdeck"), QStringLiteral("harbor-secret"));
    m_harbor.server().clearRequests();
    const Outcome o = sync(c.id);
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY2(m_harbor.violations().isEmpty(), qPrintable(m_harbor.violations().join(QLatin1Char('\n'))));
    const auto found = tags(c.id);
    QCOMPARE(found.size(), 6);
    QCOMPARE(found.value(QStringLiteral("shop/web:1.0")).value(4), QStringLiteral("Critical"));
    QCOMPARE(found.value(QStringLiteral("shop/web:1.0")).value(5), QStringLiteral("2"));
    QCOMPARE(found.value(QStringLiteral("shop/web:1.0")).value(6), QStringLiteral("3"));
    QCOMPARE(found.value(QStringLiteral("shop/web:latest")).value(0), d + QString(64, QLatin1Char('1')));
    QCOMPARE(found.value(QStringLiteral("shop/web:0.9")).value(4), QStringLiteral("None"));
    QCOMPARE(found.value(QStringLiteral("shop/web:")).value(7), QString()); // untagged, never scanned
    QCOMPARE(found.value(QStringLiteral("shop/tools/cli:2")).value(4),
             QStringLiteral("Low")); // slash encoded twice
    QSqlQuery q(Database::connection());
    q.prepare(
        QStringLiteral("SELECT prevent_vul, severity, reuse_sys_cve, cve_allowlist FROM harbor_projects "
                       "WHERE connection_id = ? AND name = 'shop'"));
    q.addBindValue(c.id);
    QVERIFY(q.exec() && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QCOMPARE(q.value(1).toString(), QStringLiteral("high"));
    QCOMPARE(q.value(2).toInt(), 0);
    QCOMPARE(q.value(3).toString(), QStringLiteral("[\"CVE-2024-0001\"]"));
    q.prepare(QStringLiteral("SELECT cves, expires_at FROM harbor_system_cves WHERE connection_id = ?"));
    q.addBindValue(c.id);
    QVERIFY(q.exec() && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("[\"CVE-2023-9999\"]"));
    QVERIFY(q.value(1).toString().startsWith(QStringLiteral("2030-01-01")));
    // Pages of two: the projects came in two requests, shop's repositories in one, web's artifacts in two.
    int projectPages = 0;
    for (const TestRequest &r : m_harbor.server().requests())
        if (r.path() == QLatin1String("/api/v2.0/projects"))
            ++projectPages;
    QCOMPARE(projectPages, 2);
    // The sync read the reports of the scanned artifacts with findings, and only those.
    const auto reportReads = [this] {
        QStringList digests;
        for (const TestRequest &r : m_harbor.server().requests())
            if (r.path().endsWith(QLatin1String("/additions/vulnerabilities")))
                digests << r.path().section(QLatin1Char('/'), -3, -3).right(1);
        digests.sort();
        return digests;
    };
    QCOMPARE(reportReads(), (QStringList{QStringLiteral("1"), QStringLiteral("4")}));
    q.prepare(QStringLiteral(
        "SELECT cve, package, fix_version FROM image_vulnerabilities WHERE connection_id = ?"));
    q.addBindValue(c.id);
    QVERIFY(q.exec() && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("CVE-2024-6119"));
    QCOMPARE(q.value(2).toString(), QStringLiteral("3.0.15"));
    QVERIFY(!q.next());
    // The next sync reads again only the report it lacks (web:1.0's is newer than its scan).
    m_harbor.server().clearRequests();
    QVERIFY(sync(c.id).ok);
    QCOMPARE(reportReads(), QStringList{QStringLiteral("4")});
}

void TestRegistry::harborReportAndScan()
{
    const QString digest = QStringLiteral("sha256:") + QString(64, QLatin1Char('1'));
    m_harbor.setReport(digest,
                       QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("CVE-2024-3094")},
                                              {QStringLiteral("package"), QStringLiteral("xz-utils")},
                                              {QStringLiteral("version"), QStringLiteral("5.6.0")},
                                              {QStringLiteral("fix_version"), QStringLiteral("5.6.1")},
                                              {QStringLiteral("severity"), QStringLiteral("Critical")}},
                                  QJsonObject{{QStringLiteral("id"), QStringLiteral("CVE-2024-0002")},
                                              {QStringLiteral("package"), QStringLiteral("openssl")},
                                              {QStringLiteral("version"), QStringLiteral("3.0.1")},
                                              {QStringLiteral("severity"), QStringLiteral("High")}}});
    const qint64 id = connectionNamed(QStringLiteral("harbor")).id;
    QSignalSpy fetched(m_service, &RegistryService::reportFetched);
    QMetaObject::invokeMethod(
        m_service, [this, id, digest] { m_service->fetchReport(7, id, QStringLiteral("shop/web"), digest); });
    QTRY_COMPARE_WITH_TIMEOUT(fetched.count(), 1, 20000);
    QVERIFY2(fetched.at(0).at(1).value<Outcome>().ok,
             qPrintable(fetched.at(0).at(1).value<Outcome>().message));
    QCOMPARE(fetched.at(0).at(2).toInt(), 2);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
        "SELECT cve, package, fix_version, severity FROM image_vulnerabilities ORDER BY cve DESC")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("CVE-2024-3094"));
    QCOMPARE(q.value(2).toString(), QStringLiteral("5.6.1"));
    QCOMPARE(q.value(3).toString(), QStringLiteral("Critical"));

    QSignalSpy scanned(m_service, &RegistryService::scanRequested);
    QMetaObject::invokeMethod(m_service, [this, id] {
        m_service->requestScan(8, id, QStringLiteral("shop/tools/cli"), QStringLiteral("2"));
    });
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 20000);
    QVERIFY(scanned.at(0).at(1).value<Outcome>().ok);
    QCOMPARE(m_harbor.scanned(), QStringList{QStringLiteral("shop/tools/cli@2")});
    QVERIFY(
        q.exec(QStringLiteral("SELECT target_name, outcome FROM audit_events WHERE action = 'image.scan'")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("shop/tools/cli"));
    QVERIFY2(m_harbor.violations().isEmpty(), qPrintable(m_harbor.violations().join(QLatin1Char('\n'))));
}

void TestRegistry::harborMalformedKeepsTheCache()
{
    const qint64 id = connectionNamed(QStringLiteral("harbor")).id;
    const auto before = tags(id);
    QVERIFY(!before.isEmpty());
    m_harbor.server().setGate([](const TestRequest &r) -> std::optional<TestReply> {
        if (r.path().endsWith(QLatin1String("/artifacts")))
            return TestReply::json(200, R"([{"digest":"sha256:nothex","tags":[]}])");
        return std::nullopt;
    });
    const Outcome o = sync(id);
    m_harbor.server().setGate({});
    QVERIFY(!o.ok);
    QCOMPARE(o.code, QStringLiteral("harbor.schema"));
    QVERIFY2(o.message.contains(QStringLiteral("digest")), qPrintable(o.message));
    QCOMPARE(tags(id), before);
}

QTEST_GUILESS_MAIN(TestRegistry)
#include "tst_registry.moc"
