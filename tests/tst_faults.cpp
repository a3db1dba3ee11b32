// The fault matrix: a fault-injecting local HTTP server in front of every remote system Opsdeck
// talks to (GitHub's runner sync, a Docker engine over TCP, an OCI registry, Harbor, LiteLLM and
// Cloudflare's tunnel API), each fault against each service. For every cell: no crash; the action
// fails, or retries and succeeds where the retry policy says it does; the message names the
// problem; the cache keeps its last good data; the failed action is in the audit log; and the
// window shows that message where the admin started the action or looks for it (the status bar
// for syncs, the Connections dialog for a connection test, the route dialog for a tunnel route:
// each action is started there, as an admin starts it). The test prints the matrix.
//
// Retry policy (HttpClient): idempotent requests are tried again after 5xx, 429 (honouring
// Retry-After), a broken connection and a timeout, up to [network] retries times (3 here; probes
// once). Docker engine calls are not retried: the next event or refresh asks again.
#include "fakeengine.h"
#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "services/connections/connectionservice.h"
#include "services/connections/secretstore.h"
#include "services/deploy/deployservice.h"
#include "services/docker/dockerservice.h"
#include "services/github/githubservice.h"
#include "services/net/networkdefaults.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "services/store/auditservice.h"
#include "services/tunnel/tunnelservice.h"
#include "specroutes.h"
#include "testhttpserver.h"
#include "testutil.h"
#include "ui/connections/connectionsdialog.h"
#include "ui/mainwindow.h"
#include "ui/panes/deployments/routedialog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace opsdeck;

namespace {

struct FaultCase
{
    const char *name;
    int status = 0;             // an error status to answer with
    int failuresBeforeGood = 0; // transient: this many faulty answers, then the good one
    QStringList expect;         // a failure's message names one of these
    QString code;               // an error status: the error code every service gives it
};

const QList<FaultCase> &faults()
{
    static const QList<FaultCase> list{
        {"401 Unauthorized", 401, 0, {"401"}, "http.unauthorized"},
        {"403 Forbidden", 403, 0, {"403"}, "http.forbidden"},
        {"404 Not Found", 404, 0, {"404"}, "http.not-found"},
        {"409 Conflict", 409, 0, {"409"}, "http.conflict"},
        {"422 Unprocessable", 422, 0, {"422"}, "http.invalid"},
        {"429 + Retry-After", 429, 1, {"429"}, "http.rate-limited"},
        {"500 (every time)", 500, 0, {"500"}, "http.server"},
        {"502/503 burst", 502, 3, {"502", "503"}, "http.server"},
        {"reset mid-body", 0, 0, {"broke off", "closed", "ended"}, {}},
        {"stall past timeout", 0, 0, {"did not answer within"}, {}},
        {"truncated JSON", 0, 0, {"JSON"}, {}},
        {"invalid UTF-8", 0, 0, {"JSON", "UTF-8"}, {}},
        {"50 MB body", 0, 0, {"larger than the limit", "JSON", "list"}, {}},
        {"wrong Content-Type", 0, 0, {"text/html", "JSON"}, {}},
        {"redirect loop", 0, 0, {"redirect", "302"}, {}},
    };
    return list;
}

// The requests' timeout in the matrix, but for the stall and the 50 MB body.
constexpr int normalTimeoutMs = 10000;

// A server whose routes answer well until a fault is switched on.
class FaultyServer : public TestHttpServer
{
public:
    std::optional<FaultCase> fault;
    int hits = 0;

    // The route answers `good`, or the current fault made from it.
    void faultyRoute(const QByteArray &method, const QString &path, Handler good)
    {
        route(method, path, [this, good](const TestRequest &req) { return apply(req, good(req)); });
    }

private:
    TestReply apply(const TestRequest &req, TestReply good)
    {
        if (!fault)
            return good;
        const FaultCase &f = *fault;
        if (f.failuresBeforeGood > 0 && hits >= f.failuresBeforeGood)
            return good;
        ++hits;
        const QString name = QString::fromLatin1(f.name);
        if (f.status == 429)
            return TestReply::json(429, R"({"message":"API rate limit exceeded"})")
                .header("Retry-After", "1");
        if (f.status == 502)
            return TestReply::json(hits % 2 ? 502 : 503, R"({"message":"upstream unavailable"})");
        if (f.status)
            return TestReply::json(
                f.status, QStringLiteral(R"({"message":"%1 from the fault server"})").arg(name).toUtf8());
        if (name == QLatin1String("reset mid-body")) {
            good.resetMidBody = true;
        } else if (name == QLatin1String("stall past timeout")) {
            good.stallAfterHeaders = true;
        } else if (name == QLatin1String("truncated JSON")) {
            good.body = good.body.left(good.body.size() / 2);
        } else if (name == QLatin1String("invalid UTF-8")) {
            const qsizetype quote = good.body.indexOf('"');
            good.body.insert(quote + 1, "\xff\xfe\xc3");
        } else if (name == QLatin1String("50 MB body")) {
            good.body = "{\"padding\":\"" + QByteArray(50 * 1024 * 1024, 'a') + "\"}";
        } else if (name == QLatin1String("wrong Content-Type")) {
            good.headers = {{"Content-Type", "text/html; charset=utf-8"}};
            good.body = "<html><body><h1>Sign in to the corporate proxy</h1></body></html>";
        } else if (name == QLatin1String("redirect loop")) {
            TestReply r;
            r.status = 302;
            r.headers = {{"Location", req.target}};
            return r;
        }
        return good;
    }
};

struct ServiceColumn
{
    QString name;
    FaultyServer *server = nullptr;
    std::function<Outcome()> run; // the action, to its end
    std::function<int()> cached;  // rows of last good data (-1: nothing cached)
    qint64 connectionId = 0;
    int retries = 0;                 // how often this action's requests are tried again
    bool readsBody = true;           // false: the answer's body is not used (an OCI /v2/ check)
    std::function<QString()> shown;  // the text the window shows for the action's outcome
    std::function<void()> prepare{}; // before the fault is switched on (a dialog's preview)
};

} // namespace

class TestFaults : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void matrix();

private:
    Connection save(Connection c, const QString &secret);
    int failures(qint64 connectionId);
    Outcome waitFor(QSignalSpy &spy, int outcomeArg);
    // Lets the window take the outcome (queued from the service threads) until it shows `text`.
    QString waitShown(const ServiceColumn &column, const QString &text);

    QTemporaryDir m_dir;
    ServiceHost *m_host = nullptr;
    GitHubService *m_github = nullptr;
    DockerService *m_docker = nullptr;
    ConnectionService *m_connections = nullptr;
    TunnelService *m_tunnel = nullptr;
    AuditService *m_audit = nullptr;
    DeployService *m_deploy = nullptr;
    QList<FaultyServer *> m_servers;
    QList<ServiceColumn> m_columns;
    // The window, as the application wires it to the same services.
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<ConnectionsModel> m_model;
    std::unique_ptr<MainWindow> m_window;
    QPointer<RouteDialog> m_route;
};

QString TestFaults::waitShown(const ServiceColumn &column, const QString &text)
{
    QElapsedTimer clock;
    clock.start();
    QString shown = column.shown();
    while (!shown.contains(text) && clock.elapsed() < 15000) {
        QTest::qWait(10);
        shown = column.shown();
    }
    return shown;
}

Connection TestFaults::save(Connection c, const QString &secret)
{
    auto saved = ConnectionStore::save(Database::connection(), c);
    if (!saved)
        qFatal("%s", qPrintable(saved.message()));
    if (!secret.isEmpty())
        SecretStore::keepInMemory(saved->secretKey(), secret);
    return saved.value();
}

int TestFaults::failures(qint64 connectionId)
{
    QSqlQuery q(Database::connection());
    q.prepare(
        QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE connection_id = ? AND outcome = 'failure'"));
    q.addBindValue(connectionId);
    return q.exec() && q.next() ? q.value(0).toInt() : -1;
}

Outcome TestFaults::waitFor(QSignalSpy &spy, int outcomeArg)
{
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() > 0, 60000);
    }();
    return spy.isEmpty() ? Outcome::failure(makeError("test.timeout", QStringLiteral("no answer")))
                         : spy.first().at(outcomeArg).value<Outcome>();
}

void TestFaults::initTestCase()
{
    // Long enough that a loaded machine (the suite runs two at a time, beside podman) does not turn
    // a slow good answer into a timeout; only the stall fault gets the short one. Retries as the default.
    NetworkDefaults::set(normalTimeoutMs, 3);
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    m_host = new ServiceHost(this);
    m_github = m_host->add(new GitHubService, QStringLiteral("github"));
    m_docker = m_host->add(new DockerService, QStringLiteral("docker"));
    m_connections = m_host->add(new ConnectionService, QStringLiteral("connections"));
    m_tunnel = m_host->add(new TunnelService, QStringLiteral("tunnel"));
    m_audit = m_host->add(new AuditService, QStringLiteral("audit"));
    m_deploy = m_host->add(new DeployService, QStringLiteral("deploy"));
    const auto server = [this](const SpecRoutes *spec, const QString &base = {}) {
        auto *s = new FaultyServer;
        m_servers << s;
        if (!s->listen())
            qFatal("cannot listen");
        if (spec)
            s->setSpec(*spec, base);
        return s;
    };

    // GitHub: the runner sync (50 runners).
    {
        const SpecRoutes spec =
            SpecRoutes::fromOpenApiJson(specsDir() + QStringLiteral("/github/api.github.com.subset.json"));
        FaultyServer *s = server(&spec);
        s->faultyRoute("GET", QStringLiteral("/orgs/acme/actions/runners"), [](const TestRequest &) {
            QJsonArray runners;
            for (int i = 1; i <= 50; ++i)
                runners << QJsonObject{
                    {"id", i},
                    {"name", QStringLiteral("runner-%1").arg(i)},
                    {"os", "linux"},
                    {"status", "online"},
                    {"busy", false},
                    {"ephemeral", false},
                    {"labels",
                     QJsonArray{QJsonObject{{"id", 1}, {"name", "self-hosted"}, {"type", "read-only"}}}}};
            return TestReply::json(200, QJsonDocument(QJsonObject{{"total_count", 50}, {"runners", runners}})
                                            .toJson(QJsonDocument::Compact));
        });
        Connection c;
        c.kind = ConnectionKind::GitHub;
        c.name = QStringLiteral("github");
        c.endpoint = s->url().toString();
        c.auth = AuthKind::Token;
        c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
        const Connection saved = save(c, QStringLiteral("ghp_faults"));
        m_columns << ServiceColumn{
            QStringLiteral("GitHub sync"),
            s,
            [this, id = saved.id] {
                QSignalSpy spy(m_github, &GitHubService::syncFinished);
                QMetaObject::invokeMethod(m_github, [this, id] { m_github->syncRunners(id); });
                return waitFor(spy, 1);
            },
            [id = saved.id] {
                QSqlQuery q(Database::connection());
                return q.exec(QStringLiteral("SELECT COUNT(*) FROM runners WHERE removed_at IS NULL AND "
                                             "connection_id = %1")
                                  .arg(id)) &&
                               q.next()
                           ? q.value(0).toInt()
                           : -1;
            },
            saved.id,
            3,
            true,
            [this] {
                return m_window->statusBar()->currentMessage();
            }};
    }
    // Docker engine over TCP: the container list (3 containers).
    {
        FaultyServer *s = server(nullptr);
        serveAsDockerEngine(*s);
        s->faultyRoute("GET", QStringLiteral("/containers/json"), [](const TestRequest &) {
            QJsonArray list;
            for (int i = 1; i <= 3; ++i)
                list << QJsonObject{{"Id", QStringLiteral("%1").arg(i, 64, 10, QLatin1Char('0'))},
                                    {"Names", QJsonArray{QStringLiteral("/app-%1").arg(i)}},
                                    {"Image", "busybox"},
                                    {"State", "running"},
                                    {"Status", "Up 1 minute"},
                                    {"Created", 1795000000},
                                    {"Ports", QJsonArray()},
                                    {"Labels", QJsonObject()}};
            return TestReply::json(200, QJsonDocument(list).toJson(QJsonDocument::Compact));
        });
        s->route("GET", QStringLiteral("/system/df"), [](const TestRequest &) {
            return TestReply::json(200, R"({"LayersSize":0,"Images":[],"Containers":[],"Volumes":[]})");
        });
        Connection c;
        c.kind = ConnectionKind::Docker;
        c.name = QStringLiteral("docker-tcp");
        c.endpoint = QStringLiteral("tcp://127.0.0.1:%1").arg(s->port());
        c.auth = AuthKind::None;
        const Connection saved = save(c, {});
        m_columns << ServiceColumn{
            QStringLiteral("Docker (TCP)"),
            s,
            [this, id = saved.id] {
                QSignalSpy spy(m_docker, &DockerService::syncFinished);
                QMetaObject::invokeMethod(m_docker, [this, id] { m_docker->refresh(id); });
                return waitFor(spy, 1);
            },
            [id = saved.id] {
                QSqlQuery q(Database::connection());
                return q.exec(QStringLiteral("SELECT COUNT(*) FROM containers WHERE connection_id = %1")
                                  .arg(id)) &&
                               q.next()
                           ? q.value(0).toInt()
                           : -1;
            },
            saved.id,
            0,
            true,
            [this] {
                return m_window->statusBar()->currentMessage();
            }};
    }
    // The connection test of a registry, Harbor and LiteLLM (the later issues build on these).
    const auto probeColumn = [&](const QString &name, ConnectionKind kind, const QString &path,
                                 const QByteArray &good, const SpecRoutes *spec, const QString &base) {
        FaultyServer *s = server(spec, base);
        s->faultyRoute("GET", path, [good](const TestRequest &) { return TestReply::json(200, good); });
        Connection c;
        c.kind = kind;
        c.name = name;
        c.endpoint = s->url().toString();
        c.auth = kind == ConnectionKind::Harbor ? AuthKind::Basic : AuthKind::Token;
        c.username = QStringLiteral("admin");
        const Connection saved = save(c, QStringLiteral("probe-secret"));
        // Tested from the Connections dialog: the connection chosen, then "Test connection".
        m_columns << ServiceColumn{
            name,
            s,
            [this, saved] {
                m_window->openConnections(std::nullopt, saved.id);
                QSignalSpy spy(m_connections, &ConnectionService::tested);
                QPushButton *test = m_window->connectionsDialog()->testButton();
                if (!test->isEnabled())
                    return Outcome::failure(makeError("test.busy", QStringLiteral("the dialog is busy")));
                test->click();
                const Outcome o = waitFor(spy, 1);
                // Until the dialog has taken the answer (queued to the GUI thread).
                [test] {
                    QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), 5000);
                }();
                return o;
            },
            [] { return -1; },
            saved.id,
            1,
            true,
            [this] {
                auto *label =
                    m_window->connectionsDialog()->findChild<QLabel *>(QStringLiteral("connectionMessage"));
                return label ? label->text() : QString();
            }};
    };
    probeColumn(QStringLiteral("Registry"), ConnectionKind::Registry, QStringLiteral("/v2/"), "{}", nullptr,
                {});
    m_columns.last().readsBody = false; // the distribution spec gives /v2/ no body to check
    const SpecRoutes harbor = SpecRoutes::fromSwaggerYaml(
        specsDir() + QStringLiteral("/harbor/harbor-api-v2.0.v2.15.2.subset.yaml"));
    probeColumn(QStringLiteral("Harbor"), ConnectionKind::Harbor, QStringLiteral("/api/v2.0/users/current"),
                R"({"user_id":1,"username":"admin"})", &harbor, harbor.basePath());
    const SpecRoutes litellm = SpecRoutes::fromLiteLlmSummary(
        specsDir() + QStringLiteral("/litellm/litellm-proxy-admin-api.summary.yaml"));
    probeColumn(QStringLiteral("LiteLLM"), ConnectionKind::LiteLLM, QStringLiteral("/key/info"),
                R"({"key":"sk-...","info":{"spend":0}})", &litellm, {});
    // Cloudflare: a route added to a remotely managed tunnel (configuration read, then written).
    {
        const SpecRoutes spec = SpecRoutes::fromOpenApiJson(
            specsDir() + QStringLiteral("/cloudflare/cloudflare-api.tunnels-dns.2024-08-06.subset.json"));
        FaultyServer *s = server(&spec);
        const auto envelope = [](const QJsonValue &result) {
            return TestReply::json(200, QJsonDocument(QJsonObject{{"success", true},
                                                                  {"errors", QJsonArray()},
                                                                  {"messages", QJsonArray()},
                                                                  {"result", result}})
                                            .toJson(QJsonDocument::Compact));
        };
        auto config = std::make_shared<QJsonObject>(
            QJsonObject{{"ingress", QJsonArray{QJsonObject{{"service", "http_status:404"}}}}});
        const QString base = QStringLiteral("/accounts/acc1/cfd_tunnel/tun1/configurations");
        s->faultyRoute("GET", base, [envelope, config](const TestRequest &) {
            return envelope(QJsonObject{{"tunnel_id", "tun1"}, {"version", 1}, {"config", *config}});
        });
        s->route("PUT", base, [envelope, config](const TestRequest &req) {
            *config = QJsonDocument::fromJson(req.body).object().value("config").toObject();
            return envelope(QJsonObject{{"tunnel_id", "tun1"}, {"config", *config}});
        });
        s->route("GET", QStringLiteral("/zones/zone1/dns_records"),
                 [envelope](const TestRequest &) { return envelope(QJsonArray()); });
        s->route("POST", QStringLiteral("/zones/zone1/dns_records"), [envelope](const TestRequest &req) {
            QJsonObject record = QJsonDocument::fromJson(req.body).object();
            record.insert("id", "rec1");
            return envelope(record);
        });
        Connection c;
        c.kind = ConnectionKind::Cloudflare;
        c.name = QStringLiteral("tunnel");
        c.endpoint = s->url().toString();
        c.auth = AuthKind::Token;
        c.options = {{"account_id", "acc1"}, {"tunnel_id", "tun1"}, {"zone_id", "zone1"}};
        const Connection saved = save(c, QStringLiteral("cf-faults"));
        // From the route dialog: its preview read the configuration while the server was well,
        // then Apply meets the fault.
        auto counter = std::make_shared<int>(0);
        m_columns << ServiceColumn{QStringLiteral("Cloudflare"),
                                   s,
                                   [this] {
                                       QSignalSpy spy(m_tunnel, &TunnelService::applied);
                                       m_route->applyButton()->click();
                                       return waitFor(spy, 1);
                                   },
                                   [] { return -1; },
                                   saved.id,
                                   3,
                                   true,
                                   [this] { return m_route ? m_route->message() : QString(); },
                                   [this, id = saved.id, counter] {
                                       delete m_route;
                                       m_route =
                                           new RouteDialog(m_tunnel, id, RouteOp::Add,
                                                           QStringLiteral("f%1.example.com").arg(++*counter),
                                                           8080, m_window.get());
                                       m_route->show();
                                       QTRY_VERIFY_WITH_TIMEOUT(m_route->applyButton()->isEnabled(), 10000);
                                   }};
    }

    m_settings = std::make_unique<AppSettings>(m_dir.path());
    m_model = std::make_unique<ConnectionsModel>();
    m_window = std::make_unique<MainWindow>(
        m_model.get(), m_connections, PaneContext{nullptr, m_audit, m_github, m_docker, m_deploy, m_tunnel},
        m_settings.get(), false);
    m_window->show();
    m_model->reload();
    QTRY_COMPARE(m_model->rowCount(), int(m_columns.size()));
}

void TestFaults::cleanupTestCase()
{
    delete m_route;
    m_window.reset();
    m_host->stopAll();
    qDeleteAll(m_servers);
    Database::close();
}

void TestFaults::matrix()
{
    // Last good data first.
    for (ServiceColumn &column : m_columns) {
        if (column.prepare)
            column.prepare();
        const Outcome o = column.run();
        QVERIFY2(o.ok, qPrintable(column.name + QStringLiteral(": ") + o.message));
    }
    QStringList problems;
    QList<QStringList> rows;
    const QString only = qEnvironmentVariable("OPSDECK_FAULT");
    for (const FaultCase &fault : faults()) {
        if (!only.isEmpty() && !QString::fromLatin1(fault.name).contains(only))
            continue;
        QStringList row{QString::fromLatin1(fault.name)};
        for (ServiceColumn &column : m_columns) {
            const int cachedBefore = column.cached();
            const int failuresBefore = failures(column.connectionId);
            if (column.prepare)
                column.prepare();
            column.server->fault = fault;
            column.server->hits = 0;
            // The size limit is what a 50 MB body tests, not the clock: on a loaded machine or under
            // the sanitizers, receiving it can take longer than the timeout of the other faults. A
            // stall is what the timeout is for: a short one keeps it quick.
            const bool bigBody = QByteArray(fault.name) == "50 MB body";
            const bool stall = QByteArray(fault.name) == "stall past timeout";
            if (bigBody || stall)
                NetworkDefaults::set(bigBody ? 60000 : 1500, 3);
            const Outcome o = column.run();
            if (bigBody || stall)
                NetworkDefaults::set(normalTimeoutMs, 3);
            column.server->fault.reset();
            const bool bodyFault =
                QByteArray(fault.name) == "truncated JSON" || QByteArray(fault.name) == "invalid UTF-8";
            const bool shouldRecover =
                (fault.failuresBeforeGood > 0 && column.retries >= fault.failuresBeforeGood) ||
                (bodyFault && !column.readsBody);
            QString cell;
            const QString where = column.name + QStringLiteral(" × ") + QString::fromLatin1(fault.name);
            if (shouldRecover) {
                cell = !o.ok       ? QStringLiteral("FAILED")
                       : bodyFault ? QStringLiteral("ok (body not used)")
                                   : QStringLiteral("retried, ok");
                if (!o.ok)
                    problems << where + QStringLiteral(": should have recovered: ") + o.message;
            } else {
                cell = o.ok ? QStringLiteral("ACCEPTED") : QStringLiteral("failed: ") + o.code;
                if (o.ok)
                    problems << where + QStringLiteral(": accepted a faulty answer");
                else if (std::none_of(fault.expect.cbegin(), fault.expect.cend(), [&](const QString &k) {
                             return o.message.contains(k, Qt::CaseInsensitive);
                         }))
                    problems << where + QStringLiteral(": the message does not name the problem: ") +
                                    o.message;
                if (!o.ok && !fault.code.isEmpty() && o.code != fault.code)
                    problems << where +
                                    QStringLiteral(": error code %1, expected %2").arg(o.code, fault.code);
                if (!o.ok && failures(column.connectionId) != failuresBefore + 1) {
                    problems << where + QStringLiteral(": no audit event for the failure");
                    cell += QStringLiteral(" (not audited)");
                }
                if (!o.ok) {
                    const QString shown = waitShown(column, o.message);
                    if (!shown.contains(o.message)) {
                        problems << where + QStringLiteral(": the window does not show the message: \"%1\"")
                                                .arg(shown);
                        cell += QStringLiteral(" (not shown)");
                    }
                }
            }
            if (column.cached() != cachedBefore) {
                problems << where + QStringLiteral(": the cache lost its last good data (%1 → %2 rows)")
                                        .arg(cachedBefore)
                                        .arg(column.cached());
                cell += QStringLiteral(" (cache changed)");
            }
            row << cell;
        }
        rows << row;
    }
    // The matrix, for the log and the README.
    QStringList header{QStringLiteral("fault")};
    for (const ServiceColumn &column : std::as_const(m_columns))
        header << column.name;
    QList<int> widths;
    for (int i = 0; i < header.size(); ++i) {
        int w = int(header.at(i).size());
        for (const QStringList &row : std::as_const(rows))
            w = qMax(w, int(row.at(i).size()));
        widths << w;
    }
    const auto print = [&](const QStringList &cells) {
        QString line = QStringLiteral("|");
        for (int i = 0; i < cells.size(); ++i)
            line += QLatin1Char(' ') + cells.at(i).leftJustified(widths.at(i)) + QStringLiteral(" |");
        std::printf("%s\n", qPrintable(line));
    };
    std::printf(
        "\nFault matrix (fault × service; every failure's message was also looked for where the window "
        "shows it: the status bar, the Connections dialog, the route dialog):\n");
    print(header);
    QStringList rule;
    for (int w : std::as_const(widths))
        rule << QString(w, QLatin1Char('-'));
    print(rule);
    for (const QStringList &row : std::as_const(rows))
        print(row);
    std::fflush(stdout);
    for (const FaultyServer *s : std::as_const(m_servers))
        problems << s->specViolations();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestFaults)
#include "tst_faults.moc"
