// Docker Engine API versions: the negotiation table, engines newer and older than Opsdeck's mappers
// (local servers answering as dockerd does, shaped by the v1.47 and v1.56 descriptions in
// ../shared/specs/docker), the disk usage figures, and containers from engines without "State".
// The podman engine's side (an older API, pinned to its own version) is in tst_dockerservice.
#include "fakeengine.h"
#include "models/connections/connectionstore.h"
#include "models/docker/container.h"
#include "models/docker/engineapi.h"
#include "models/store/database.h"
#include "services/docker/dockerclient.h"
#include "services/docker/dockerservice.h"
#include "services/servicehost.h"
#include "testhttpserver.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

namespace {
const QByteArray oneContainer =
    R"([{"Id":"4f2a7c0e9b1d","Names":["/web"],"Image":"nginx:1.27","State":"running",
 "Status":"Up 2 hours","Created":1795000000,"Ports":[],"Labels":{}}])";

// GET /system/df as a 1.47 engine answers it, and as a 1.56 engine answers an unversioned request
// (ImagesDiskUsage & co. from the v1.56 description).
const QByteArray dfV147 = R"({"LayersSize":1092588,"Images":[{"Id":"sha256:2b7d","Size":1092588,
 "SharedSize":0,"Containers":1}],"Containers":[{"Id":"4f2a7c0e9b1d","SizeRw":1024,"State":"running"}],
 "Volumes":[],"BuildCache":[]})";
const QByteArray dfV156 = R"({"ImageUsage":{"ActiveCount":1,"TotalCount":1,"TotalSize":1092588,
 "Reclaimable":0},"ContainerUsage":{"ActiveCount":1,"TotalCount":1,"TotalSize":1024,"Reclaimable":0},
 "VolumeUsage":{"ActiveCount":0,"TotalCount":0,"TotalSize":0,"Reclaimable":0},
 "BuildCacheUsage":{"ActiveCount":0,"TotalCount":0,"TotalSize":0,"Reclaimable":0}})";
} // namespace

class TestEngineApi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void negotiate_data();
    void negotiate();
    void newerEnginePinnedTo147();
    void engineTooNewRefusedUpFront();
    void engineTooOldRefusedUpFront();
    void upgradedEngineRenegotiated();
    void pingWaitsForTheNegotiation();
    void diskUsageFromLayersSize_data();
    void diskUsageFromLayersSize();
    void diskUsageInANewerShapeRefused();
    void stateFromStatus_data();
    void stateFromStatus();
    void containerWithoutState();

private:
    struct Refresh
    {
        Outcome outcome;
        int containers = -1;
        QString apiVersion;
        QJsonObject diskUsage;
    };
    Refresh refresh(TestHttpServer &engine);

    QTemporaryDir m_data;
    ServiceHost *m_host = nullptr;
    DockerService *m_service = nullptr;
    QHash<quint16, qint64> m_ids; // connection per engine port
};

void TestEngineApi::initTestCase()
{
    QVERIFY(Database::open(m_data.filePath(QStringLiteral("cache.sqlite"))).ok());
    m_host = new ServiceHost(this);
    m_service = m_host->add(new DockerService, QStringLiteral("docker"));
}

void TestEngineApi::cleanupTestCase()
{
    m_host->stopAll();
    Database::close();
}

TestEngineApi::Refresh TestEngineApi::refresh(TestHttpServer &engine)
{
    Connection c;
    c.kind = ConnectionKind::Docker;
    c.name = QStringLiteral("engine-%1").arg(engine.port());
    c.endpoint = QStringLiteral("tcp://127.0.0.1:%1").arg(engine.port());
    c.auth = AuthKind::None;
    if (!m_ids.contains(engine.port()))
        m_ids.insert(engine.port(), ConnectionStore::save(Database::connection(), c).value().id);
    const qint64 id = m_ids.value(engine.port());
    QSignalSpy finished(m_service, &DockerService::syncFinished);
    QMetaObject::invokeMethod(m_service, [this, id] { m_service->refresh(id); });
    Refresh r;
    r.outcome = Outcome::failure({QStringLiteral("test.timeout"), QStringLiteral("the refresh did not end")});
    if (!finished.wait(20000))
        return r;
    r.outcome = finished.at(0).at(1).value<Outcome>();
    QSqlQuery q(Database::connection());
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM containers WHERE connection_id = %1").arg(id)) &&
        q.next())
        r.containers = q.value(0).toInt();
    if (q.exec(QStringLiteral("SELECT api_version, disk_usage FROM docker_hosts WHERE connection_id = %1")
                   .arg(id)) &&
        q.next()) {
        r.apiVersion = q.value(0).toString();
        r.diskUsage = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
    }
    return r;
}

void TestEngineApi::negotiate_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QString>("pinned"); // empty: refused
    QTest::addColumn<QString>("errorCode");

    QTest::newRow("docker 27 (1.47)")
        << QByteArray(R"({"Version":"27.5.1","ApiVersion":"1.47","MinAPIVersion":"1.24"})") << "1.47"
        << "";
    QTest::newRow("docker 29 (1.52, min 1.44)")
        << QByteArray(R"({"Version":"29.0.0","ApiVersion":"1.52","MinAPIVersion":"1.44"})") << "1.47"
        << "";
    QTest::newRow("master (1.56)") << QByteArray(R"({"ApiVersion":"1.56","MinAPIVersion":"1.44"})") << "1.47"
                                   << "";
    QTest::newRow("podman 4.3 (1.41)")
        << QByteArray(R"({"Version":"4.3.1","ApiVersion":"1.41","MinAPIVersion":"1.24"})") << "1.41"
        << "";
    QTest::newRow("1.9 is older than 1.24, not newer") << QByteArray(R"({"ApiVersion":"1.9"})") << ""
                                                       << "docker.api-version";
    QTest::newRow("1.100 is newer than 1.47")
        << QByteArray(R"({"ApiVersion":"1.100","MinAPIVersion":"1.24"})") << "1.47"
        << "";
    QTest::newRow("oldest exactly 1.24") << QByteArray(R"({"ApiVersion":"1.24"})") << "1.24"
                                         << "";
    QTest::newRow("no ApiVersion: taken as 1.24, as the CLI does")
        << QByteArray(R"({"Version":"1.12.0"})") << "1.24"
        << "";
    QTest::newRow("1.22, before State") << QByteArray(R"({"ApiVersion":"1.22","Version":"1.10.3"})") << ""
                                        << "docker.api-version";
    QTest::newRow("minimum above 1.47") << QByteArray(R"({"ApiVersion":"1.56","MinAPIVersion":"1.48"})") << ""
                                        << "docker.api-version";
    QTest::newRow("minimum exactly 1.47")
        << QByteArray(R"({"ApiVersion":"1.56","MinAPIVersion":"1.47"})") << "1.47"
        << "";
    QTest::newRow("not a number") << QByteArray(R"({"ApiVersion":"latest"})") << ""
                                  << "docker.schema";
    QTest::newRow("minimum not a number") << QByteArray(R"({"ApiVersion":"1.47","MinAPIVersion":"x"})") << ""
                                          << "docker.schema";
    QTest::newRow("three parts") << QByteArray(R"({"ApiVersion":"1.47.0"})") << ""
                                 << "docker.schema";
    QTest::newRow("not JSON") << QByteArray("<html>proxy</html>") << ""
                              << "json.malformed";
    QTest::newRow("an array") << QByteArray("[]") << ""
                              << "docker.schema";
}

void TestEngineApi::negotiate()
{
    QFETCH(QByteArray, answer);
    QFETCH(QString, pinned);
    QFETCH(QString, errorCode);
    const auto n = EngineApi::negotiate(answer, QStringLiteral("The engine"));
    if (pinned.isEmpty()) {
        QVERIFY(!n);
        QCOMPARE(n.error().code, errorCode);
        if (errorCode == QLatin1String("docker.api-version")) {
            // Says which versions Opsdeck speaks, and names the engine's.
            QVERIFY2(n.error().message.contains(QLatin1String("1.24 to 1.47")),
                     qPrintable(n.error().message));
            QVERIFY2(n.error().message.contains(QLatin1String("The engine")), qPrintable(n.error().message));
        }
    } else {
        QVERIFY2(n, n ? "" : qPrintable(n.error().message));
        QCOMPARE(QString::fromLatin1(n->version), pinned);
    }
}

void TestEngineApi::newerEnginePinnedTo147()
{
    // A 1.56 engine answers unversioned requests in its own shape, versioned ones in theirs.
    TestHttpServer engine;
    QVERIFY(engine.listen());
    serveAsDockerEngine(engine, {QStringLiteral("1.56"), QStringLiteral("1.44"), QStringLiteral("29.1.0")});
    engine.route("GET", QStringLiteral("/containers/json"),
                 [](const TestRequest &) { return TestReply::json(200, oneContainer); });
    engine.route("GET", QStringLiteral("/system/df"), [](const TestRequest &r) {
        return TestReply::json(200, r.apiVersion.isEmpty() || r.apiVersion == QLatin1String("1.56") ? dfV156
                                                                                                    : dfV147);
    });
    const Refresh r = refresh(engine);
    QVERIFY2(r.outcome.ok, qPrintable(r.outcome.message));
    QCOMPARE(r.containers, 1);
    QCOMPARE(r.apiVersion, QStringLiteral("1.47"));
    QVERIFY2(engine.specViolations().isEmpty(), qPrintable(engine.specViolations().join(QLatin1Char('\n'))));
    QStringList sent;
    for (const TestRequest &request : engine.requests())
        sent << QString::fromUtf8(request.method + ' ' + request.target);
    for (const QString &line : sent)
        QVERIFY2(line == QLatin1String("GET /version") || line.startsWith(QLatin1String("GET /v1.47/")),
                 qPrintable(sent.join(QLatin1Char('\n'))));
    QCOMPARE(engine.requestCount(QStringLiteral("/version")), 1); // once, not once per request
    const auto kinds = diskUsageFromJson(r.diskUsage);
    QCOMPARE(kinds.size(), 4);
    QCOMPARE(kinds.at(0).size, 1092588);
    QCOMPARE(kinds.at(0).reclaimable, 0); // its one image is used by the running container
    QCOMPARE(kinds.at(1).size, 1024);
}

void TestEngineApi::engineTooNewRefusedUpFront()
{
    TestHttpServer engine;
    QVERIFY(engine.listen());
    serveAsDockerEngine(engine, {QStringLiteral("1.56"), QStringLiteral("1.48"), QStringLiteral("31.0.0")});
    engine.route("GET", QStringLiteral("/containers/json"),
                 [](const TestRequest &) { return TestReply::json(200, oneContainer); });
    const Refresh r = refresh(engine);
    QVERIFY(!r.outcome.ok);
    QCOMPARE(r.outcome.code, QStringLiteral("docker.api-version"));
    QVERIFY2(r.outcome.message.contains(QLatin1String("1.24 to 1.47")) &&
                 r.outcome.message.contains(QLatin1String("31.0.0")) &&
                 r.outcome.message.contains(QLatin1String("1.48 to 1.56")),
             qPrintable(r.outcome.message));
    QCOMPARE(engine.requests().size(), 1); // only GET /version: nothing was asked to be misread
    QCOMPARE(r.containers, 0);
}

void TestEngineApi::engineTooOldRefusedUpFront()
{
    // API 1.22 (Docker 1.10): its container list has no State. Refused by version, before any list.
    TestHttpServer engine;
    QVERIFY(engine.listen());
    serveAsDockerEngine(engine, {QStringLiteral("1.22"), QString(), QStringLiteral("1.10.3")});
    int listed = 0;
    engine.route("GET", QStringLiteral("/containers/json"), [&listed](const TestRequest &) {
        ++listed;
        return TestReply::json(200, R"([{"Id":"4f2a7c0e9b1d","Names":["/web"],"Status":"Up 2 hours"}])");
    });
    const Refresh r = refresh(engine);
    QVERIFY(!r.outcome.ok);
    QCOMPARE(r.outcome.code, QStringLiteral("docker.api-version"));
    QVERIFY2(r.outcome.message.contains(QLatin1String("up to 1.22")), qPrintable(r.outcome.message));
    QVERIFY2(!r.outcome.message.contains(QLatin1String("\"State\"")), qPrintable(r.outcome.message));
    QCOMPARE(listed, 0);
}

void TestEngineApi::upgradedEngineRenegotiated()
{
    // The engine is replaced by one that no longer accepts 1.41 (it answers dockerd's 400): the
    // refresh after that one negotiates again.
    TestHttpServer engine;
    QVERIFY(engine.listen());
    serveAsDockerEngine(engine, {QStringLiteral("1.41"), QStringLiteral("1.24"), QStringLiteral("20.10.24")});
    engine.route("GET", QStringLiteral("/containers/json"),
                 [](const TestRequest &) { return TestReply::json(200, oneContainer); });
    engine.route("GET", QStringLiteral("/system/df"),
                 [](const TestRequest &) { return TestReply::json(200, dfV147); });
    Refresh r = refresh(engine);
    QVERIFY2(r.outcome.ok, qPrintable(r.outcome.message));
    QCOMPARE(r.apiVersion, QStringLiteral("1.41"));
    serveAsDockerEngine(engine, {QStringLiteral("1.56"), QStringLiteral("1.44"), QStringLiteral("29.1.0")});
    r = refresh(engine);
    QVERIFY(!r.outcome.ok);
    QVERIFY2(r.outcome.message.contains(QLatin1String("too old")), qPrintable(r.outcome.message));
    r = refresh(engine);
    QVERIFY2(r.outcome.ok, qPrintable(r.outcome.message));
    QCOMPARE(r.apiVersion, QStringLiteral("1.47"));
    QCOMPARE(engine.requestCount(QStringLiteral("/version")), 2);
}

void TestEngineApi::pingWaitsForTheNegotiation()
{
    // A ping answered means the requests made before it were sent, pinned: the events watch relies on it.
    TestHttpServer engine;
    QVERIFY(engine.listen());
    serveAsDockerEngine(engine);
    engine.route("GET", QStringLiteral("/containers/json"),
                 [](const TestRequest &) { return TestReply::json(200, "[]"); });
    DockerClient client;
    QVERIFY(client.configure(QStringLiteral("tcp://127.0.0.1:%1").arg(engine.port())).ok());
    QStringList order;
    DockerRequest list;
    list.path = "/containers/json";
    client.request(list, this, [&order](const HttpResponse &) { order << QStringLiteral("list"); });
    DockerRequest ping;
    ping.path = "/_ping";
    client.request(ping, this, [&order](const HttpResponse &) { order << QStringLiteral("ping"); });
    QTRY_COMPARE(order.size(), 2);
    QStringList targets;
    for (const TestRequest &r : engine.requests())
        targets << QString::fromUtf8(r.target);
    QCOMPARE(targets, (QStringList{"/version", "/v1.47/containers/json", "/_ping"}));
    QCOMPARE(client.apiVersion(), QByteArray("1.47"));
    QCOMPARE(client.negotiated()->engineVersion, QStringLiteral("27.5.1"));
}

void TestEngineApi::diskUsageFromLayersSize_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<qint64>("reclaimable");
    QTest::addColumn<int>("count");

    // docker system df: 2 images share a 100 MB base; one is used.
    QTest::newRow("shared layers count once") << QByteArray(R"({"LayersSize":150000000,"Images":[
        {"Size":130000000,"SharedSize":100000000,"Containers":1},
        {"Size":120000000,"SharedSize":100000000,"Containers":0}]})")
                                              << qint64(150000000) << qint64(120000000) << 2;
    QTest::newRow("empty list, layers on disk") << QByteArray(R"({"LayersSize":734003200,"Images":[]})")
                                                << qint64(734003200) << qint64(734003200) << 0;
    QTest::newRow("null list") << QByteArray(R"({"LayersSize":5000,"Images":null})") << qint64(5000)
                               << qint64(5000) << 0;
    QTest::newRow("shared size unknown (-1): not counted as used")
        << QByteArray(R"({"LayersSize":9000,"Images":[{"Size":9000,"SharedSize":-1,"Containers":2}]})")
        << qint64(9000) << qint64(9000) << 1;
    QTest::newRow("podman: LayersSize 0, sized images")
        << QByteArray(R"({"LayersSize":0,"Images":[{"Size":1997910,"SharedSize":0,"Containers":0}]})")
        << qint64(1997910) << qint64(1997910) << 1;
    QTest::newRow("all used")
        << QByteArray(R"({"LayersSize":300,"Images":[{"Size":300,"SharedSize":0,"Containers":1}]})")
        << qint64(300) << qint64(0) << 1;
}

void TestEngineApi::diskUsageFromLayersSize()
{
    QFETCH(QByteArray, answer);
    QFETCH(qint64, size);
    QFETCH(qint64, reclaimable);
    QFETCH(int, count);
    const auto kinds = parseDiskUsage(answer);
    QVERIFY2(kinds, kinds ? "" : qPrintable(kinds.error().message));
    QCOMPARE(kinds->at(0).kind, QStringLiteral("images"));
    QCOMPARE(kinds->at(0).size, size);
    QCOMPARE(kinds->at(0).reclaimable, reclaimable);
    QCOMPARE(kinds->at(0).count, count);
}

void TestEngineApi::diskUsageInANewerShapeRefused()
{
    const auto kinds = parseDiskUsage(dfV156);
    QVERIFY(!kinds);
    QCOMPARE(kinds.error().code, QStringLiteral("docker.api-version"));
}

void TestEngineApi::stateFromStatus_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("state");
    QTest::newRow("up") << "Up 2 hours"
                        << "running";
    QTest::newRow("up, healthy") << "Up 5 minutes (healthy)"
                                 << "running";
    QTest::newRow("up less than a second") << "Up Less than a second"
                                           << "running";
    QTest::newRow("paused") << "Up 3 days (Paused)"
                            << "paused";
    QTest::newRow("exited") << "Exited (137) 4 weeks ago"
                            << "exited";
    QTest::newRow("created") << "Created"
                             << "created";
    QTest::newRow("restarting") << "Restarting (1) 5 seconds ago"
                                << "restarting";
    QTest::newRow("removing") << "Removal In Progress"
                              << "removing";
    QTest::newRow("dead") << "Dead"
                          << "dead";
    QTest::newRow("unknown words") << "Whatever"
                                   << "unknown";
    QTest::newRow("empty") << ""
                           << "";
}

void TestEngineApi::stateFromStatus()
{
    QFETCH(QString, status);
    QFETCH(QString, state);
    QCOMPARE(opsdeck::stateFromStatus(status), state);
}

void TestEngineApi::containerWithoutState()
{
    // An old engine's list reaches the mapper only through a forced version; it still reads.
    const auto list =
        parseContainerList(R"json([{"Id":"4f2a7c0e9b1d","Names":["/web"],"Status":"Exited (0) 2 days ago"},
        {"Id":"9a0b","Names":["/db"],"Status":"Up 1 hour (healthy)"}])json");
    QVERIFY2(list, list ? "" : qPrintable(list.error().message));
    QCOMPARE(list->at(0).state, QStringLiteral("exited"));
    QCOMPARE(list->at(1).state, QStringLiteral("running"));
    QCOMPARE(list->at(1).health, QStringLiteral("healthy"));
    // Neither State nor Status: still a clear schema error.
    const auto bad = parseContainerList(R"([{"Id":"4f2a7c0e9b1d","Names":["/web"]}])");
    QVERIFY(!bad);
    QVERIFY2(bad.error().message.contains(QLatin1String("\"State\"")), qPrintable(bad.error().message));
}

QTEST_GUILESS_MAIN(TestEngineApi)
#include "tst_engineapi.moc"
