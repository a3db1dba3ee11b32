// The Docker Engine transport against a real engine: podman's Docker-compatible API service on a
// unix socket, started by this test (../shared/TESTBED.md).
#include "services/docker/dockerclient.h"
#include "testprocess.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestDocker : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void ping();
    void version();
    void chunkedInfo();
    void streamedEvents();
    void errorFromEngine();
    void unreachableSocket();

private:
    HttpResponse run(DockerClient &client, const DockerRequest &request,
                     DockerClient::DataHandler onData = {});
    QString script() const { return QStringLiteral(OPSDECK_TESTS_DIR "/support/podman-service.sh"); }
    QTemporaryDir m_dir{QStringLiteral("/tmp/opsdeck-podman-XXXXXX")};
    StopOnExit m_podman; // after m_dir: stopped while its PID file is still there
    QString m_socket;
};

void TestDocker::initTestCase()
{
    OPSDECK_REQUIRE_COMPONENT(!QStandardPaths::findExecutable(QStringLiteral("podman")).isEmpty(),
                              QStringLiteral("podman"));
    m_podman.arm(script(), {QStringLiteral("stop"), m_dir.path()});
    QProcess start;
    start.start(script(), {QStringLiteral("start"), m_dir.path()});
    QVERIFY(start.waitForFinished(60000));
    QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
    m_socket = QString::fromUtf8(start.readAllStandardOutput()).trimmed();
    QVERIFY(QFile::exists(m_socket));
    QProcess image;
    image.start(script(), {QStringLiteral("image"), m_dir.path()});
    QVERIFY(image.waitForFinished(120000));
    QVERIFY2(image.exitCode() == 0, image.readAllStandardError().constData());
}

void TestDocker::cleanupTestCase()
{
    m_podman.run();
}

HttpResponse TestDocker::run(DockerClient &client, const DockerRequest &request,
                             DockerClient::DataHandler onData)
{
    std::optional<HttpResponse> result;
    client.request(
        request, this, [&](const HttpResponse &r) { result = r; }, std::move(onData));
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
    }();
    return result.value_or(HttpResponse{});
}

void TestDocker::ping()
{
    DockerClient client;
    QVERIFY(client.configure(QStringLiteral("unix://") + m_socket).ok());
    DockerRequest r;
    r.path = "/_ping";
    const HttpResponse response = run(client, r);
    QVERIFY2(response.ok(), qPrintable(response.error ? response.error->message : QString()));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("OK"));
    QVERIFY(!response.header("API-Version").isEmpty());
}

void TestDocker::version()
{
    DockerClient client;
    QVERIFY(client.configure(m_socket).ok());
    DockerRequest r;
    r.path = "/version";
    const HttpResponse response = run(client, r);
    QVERIFY(response.ok());
    const QJsonObject o = QJsonDocument::fromJson(response.body).object();
    QVERIFY2(!o.value(QStringLiteral("ApiVersion")).toString().isEmpty(), response.body.constData());

    // A versioned path works the same way.
    client.setApiVersion(o.value(QStringLiteral("ApiVersion")).toString().toLatin1());
    const HttpResponse versioned = run(client, r);
    QVERIFY(versioned.ok());
    QCOMPARE(QJsonDocument::fromJson(versioned.body).object().value(QStringLiteral("ApiVersion")),
             o.value(QStringLiteral("ApiVersion")));
}

void TestDocker::chunkedInfo()
{
    DockerClient client;
    QVERIFY(client.configure(m_socket).ok());
    DockerRequest r;
    r.path = "/info";
    const HttpResponse response = run(client, r);
    QVERIFY(response.ok());
    QVERIFY(response.header("Transfer-Encoding").contains("chunked"));
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(response.body, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(o.contains(QStringLiteral("Containers")));
}

void TestDocker::streamedEvents()
{
    DockerClient client;
    QVERIFY(client.configure(m_socket).ok());
    DockerRequest r;
    // Past events, then live ones: the engine streams them, one JSON object per line, and the
    // stream stays open until it is cancelled. (podman's `until` is racy: a stream asked to end a
    // second from now sometimes ends at once, so the test reads until it has what it looks for.)
    r.path = "/events?since=0";
    r.timeoutMs = 0;
    QByteArray streamed;
    int pieces = 0;
    bool sawImport = false;
    quint64 id = 0;
    std::optional<HttpResponse> ended;
    id = client.request(
        r, this, [&](const HttpResponse &response) { ended = response; },
        [&](const QByteArray &data) {
            streamed += data;
            ++pieces;
            const QList<QByteArray> lines = streamed.split('\n');
            for (qsizetype i = 0; i + 1 < lines.size(); ++i) { // complete lines only
                QJsonParseError error;
                const QJsonObject event = QJsonDocument::fromJson(lines.at(i), &error).object();
                if (error.error == QJsonParseError::NoError &&
                    event.value(QStringLiteral("Type")).toString() == QLatin1String("image"))
                    sawImport = true;
            }
            if (sawImport)
                client.cancel(id);
        });
    QTRY_VERIFY_WITH_TIMEOUT(ended.has_value(), 30000);
    QVERIFY2(sawImport, streamed.left(500).constData());
    QVERIFY(ended->body.isEmpty()); // streamed, not kept
    QCOMPARE(ended->error->code, QStringLiteral("http.cancelled"));
    QVERIFY(pieces >= 1);
    for (const QByteArray &line : streamed.left(streamed.lastIndexOf('\n')).split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        QJsonDocument::fromJson(line, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }
}

void TestDocker::errorFromEngine()
{
    DockerClient client;
    QVERIFY(client.configure(m_socket).ok());
    DockerRequest r;
    r.path = "/containers/does-not-exist/json";
    r.what = QStringLiteral("Inspecting a container");
    const HttpResponse response = run(client, r);
    QVERIFY(!response.ok());
    QCOMPARE(response.status, 404);
    QCOMPARE(response.error->code, QStringLiteral("http.not-found"));
    QVERIFY2(response.error->message.startsWith(
                 QStringLiteral("Inspecting a container: the Docker engine answered 404")),
             qPrintable(response.error->message));
    QVERIFY(response.error->message.contains(QStringLiteral("does-not-exist")));
}

void TestDocker::unreachableSocket()
{
    DockerClient client;
    QVERIFY(client.configure(m_dir.filePath(QStringLiteral("nothing.sock"))).ok());
    DockerRequest r;
    r.path = "/_ping";
    const HttpResponse response = run(client, r);
    QVERIFY(!response.ok());
    QCOMPARE(response.error->code, QStringLiteral("net.unreachable"));
    QVERIFY(response.error->message.contains(QStringLiteral("nothing.sock")));
}

QTEST_GUILESS_MAIN(TestDocker)
#include "tst_docker.moc"
