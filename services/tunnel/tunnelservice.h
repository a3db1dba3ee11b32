// The Tunnel tab's backend on its own worker thread: tunnel health and routes of each Cloudflare
// connection (services/tunnelroutes.h), each applied change audited as tunnel.route.
#pragma once

#include "services/connections/connectionservice.h"
#include "services/servicehost.h"
#include "services/tunnel/tunnelroutes.h"

namespace opsdeck {

class TunnelService : public Service
{
    Q_OBJECT
public:
    explicit TunnelService(QObject *parent = nullptr);
    void setDemoMode(bool demo) { m_demo = demo; }

    // The API token a tunnel operation needs: none for a locally managed tunnel (its configuration
    // file), else the connection's secret by ConnectionService's rule. done runs on context's thread.
    static void readToken(const Connection &connection, QObject *context,
                          std::function<void(const Result<QString> &)> done);

public slots:
    void status(quint64 requestId, qint64 connectionId);
    void preview(quint64 requestId, qint64 connectionId, opsdeck::RouteOp op, const QString &hostname,
                 int port);
    void apply(quint64 requestId, qint64 connectionId, opsdeck::RouteOp op, const QString &hostname, int port,
               const QString &expectedBefore);

signals:
    void statusReady(quint64 requestId, const opsdeck::Outcome &outcome, const opsdeck::TunnelStatus &status);
    void previewReady(quint64 requestId, const opsdeck::Outcome &outcome,
                      const opsdeck::RoutePreview &preview);
    void applied(quint64 requestId, const opsdeck::Outcome &outcome, const QStringList &log);

private:
    void withSecret(qint64 connectionId,
                    std::function<void(const Result<std::pair<Connection, QString>> &)> then);
    TunnelRoutes *m_routes = nullptr;
    bool m_demo = false;
};

} // namespace opsdeck
