// Pure logic of connections: validation, DOCKER_HOST parsing, health wording.
#include "models/connections/connection.h"
#include "models/connections/connectionstore.h"
#include "services/servicehost.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QPointer>
#include <QTest>
#include <QThread>

#include <limits>

using namespace opsdeck;

class TestConnection : public QObject
{
    Q_OBJECT
private slots:
    void heldServicesStartLater();
    void stopAllJoinsEveryThread();
    void validate_data();
    void validate();
    void dockerEndpoint_data();
    void dockerEndpoint();
    void health_data();
    void health();
    void kindIdsRoundTrip();
};

static Connection base(ConnectionKind kind)
{
    Connection c;
    c.kind = kind;
    c.name = QStringLiteral("test");
    c.endpoint = defaultBaseUrl(kind);
    c.auth = authKindsFor(kind).first();
    if (kind == ConnectionKind::GitHub)
        c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    if (kind == ConnectionKind::Cloudflare)
        c.options.insert(QStringLiteral("account_id"), QStringLiteral("abc"));
    if (c.auth == AuthKind::Basic)
        c.username = QStringLiteral("admin");
    return c;
}

void TestConnection::validate_data()
{
    QTest::addColumn<Connection>("connection");
    QTest::addColumn<QString>("code"); // empty = valid

    for (ConnectionKind kind : allKinds())
        QTest::addRow("default %s", qPrintable(kindId(kind))) << base(kind) << QString();

    Connection c = base(ConnectionKind::GitHub);
    c.name = QStringLiteral("   ");
    QTest::newRow("blank name") << c << QStringLiteral("connection.name");
    c = base(ConnectionKind::GitHub);
    c.endpoint = QStringLiteral("api.github.com");
    QTest::newRow("url without scheme") << c << QStringLiteral("connection.url");
    c.endpoint = QStringLiteral("ftp://api.github.com");
    QTest::newRow("ftp url") << c << QStringLiteral("connection.url");
    c.endpoint = QStringLiteral("https://user:pw@api.github.com");
    QTest::newRow("credentials in url") << c << QStringLiteral("connection.url");
    c = base(ConnectionKind::GitHub);
    c.options = {};
    QTest::newRow("github without org") << c << QStringLiteral("connection.org");
    c = base(ConnectionKind::GitHub);
    c.auth = AuthKind::Basic;
    QTest::newRow("github basic auth") << c << QStringLiteral("connection.auth");
    c = base(ConnectionKind::GitHub);
    c.auth = AuthKind::GitHubApp;
    c.username = QStringLiteral("not-a-number");
    QTest::newRow("app id not numeric") << c << QStringLiteral("connection.app");
    c.username = QStringLiteral("12345");
    QTest::newRow("app id numeric") << c << QString();
    c = base(ConnectionKind::Harbor);
    c.username.clear();
    QTest::newRow("basic without user") << c << QStringLiteral("connection.user");
    c = base(ConnectionKind::Cloudflare);
    c.options = {};
    QTest::newRow("cloudflare without account") << c << QStringLiteral("connection.account");
    c = base(ConnectionKind::LiteLLM);
    c.syncIntervalSec = 5;
    QTest::newRow("interval too short") << c << QStringLiteral("connection.interval");
    c = base(ConnectionKind::Registry);
    c.caFile = QStringLiteral("/nonexistent/ca.pem");
    QTest::newRow("unreadable ca") << c << QStringLiteral("connection.ca");
    c = base(ConnectionKind::Docker);
    c.endpoint = QStringLiteral("unix://relative.sock");
    QTest::newRow("docker relative socket") << c << QStringLiteral("docker.endpoint");
    c.endpoint = QStringLiteral("ssh://host");
    QTest::newRow("docker ssh") << c << QStringLiteral("docker.endpoint");
    c.endpoint = QStringLiteral("tcp://host:2376");
    c.clientCertFile = QStringLiteral("/nonexistent/cert.pem");
    QTest::newRow("docker cert without key") << c << QStringLiteral("connection.tls");
    c.endpoint = QStringLiteral("unix:///var/run/docker.sock");
    c.clientKeyFile = QStringLiteral("/nonexistent/key.pem");
    QTest::newRow("docker unix with certs") << c << QStringLiteral("connection.tls");
}

void TestConnection::validate()
{
    QFETCH(Connection, connection);
    QFETCH(QString, code);
    const Result<void> r = validateConnection(connection);
    if (code.isEmpty()) {
        QVERIFY2(r.ok(), qPrintable(r.message()));
    } else {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, code);
        QVERIFY(!r.message().isEmpty());
    }
}

void TestConnection::dockerEndpoint_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("transport");
    QTest::addColumn<QString>("where");
    QTest::addColumn<int>("port");
    QTest::newRow("unix url") << "unix:///run/podman/podman.sock" << false << true
                              << int(DockerEndpoint::Unix) << "/run/podman/podman.sock" << 0;
    QTest::newRow("plain path") << "/var/run/docker.sock" << false << true << int(DockerEndpoint::Unix)
                                << "/var/run/docker.sock" << 0;
    QTest::newRow("tcp default port")
        << "tcp://10.0.0.5" << false << true << int(DockerEndpoint::Tcp) << "10.0.0.5" << 2375;
    QTest::newRow("tcp tls default port")
        << "tcp://docker.acme" << true << true << int(DockerEndpoint::Tcp) << "docker.acme" << 2376;
    QTest::newRow("tcp explicit port")
        << "tcp://docker.acme:12345" << true << true << int(DockerEndpoint::Tcp) << "docker.acme" << 12345;
    QTest::newRow("tcp with path") << "tcp://docker.acme:2376/x" << true << false << 0 << "" << 0;
    QTest::newRow("empty") << "" << false << false << 0 << "" << 0;
    QTest::newRow("http") << "http://docker.acme" << false << false << 0 << "" << 0;
}

void TestConnection::dockerEndpoint()
{
    QFETCH(QString, endpoint);
    QFETCH(bool, tls);
    QFETCH(bool, ok);
    QFETCH(int, transport);
    QFETCH(QString, where);
    QFETCH(int, port);
    const auto r = parseDockerEndpoint(endpoint, tls);
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QVERIFY(!r.message().isEmpty());
        return;
    }
    QCOMPARE(int(r->transport), transport);
    QCOMPARE(r->transport == DockerEndpoint::Unix ? r->socketPath : r->host, where);
    QCOMPARE(int(r->port), port);
    QCOMPARE(r->tls, tls && r->transport == DockerEndpoint::Tcp);
}

void TestConnection::health_data()
{
    const QDateTime now = QDateTime::fromString(QStringLiteral("2026-11-23T12:00:00Z"), Qt::ISODate);
    QTest::addColumn<SyncStatus>("status");
    QTest::addColumn<bool>("syncing");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("now");

    QTest::newRow("never synced") << SyncStatus{} << false << int(ConnectionHealth::Unknown)
                                  << "gh: not synced yet" << now;
    SyncStatus ok;
    ok.lastSuccess = now.addSecs(-120);
    QTest::newRow("connected") << ok << false << int(ConnectionHealth::Connected) << "gh: connected" << now;
    QTest::newRow("syncing") << ok << true << int(ConnectionHealth::Syncing) << "gh: syncing" << now;
    SyncStatus offline = ok;
    offline.lastError = QStringLiteral("cannot reach");
    offline.lastErrorCode = QStringLiteral("net.unreachable");
    offline.lastErrorAt = now.addSecs(-10);
    QTest::newRow("offline") << offline << false << int(ConnectionHealth::Offline)
                             << "gh: offline, data from 2 min ago" << now;
    SyncStatus failed = offline;
    failed.lastErrorCode = QStringLiteral("http.unauthorized");
    QTest::newRow("error") << failed << false << int(ConnectionHealth::Failed) << "gh: error" << now;
    SyncStatus recovered = failed;
    recovered.lastErrorAt = now.addSecs(-600);
    QTest::newRow("error before success")
        << recovered << false << int(ConnectionHealth::Connected) << "gh: connected" << now;
    SyncStatus offlineNoData;
    offlineNoData.lastError = QStringLiteral("timeout");
    offlineNoData.lastErrorCode = QStringLiteral("net.timeout");
    offlineNoData.lastErrorAt = now;
    QTest::newRow("offline no data") << offlineNoData << false << int(ConnectionHealth::Offline)
                                     << "gh: offline, no data yet" << now;
    SyncStatus old = offline;
    old.lastSuccess = now.addSecs(-3 * 3600);
    QTest::newRow("offline hours") << old << false << int(ConnectionHealth::Offline)
                                   << "gh: offline, data from 3 h ago" << now;
}

void TestConnection::health()
{
    QFETCH(SyncStatus, status);
    QFETCH(bool, syncing);
    QFETCH(int, state);
    QFETCH(QString, text);
    QFETCH(QDateTime, now);
    const ConnectionHealth h = describeHealth(QStringLiteral("gh"), status, syncing, now);
    QCOMPARE(int(h.state), state);
    QCOMPARE(h.text, text);
    if (state == ConnectionHealth::Failed || state == ConnectionHealth::Offline)
        QCOMPARE(h.tooltip, status.lastError);
}

void TestConnection::kindIdsRoundTrip()
{
    for (ConnectionKind kind : allKinds()) {
        QCOMPARE(kindFromId(kindId(kind)), std::optional<ConnectionKind>(kind));
        QVERIFY(!authKindsFor(kind).isEmpty());
    }
    QVERIFY(!kindFromId(QStringLiteral("gitlab")).has_value());
}

namespace {
// Records what ran on its thread, in order.
class RecordingService : public Service
{
public:
    explicit RecordingService(QStringList *log, int shutdownMs = 0) : m_log(log), m_shutdownMs(shutdownMs) {}
    void initialize() override { m_log->append(QStringLiteral("initialize")); }
    void shutdown() override
    {
        shutdownFrom = QDateTime::currentMSecsSinceEpoch();
        QThread::msleep(m_shutdownMs);
        shutdownUntil = QDateTime::currentMSecsSinceEpoch();
        m_log->append(QStringLiteral("shutdown"));
        // Recorded here, on the worker thread before stopAll() joins it: a destructor may run later.
        const QMutexLocker lock(&spansLock);
        spans.insert(m_log, {shutdownFrom, shutdownUntil});
    }
    // When shutdown() ran, for the test that stops several services at once.
    inline static QMutex spansLock;
    inline static QHash<QStringList *, std::pair<qint64, qint64>> spans;
    qint64 shutdownFrom = 0, shutdownUntil = 0;
    void work() { m_log->append(QStringLiteral("work")); }

private:
    QStringList *m_log;
    int m_shutdownMs;
};
} // namespace

void TestConnection::heldServicesStartLater()
{
    QStringList log;
    ServiceHost host;
    host.holdStart();
    auto *service = host.add(new RecordingService(&log), QStringLiteral("held"));
    QVERIFY(service->thread() != QThread::currentThread()); // already on its own thread
    QMetaObject::invokeMethod(service, [service] { service->work(); });
    QTest::qWait(100);
    QVERIFY(log.isEmpty()); // nothing ran: the thread has not started
    QVERIFY(!service->thread()->isRunning());
    host.startAll();
    QTRY_COMPARE(log, (QStringList{QStringLiteral("initialize"), QStringLiteral("work")}));
    host.stopAll();
    QCOMPARE(log.last(), QStringLiteral("shutdown"));

    // A service that never started is deleted by stopAll without running anything.
    QStringList never;
    ServiceHost held;
    held.holdStart();
    QPointer<Service> idle = held.add(new RecordingService(&never), QStringLiteral("idle"));
    held.stopAll();
    QVERIFY(idle.isNull());
    QVERIFY(never.isEmpty());
}

void TestConnection::stopAllJoinsEveryThread()
{
    // Three services whose shutdown takes a while stop at the same time, not one after another:
    // their shutdowns overlap.
    QStringList a, b, c;
    ServiceHost host;
    QList<QThread *> threads;
    for (QStringList *log : {&a, &b, &c})
        threads << host.add(new RecordingService(log, 300), QStringLiteral("slow"))->thread();
    QTRY_VERIFY(a.size() == 1 && b.size() == 1 && c.size() == 1); // all initialized
    host.stopAll();
    qint64 latestStart = 0, earliestEnd = std::numeric_limits<qint64>::max();
    for (QStringList *log : {&a, &b, &c}) {
        QCOMPARE(log->last(), QStringLiteral("shutdown"));
        const auto span = RecordingService::spans.value(log);
        QVERIFY(span.first > 0 && span.second >= span.first);
        latestStart = qMax(latestStart, span.first);
        earliestEnd = qMin(earliestEnd, span.second);
    }
    QVERIFY2(latestStart < earliestEnd, "the services were shut down one after another");
    for (QThread *t : std::as_const(threads))
        QVERIFY(t->isFinished());
}

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
