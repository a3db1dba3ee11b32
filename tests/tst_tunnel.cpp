// Tunnel routes end to end: a locally managed tunnel's config.yml with a stand-in cloudflared
// binary (cloudflared is not packaged for Debian), and a remotely managed tunnel through a local
// Cloudflare API server that accepts only the routes of shared/specs/cloudflare.
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "secretscan.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "services/tunnel/tunnelservice.h"
#include "specroutes.h"
#include "testhttpserver.h"
#include "testutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestTunnel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void localStatus();
    void localAddRunsCloudflaredAndRestart();
    void localStalePreviewRefused();
    void localWithoutCloudflared();
    void remoteAddAndRemove();
    void secretsStayOut(); // last

private:
    Connection save(Connection c);
    std::pair<Outcome, QStringList> apply(qint64 id, RouteOp op, const QString &host, int port,
                                          const QString &expected);
    std::pair<Outcome, RoutePreview> preview(qint64 id, RouteOp op, const QString &host, int port);
    QByteArray file(const QString &name) const { return readWholeFile(m_dir.filePath(name)); }

    QTemporaryDir m_dir;
    ServiceHost *m_host = nullptr;
    TunnelService *m_service = nullptr;
    Connection m_local;
    TestHttpServer m_server;
    QJsonObject m_remoteConfig;
    QList<QJsonObject> m_dns;
    QStringList m_bodyProblems;
};

static const char *config = R"(tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
credentials-file: /etc/cloudflared/6ff42ae2.json
# routes
ingress:
  - hostname: wiki.example.com
    service: http://localhost:3000
  - service: http_status:404
)";

Connection TestTunnel::save(Connection c)
{
    auto saved = ConnectionStore::save(Database::connection(), c);
    if (!saved)
        qWarning() << saved.message();
    return saved ? saved.value() : Connection{};
}

void TestTunnel::initTestCase()
{
    SecretScan::captureLog();
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    QFile f(m_dir.filePath(QStringLiteral("config.yml")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(config);
    f.close();
    // A stand-in cloudflared and restart command that record how they were called.
    for (const QString &name : {QStringLiteral("cloudflared"), QStringLiteral("restart")}) {
        QFile script(m_dir.filePath(name));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(QStringLiteral("#!/bin/sh\necho \"$0 $*\" >> %1\necho done: $*\n")
                         .arg(m_dir.filePath(QStringLiteral("calls.txt")))
                         .toUtf8());
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    Connection c;
    c.kind = ConnectionKind::Cloudflare;
    c.name = QStringLiteral("local tunnel");
    c.endpoint = QStringLiteral("https://api.cloudflare.com/client/v4");
    c.auth = AuthKind::Token;
    c.options = {{"account_id", "023e105f4ecef8ad9ca31a8372d0c353"},
                 {"config_file", m_dir.filePath(QStringLiteral("config.yml"))},
                 {"cloudflared", m_dir.filePath(QStringLiteral("cloudflared"))},
                 {"restart_command",
                  m_dir.filePath(QStringLiteral("restart")) + QStringLiteral(" --service cloudflared")}};
    m_local = save(c);
    QVERIFY(m_local.id);
    m_host = new ServiceHost(this);
    m_service = m_host->add(new TunnelService, QStringLiteral("tunnel"));
}

void TestTunnel::cleanupTestCase()
{
    m_host->stopAll();
    Database::close();
}

std::pair<Outcome, RoutePreview> TestTunnel::preview(qint64 id, RouteOp op, const QString &host, int port)
{
    QSignalSpy spy(m_service, &TunnelService::previewReady);
    QMetaObject::invokeMethod(m_service, [=, this] { m_service->preview(1, id, op, host, port); });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() > 0, 30000);
    }();
    return {spy.at(0).at(1).value<Outcome>(), spy.at(0).at(2).value<RoutePreview>()};
}

std::pair<Outcome, QStringList> TestTunnel::apply(qint64 id, RouteOp op, const QString &host, int port,
                                                  const QString &expected)
{
    QSignalSpy spy(m_service, &TunnelService::applied);
    QMetaObject::invokeMethod(m_service, [=, this] { m_service->apply(2, id, op, host, port, expected); });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() > 0, 60000);
    }();
    return {spy.at(0).at(1).value<Outcome>(), spy.at(0).at(2).toStringList()};
}

void TestTunnel::localStatus()
{
    QSignalSpy spy(m_service, &TunnelService::statusReady);
    QMetaObject::invokeMethod(m_service, [this] { m_service->status(3, m_local.id); });
    QTRY_VERIFY(spy.count() > 0);
    const auto status = spy.at(0).at(2).value<TunnelStatus>();
    QVERIFY(status.configValid);
    QCOMPARE(status.tunnel, QStringLiteral("6ff42ae2-765d-4adf-8112-31c55c1551ef"));
    QCOMPARE(status.rules.size(), 2);
    QCOMPARE(status.cloudflared, m_dir.filePath(QStringLiteral("cloudflared")));
}

void TestTunnel::localAddRunsCloudflaredAndRestart()
{
    const auto [ok, p] = preview(m_local.id, RouteOp::Add, QStringLiteral("app.example.com"), 8090);
    QVERIFY2(ok.ok, qPrintable(ok.message));
    QVERIFY(p.diff.contains(QStringLiteral("+  - hostname: app.example.com")));
    QCOMPARE(QString::fromUtf8(file(QStringLiteral("config.yml"))),
             QString::fromUtf8(config)); // a preview writes nothing
    const auto [outcome, log] =
        apply(m_local.id, RouteOp::Add, QStringLiteral("app.example.com"), 8090, p.before);
    QVERIFY2(outcome.ok, qPrintable(outcome.message + log.join('\n')));
    QCOMPARE(QString::fromUtf8(file(QStringLiteral("config.yml"))), p.after);
    const QStringList calls =
        QString::fromUtf8(file(QStringLiteral("calls.txt"))).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(calls.size(), 2);
    QVERIFY2(calls.at(0).endsWith(
                 QStringLiteral("cloudflared tunnel route dns 6ff42ae2-765d-4adf-8112-31c55c1551ef "
                                "app.example.com")),
             qPrintable(calls.at(0)));
    QVERIFY(calls.at(1).endsWith(QStringLiteral("restart --service cloudflared")));
    QVERIFY(log.join('\n').contains(QStringLiteral("done: tunnel route dns")));
    QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral("config.yml.opsdeck-backup-*")}).size() == 1);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
                "SELECT outcome, target_name FROM audit_events WHERE action = 'tunnel.route'")) &&
            q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("success"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("app.example.com"));
}

void TestTunnel::localStalePreviewRefused()
{
    const auto [ok, p] = preview(m_local.id, RouteOp::Remove, QStringLiteral("wiki.example.com"), 0);
    QVERIFY(ok.ok);
    // Someone edits the file between the preview and the apply.
    const QByteArray edited = file(QStringLiteral("config.yml")) + "# edited by hand\n";
    QFile f(m_dir.filePath(QStringLiteral("config.yml")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(edited);
    f.close();
    const auto [outcome, log] =
        apply(m_local.id, RouteOp::Remove, QStringLiteral("wiki.example.com"), 0, p.before);
    QCOMPARE(outcome.code, QStringLiteral("tunnel.changed"));
    QCOMPARE(file(QStringLiteral("config.yml")), edited);
    // Duplicates are refused with the rule named.
    const auto [dup, unused] = preview(m_local.id, RouteOp::Add, QStringLiteral("app.example.com"), 9000);
    QCOMPARE(dup.code, QStringLiteral("ingress.duplicate"));
    Q_UNUSED(unused)
}

void TestTunnel::localWithoutCloudflared()
{
    Connection c = m_local;
    c.id = 0;
    c.uid.clear();
    c.name = QStringLiteral("no binary");
    c.options.insert(QStringLiteral("cloudflared"), m_dir.filePath(QStringLiteral("missing-cloudflared")));
    c.options.remove(QStringLiteral("restart_command"));
    const Connection saved = save(c);
    const auto [outcome, log] =
        apply(saved.id, RouteOp::Add, QStringLiteral("other.example.com"), 8100, QString());
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QVERIFY2(log.join('\n').contains(QStringLiteral("cloudflared is not installed here")),
             qPrintable(log.join('\n')));

    // A restart command that fails, and one that does not exist: the file is written, the
    // outcome says the restart failed and why, with the command's own output in the log.
    c.name = QStringLiteral("failing restart");
    c.options.insert(QStringLiteral("restart_command"),
                     QStringLiteral("sh -c \"echo unit not found; exit 5\""));
    const Connection failing = save(c);
    auto [failed, failedLog] =
        apply(failing.id, RouteOp::Add, QStringLiteral("third.example.com"), 8101, QString());
    QCOMPARE(failed.code, QStringLiteral("tunnel.restart"));
    QVERIFY2(failed.message.contains(QStringLiteral("exit code 5")), qPrintable(failed.message));
    QVERIFY2(failedLog.join('\n').contains(QStringLiteral("unit not found")),
             qPrintable(failedLog.join('\n')));
    QVERIFY(file(QStringLiteral("config.yml")).contains("third.example.com"));
    c.name = QStringLiteral("missing restart");
    c.options.insert(QStringLiteral("restart_command"), m_dir.filePath(QStringLiteral("no-such-program")));
    const Connection missing = save(c);
    std::tie(failed, failedLog) =
        apply(missing.id, RouteOp::Add, QStringLiteral("fourth.example.com"), 8102, QString());
    QCOMPARE(failed.code, QStringLiteral("tunnel.restart"));
    QVERIFY2(failed.message.contains(QStringLiteral("Cannot start")), qPrintable(failed.message));
}

void TestTunnel::remoteAddAndRemove()
{
    QVERIFY(m_server.listen());
    m_server.setSpec(SpecRoutes::fromOpenApiJson(
        specsDir() + QStringLiteral("/cloudflare/cloudflare-api.tunnels-dns.2024-08-06.subset.json")));
    m_remoteConfig = {{"ingress", QJsonArray{QJsonObject{{"hostname", "wiki.example.com"},
                                                         {"service", "http://localhost:3000"}},
                                             QJsonObject{{"service", "http_status:404"}}}}};
    const QString base = QStringLiteral("/accounts/acc1/cfd_tunnel/tun1/configurations");
    const auto envelope = [](const QJsonValue &result) {
        return TestReply::json(200, QJsonDocument(QJsonObject{{"success", true},
                                                              {"errors", QJsonArray()},
                                                              {"messages", QJsonArray()},
                                                              {"result", result}})
                                        .toJson(QJsonDocument::Compact));
    };
    m_server.route("GET", base, [this, envelope](const TestRequest &req) {
        if (req.header("Authorization") != "Bearer cf-token")
            return TestReply::json(
                403, R"({"success":false,"errors":[{"code":9109,"message":"Invalid access token"}]})");
        return envelope(QJsonObject{
            {"account_id", "acc1"}, {"tunnel_id", "tun1"}, {"version", 3}, {"config", m_remoteConfig}});
    });
    m_server.route("PUT", base, [this, envelope](const TestRequest &req) {
        const QJsonObject body = QJsonDocument::fromJson(req.body).object();
        if (!body.value("config").isObject() || !body.value("config").toObject().value("ingress").isArray())
            m_bodyProblems << QString::fromUtf8(req.body);
        m_remoteConfig = body.value("config").toObject();
        return envelope(
            QJsonObject{{"account_id", "acc1"}, {"tunnel_id", "tun1"}, {"config", m_remoteConfig}});
    });
    m_server.route(
        "POST", QStringLiteral("/zones/zone1/dns_records"), [this, envelope](const TestRequest &req) {
            QJsonObject body = QJsonDocument::fromJson(req.body).object();
            // The CNAME record's required fields, as the description says.
            if (body.value("type").toString() != QLatin1String("CNAME") || !body.value("name").isString() ||
                !body.value("content").isString() || !body.value("proxied").isBool())
                m_bodyProblems << QString::fromUtf8(req.body);
            body.insert("id", QStringLiteral("rec%1").arg(m_dns.size() + 1));
            m_dns << body;
            return envelope(body);
        });
    m_server.route("GET", QStringLiteral("/zones/zone1/dns_records"),
                   [this, envelope](const TestRequest &req) {
                       QJsonArray found;
                       for (const QJsonObject &r : std::as_const(m_dns))
                           if (r.value("name")
                                   .toString()
                                   .remove(QRegularExpression("\\.$"))
                                   .compare(req.query().queryItemValue("name"), Qt::CaseInsensitive) == 0)
                               found << r;
                       return envelope(found);
                   });
    m_server.route("DELETE", QStringLiteral("/zones/zone1/dns_records/rec1"),
                   [this, envelope](const TestRequest &) {
                       m_dns.removeIf([](const QJsonObject &r) { return r.value("id") == "rec1"; });
                       return envelope(QJsonObject{{"id", "rec1"}});
                   });
    Connection c;
    c.kind = ConnectionKind::Cloudflare;
    c.name = QStringLiteral("remote tunnel");
    c.endpoint = m_server.url().toString();
    c.auth = AuthKind::Token;
    c.options = {{"account_id", "acc1"}, {"tunnel_id", "tun1"}, {"zone_id", "zone1"}};
    const Connection saved = save(c);
    SecretStore::keepInMemory(saved.secretKey(), QStringLiteral("cf-token"));

    auto [outcome, log] = apply(saved.id, RouteOp::Add, QStringLiteral("app.example.com"), 8090, QString());
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    const QJsonArray ingress = m_remoteConfig.value("ingress").toArray();
    QCOMPARE(ingress.size(), 3);
    QCOMPARE(ingress.at(1).toObject().value("hostname").toString(), QStringLiteral("app.example.com"));
    QCOMPARE(ingress.at(1).toObject().value("service").toString(), QStringLiteral("http://localhost:8090"));
    QCOMPARE(ingress.at(2).toObject().value("service").toString(), QStringLiteral("http_status:404"));
    QCOMPARE(m_dns.size(), 1);
    QCOMPARE(m_dns.first().value("content").toString(), QStringLiteral("tun1.cfargotunnel.com"));
    // Records of the same name that are not the tunnel's CNAME stay: a TXT record holding the
    // tunnel's address (listed last) and, written in another case, the CNAME itself is found.
    m_dns.first().insert("name", "App.Example.com.");
    m_dns << QJsonObject{
        {"id", "txt1"}, {"type", "TXT"}, {"name", "App.Example.com."}, {"content", "tun1.cfargotunnel.com"}};
    std::tie(outcome, log) =
        apply(saved.id, RouteOp::Remove, QStringLiteral("app.example.com"), 0, QString());
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QCOMPARE(m_remoteConfig.value("ingress").toArray().size(), 2);
    QCOMPARE(m_dns.size(), 1);
    QCOMPARE(m_dns.first().value("id").toString(), QStringLiteral("txt1"));
    QVERIFY2(m_bodyProblems.isEmpty(), qPrintable(m_bodyProblems.join('\n')));
    QVERIFY2(m_server.specViolations().isEmpty(), qPrintable(m_server.specViolations().join('\n')));
    QVERIFY(AuditLog::verify(Database::connection())->ok);
}

void TestTunnel::secretsStayOut()
{
    // The Cloudflare API token went out with every remote call; it is not in the cache, the
    // tunnel configuration or its backups, nor in the log.
    m_host->stopAll();
    Database::close();
    const QStringList found = SecretScan::findings({QStringLiteral("cf-token")}, {m_dir.path()});
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

QTEST_GUILESS_MAIN(TestTunnel)
#include "tst_tunnel.moc"
