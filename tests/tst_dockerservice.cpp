// The Docker service against a real engine: podman's Docker-compatible API service with a local
// busybox image (../shared/TESTBED.md). Containers are listed into the cache, the /events stream
// drives refreshes, actions are audited, logs decode both stream kinds and merge by time.
#include "models/connections/connectionstore.h"
#include "models/deploy/job.h"
#include "models/docker/container.h"
#include "models/docker/engineapi.h"
#include "models/docker/hostimage.h"
#include "models/store/database.h"
#include "services/deploy/deployservice.h"
#include "services/docker/dockerclient.h"
#include "services/docker/dockerservice.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "services/testruns/mockstore.h"
#include "testprocess.h"
#include "testutil.h"
#include "ui/panes/testruns/mocksdialog.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestDockerService : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void refreshLists();
    void eventsDriveRefresh();
    void eventsReconnectAfterEngineRestart();
    void stopStartRestart();
    void restartsMockContainer();
    void projectAsAUnit();
    void removeWithAndWithoutVolumes();
    void logsMultiplexed();
    void logsFollow();
    void logsTty();
    void logsMerged();
    void quitWithAnOpenLogStream();
    void removeStopped();
    void hostImagesListedAndRemoved();
    void pruneEachKind();
    void quickServiceFromRegistry();
    void quickServiceNameCollisionAndPort();
    void quickServiceRefusedBeforeAnything();
    void quickServiceImagePolicy();
    void quickServiceRouted();
    void quickServiceCancelledPull();
    void interruptedJobsMarked();
    void unreachableEngine();

private:
    QString script() const { return QStringLiteral(OPSDECK_TESTS_DIR "/support/podman-service.sh"); }
    QString registryScript() const { return QStringLiteral(OPSDECK_TESTS_DIR "/support/registry.sh"); }
    // Runs a quick service job to its end; returns the job.
    Job runQuick(const QuickServiceSpec &spec, std::function<void(qint64)> whileRunning = {});
    QString m_registry; // 127.0.0.1:PORT
    // Creates (and optionally starts) a container with the raw transport, as another tool would.
    QString create(const QString &name, const QJsonObject &config, bool start = true);
    HttpResponse raw(const QByteArray &method, const QByteArray &path, const QByteArray &body = {});
    QString stateOf(const QString &name);
    QStringList auditRows(const QString &action);
    QList<LogLine> readLogs(const QStringList &ids, const LogOptions &options, int expectLines = -1);

    QTemporaryDir m_dir{QStringLiteral("/tmp/opsdeck-dockersvc-XXXXXX")};
    StopOnExit m_registryService, m_podman; // after m_dir: stopped while their PID files are there
    QTemporaryDir m_data;
    QString m_socket;
    Connection m_connection;
    ServiceHost *m_host = nullptr;
    DockerService *m_service = nullptr;
    DeployService *m_deploy = nullptr;
    DockerClient *m_client = nullptr;
};

void TestDockerService::initTestCase()
{
    OPSDECK_REQUIRE_COMPONENT(!QStandardPaths::findExecutable(QStringLiteral("podman")).isEmpty(),
                              QStringLiteral("podman"));
    OPSDECK_REQUIRE_COMPONENT(!QStandardPaths::findExecutable(QStringLiteral("docker-registry")).isEmpty(),
                              QStringLiteral("docker-registry"));
    // A local registry first: podman is told it may pull from it without TLS.
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    m_registry = QStringLiteral("127.0.0.1:%1").arg(probe.serverPort());
    probe.close();
    m_registryService.arm(registryScript(),
                          {QStringLiteral("stop"), m_dir.filePath(QStringLiteral("registry"))});
    QCOMPARE(QProcess::execute(registryScript(),
                               {QStringLiteral("start"), m_dir.filePath(QStringLiteral("registry")),
                                m_registry.section(QLatin1Char(':'), 1)}),
             0);
    qputenv("OPSDECK_TEST_REGISTRY", m_registry.toUtf8());
    m_podman.arm(script(), {QStringLiteral("stop"), m_dir.path()});
    QProcess start;
    start.start(script(), {QStringLiteral("start"), m_dir.path()});
    QVERIFY(start.waitForFinished(60000));
    QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
    m_socket = QString::fromUtf8(start.readAllStandardOutput()).trimmed();
    QProcess image;
    image.start(script(), {QStringLiteral("image"), m_dir.path()});
    QVERIFY(image.waitForFinished(120000));
    QVERIFY2(image.exitCode() == 0, image.readAllStandardError().constData());
    QProcess push;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CONTAINERS_STORAGE_CONF"), m_dir.filePath(QStringLiteral("storage.conf")));
    push.setProcessEnvironment(env);
    push.start(registryScript(), {QStringLiteral("push"), m_dir.filePath(QStringLiteral("registry")),
                                  QStringLiteral("containers-storage:localhost/busybox:test"),
                                  m_registry + QStringLiteral("/team/busybox:1.0")});
    QVERIFY(push.waitForFinished(120000));
    QVERIFY2(push.exitCode() == 0, push.readAllStandardError().constData());

    QVERIFY(Database::open(m_data.filePath(QStringLiteral("cache.sqlite"))).ok());
    Connection c;
    c.kind = ConnectionKind::Docker;
    c.name = QStringLiteral("podman");
    c.endpoint = QStringLiteral("unix://") + m_socket;
    c.auth = AuthKind::None;
    auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY2(saved.ok(), qPrintable(saved.message()));
    m_connection = saved.value();
    m_client = new DockerClient(this);
    QVERIFY(m_client->configure(c.endpoint).ok());
    m_host = new ServiceHost(this);
    m_service = m_host->add(new DockerService, QStringLiteral("docker"));
    m_deploy = m_host->add(new DeployService, QStringLiteral("deploy"));
}

void TestDockerService::cleanupTestCase()
{
    if (m_host)
        m_host->stopAll();
    Database::close();
    m_podman.run();
    m_registryService.run();
}

HttpResponse TestDockerService::raw(const QByteArray &method, const QByteArray &path, const QByteArray &body)
{
    DockerRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    std::optional<HttpResponse> result;
    m_client->request(r, this, [&](const HttpResponse &response) { result = response; });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 60000);
    }();
    return result.value_or(HttpResponse{});
}

QString TestDockerService::create(const QString &name, const QJsonObject &config, bool start)
{
    QJsonObject body = config;
    body.insert(QStringLiteral("Image"), QStringLiteral("localhost/busybox:test"));
    const HttpResponse created = raw("POST", "/containers/create?name=" + name.toUtf8(),
                                     QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!created.ok())
        qWarning() << created.error->message;
    const QString id = QJsonDocument::fromJson(created.body).object().value(QStringLiteral("Id")).toString();
    if (start && !id.isEmpty())
        raw("POST", "/containers/" + id.toUtf8() + "/start");
    return id;
}

QString TestDockerService::stateOf(const QString &name)
{
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral("SELECT state FROM containers WHERE name = ?"));
    q.addBindValue(name);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

QStringList TestDockerService::auditRows(const QString &action)
{
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral(
        "SELECT target_name || ':' || outcome FROM audit_events WHERE action = ? ORDER BY id"));
    q.addBindValue(action);
    QStringList rows;
    if (q.exec())
        while (q.next())
            rows << q.value(0).toString();
    return rows;
}

static int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

void TestDockerService::refreshLists()
{
    const QString port = QString::number(freePort());
    create(QStringLiteral("web"),
           {{"Cmd", QJsonArray{"sleep", "600"}},
            {"Labels", QJsonObject{{"opsdeck.project", "shop"}}},
            {"ExposedPorts", QJsonObject{{"80/tcp", QJsonObject()}}},
            {"HostConfig",
             QJsonObject{
                 {"PortBindings", QJsonObject{{"80/tcp", QJsonArray{QJsonObject{{"HostIp", "127.0.0.1"},
                                                                                {"HostPort", port}}}}}}}}});
    QSignalSpy finished(m_service, &DockerService::syncFinished);
    QMetaObject::invokeMethod(m_service, [this] { m_service->refresh(m_connection.id); });
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 60000);
    QVERIFY2(finished.at(0).at(1).value<Outcome>().ok,
             qPrintable(finished.at(0).at(1).value<Outcome>().message));
    QSqlQuery q(Database::connection());
    QVERIFY(
        q.exec(QStringLiteral("SELECT state, project, ports, image FROM containers WHERE name = 'web'")) &&
        q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("running"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("shop"));
    QVERIFY2(q.value(2).toString().contains(port), qPrintable(q.value(2).toString()));
    QCOMPARE(q.value(3).toString(), QStringLiteral("localhost/busybox:test"));
    QVERIFY(q.exec(QStringLiteral("SELECT version, disk_usage, api_version FROM docker_hosts")) && q.next());
    QVERIFY(q.value(0).toString().contains(QStringLiteral("ApiVersion")));
    // podman 4 speaks API 1.41, older than 1.47: requests are pinned to its own newest version.
    const QString engineApi = QJsonDocument::fromJson(q.value(0).toString().toUtf8())
                                  .object()
                                  .value(QStringLiteral("ApiVersion"))
                                  .toString();
    QVERIFY(EngineApi::number(engineApi) > 0);
    QCOMPARE(q.value(2).toString(), EngineApi::number(engineApi) < EngineApi::number(QStringLiteral("1.47"))
                                        ? engineApi
                                        : QStringLiteral("1.47"));
    const auto kinds = diskUsageFromJson(QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object());
    QCOMPARE(kinds.size(), 4);
    QCOMPARE(kinds.at(0).kind, QStringLiteral("images"));
    QVERIFY(kinds.at(0).count >= 1 && kinds.at(0).size > 0);
    QVERIFY(kinds.at(1).active >= 1); // the running container
}

void TestDockerService::eventsDriveRefresh()
{
    QSignalSpy state(m_service, &DockerService::eventsStateChanged);
    QMetaObject::invokeMethod(m_service, [this] { m_service->watch(m_connection.id); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty() && state.last().at(1).toBool(), 30000);
    // Another tool starts a container: the events stream, not a refresh call, brings it in.
    create(QStringLiteral("from-cli"), {{"Cmd", QJsonArray{"sleep", "600"}}});
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("from-cli")), QStringLiteral("running"), 30000);
    raw("POST", "/containers/from-cli/stop?t=0");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("from-cli")), QStringLiteral("exited"), 30000);
}

void TestDockerService::eventsReconnectAfterEngineRestart()
{
    // The engine goes away (its API service is killed; containers stay, as with a daemon restart)
    // and comes back: the watch says it is down, reconnects by itself, and events flow again.
    QSignalSpy state(m_service, &DockerService::eventsStateChanged);
    QFile pidFile(m_dir.filePath(QStringLiteral("podman.pid")));
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const qint64 pid = pidFile.readAll().trimmed().toLongLong();
    pidFile.close();
    QVERIFY(pid > 0);
    QCOMPARE(QProcess::execute(QStringLiteral("kill"), {QString::number(pid)}), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty() && !state.last().at(1).toBool(), 30000);
    const QString down = state.last().at(2).toString();
    QVERIFY2(!down.isEmpty(), "the pane is told why the live updates stopped");

    QProcess start;
    start.start(script(), {QStringLiteral("start"), m_dir.path()});
    QVERIFY(start.waitForFinished(60000));
    QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
    QCOMPARE(QString::fromUtf8(start.readAllStandardOutput()).trimmed(), m_socket);
    QTRY_VERIFY_WITH_TIMEOUT(state.last().at(1).toBool(), 60000); // backoff is at most 30 s
    create(QStringLiteral("after-restart"), {{"Cmd", QJsonArray{"sleep", "600"}}});
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("after-restart")), QStringLiteral("running"), 30000);
    raw("DELETE", "/containers/after-restart?force=true");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("after-restart")), QString(), 30000);
}

void TestDockerService::stopStartRestart()
{
    QSignalSpy done(m_service, &DockerService::actionFinished);
    const auto act = [&](ContainerAction a) {
        const int before = int(done.count());
        QMetaObject::invokeMethod(m_service, [this, a] {
            m_service->act(1, m_connection.id, QStringLiteral("web"), a, 1, false, false);
        });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(done.count() > before, 60000);
        }();
        return done.last().at(2).value<Outcome>();
    };
    Outcome o = act(ContainerAction::Stop);
    QVERIFY2(o.ok, qPrintable(o.message));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("web")), QStringLiteral("exited"), 30000);
    o = act(ContainerAction::Start);
    QVERIFY2(o.ok, qPrintable(o.message));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("web")), QStringLiteral("running"), 30000);
    o = act(ContainerAction::Restart);
    QVERIFY2(o.ok, qPrintable(o.message));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("web")), QStringLiteral("running"), 30000);
    QCOMPARE(auditRows(AuditAction::containerStop), QStringList{"web:success"});
    QCOMPARE(auditRows(AuditAction::containerStart), QStringList{"web:success"});
    QCOMPARE(auditRows(AuditAction::containerRestart), QStringList{"web:success"});
    // A container that does not exist: the engine's message, audited as a failure.
    QMetaObject::invokeMethod(m_service, [this] {
        m_service->act(2, m_connection.id, QStringLiteral("no-such-container"), ContainerAction::Start, 1,
                       false, false);
    });
    QTRY_VERIFY_WITH_TIMEOUT(done.last().at(0).toULongLong() == 2, 30000);
    o = done.last().at(2).value<Outcome>();
    QVERIFY(!o.ok);
    QVERIFY2(o.message.contains(QStringLiteral("no-such-container")) ||
                 o.message.contains(QStringLiteral("404")),
             qPrintable(o.message));
    QCOMPARE(auditRows(AuditAction::containerStart).last(), QStringLiteral("no-such-container:failure"));
}

void TestDockerService::restartsMockContainer()
{
    // A golden suite's mock server run by a container on this engine: Mocks… restarts it through the
    // Docker service, and the restart is audited there.
    const QString id = create(QStringLiteral("pay-mock"), {{"Cmd", QJsonArray{"sleep", "600"}}});
    QVERIFY(!id.isEmpty());
    const auto startedAt = [this, &id] {
        return QJsonDocument::fromJson(raw("GET", "/containers/" + id.toUtf8() + "/json").body)
            .object()
            .value(QStringLiteral("State"))
            .toObject()
            .value(QStringLiteral("StartedAt"))
            .toString();
    };
    const QString before = startedAt();
    QVERIFY(!before.isEmpty());
    MockServer mock;
    mock.name = QStringLiteral("payments mock");
    mock.url = QStringLiteral("http://127.0.0.1:9");
    mock.container = QStringLiteral("pay-mock");
    mock.dockerConnectionId = m_connection.id;
    const auto saved = MockStore::save(mock);
    QVERIFY2(saved.ok(), qPrintable(saved.message()));

    MocksDialog dialog(nullptr, m_service, nullptr);
    QTRY_VERIFY(dialog.mocks()->rowOfKey(saved.value()) >= 0);
    dialog.view()->selectRow(dialog.mocks()->rowOfKey(saved.value()));
    QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("restartMockButton"))->isEnabled());
    QSignalSpy restarted(&dialog, &MocksDialog::restarted);
    dialog.restartSelected(false);
    QTRY_VERIFY_WITH_TIMEOUT(restarted.count() > 0, 60000);
    QVERIFY2(restarted.at(0).at(0).toBool(), qPrintable(restarted.at(0).at(1).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(startedAt() != before, 30000);
    QVERIFY(auditRows(AuditAction::containerRestart).contains(QStringLiteral("pay-mock:success")));
    raw("DELETE", "/containers/" + id.toUtf8() + "?force=true");
}

void TestDockerService::projectAsAUnit()
{
    // "web" carries opsdeck.project=shop: stop and start the project, one audited action per container.
    QSignalSpy finished(m_service, &DockerService::projectFinished);
    QMetaObject::invokeMethod(m_service, [this] {
        m_service->actProject(20, m_connection.id, QStringLiteral("shop"), ContainerAction::Stop);
    });
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 60000);
    QCOMPARE(finished.at(0).at(2).toInt(), 1);
    QCOMPARE(finished.at(0).at(3).toInt(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("web")), QStringLiteral("exited"), 30000);
    QMetaObject::invokeMethod(m_service, [this] {
        m_service->actProject(21, m_connection.id, QStringLiteral("shop"), ContainerAction::Start);
    });
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("web")), QStringLiteral("running"), 30000);
    QMetaObject::invokeMethod(m_service, [this] {
        m_service->actProject(22, m_connection.id, QStringLiteral("no-such-project"), ContainerAction::Stop);
    });
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 2, 60000);
    QVERIFY(finished.at(2).at(4).toString().contains(QStringLiteral("No container belongs")));
}

void TestDockerService::removeWithAndWithoutVolumes()
{
    // Two containers with an anonymous volume each; one removed with v=true, one without.
    const QJsonObject config{{"Cmd", QJsonArray{"sleep", "600"}},
                             {"Volumes", QJsonObject{{"/data", QJsonObject()}}}};
    const QString keep = create(QStringLiteral("keeps-volume"), config, false);
    const QString drop = create(QStringLiteral("drops-volume"), config, false);
    const auto volumeOf = [this](const QString &id) {
        const QJsonObject o =
            QJsonDocument::fromJson(raw("GET", "/containers/" + id.toUtf8() + "/json").body).object();
        for (const QJsonValue &m : o.value("Mounts").toArray())
            if (m.toObject().value("Type").toString() == QLatin1String("volume"))
                return m.toObject().value("Name").toString();
        return QString();
    };
    const QString keptVolume = volumeOf(keep), droppedVolume = volumeOf(drop);
    QVERIFY(!keptVolume.isEmpty() && !droppedVolume.isEmpty());
    // The pane acts on containers it lists: wait until the events stream brought both in.
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("drops-volume")), QStringLiteral("created"), 30000);
    QSignalSpy done(m_service, &DockerService::actionFinished);
    QMetaObject::invokeMethod(m_service, [this, keep, drop] {
        m_service->act(3, m_connection.id, keep, ContainerAction::Remove, 0, false, false);
        m_service->act(4, m_connection.id, drop, ContainerAction::Remove, 0, true, false);
    });
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 60000);
    QVERIFY(done.at(0).at(2).value<Outcome>().ok && done.at(1).at(2).value<Outcome>().ok);
    QCOMPARE(raw("GET", "/volumes/" + keptVolume.toUtf8()).status, 200);
    QCOMPARE(raw("GET", "/volumes/" + droppedVolume.toUtf8()).status, 404);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(QStringLiteral("keeps-volume")).isEmpty(), 30000); // gone from the cache
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT details FROM audit_events WHERE action = 'container.remove' AND "
                                  "target_name = 'drops-volume'")) &&
            q.next());
    QCOMPARE(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object().value("volumes").toBool(),
             true);
}

QList<LogLine> TestDockerService::readLogs(const QStringList &ids, const LogOptions &options, int expectLines)
{
    static quint64 next = 100;
    const quint64 stream = ++next;
    QList<LogLine> lines;
    bool ended = false;
    auto a = connect(m_service, &DockerService::logLines, this, [&](quint64 id, const QList<LogLine> &batch) {
        if (id == stream)
            lines += batch;
    });
    auto b = connect(m_service, &DockerService::logEnded, this, [&](quint64 id, const Outcome &o) {
        if (id == stream) {
            ended = true;
            if (!o.ok)
                qWarning() << "log stream ended:" << o.message;
        }
    });
    QMetaObject::invokeMethod(m_service,
                              [=, this] { m_service->openLogs(stream, m_connection.id, ids, options); });
    if (expectLines < 0) {
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(ended, 60000);
        }();
    } else {
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(lines.size() >= expectLines, 60000);
        }();
        QMetaObject::invokeMethod(m_service, [this, stream] { m_service->closeLogs(stream); });
    }
    disconnect(a);
    disconnect(b);
    return lines;
}

void TestDockerService::logsMultiplexed()
{
    const QString id =
        create(QStringLiteral("talker"),
               {{"Cmd", QJsonArray{"sh", "-c", "for i in 1 2 3; do echo out$i; echo err$i >&2; done"}}});
    QTRY_COMPARE_WITH_TIMEOUT(raw("GET", "/containers/" + id.toUtf8() + "/json").body.contains("\"exited\""),
                              true, 30000);
    LogOptions options;
    options.follow = false;
    const QList<LogLine> lines = readLogs({id}, options);
    QCOMPARE(lines.size(), 6);
    QStringList out, err;
    for (const LogLine &l : lines) {
        QVERIFY(l.time.isValid());
        (l.stream == LogLine::Stderr ? err : out) << l.text;
    }
    QCOMPARE(out, QStringList({"out1", "out2", "out3"}));
    QCOMPARE(err, QStringList({"err1", "err2", "err3"}));
    options.timestamps = false;
    options.tail = 2;
    const QList<LogLine> tail = readLogs({id}, options);
    QCOMPARE(tail.size(), 2);
    QVERIFY(!tail.first().time.isValid()); // not asked for: not shown
}

void TestDockerService::logsFollow()
{
    // History first, then the lines the container writes afterwards, without duplicates.
    const QString id = create(
        QStringLiteral("ticker"),
        {{"Cmd",
          QJsonArray{"sh", "-c", "i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo tick$i; sleep 0.1; done"}}});
    QTest::qWait(1000);
    LogOptions options;
    options.follow = true;
    const QList<LogLine> lines = readLogs({id}, options, 40);
    QStringList texts;
    for (const LogLine &l : lines)
        texts << l.text;
    QVERIFY2(texts.size() >= 40, qPrintable(texts.join(',')));
    for (int i = 0; i < 40; ++i)
        QCOMPARE(texts.at(i), QStringLiteral("tick%1").arg(i + 1));
}

void TestDockerService::logsTty()
{
    const QString id =
        create(QStringLiteral("tty"), {{"Tty", true}, {"Cmd", QJsonArray{"sh", "-c", "echo a; echo b"}}});
    QTRY_COMPARE_WITH_TIMEOUT(raw("GET", "/containers/" + id.toUtf8() + "/json").body.contains("\"exited\""),
                              true, 30000);
    LogOptions options;
    options.follow = false;
    const QList<LogLine> lines = readLogs({id}, options);
    QStringList seen;
    for (const LogLine &l : lines)
        seen << l.time.toString(Qt::ISODateWithMs) + QLatin1Char('|') + l.text;
    // podman's TTY log sometimes stores a line break as an entry of its own: an empty line.
    QStringList texts;
    for (const LogLine &l : lines) {
        QCOMPARE(l.stream, LogLine::Raw);
        if (!l.text.isEmpty())
            texts << l.text;
    }
    QVERIFY2(texts == QStringList({"a", "b"}),
             qPrintable(seen.join(QLatin1String(" / ")))); // no carriage returns
}

void TestDockerService::logsMerged()
{
    // Each writes a line, waits longer than the other takes to start, writes again.
    const QString a =
        create(QStringLiteral("left"), {{"Cmd", QJsonArray{"sh", "-c", "echo L1; sleep 3; echo L2"}}});
    const QString b =
        create(QStringLiteral("right"), {{"Cmd", QJsonArray{"sh", "-c", "echo R1; sleep 3; echo R2"}}});
    QTest::qWait(4500);
    LogOptions options;
    options.follow = false;
    const QList<LogLine> lines = readLogs({a, b}, options);
    QStringList texts, sources;
    for (const LogLine &l : lines) {
        texts << l.text;
        sources << l.source;
    }
    QCOMPARE(texts, QStringList({"L1", "R1", "L2", "R2"}));
    QCOMPARE(sources, QStringList({"left", "right", "left", "right"}));
    for (int i = 1; i < lines.size(); ++i)
        QVERIFY(lines.at(i - 1).time <= lines.at(i).time);
}

void TestDockerService::quitWithAnOpenLogStream()
{
    // What Ctrl+Q does to a log stream that never ends: a second host, its own Docker service,
    // a followed stream of a container that writes forever, then stopAll(). It returns (the
    // stream's reply is aborted, not waited for), the engine is not left wedged (the main service
    // still reads logs), and the time it took is printed for the record.
    const QString id =
        create(QStringLiteral("chatter"),
               {{"Cmd", QJsonArray{"sh", "-c", "while true; do echo chat; sleep 0.05; done"}}});
    auto host = std::make_unique<ServiceHost>();
    auto *docker = host->add(new DockerService, QStringLiteral("docker-quit"));
    int lines = 0;
    connect(docker, &DockerService::logLines, this,
            [&](quint64, const QList<LogLine> &batch) { lines += int(batch.size()); });
    LogOptions options;
    options.follow = true;
    QMetaObject::invokeMethod(docker, [=, this] { docker->openLogs(900, m_connection.id, {id}, options); });
    QTRY_VERIFY_WITH_TIMEOUT(lines >= 5, 30000);
    QElapsedTimer quit;
    quit.start();
    host->stopAll();
    const double ms = quit.nsecsElapsed() / 1e6;
    host.reset();
    qInfo("stopping a service host with a followed log stream open: %.1f ms", ms);
    LogOptions tail;
    tail.follow = false;
    tail.tail = 3;
    QCOMPARE(readLogs({id}, tail).size(), 3);
    QCOMPARE(raw("DELETE", "/containers/" + id.toUtf8() + "?force=true").status, 204);
}

void TestDockerService::removeStopped()
{
    create(QStringLiteral("done-1"), {{"Cmd", QJsonArray{"true"}}});
    create(QStringLiteral("done-2"), {{"Cmd", QJsonArray{"true"}}}, false);
    QTest::qWait(1000);
    QSignalSpy finished(m_service, &DockerService::removeStoppedFinished);
    QMetaObject::invokeMethod(m_service, [this] { m_service->removeStopped(9, m_connection.id); });
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 60000);
    QVERIFY2(finished.at(0).at(2).toInt() == 0, qPrintable(finished.at(0).at(3).toString()));
    QVERIFY2(finished.at(0).at(1).toInt() >= 2, qPrintable(QString::number(finished.at(0).at(1).toInt())));
    const HttpResponse all = raw("GET", "/containers/json?all=1");
    for (const QJsonValue &v : QJsonDocument::fromJson(all.body).array())
        QCOMPARE(v.toObject().value("State").toString(), QStringLiteral("running")); // only running ones left
    QVERIFY(auditRows(AuditAction::containerRemove).contains(QStringLiteral("done-1:success")));
}

void TestDockerService::hostImagesListedAndRemoved()
{
    // Two more images: one tagged and used by nothing, one without a tag (dangling).
    const QString podmanDir = m_dir.path();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *conf : {"storage.conf", "containers.conf", "registries.conf"})
        env.insert(QStringLiteral("CONTAINERS_%1_CONF")
                       .arg(QString::fromLatin1(conf).section(QLatin1Char('.'), 0, 0).toUpper()),
                   m_dir.filePath(QString::fromLatin1(conf)));
    for (const QStringList &args :
         {QStringList{QStringLiteral("import"), QStringLiteral("--change"),
                      QStringLiteral("CMD [\"/bin/echo\"]"), m_dir.filePath(QStringLiteral("rootfs.tar")),
                      QStringLiteral("localhost/unused:1")},
          QStringList{QStringLiteral("import"), QStringLiteral("--change"),
                      QStringLiteral("CMD [\"/bin/ls\"]"), m_dir.filePath(QStringLiteral("rootfs.tar"))}}) {
        QProcess podman;
        podman.setProcessEnvironment(env);
        podman.start(QStringLiteral("podman"), args);
        QVERIFY(podman.waitForFinished(60000));
        QVERIFY2(podman.exitCode() == 0, podman.readAllStandardError().constData());
    }
    create(QStringLiteral("uses-busybox"), {{"Cmd", QJsonArray{"sleep", "600"}}});
    QSignalSpy synced(m_service, &DockerService::syncFinished);
    QMetaObject::invokeMethod(m_service, [this] { m_service->refresh(m_connection.id); });
    QTRY_VERIFY_WITH_TIMEOUT(synced.count() > 0, 30000);
    QSqlQuery q(Database::connection());
    // Each image with the containers that use it (by image ID).
    QVERIFY(q.exec(QStringLiteral("SELECT i.tags, i.image_id, i.size, (SELECT COUNT(*) FROM containers c "
                                  "WHERE c.connection_id = i.connection_id "
                                  "AND c.image_id = i.image_id) FROM host_images i")));
    QHash<QString, std::pair<QString, int>> images; // first tag ('' dangling) -> id, users
    while (q.next()) {
        const QJsonArray tags = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).array();
        QVERIFY(q.value(2).toLongLong() > 0);
        images.insert(tags.isEmpty() ? QString() : tags.first().toString(),
                      {q.value(1).toString(), q.value(3).toInt()});
    }
    QVERIFY2(images.contains(QStringLiteral("localhost/busybox:test")),
             qPrintable(QStringList(images.keys()).join(',')));
    QVERIFY(images.value(QStringLiteral("localhost/busybox:test")).second >= 1);
    QCOMPARE(images.value(QStringLiteral("localhost/unused:1")).second, 0);
    QVERIFY(images.contains(QString())); // the dangling one
    // Removed: the unused one goes; the one a container uses stays, and the refusal says why.
    QSignalSpy cleaned(m_service, &DockerService::hostCleanupFinished);
    const QStringList ids{images.value(QStringLiteral("localhost/unused:1")).first,
                          images.value(QStringLiteral("localhost/busybox:test")).first};
    QMetaObject::invokeMethod(m_service, [this, ids] { m_service->removeImages(31, m_connection.id, ids); });
    QTRY_VERIFY_WITH_TIMEOUT(cleaned.count() > 0, 60000);
    QCOMPARE(cleaned.at(0).at(1).toInt(), 1);
    QVERIFY(cleaned.at(0).at(2).toLongLong() > 0);
    const QStringList failures = cleaned.at(0).at(3).toStringList();
    QCOMPARE(failures.size(), 1);
    QVERIFY2(failures.first().startsWith(QStringLiteral("localhost/busybox:test: ")),
             qPrintable(failures.first()));
    QCOMPARE(raw("GET", "/images/localhost/unused:1/json").status, 404);
    QCOMPARE(raw("GET", "/images/localhost/busybox:test/json").status, 200);
    QCOMPARE(auditRows(AuditAction::imageRemove),
             (QStringList{QStringLiteral("localhost/unused:1:success"),
                          QStringLiteral("localhost/busybox:test:failure")}));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QSqlQuery gone(Database::connection());
            return gone.exec(QStringLiteral("SELECT COUNT(*) FROM host_images WHERE tags LIKE '%unused%'")) &&
                   gone.next() && gone.value(0).toInt() == 0;
        }(),
        10000);
}

void TestDockerService::pruneEachKind()
{
    // A stopped container and a volume nobody mounts, next to the dangling image of the test above.
    create(QStringLiteral("prune-me"), {{"Cmd", QJsonArray{"true"}}});
    QCOMPARE(raw("POST", "/volumes/create", R"({"Name":"opsdeck-prune-vol"})").status, 201);
    QTest::qWait(1000);
    QSignalSpy cleaned(m_service, &DockerService::hostCleanupFinished);
    const QList<int> kinds{int(PruneKind::DanglingImages), int(PruneKind::StoppedContainers),
                           int(PruneKind::UnusedVolumes), int(PruneKind::BuildCache)};
    QMetaObject::invokeMethod(m_service, [this, kinds] { m_service->prune(32, m_connection.id, kinds); });
    QTRY_VERIFY_WITH_TIMEOUT(cleaned.count() > 0, 120000);
    // Podman has no build cache route (404): said for that kind; the other three are done.
    QCOMPARE(cleaned.at(0).at(1).toInt(), 3);
    const QStringList failures = cleaned.at(0).at(3).toStringList();
    QCOMPARE(failures.size(), 1);
    QVERIFY2(failures.first().startsWith(QStringLiteral("build cache: ")), qPrintable(failures.first()));
    QVERIFY2(failures.first().contains(QStringLiteral("404")), qPrintable(failures.first()));
    const HttpResponse all = raw("GET", "/containers/json?all=1");
    for (const QJsonValue &v : QJsonDocument::fromJson(all.body).array())
        QVERIFY(v.toObject().value("Names").toArray().first().toString() != QStringLiteral("/prune-me"));
    QCOMPARE(raw("GET", "/volumes/opsdeck-prune-vol").status, 404);
    const HttpResponse images = raw("GET", "/images/json");
    for (const QJsonValue &v : QJsonDocument::fromJson(images.body).array())
        QVERIFY(!v.toObject().value("RepoTags").toArray().isEmpty()); // no dangling image left
    QCOMPARE(auditRows(QStringLiteral("image.prune")),
             QStringList{QStringLiteral("dangling images:success")});
    QCOMPARE(auditRows(QStringLiteral("container.prune")),
             QStringList{QStringLiteral("stopped containers:success")});
    QCOMPARE(auditRows(QStringLiteral("volume.prune")),
             QStringList{QStringLiteral("unused volumes:success")});
    QCOMPARE(auditRows(QStringLiteral("buildcache.prune")),
             QStringList{QStringLiteral("build cache:failure")});
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT details FROM audit_events WHERE action = 'volume.prune'")));
    QVERIFY(q.next());
    QVERIFY2(q.value(0).toString().contains(QStringLiteral("opsdeck-prune-vol")),
             qPrintable(q.value(0).toString()));
}

Job TestDockerService::runQuick(const QuickServiceSpec &spec, std::function<void(qint64)> whileRunning)
{
    static quint64 request = 500;
    const quint64 r = ++request;
    qint64 jobId = 0;
    bool done = false;
    QString refusal;
    auto a = connect(m_deploy, &DeployService::jobStarted, this, [&](quint64 id, qint64 job) {
        if (id == r)
            jobId = job;
    });
    auto b = connect(m_deploy, &DeployService::jobFinished, this, [&](qint64 job) {
        if (job == jobId)
            done = true;
    });
    auto c = connect(m_deploy, &DeployService::refused, this, [&](quint64 id, const Outcome &o) {
        if (id == r) {
            refusal = o.message;
            done = true;
        }
    });
    QMetaObject::invokeMethod(m_deploy, [this, r, spec] { m_deploy->quickService(r, spec); });
    if (whileRunning) {
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(jobId != 0, 30000);
        }();
        whileRunning(jobId);
    }
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(done, 120000);
    }();
    disconnect(a);
    disconnect(b);
    disconnect(c);
    if (!refusal.isEmpty())
        qWarning() << "refused:" << refusal;
    auto job = JobStore::byId(Database::connection(), jobId);
    return job ? job.value() : Job{};
}

void TestDockerService::quickServiceFromRegistry()
{
    QSignalSpy progress(m_deploy, &DeployService::jobProgress);
    QuickServiceSpec spec;
    spec.connectionId = m_connection.id;
    spec.image = m_registry + QStringLiteral("/team/busybox:1.0");
    spec.command = QStringLiteral("sleep 600");
    spec.containerPort = 80;
    spec.env = {{QStringLiteral("GREETING"), QStringLiteral("hello world")}};
    const Job job = runQuick(spec);
    QCOMPARE(job.state, JobState::Succeeded);
    QCOMPARE(job.result.value("name").toString(), QStringLiteral("busybox")); // inferred from the image
    const int port = job.result.value("host_port").toInt();
    QVERIFY(port >= 1024);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(1).toInt(), 100);
    // The container runs with what was asked for.
    const QJsonObject inspect = QJsonDocument::fromJson(raw("GET", "/containers/busybox/json").body).object();
    QCOMPARE(inspect.value("State").toObject().value("Status").toString(), QStringLiteral("running"));
    QVERIFY(inspect.value("Config").toObject().value("Env").toArray().contains(
        QStringLiteral("GREETING=hello world")));
    QCOMPARE(
        inspect.value("Config").toObject().value("Labels").toObject().value("opsdeck.project").toString(),
        QStringLiteral("busybox"));
    // Labelled with the person who deployed it (what offboarding looks for), as the job records them.
    QVERIFY(!job.requestedBy.isEmpty());
    QCOMPARE(inspect.value("Config").toObject().value("Labels").toObject().value("opsdeck.owner").toString(),
             job.requestedBy);
    // Steps, log and audit.
    for (const JobStep &s : job.steps)
        QVERIFY2(s.state == (s.id == QLatin1String("route") ? StepState::Skipped : StepState::Done),
                 qPrintable(s.id));
    const auto log = JobStore::log(Database::connection(), job.id);
    QVERIFY(log.ok() && log->size() >= 5);
    QStringList texts;
    for (const auto &l : log.value())
        texts << l.text;
    QVERIFY2(texts.join('\n').contains(QStringLiteral("Host port %1 chosen").arg(port)),
             qPrintable(texts.join('\n')));
    QCOMPARE(auditRows(AuditAction::deployStart).size(), 1);
    QCOMPARE(auditRows(AuditAction::deployFinish).last(),
             QStringLiteral("Quick service %1:success").arg(spec.image));
    // The environment value (it may be a secret) is not in the job record or the audit log.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT spec FROM jobs WHERE id = %1").arg(job.id)) && q.next());
    QVERIFY(q.value(0).toString().contains(QStringLiteral("GREETING")));
    QVERIFY(!q.value(0).toString().contains(QStringLiteral("hello world")));
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE details LIKE '%hello world%'")) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

void TestDockerService::quickServiceNameCollisionAndPort()
{
    // busybox exists: the next one is busybox-2; a given host port that a container publishes is refused.
    QuickServiceSpec spec;
    spec.connectionId = m_connection.id;
    spec.image = m_registry + QStringLiteral("/team/busybox:1.0");
    spec.command = QStringLiteral("sleep 600");
    spec.containerPort = 80;
    Job job = runQuick(spec);
    QCOMPARE(job.state, JobState::Succeeded);
    QCOMPARE(job.result.value("name").toString(), QStringLiteral("busybox-2"));
    const int taken = job.result.value("host_port").toInt();
    spec.hostPort = taken;
    job = runQuick(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("busybox-2")) &&
                 job.message.contains(QString::number(taken)),
             qPrintable(job.message));
    QCOMPARE(job.steps.first().state, StepState::Failed);
    QCOMPARE(job.steps.at(1).state, StepState::Skipped); // nothing pulled
    // A given free port is used as given.
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const int free = probe.serverPort();
    probe.close();
    spec.hostPort = free;
    spec.name = QStringLiteral("given-port");
    job = runQuick(spec);
    QCOMPARE(job.state, JobState::Succeeded);
    QCOMPARE(job.result.value("host_port").toInt(), free);
}

void TestDockerService::quickServiceRefusedBeforeAnything()
{
    QuickServiceSpec spec;
    spec.connectionId = m_connection.id;
    spec.image = QStringLiteral("Not A Valid/Reference");
    Job job = runQuick(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("not an image reference")), qPrintable(job.message));
    spec.image = m_registry + QStringLiteral("/team/busybox:1.0");
    spec.env = {{QStringLiteral("BAD-NAME"), QStringLiteral("x")}};
    job = runQuick(spec);
    QVERIFY2(job.message.contains(QStringLiteral("BAD-NAME")), qPrintable(job.message));
    spec.env.clear();
    spec.image = m_registry + QStringLiteral("/team/missing:1.0");
    job = runQuick(spec);
    QCOMPARE(job.state, JobState::Failed);
    QCOMPARE(job.steps.at(1).id, QStringLiteral("pull"));
    QCOMPARE(job.steps.at(1).state, StepState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("nothing was created")), qPrintable(job.message));
}

void TestDockerService::quickServiceImagePolicy()
{
    // The team's allowlist (the cache's copy) names another image only: the quick service is refused
    // before anything is recorded or run, naming the image and the rule; with a comment, the
    // override deploys it (this desktop's own workspace: its superuser holds image.override), audited.
    QSqlQuery q(Database::connection());
    QVERIFY(
        q.exec(QStringLiteral("INSERT INTO workspace_image_allowlist (id, entry, project, reason, added_by, "
                              "added_at) VALUES (900, 'docker.io/library/nginx:1.27', '', 'web', 'alice', "
                              "'2026-12-01T00:00:00.000Z')")));
    QuickServiceSpec spec;
    spec.connectionId = m_connection.id;
    spec.image = m_registry + QStringLiteral("/team/busybox:1.0");
    spec.name = QStringLiteral("policy-refused");
    spec.command = QStringLiteral("sleep 600");
    QSignalSpy refused(m_deploy, &DeployService::refused);
    QSignalSpy started(m_deploy, &DeployService::jobStarted);
    QMetaObject::invokeMethod(m_deploy, [this, spec] { m_deploy->quickService(7001, spec); });
    QTRY_COMPARE_WITH_TIMEOUT(refused.count(), 1, 10000);
    QCOMPARE(started.count(), 0);
    const Outcome o = refused.at(0).at(1).value<Outcome>();
    QCOMPARE(o.code, QStringLiteral("image.policy"));
    QVERIFY2(o.message.contains(spec.image) &&
                 o.message.contains(QStringLiteral("no global entry allows it")),
             qPrintable(o.message));
    QCOMPARE(raw("GET", "/containers/policy-refused/json").status, 404);
    QVERIFY(auditRows(AuditAction::deployStart)
                .contains(QStringLiteral("Quick service %1:failure").arg(spec.image)));
    // Allowed for the shop project only: still refused globally, deployed in the project.
    QVERIFY(
        q.exec(QStringLiteral("INSERT INTO workspace_image_allowlist (id, entry, project, reason, added_by, "
                              "added_at) VALUES (901, '%1', 'shop', 'shop jobs', 'alice', "
                              "'2026-12-01T00:00:00.000Z')")
                   .arg(m_registry + QStringLiteral("/team/busybox"))));
    spec.imageProject = QStringLiteral("shop");
    spec.name = QStringLiteral("policy-project");
    Job job = runQuick(spec);
    QVERIFY2(job.state == JobState::Succeeded, qPrintable(job.message));
    // The container says whose entries allowed it, for the Exposure view.
    const QJsonObject inspected =
        QJsonDocument::fromJson(raw("GET", "/containers/policy-project/json").body).object();
    QCOMPARE(inspected.value("Config")
                 .toObject()
                 .value("Labels")
                 .toObject()
                 .value("opsdeck.image-project")
                 .toString(),
             QStringLiteral("shop"));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM workspace_image_allowlist WHERE id = 901")));
    // The override: deployed anyway, on the record with its comment and the refusals.
    spec.imageProject.clear();
    spec.name = QStringLiteral("policy-override");
    spec.overrideComment = QStringLiteral("hotfix, approved on the phone");
    job = runQuick(spec);
    QVERIFY2(job.state == JobState::Succeeded, qPrintable(job.message));
    QVERIFY(q.exec(QStringLiteral(
        "SELECT comment, outcome, details FROM audit_events WHERE action = 'image.override'")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("hotfix, approved on the phone"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("success"));
    QVERIFY2(q.value(2).toString().contains(QStringLiteral("no global entry allows it")),
             qPrintable(q.value(2).toString()));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM workspace_image_allowlist WHERE id = 900")));
    for (const char *name : {"policy-project", "policy-override"})
        raw("DELETE", QByteArray("/containers/") + name + "?force=true");
}

void TestDockerService::quickServiceRouted()
{
    QFile config(m_data.filePath(QStringLiteral("config.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("tunnel: tun1\ningress:\n  - service: http_status:404\n");
    config.close();
    Connection t;
    t.kind = ConnectionKind::Cloudflare;
    t.name = QStringLiteral("tunnel");
    t.endpoint = QStringLiteral("https://api.cloudflare.com/client/v4");
    t.auth = AuthKind::Token;
    t.options = {{"account_id", "acc"},
                 {"config_file", config.fileName()},
                 {"cloudflared", m_data.filePath(QStringLiteral("no-cloudflared"))}};
    const auto tunnel = ConnectionStore::save(Database::connection(), t);
    QVERIFY(tunnel.ok());
    QuickServiceSpec spec;
    spec.connectionId = m_connection.id;
    spec.image = m_registry + QStringLiteral("/team/busybox:1.0");
    spec.name = QStringLiteral("routed");
    spec.command = QStringLiteral("sleep 600");
    spec.containerPort = 80;
    spec.tunnelConnectionId = tunnel->id;
    spec.hostname = QStringLiteral("routed.example.com");
    const Job job = runQuick(spec);
    QVERIFY2(job.state == JobState::Succeeded, qPrintable(job.message));
    const int port = job.result.value("host_port").toInt();
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QByteArray text = config.readAll();
    QVERIFY2(text.contains("- hostname: routed.example.com") &&
                 text.contains(QStringLiteral("service: http://localhost:%1").arg(port).toUtf8()),
             text.constData());
    spec.hostname = QStringLiteral("bad_host");
    QCOMPARE(runQuick(spec).state, JobState::Failed); // refused before anything ran
}

void TestDockerService::quickServiceCancelledPull()
{
    // Cancel as soon as the job runs: whatever step it reached, nothing it made is left behind.
    QuickServiceSpec spec;
    spec.connectionId = m_connection.id;
    spec.image = m_registry + QStringLiteral("/team/busybox:1.0");
    spec.name = QStringLiteral("cancelled-one");
    spec.command = QStringLiteral("sleep 600");
    const Job job = runQuick(spec, [this](qint64 id) {
        QMetaObject::invokeMethod(m_deploy, [this, id] { m_deploy->cancel(id); });
    });
    QCOMPARE(job.state, JobState::Cancelled);
    QCOMPARE(raw("GET", "/containers/cancelled-one/json").status, 404);
    bool cancelledStep = false;
    for (const JobStep &s : job.steps)
        cancelledStep = cancelledStep || s.state == StepState::Cancelled || s.state == StepState::Skipped;
    QVERIFY(cancelledStep);
}

void TestDockerService::interruptedJobsMarked()
{
    Job j;
    j.kind = QStringLiteral("quick-service");
    j.title = QStringLiteral("left running");
    j.state = JobState::Running;
    j.steps = {JobStep{QStringLiteral("pull"), QStringLiteral("Pull"), StepState::Running, QString()}};
    j.requestedBy = QStringLiteral("test");
    j.createdAt = QDateTime::currentDateTimeUtc();
    const auto id = JobStore::create(Database::connection(), j);
    QVERIFY(id.ok());
    QCOMPARE(JobStore::markInterrupted(Database::connection(), QDateTime::currentDateTimeUtc()).value(), 1);
    const Job after = JobStore::byId(Database::connection(), id.value()).value();
    QCOMPARE(after.state, JobState::Interrupted);
    QCOMPARE(after.steps.first().state, StepState::Failed);
    QVERIFY(JobStore::log(Database::connection(), id.value())
                ->last()
                .text.contains(QStringLiteral("Interrupted")));
}

void TestDockerService::unreachableEngine()
{
    Connection c = m_connection;
    c.id = 0;
    c.uid.clear();
    c.name = QStringLiteral("gone");
    c.endpoint = QStringLiteral("unix://") + m_dir.filePath(QStringLiteral("missing.sock"));
    auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY2(saved.ok(), qPrintable(saved.message()));
    QSqlQuery q(Database::connection());
    QSignalSpy finished(m_service, &DockerService::syncFinished);
    QMetaObject::invokeMethod(m_service, [this, id = saved->id] { m_service->refresh(id); });
    // The podman connection's own refreshes (its events) may finish meanwhile: wait for this one.
    const auto ours = [&finished, id = saved->id]() -> std::optional<Outcome> {
        for (const QList<QVariant> &args : finished)
            if (args.at(0).toLongLong() == id)
                return args.at(1).value<Outcome>();
        return std::nullopt;
    };
    QTRY_VERIFY_WITH_TIMEOUT(ours().has_value(), 30000);
    const Outcome o = ours().value();
    QVERIFY(!o.ok);
    QVERIFY2(o.message.contains(QStringLiteral("missing.sock")), qPrintable(o.message));
    // Nothing recorded for the unreachable host, and its failure is kept for the status bar.
    QVERIFY(
        q.exec(QStringLiteral("SELECT COUNT(*) FROM containers WHERE connection_id = %1").arg(saved->id)) &&
        q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    q.finish();
    const SyncStatus status = ConnectionStore::syncStatus(Database::connection(), saved->id).value();
    QVERIFY2(status.lastError.contains(QStringLiteral("missing.sock")),
             qPrintable(status.lastError)); // recorded for the status bar
}

QTEST_MAIN(TestDockerService)
#include "tst_dockerservice.moc"
