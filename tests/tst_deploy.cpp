// Compose deploys end to end: a GitHub template repository generated through a local GitHub
// server (routes checked against shared/specs), cloned with libgit2 from a real git daemon,
// brought up with docker-compose against podman's Docker API, and routed through a local
// tunnel configuration. Also a local directory, a failing compose file and name collisions.
#include "appkey.h"
#include "models/connections/connectionstore.h"
#include "models/deploy/job.h"
#include "models/images/gatemodels.h"
#include "models/store/database.h"
#include "models/tunnel/ingress.h"
#include "secretscan.h"
#include "services/connections/secretstore.h"
#include "services/deploy/deployservice.h"
#include "services/deploy/gitclone.h"
#include "services/docker/dockerclient.h"
#include "services/servicehost.h"
#include "specroutes.h"
#include "testhttpserver.h"
#include "testprocess.h"
#include "testutil.h"

#include <openssl/evp.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace opsdeck;

class TestDeploy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void repositoryNames_data();
    void repositoryNames();
    void templateDeployWithRoute();
    void existingRepositoryRefused();
    void templateDeployWithGitHubApp();
    void localDirectoryAndFailingCompose();
    void composeImagePolicy();
    void routeToTheHttpService();
    void routeRefusedWithoutFixedHostPort();
    void chosenComposeFile();
    void composeToolTooOld();
    void inspectForTheDialog();
    void cancelDuringComposeUp();
    void failureAtEachStep();
    void secretsStayOut(); // last

private:
    Job run(const RepoDeploySpec &spec);
    // A deploy of a local directory to the podman engine.
    RepoDeploySpec localSpec(const QString &directory) const
    {
        RepoDeploySpec spec;
        spec.source = RepoDeploySpec::Source::LocalDirectory;
        spec.dockerConnectionId = m_docker.id;
        spec.directory = directory;
        return spec;
    }
    QStringList projectContainers(const QString &project);
    static int freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }
    static bool git(const QStringList &args, const QString &dir)
    {
        QProcess p;
        p.setWorkingDirectory(dir);
        p.start(QStringLiteral("git"), args);
        return p.waitForFinished(30000) && p.exitCode() == 0;
    }

    QTemporaryDir m_dir{QStringLiteral("/tmp/opsdeck-deploy-XXXXXX")};
    QString m_socket;
    TestProcess m_gitDaemon; // git runs git-daemon as a child: the whole group is stopped
    StopOnExit m_podman;
    int m_gitPort = 0;
    int m_appPort = 0;
    TestHttpServer m_github;
    bool m_ready = false; // an existing repository (the collision case)
    QStringList m_secrets{QStringLiteral("ghp_deploy"), QStringLiteral("ghs_installation")};
    bool m_generated = false; // generate was called: the repository exists, empty at first
    int m_polls = 0;
    bool m_filled = false; // the template's content is in the generated repository
    QStringList m_bodyProblems;
    ServiceHost *m_host = nullptr;
    DeployService *m_deploy = nullptr;
    Connection m_docker, m_gh, m_tunnel;
    DockerClient *m_client = nullptr;
};

void TestDeploy::initTestCase()
{
    SecretScan::captureLog();
    for (const char *tool : {"podman", "docker-compose", "git"})
        OPSDECK_REQUIRE_COMPONENT(!QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty(),
                                  QLatin1String(tool));
    const QString podman = QStringLiteral(OPSDECK_TESTS_DIR "/support/podman-service.sh");
    m_podman.arm(podman, {QStringLiteral("stop"), m_dir.filePath(QStringLiteral("podman"))});
    QProcess start;
    start.start(podman, {QStringLiteral("start"), m_dir.filePath(QStringLiteral("podman"))});
    QVERIFY(start.waitForFinished(60000));
    QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
    m_socket = QString::fromUtf8(start.readAllStandardOutput()).trimmed();
    QCOMPARE(QProcess::execute(podman, {QStringLiteral("image"), m_dir.filePath(QStringLiteral("podman"))}),
             0);

    // The template repository: a compose file that publishes a port, served by git daemon.
    m_appPort = freePort();
    const QString work = m_dir.filePath(QStringLiteral("template-work"));
    QVERIFY(QDir().mkpath(work));
    QFile compose(work + QStringLiteral("/compose.yaml"));
    QVERIFY(compose.open(QIODevice::WriteOnly));
    compose.write(
        QStringLiteral(
            "services:\n  web:\n    image: localhost/busybox:test\n    command: [\"sleep\", \"600\"]\n"
            "    ports:\n      - \"127.0.0.1:%1:80\"\n")
            .arg(m_appPort)
            .toUtf8());
    compose.close();
    const QString served = m_dir.filePath(QStringLiteral("git"));
    QVERIFY(QDir().mkpath(served));
    QVERIFY(git({"init", "-q", "-b", "main"}, work));
    QVERIFY(git({"-c", "user.name=t", "-c", "user.email=t@example.com", "add", "."}, work));
    QVERIFY(
        git({"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "template"}, work));
    // What GitHub serves for the generated repository: empty until it has copied the template in
    // (fill()), a moment after generate answered.
    QVERIFY(
        git({"init", "-q", "--bare", "-b", "main", served + QStringLiteral("/new-app.git")}, m_dir.path()));
    // A repository whose branch is advertised but whose objects are gone: asking for its branches
    // works, cloning it fails.
    QVERIFY(git({"clone", "-q", "--bare", work, served + QStringLiteral("/broken.git")}, m_dir.path()));
    QVERIFY(QDir(served + QStringLiteral("/broken.git/objects")).removeRecursively());
    QVERIFY(QDir().mkpath(served + QStringLiteral("/broken.git/objects")));
    m_gitPort = freePort();
    m_gitDaemon.start(QStringLiteral("git"),
                      {QStringLiteral("daemon"), QStringLiteral("--export-all"),
                       QStringLiteral("--reuseaddr"), QStringLiteral("--base-path=") + served,
                       QStringLiteral("--listen=127.0.0.1"), QStringLiteral("--port=%1").arg(m_gitPort),
                       served});
    QVERIFY(m_gitDaemon.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, quint16(m_gitPort));
            return s.waitForConnected(200);
        }(),
        10000);

    // GitHub: the collision check, generate, then the repository answering while it fills.
    QVERIFY(m_github.listen());
    m_github.setSpec(
        SpecRoutes::fromOpenApiJson(specsDir() + QStringLiteral("/github/api.github.com.subset.json")));
    const auto repoJson = [this] {
        return QJsonObject{{"id", 42},
                           {"name", "new-app"},
                           {"full_name", "acme/new-app"},
                           {"private", true},
                           {"html_url", "https://github.example/acme/new-app"},
                           {"clone_url", QStringLiteral("git://127.0.0.1:%1/new-app.git").arg(m_gitPort)},
                           {"default_branch", "main"},
                           {"size", 0}}; // GitHub's figure for a small repository, filled or not
    };
    m_github.route("GET", QStringLiteral("/repos/acme/new-app"), [this, repoJson](const TestRequest &req) {
        if (req.header("Authorization") != "Bearer ghp_deploy")
            return TestReply::json(401, R"({"message":"Bad credentials"})");
        if (m_ready)
            return TestReply::json(200, QJsonDocument(repoJson()).toJson(QJsonDocument::Compact));
        if (!m_generated)
            return TestReply::json(404, R"({"message":"Not Found"})");
        ++m_polls;
        return TestReply::json(200, QJsonDocument(repoJson()).toJson(QJsonDocument::Compact));
    });
    m_github.route("GET", QStringLiteral("/repos/acme/taken"), [](const TestRequest &req) {
        if (req.header("Authorization") != "Bearer ghp_deploy" &&
            req.header("Authorization") != "Bearer ghs_installation")
            return TestReply::json(401, R"({"message":"Bad credentials"})");
        return TestReply::json(200, R"({"id":7,"name":"taken","full_name":"acme/taken"})");
    });
    m_github.route("POST", QStringLiteral("/repos/acme/app-template/generate"),
                   [this, repoJson](const TestRequest &req) {
                       const QJsonObject body = QJsonDocument::fromJson(req.body).object();
                       if (!body.value("owner").isString() || !body.value("name").isString() ||
                           !body.value("private").isBool())
                           m_bodyProblems << QString::fromUtf8(req.body);
                       m_generated = true;
                       // GitHub copies the template's content in the background.
                       QTimer::singleShot(1500, this, [this] {
                           const QString source = m_dir.filePath(QStringLiteral("template-work"));
                           m_filled =
                               git({"push", "-q", m_dir.filePath(QStringLiteral("git/new-app.git")), "main"},
                                   source);
                       });
                       return TestReply::json(201, QJsonDocument(repoJson()).toJson(QJsonDocument::Compact));
                   });

    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    Connection d;
    d.kind = ConnectionKind::Docker;
    d.name = QStringLiteral("podman");
    d.endpoint = QStringLiteral("unix://") + m_socket;
    d.auth = AuthKind::None;
    m_docker = ConnectionStore::save(Database::connection(), d).value();
    Connection g;
    g.kind = ConnectionKind::GitHub;
    g.name = QStringLiteral("github");
    g.endpoint = m_github.url().toString();
    g.auth = AuthKind::Token;
    g.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    m_gh = ConnectionStore::save(Database::connection(), g).value();
    SecretStore::keepInMemory(m_gh.secretKey(), QStringLiteral("ghp_deploy"));
    QFile tunnel(m_dir.filePath(QStringLiteral("config.yml")));
    QVERIFY(tunnel.open(QIODevice::WriteOnly));
    tunnel.write("tunnel: tun1\ningress:\n  - service: http_status:404\n");
    tunnel.close();
    Connection t;
    t.kind = ConnectionKind::Cloudflare;
    t.name = QStringLiteral("tunnel");
    t.endpoint = QStringLiteral("https://api.cloudflare.com/client/v4");
    t.auth = AuthKind::Token;
    t.options = {{"account_id", "acc"},
                 {"config_file", m_dir.filePath(QStringLiteral("config.yml"))},
                 {"cloudflared", m_dir.filePath(QStringLiteral("no-cloudflared"))}};
    m_tunnel = ConnectionStore::save(Database::connection(), t).value();

    m_client = new DockerClient(this);
    QVERIFY(m_client->configure(d.endpoint).ok());
    m_host = new ServiceHost(this);
    m_deploy = new DeployService;
    m_deploy->setWorkspace(m_dir.filePath(QStringLiteral("workspace")));
    m_host->add(m_deploy, QStringLiteral("deploy"));
}

void TestDeploy::cleanupTestCase()
{
    if (m_host)
        m_host->stopAll();
    Database::close();
    m_gitDaemon.stop();
    m_podman.run();
}

void TestDeploy::repositoryNames_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("spaces and case") << "My New App"
                                     << "my-new-app";
    QTest::newRow("punctuation") << "app!!v2..final"
                                 << "app-v2-final";
    QTest::newRow("accents") << "Café Menü"
                             << "cafe-menu";
    QTest::newRow("edges") << "--x--"
                           << "x";
    QTest::newRow("nothing usable") << "!!!"
                                    << "";
}

void TestDeploy::repositoryNames()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(sanitizeRepositoryName(input), expected);
}

Job TestDeploy::run(const RepoDeploySpec &spec)
{
    static quint64 request = 1;
    const quint64 r = ++request;
    qint64 jobId = 0;
    bool done = false;
    auto a = connect(m_deploy, &DeployService::jobStarted, this, [&](quint64 id, qint64 job) {
        if (id == r)
            jobId = job;
    });
    auto b = connect(m_deploy, &DeployService::jobFinished, this, [&](qint64 job) {
        if (job == jobId)
            done = true;
    });
    QMetaObject::invokeMethod(m_deploy, [this, r, spec] { m_deploy->repoDeploy(r, spec); });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(done, 240000);
    }();
    disconnect(a);
    disconnect(b);
    auto job = JobStore::byId(Database::connection(), jobId);
    return job ? job.value() : Job{};
}

QStringList TestDeploy::projectContainers(const QString &project)
{
    std::optional<HttpResponse> result;
    DockerRequest r;
    r.path = "/containers/json?all=1";
    m_client->request(r, this, [&](const HttpResponse &response) { result = response; });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
    }();
    QStringList states;
    for (const QJsonValue &v : QJsonDocument::fromJson(result->body).array())
        if (v.toObject().value("Labels").toObject().value("com.docker.compose.project").toString() == project)
            states << v.toObject().value("State").toString();
    return states;
}

static QString logText(qint64 jobId)
{
    QStringList lines;
    const auto log =
        JobStore::log(Database::connection(), jobId); // kept: a range over .value() of a temporary dangles
    for (const auto &l : log.value())
        lines << l.text;
    return lines.join(QLatin1Char('\n'));
}

void TestDeploy::templateDeployWithRoute()
{
    QSignalSpy progress(m_deploy, &DeployService::jobProgress);
    RepoDeploySpec spec;
    spec.dockerConnectionId = m_docker.id;
    spec.githubConnectionId = m_gh.id;
    spec.templateRepository = QStringLiteral("acme/app-template");
    spec.owner = QStringLiteral("acme");
    spec.name = QStringLiteral("new-app");
    spec.tunnelConnectionId = m_tunnel.id;
    spec.hostname = QStringLiteral("new-app.example.com");
    const Job job = run(spec);
    QVERIFY2(job.state == JobState::Succeeded, qPrintable(job.message + QLatin1Char('\n') + logText(job.id)));
    for (const JobStep &s : job.steps)
        QVERIFY2(s.state == StepState::Done, qPrintable(s.id));
    // Cloned under the workspace, brought up, routed.
    const QString directory = m_dir.filePath(QStringLiteral("workspace/acme/new-app"));
    QCOMPARE(job.result.value("directory").toString(), directory);
    QVERIFY(QFile::exists(directory + QStringLiteral("/compose.yaml")));
    QCOMPARE(job.result.value("commit").toString().size(), 40);
    QCOMPARE(projectContainers(QStringLiteral("new-app")), QStringList{"running"});
    const auto config =
        checkTunnelConfig(QString::fromUtf8(readWholeFile(m_dir.filePath(QStringLiteral("config.yml")))));
    QVERIFY(config.ok());
    QCOMPARE(config->rules.first().hostname, QStringLiteral("new-app.example.com"));
    QCOMPARE(config->rules.first().service, QStringLiteral("http://localhost:%1").arg(m_appPort));
    const QString log = logText(job.id);
    // Waited while GitHub filled it: the branch had no commit at first, although "size" stayed 0 throughout.
    QVERIFY(m_filled);
    QVERIFY2(log.contains(QStringLiteral("Not ready yet (its branch main has no commit yet)")),
             qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("main is at ")), qPrintable(log));
    QVERIFY(log.contains(QStringLiteral("cloudflared is not installed here")));
    QVERIFY(!progress.isEmpty());
    QVERIFY2(m_bodyProblems.isEmpty(), qPrintable(m_bodyProblems.join('\n')));
    QVERIFY2(m_github.specViolations().isEmpty(), qPrintable(m_github.specViolations().join('\n')));

    // Redeploy: the clone goes up again, the existing route is kept pointing at the port.
    qint64 newJob = 0;
    bool done = false;
    auto a = connect(m_deploy, &DeployService::jobStarted, this, [&](quint64 r, qint64 j) {
        if (r == 99)
            newJob = j;
    });
    auto b =
        connect(m_deploy, &DeployService::jobFinished, this, [&](qint64 j) { done = done || j == newJob; });
    QMetaObject::invokeMethod(m_deploy, [this, id = job.id] { m_deploy->redeploy(99, id); });
    QTRY_VERIFY_WITH_TIMEOUT(newJob && done, 120000);
    disconnect(a);
    disconnect(b);
    const Job again = JobStore::byId(Database::connection(), newJob).value();
    QVERIFY2(again.state == JobState::Succeeded,
             qPrintable(again.message + QLatin1Char('\n') + logText(newJob)));
    QCOMPARE(again.kind, QStringLiteral("directory"));
    QCOMPARE(projectContainers(QStringLiteral("new-app")), QStringList{"running"});
    const auto routes =
        checkTunnelConfig(QString::fromUtf8(readWholeFile(m_dir.filePath(QStringLiteral("config.yml")))));
    QCOMPARE(routes->rules.size(), 2);
}

void TestDeploy::existingRepositoryRefused()
{
    RepoDeploySpec spec;
    spec.dockerConnectionId = m_docker.id;
    spec.githubConnectionId = m_gh.id;
    spec.templateRepository = QStringLiteral("acme/app-template");
    spec.owner = QStringLiteral("acme");
    spec.name = QStringLiteral("taken");
    Job job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("exists already")) &&
                 job.message.contains(QStringLiteral("taken-2")),
             qPrintable(job.message));
    spec.name = QStringLiteral("Not Sanitised");
    job = run(spec);
    QVERIFY2(job.message.contains(QStringLiteral("not-sanitised")), qPrintable(job.message));
    // The workspace of a finished deploy is not cloned over.
    spec.name = QStringLiteral("new-app");
    m_ready = true;
    job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("exists")), qPrintable(job.message));
}

void TestDeploy::templateDeployWithGitHubApp()
{
    // A GitHub App connection deploys with its installation token: the App JWT buys the token,
    // the token does the API calls (here up to the collision check, which answers "taken").
    const auto [appKey, pem] = makeAppKey();
    EVP_PKEY *const key = appKey; // lambdas below capture it (clang 14 cannot capture a binding)
    m_secrets << pem;
    QStringList problems;
    int tokenRequests = 0;
    m_github.route("POST", QStringLiteral("/app/installations/5/access_tokens"), [&](const TestRequest &req) {
        ++tokenRequests;
        if (const QString p = jwtProblem(req.header("Authorization"), key, QStringLiteral("1234"));
            !p.isEmpty()) {
            problems << p;
            return TestReply::json(401, R"({"message":"Bad credentials"})");
        }
        return TestReply::json(201,
                               QStringLiteral(R"({"token":"ghs_installation","expires_at":"%1"})")
                                   .arg(QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate))
                                   .toUtf8());
    });
    Connection app;
    app.kind = ConnectionKind::GitHub;
    app.name = QStringLiteral("acme app");
    app.endpoint = m_github.url().toString();
    app.auth = AuthKind::GitHubApp;
    app.username = QStringLiteral("1234");
    app.options = {{"org", "acme"}, {"installation_id", "5"}};
    const Connection saved = ConnectionStore::save(Database::connection(), app).value();
    SecretStore::keepInMemory(saved.secretKey(), pem);

    RepoDeploySpec spec;
    spec.dockerConnectionId = m_docker.id;
    spec.githubConnectionId = saved.id;
    spec.templateRepository = QStringLiteral("acme/app-template");
    spec.owner = QStringLiteral("acme");
    spec.name = QStringLiteral("taken");
    Job job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("exists already")), qPrintable(job.message));
    QCOMPARE(tokenRequests, 1);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char(','))));

    // A key GitHub refuses: the job fails at validation and says why.
    SecretStore::keepInMemory(saved.secretKey(), makeAppKey().second);
    job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QCOMPARE(job.steps.first().state, StepState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("401")) ||
                 job.message.contains(QStringLiteral("credentials")),
             qPrintable(job.message));
    QVERIFY2(m_github.specViolations().isEmpty(), qPrintable(m_github.specViolations().join('\n')));
    EVP_PKEY_free(key);
}

void TestDeploy::localDirectoryAndFailingCompose()
{
    // A local directory deploys in place.
    const QString ok = m_dir.filePath(QStringLiteral("local-ok"));
    QVERIFY(QDir().mkpath(ok));
    QFile good(ok + QStringLiteral("/docker-compose.yml"));
    QVERIFY(good.open(QIODevice::WriteOnly));
    good.write(
        "services:\n  worker:\n    image: localhost/busybox:test\n    command: [\"sleep\", \"600\"]\n");
    good.close();
    RepoDeploySpec spec = localSpec(ok);
    Job job = run(spec);
    QVERIFY2(job.state == JobState::Succeeded, qPrintable(job.message + QLatin1Char('\n') + logText(job.id)));
    QCOMPARE(projectContainers(QStringLiteral("local-ok")), QStringList{"running"});
    QCOMPARE(job.steps.at(job.steps.size() - 2).state, StepState::Skipped); // no tunnel asked for

    // An image that does not exist: compose fails, what it made is taken down, the log says so.
    const QString bad = m_dir.filePath(QStringLiteral("local-bad"));
    QVERIFY(QDir().mkpath(bad));
    QFile broken(bad + QStringLiteral("/compose.yaml"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("services:\n  ok:\n    image: localhost/busybox:test\n    command: [\"sleep\", \"600\"]\n"
                 "  missing:\n    image: 127.0.0.1:1/nothing/here:1\n    depends_on: [ok]\n");
    broken.close();
    spec.directory = bad;
    job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("compose up failed")), qPrintable(job.message));
    QVERIFY2(logText(job.id).contains(QStringLiteral("Took down what compose had started")),
             qPrintable(logText(job.id)));
    QCOMPARE(projectContainers(QStringLiteral("local-bad")), QStringList());
    // No compose file, no job beyond validation.
    spec.directory = m_dir.filePath(QStringLiteral("git"));
    job = run(spec);
    QVERIFY2(job.message.contains(QStringLiteral("no compose file")), qPrintable(job.message));
}

void TestDeploy::composeImagePolicy()
{
    // Every active service's image is checked before compose runs: the allowlist, then the
    // vulnerability gate (this image was never scanned). A refused deploy starts nothing.
    const QString dir = m_dir.filePath(QStringLiteral("policy-compose"));
    QVERIFY(QDir().mkpath(dir));
    QFile file(dir + QStringLiteral("/compose.yaml"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        "services:\n  worker:\n    image: localhost/busybox:${TAG:-test}\n    command: [\"sleep\", \"600\"]\n"
        "  debug:\n    image: 127.0.0.1:1/not/allowed:1\n    profiles: [debug]\n");
    file.close();
    const auto exec = [](const QString &sql) {
        QSqlQuery q(Database::connection());
        return q.exec(sql) ? QString() : q.lastError().text();
    };
    QCOMPARE(exec(QStringLiteral(
                 "INSERT INTO workspace_image_allowlist (id, entry, project, reason, added_by, added_at) "
                 "VALUES (950, 'docker.io/library/nginx:1.27', '', 'web', 'alice', "
                 "'2026-12-01T00:00:00.000Z')")),
             QString());
    RepoDeploySpec spec = localSpec(dir);
    Job job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("worker (localhost/busybox:test)")) &&
                 job.message.contains(QStringLiteral("Nothing was started")),
             qPrintable(job.message));
    QVERIFY2(!job.message.contains(QStringLiteral("not/allowed")), qPrintable(job.message)); // profile off
    QCOMPARE(projectContainers(QStringLiteral("policy-compose")), QStringList());
    // Allowed for the shop project, but shop's gate blocks images never scanned.
    QCOMPARE(exec(QStringLiteral("INSERT INTO workspace_projects (name) VALUES ('shop')")), QString());
    QCOMPARE(exec(QStringLiteral(
                 "INSERT INTO workspace_image_allowlist (id, entry, project, reason, added_by, added_at) "
                 "VALUES (951, 'localhost/busybox', 'shop', 'jobs', 'alice', "
                 "'2026-12-01T00:00:00.000Z')")),
             QString());
    QCOMPARE(exec(QStringLiteral(
                 "INSERT INTO workspace_image_gate (project, threshold, block_unscanned, updated_by) "
                 "VALUES ('shop', 'High', 1, 'alice')")),
             QString());
    spec.imageProject = QStringLiteral("shop");
    job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("never scanned")), qPrintable(job.message));
    QCOMPARE(projectContainers(QStringLiteral("policy-compose")), QStringList());
    // The gate relaxed: deployed, and the job keeps which images it checked for which project.
    QCOMPARE(exec(QStringLiteral("UPDATE workspace_image_gate SET block_unscanned = 0")), QString());
    job = run(spec);
    QVERIFY2(job.state == JobState::Succeeded, qPrintable(job.message + QLatin1Char('\n') + logText(job.id)));
    QCOMPARE(projectContainers(QStringLiteral("policy-compose")), QStringList{"running"});
    QCOMPARE(job.result.value(QStringLiteral("images")).toArray(),
             QJsonArray{QStringLiteral("localhost/busybox:test")});
    QCOMPARE(job.result.value(QStringLiteral("image_project")).toString(), QStringLiteral("shop"));
    const auto projects = ContainerProjects::read(Database::connection());
    QVERIFY(projects);
    QCOMPARE(projects->of(QJsonObject{
                 {QStringLiteral("com.docker.compose.project"), QStringLiteral("policy-compose")}}),
             QStringLiteral("shop"));
    for (const QString &table :
         {QStringLiteral("workspace_image_allowlist"), QStringLiteral("workspace_projects"),
          QStringLiteral("workspace_image_gate")})
        QCOMPARE(exec(QStringLiteral("DELETE FROM ") + table), QString());
}

namespace {
QString writeProject(const QString &dir, const QString &file, const QByteArray &text)
{
    QDir().mkpath(dir);
    QFile f(dir + QLatin1Char('/') + file);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return dir;
}
} // namespace

void TestDeploy::routeToTheHttpService()
{
    // SSH first, a database, then the web app: the route goes to the web app's fixed host port,
    // chosen before compose up, and a redeploy goes to the same one.
    const int ssh = freePort(), db = freePort(), web = freePort();
    const QString dir =
        writeProject(m_dir.filePath(QStringLiteral("multi-port")), QStringLiteral("compose.yaml"),
                     QStringLiteral("x-sleep: &sleep\n"
                                    "  image: localhost/busybox:test\n"
                                    "  command: [\"sleep\", \"600\"]\n"
                                    "services:\n"
                                    "  git-ssh:\n"
                                    "    <<: *sleep\n"
                                    "    ports: [\"127.0.0.1:%1:22\"]\n"
                                    "  db:\n"
                                    "    <<: *sleep\n"
                                    "    ports: [\"127.0.0.1:%2:5432\"]\n"
                                    "  web:\n"
                                    "    <<: *sleep\n"
                                    "    ports:\n"
                                    "      - 127.0.0.1:%3:8080\n")
                         .arg(ssh)
                         .arg(db)
                         .arg(web)
                         .toUtf8());
    RepoDeploySpec spec = localSpec(dir);
    spec.tunnelConnectionId = m_tunnel.id;
    spec.hostname = QStringLiteral("multi.example.com");
    const Job job = run(spec);
    QVERIFY2(job.state == JobState::Succeeded, qPrintable(job.message + QLatin1Char('\n') + logText(job.id)));
    QCOMPARE(job.result.value("route_service").toString(), QStringLiteral("web"));
    QCOMPARE(job.result.value("route_target").toInt(), 8080);
    const auto config =
        checkTunnelConfig(QString::fromUtf8(readWholeFile(m_dir.filePath(QStringLiteral("config.yml")))));
    QVERIFY(config.ok());
    bool routed = false;
    for (const IngressRule &r : config->rules)
        if (r.hostname == QLatin1String("multi.example.com"))
            routed = r.service == QStringLiteral("http://localhost:%1").arg(web);
    QVERIFY2(routed, "the route points at the web app's host port");
    QVERIFY(logText(job.id).contains(QStringLiteral("The route will point to web, container port 8080")));
}

void TestDeploy::routeRefusedWithoutFixedHostPort()
{
    // "80" alone: the engine picks a host port that changes at every recreate. Refused before compose
    // runs, with the fix in words; nothing is started.
    const QString dir =
        writeProject(m_dir.filePath(QStringLiteral("random-port")), QStringLiteral("compose.yaml"),
                     "services:\n  web:\n    image: localhost/busybox:test\n"
                     "    command: [\"sleep\", \"600\"]\n    ports: [\"80\"]\n");
    RepoDeploySpec spec = localSpec(dir);
    spec.tunnelConnectionId = m_tunnel.id;
    spec.hostname = QStringLiteral("random.example.com");
    const Job job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("without a fixed host port")) &&
                 job.message.contains(QStringLiteral("127.0.0.1:8080:80")) &&
                 job.message.contains(QStringLiteral("Nothing was started")),
             qPrintable(job.message));
    QCOMPARE(projectContainers(QStringLiteral("random-port")), QStringList());
    // Choosing it explicitly is refused the same way.
    spec.routeService = QStringLiteral("web");
    spec.routeTarget = 80;
    QVERIFY(run(spec).message.contains(QStringLiteral("without a fixed host port")));
}

void TestDeploy::chosenComposeFile()
{
    // A template that ships only docker-compose-dev.yml: chosen by name, passed with -f.
    const QString dir =
        writeProject(m_dir.filePath(QStringLiteral("dev-file")), QStringLiteral("docker-compose-dev.yml"),
                     "services:\n  dev:\n    image: localhost/busybox:test\n"
                     "    command: [\"sleep\", \"600\"]\n");
    RepoDeploySpec spec = localSpec(dir);
    Job job = run(spec);
    QCOMPARE(job.state, JobState::Failed); // not a standard name: it has to be chosen
    QVERIFY2(job.message.contains(QStringLiteral("choose the file")), qPrintable(job.message));
    spec.composeFile = QStringLiteral("docker-compose-dev.yml");
    job = run(spec);
    QVERIFY2(job.state == JobState::Succeeded, qPrintable(job.message + QLatin1Char('\n') + logText(job.id)));
    QCOMPARE(projectContainers(QStringLiteral("dev-file")), QStringList{"running"});
    // Outside the directory: refused before anything.
    spec.composeFile = QStringLiteral("../multi-port/compose.yaml");
    job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("..")), qPrintable(job.message));
}

void TestDeploy::composeToolTooOld()
{
    // Debian 12's docker-compose 1.29 refuses a top-level name: said before compose runs, naming the
    // tool, its version and what it refuses.
    const QString dir =
        writeProject(m_dir.filePath(QStringLiteral("named-project")), QStringLiteral("compose.yaml"),
                     "name: named\nservices:\n  app:\n    image: localhost/busybox:test\n"
                     "    command: [\"sleep\", \"600\"]\n");
    RepoDeploySpec spec = localSpec(dir);
    const Job job = run(spec);
    const QString log = logText(job.id);
    if (log.contains(QStringLiteral("Using docker compose (")))
        QSKIP("the Docker compose plugin (v2) is installed here: it reads the file");
    QCOMPARE(job.state, JobState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("docker-compose")) &&
                 job.message.contains(QStringLiteral("1.")) &&
                 job.message.contains(QStringLiteral("the top-level name: named")) &&
                 job.message.contains(QStringLiteral("Nothing was started")),
             qPrintable(job.message));
    QVERIFY2(!log.contains(QStringLiteral("compose up failed")), qPrintable(log));
    QCOMPARE(projectContainers(QStringLiteral("named-project")), QStringList());
    QCOMPARE(projectContainers(QStringLiteral("named")), QStringList());
}

void TestDeploy::inspectForTheDialog()
{
    std::optional<ComposeInspection> got;
    auto c =
        connect(m_deploy, &DeployService::composeInspected, this, [&](quint64 r, const ComposeInspection &i) {
            if (r == 4242)
                got = i;
        });
    const QString dir = m_dir.filePath(QStringLiteral("multi-port"));
    QMetaObject::invokeMethod(m_deploy, [this, dir] { m_deploy->inspectCompose(4242, dir, QString()); });
    QTRY_VERIFY(got.has_value());
    QVERIFY2(got->error.isEmpty(), qPrintable(got->error));
    QCOMPARE(got->files, QStringList{"compose.yaml"});
    QCOMPARE(got->proposal, QStringLiteral("web:8080"));
    QCOMPARE(got->candidates.size(), 3);
    got.reset();
    QMetaObject::invokeMethod(m_deploy, [this] {
        m_deploy->inspectCompose(4242, m_dir.filePath(QStringLiteral("dev-file")), QString());
    });
    QTRY_VERIFY(got.has_value());
    QCOMPARE(got->files, QStringList{"docker-compose-dev.yml"});
    QVERIFY(got->error.contains(QStringLiteral("choose the file")));
    disconnect(c);
}

void TestDeploy::cancelDuringComposeUp()
{
    // compose up hangs pulling from a "registry" that accepts connections and never answers; the
    // admin cancels: compose is stopped, the project taken down, the job cancelled, the log says so.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    const QString dir = m_dir.filePath(QStringLiteral("local-stall"));
    QVERIFY(QDir().mkpath(dir));
    QFile compose(dir + QStringLiteral("/compose.yaml"));
    QVERIFY(compose.open(QIODevice::WriteOnly));
    compose.write(
        QStringLiteral("services:\n  ok:\n    image: localhost/busybox:test\n    command: [\"sleep\", "
                       "\"600\"]\n  stalled:\n    image: 127.0.0.1:%1/stall/app:1\n")
            .arg(silent.serverPort())
            .toUtf8());
    compose.close();
    RepoDeploySpec spec = localSpec(dir);
    qint64 jobId = 0;
    QList<JobState> finished;
    auto a = connect(m_deploy, &DeployService::jobStarted, this, [&](quint64 r, qint64 j) {
        if (r == 4242)
            jobId = j;
    });
    auto b = connect(m_deploy, &DeployService::jobFinished, this, [&](qint64 j, JobState state) {
        if (j == jobId)
            finished << state;
    });
    QMetaObject::invokeMethod(m_deploy, [this, spec] { m_deploy->repoDeploy(4242, spec); });
    QTRY_VERIFY_WITH_TIMEOUT(jobId > 0, 30000);
    // Wait until compose is at work on the stalled image, then cancel.
    QTRY_VERIFY_WITH_TIMEOUT(logText(jobId).contains(QStringLiteral("stall")), 60000);
    QVERIFY2(finished.isEmpty(), qPrintable(logText(jobId)));
    QMetaObject::invokeMethod(m_deploy, [this, jobId] { m_deploy->cancel(jobId); });
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 180000);
    disconnect(a);
    disconnect(b);
    const Job job = JobStore::byId(Database::connection(), jobId).value();
    const QString log = logText(jobId);
    QCOMPARE(job.state, JobState::Cancelled);
    QVERIFY2(job.message.contains(QStringLiteral("Cancelled during compose up")), qPrintable(job.message));
    QVERIFY2(log.contains(QStringLiteral("Cancel requested")) && log.contains(QStringLiteral("Took down")),
             qPrintable(log));
    for (const JobStep &s : job.steps)
        if (s.id == QLatin1String("compose"))
            QCOMPARE(s.state, StepState::Cancelled);
    QCOMPARE(projectContainers(QStringLiteral("local-stall")), QStringList());
}

void TestDeploy::failureAtEachStep()
{
    // generate: GitHub refuses. Nothing was made; the job says what GitHub said.
    m_github.route("POST", QStringLiteral("/repos/acme/broken-template/generate"), [](const TestRequest &) {
        return TestReply::json(422, R"({"message":"Repository creation failed.","errors":["name exists"]})");
    });
    RepoDeploySpec spec;
    spec.dockerConnectionId = m_docker.id;
    spec.githubConnectionId = m_gh.id;
    spec.owner = QStringLiteral("acme");
    spec.templateRepository = QStringLiteral("acme/broken-template");
    spec.name = QStringLiteral("gen-fail");
    Job job = run(spec);
    const auto stepState = [](const Job &j, const QString &id) {
        for (const JobStep &s : j.steps)
            if (s.id == id)
                return s.state;
        return StepState::Pending;
    };
    QCOMPARE(job.state, JobState::Failed);
    QCOMPARE(stepState(job, QStringLiteral("generate")), StepState::Failed);
    QVERIFY(stepState(job, QStringLiteral("clone")) == StepState::Pending ||
            stepState(job, QStringLiteral("clone")) == StepState::Skipped); // never started
    QVERIFY2(job.message.contains(QStringLiteral("422")) &&
                 job.message.contains(QStringLiteral("creation failed")),
             qPrintable(job.message));
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("workspace/acme/gen-fail"))));

    // generate answers with a clone address on another host: the token is not sent there, nothing
    // is cloned, and the job says which address it refused.
    m_github.route("POST", QStringLiteral("/repos/acme/elsewhere-template/generate"),
                   [](const TestRequest &) {
                       return TestReply::json(
                           201, R"({"id":44,"name":"elsewhere","full_name":"acme/elsewhere","private":true,)"
                                R"("clone_url":"https://git.evil.example/acme/elsewhere.git"})");
                   });
    spec.templateRepository = QStringLiteral("acme/elsewhere-template");
    spec.name = QStringLiteral("elsewhere");
    job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QCOMPARE(stepState(job, QStringLiteral("generate")), StepState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("git.evil.example")) &&
                 job.message.contains(QStringLiteral("not the GitHub of this connection")) &&
                 job.message.contains(QStringLiteral("acme/elsewhere exists")),
             qPrintable(job.message));
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("workspace/acme/elsewhere"))));

    // clone: the new repository cannot be fetched. The partial clone is gone; the job names the
    // repository it left on GitHub.
    bool generated = false;
    const QJsonObject cloneFail{{"id", 43},
                                {"name", "clone-fail"},
                                {"full_name", "acme/clone-fail"},
                                {"private", true},
                                {"clone_url", QStringLiteral("git://127.0.0.1:%1/broken.git").arg(m_gitPort)},
                                {"default_branch", "main"},
                                {"size", 12}};
    m_github.route("POST", QStringLiteral("/repos/acme/clone-template/generate"), [&](const TestRequest &) {
        generated = true;
        return TestReply::json(201, QJsonDocument(cloneFail).toJson(QJsonDocument::Compact));
    });
    m_github.route("GET", QStringLiteral("/repos/acme/clone-fail"), [&](const TestRequest &) {
        return generated ? TestReply::json(200, QJsonDocument(cloneFail).toJson(QJsonDocument::Compact))
                         : TestReply::json(404, R"({"message":"Not Found"})");
    });
    spec.templateRepository = QStringLiteral("acme/clone-template");
    spec.name = QStringLiteral("clone-fail");
    job = run(spec);
    QCOMPARE(job.state, JobState::Failed);
    QCOMPARE(stepState(job, QStringLiteral("generate")), StepState::Done);
    QCOMPARE(stepState(job, QStringLiteral("clone")), StepState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("acme/clone-fail was created on GitHub and is left there")),
             qPrintable(job.message));
    const QDir partial(m_dir.filePath(QStringLiteral("workspace/acme/clone-fail")));
    QVERIFY2(!partial.exists() || partial.isEmpty(), "the partial clone is removed");

    // route: the tunnel's configuration is broken. The project is up and stays up; the job says
    // both, and the configuration file is left as it was.
    const QString dir = m_dir.filePath(QStringLiteral("local-route"));
    QVERIFY(QDir().mkpath(dir));
    QFile compose(dir + QStringLiteral("/compose.yaml"));
    QVERIFY(compose.open(QIODevice::WriteOnly));
    compose.write("services:\n  web:\n    image: localhost/busybox:test\n    command: [\"sleep\", \"600\"]\n"
                  "    ports:\n      - \"127.0.0.1:" +
                  QByteArray::number(freePort()) + ":80\"\n");
    compose.close();
    const QByteArray broken = "tunnel: tun1\ningress:\n  - hostname: a.example.com\n";
    QFile config(m_dir.filePath(QStringLiteral("broken.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(broken);
    config.close();
    Connection t = m_tunnel;
    t.id = 0;
    t.uid.clear();
    t.name = QStringLiteral("broken tunnel");
    t.options.insert(QStringLiteral("config_file"), config.fileName());
    const Connection brokenTunnel = ConnectionStore::save(Database::connection(), t).value();
    RepoDeploySpec local;
    local.source = RepoDeploySpec::Source::LocalDirectory;
    local.dockerConnectionId = m_docker.id;
    local.directory = dir;
    local.tunnelConnectionId = brokenTunnel.id;
    local.hostname = QStringLiteral("route-fail.example.com");
    job = run(local);
    QCOMPARE(job.state, JobState::Failed);
    QCOMPARE(stepState(job, QStringLiteral("compose")), StepState::Done);
    QCOMPARE(stepState(job, QStringLiteral("route")), StepState::Failed);
    QVERIFY2(job.message.contains(QStringLiteral("is up, but the route failed")), qPrintable(job.message));
    QCOMPARE(projectContainers(QStringLiteral("local-route")), QStringList{"running"});
    QCOMPARE(readWholeFile(config.fileName()), broken);
    QVERIFY2(m_github.specViolations().isEmpty(), qPrintable(m_github.specViolations().join('\n')));
}

void TestDeploy::secretsStayOut()
{
    // The token and the App's key and installation token were used for the API and the clone:
    // none is in the cache, the workspace (the clone's .git/config), the job logs or the log.
    m_host->stopAll();
    Database::close();
    QStringList paths{m_dir.filePath(QStringLiteral("workspace")),
                      m_dir.filePath(QStringLiteral("config.yml"))};
    for (const QString &name : QDir(m_dir.path()).entryList({QStringLiteral("cache.sqlite*")}, QDir::Files))
        paths << m_dir.filePath(name);
    QVERIFY(paths.size() >= 3);
    const QStringList found = SecretScan::findings(m_secrets, paths);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("workspace/acme/new-app/.git/config"))));
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

QTEST_GUILESS_MAIN(TestDeploy)
#include "tst_deploy.moc"
