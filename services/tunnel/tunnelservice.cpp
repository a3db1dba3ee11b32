#include "services/tunnel/tunnelservice.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/connections/secretstore.h"
#include "services/store/auditlog.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcTunnel, "opsdeck.tunnel", QtInfoMsg)

namespace opsdeck {

namespace {
QString opId(RouteOp op)
{
    return op == RouteOp::Add      ? QStringLiteral("add")
           : op == RouteOp::Update ? QStringLiteral("update")
                                   : QStringLiteral("remove");
}
} // namespace

TunnelService::TunnelService(QObject *parent) : Service(parent)
{
    qRegisterMetaType<opsdeck::RouteOp>();
    qRegisterMetaType<opsdeck::TunnelStatus>();
    qRegisterMetaType<opsdeck::RoutePreview>();
    qRegisterMetaType<opsdeck::Outcome>();
}

void TunnelService::withSecret(qint64 connectionId,
                               std::function<void(const Result<std::pair<Connection, QString>> &)> then)
{
    if (!m_routes)
        m_routes = new TunnelRoutes(this);
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return then(found.error());
    if (found->kind != ConnectionKind::Cloudflare)
        return then(
            makeError("tunnel.connection", tr("%1 is not a Cloudflare connection.").arg(found->name)));
    const Connection c = found.value();
    readToken(c, this, [c, then](const Result<QString> &secret) {
        if (!secret)
            return then(secret.error());
        then(std::pair{c, secret.value()});
    });
}

void TunnelService::readToken(const Connection &c, QObject *context,
                              std::function<void(const Result<QString> &)> done)
{
    if (!c.option(QStringLiteral("config_file")).isEmpty())
        return done(QString());
    ConnectionService::readSecret(c, context, std::move(done));
}

void TunnelService::status(quint64 requestId, qint64 connectionId)
{
    if (m_demo) {
        TunnelStatus s;
        s.configValid = true;
        s.configPath = QStringLiteral("/etc/cloudflared/config.yml");
        s.tunnel = QStringLiteral("6ff42ae2-765d-4adf-8112-31c55c1551ef");
        s.cloudflared = QStringLiteral("/usr/local/bin/cloudflared");
        s.cloudflaredRunning = true;
        for (const auto &[host, service] :
             {std::pair{"excalidraw.acme.dev", "http://localhost:8090"},
              std::pair{"grafana.acme.dev", "http://localhost:3001"},
              std::pair{"shop.acme.dev", "http://localhost:3000"},
              std::pair{"api.shop.acme.dev", "http://localhost:8081"}, std::pair{"", "http_status:404"}})
            s.rules << IngressRule{QLatin1String(host), QString(), QLatin1String(service), true, false};
        return emit statusReady(requestId, Outcome::success(), s);
    }
    withSecret(connectionId, [this, requestId](const Result<std::pair<Connection, QString>> &cs) {
        if (!cs)
            return emit statusReady(requestId, Outcome::failure(cs.error()), {});
        m_routes->status(cs->first, cs->second, [this, requestId](const Result<TunnelStatus> &s) {
            emit statusReady(requestId, s ? Outcome::success() : Outcome::failure(s.error()),
                             s ? s.value() : TunnelStatus{});
        });
    });
}

void TunnelService::preview(quint64 requestId, qint64 connectionId, RouteOp op, const QString &hostname,
                            int port)
{
    if (m_demo)
        return emit previewReady(
            requestId,
            Outcome::failure(makeError(
                "demo", tr("This is the demo workspace: Opsdeck does not change any tunnel here."))),
            {});
    withSecret(connectionId, [this, requestId, op, hostname,
                              port](const Result<std::pair<Connection, QString>> &cs) {
        if (!cs)
            return emit previewReady(requestId, Outcome::failure(cs.error()), {});
        m_routes->preview(
            cs->first, cs->second, op, hostname, port, [this, requestId](const Result<RoutePreview> &p) {
                emit previewReady(requestId, p ? Outcome::success() : Outcome::failure(p.error()),
                                  p ? p.value() : RoutePreview{});
            });
    });
}

void TunnelService::apply(quint64 requestId, qint64 connectionId, RouteOp op, const QString &hostname,
                          int port, const QString &expectedBefore)
{
    if (m_demo)
        return emit applied(
            requestId,
            Outcome::failure(makeError(
                "demo", tr("This is the demo workspace: Opsdeck does not change any tunnel here."))),
            {});
    withSecret(connectionId, [this, requestId, op, hostname, port,
                              expectedBefore](const Result<std::pair<Connection, QString>> &cs) {
        if (!cs)
            return emit applied(requestId, Outcome::failure(cs.error()), {});
        const Connection c = cs->first;
        if (auto allowed =
                checkActing(Database::connection(), AuditAction::tunnelRoute, connectionFacet(c.name));
            !allowed) {
            // Refused before the tunnel's configuration is touched, and audited as refused.
            AuditEvent e;
            e.action = AuditAction::tunnelRoute;
            e.system = kindId(c.kind);
            e.connectionId = c.id;
            e.connectionName = c.name;
            e.targetKind = QStringLiteral("route");
            e.targetId = hostname;
            e.targetName = hostname;
            e.outcome = AuditOutcome::Failure;
            e.details = QJsonObject{{QStringLiteral("operation"), opId(op)},
                                    {QStringLiteral("error"), allowed.message()}};
            if (auto audited = AuditLog::record(e); !audited)
                qCWarning(lcTunnel).noquote() << "cannot write the audit log:" << audited.message();
            return emit applied(requestId, Outcome::failure(allowed.error()), {});
        }
        auto log = std::make_shared<QStringList>();
        m_routes->apply(
            c, cs->second, op, hostname, port, expectedBefore,
            [log](const QString &line, bool error) {
                *log << (error ? QStringLiteral("! ") : QString()) + line;
            },
            [this, c, requestId, op, hostname, port, log](const Result<void> &r) {
                AuditEvent e;
                e.action = AuditAction::tunnelRoute;
                e.system = kindId(c.kind);
                e.connectionId = c.id;
                e.connectionName = c.name;
                e.targetKind = QStringLiteral("route");
                e.targetId = hostname;
                e.targetName = hostname;
                e.outcome = r ? AuditOutcome::Success : AuditOutcome::Failure;
                e.details =
                    QJsonObject{{QStringLiteral("operation"), opId(op)},
                                {QStringLiteral("port"), port},
                                {QStringLiteral("config_file"), c.option(QStringLiteral("config_file"))},
                                {QStringLiteral("log"), QJsonArray::fromStringList(*log)}};
                if (!r)
                    e.details.insert(QStringLiteral("error"), r.message());
                if (auto audited = AuditLog::record(e); !audited)
                    qCWarning(lcTunnel).noquote() << "cannot write the audit log:" << audited.message();
                emit applied(requestId, r ? Outcome::success() : Outcome::failure(r.error()), *log);
            });
    });
}

} // namespace opsdeck
