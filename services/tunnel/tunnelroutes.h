// Routes through a Cloudflare tunnel, for the Tunnel tab and the deploy jobs' route step.
// A locally managed tunnel (the connection's "config_file"): cloudflared's config.yml is edited
// line by line (models/ingress.h), written atomically with a backup, then, where the cloudflared
// binary exists, `cloudflared tunnel route dns TUNNEL HOSTNAME` and the optional restart command
// run with argument lists (no shell). A remotely managed tunnel ("tunnel_id" and "zone_id"): the
// Cloudflare API's tunnel configuration is read and replaced, and the DNS CNAME record created
// (or deleted with the route), as in shared/specs/cloudflare.
#pragma once

#include "models/connections/connection.h"
#include "models/tunnel/ingress.h"
#include "services/net/httpclient.h"

#include <QObject>

namespace opsdeck {

enum class RouteOp { Add, Update, Remove };

struct TunnelStatus
{
    bool remote = false;
    bool configValid = false;
    QString problem;    // why the configuration is not valid, or cannot be read
    QString configPath; // local
    QString tunnel;
    QList<IngressRule> rules;
    QString cloudflared; // the binary's path, empty when it is not installed
    bool cloudflaredRunning = false;
    QString text; // local: the file; remote: the ingress as JSON
};

struct RoutePreview
{
    QString before;
    QString after;
    QString diff;
};

class TunnelRoutes : public QObject
{
    Q_OBJECT
public:
    using Log = std::function<void(const QString &line, bool error)>;
    explicit TunnelRoutes(QObject *parent = nullptr);

    void status(const Connection &c, const QString &secret,
                std::function<void(const Result<TunnelStatus> &)> done);
    void preview(const Connection &c, const QString &secret, RouteOp op, const QString &hostname, int port,
                 std::function<void(const Result<RoutePreview> &)> done);
    // Applies the change if the configuration is still what the preview showed (expectedBefore;
    // empty: whatever it is now).
    void apply(const Connection &c, const QString &secret, RouteOp op, const QString &hostname, int port,
               const QString &expectedBefore, Log log, std::function<void(const Result<void> &)> done);

    // cloudflared on PATH (or the connection's "cloudflared" option), and whether a process runs it.
    static QString findCloudflared(const Connection &c);
    static bool cloudflaredRunning();
    // Runs a program with arguments (no shell), with a timeout; its output goes to log.
    void run(const QString &program, const QStringList &args, int timeoutMs, const Log &log,
             std::function<void(const Result<void> &)> done);

private:
    void remoteConfig(const Connection &c, const QString &secret,
                      std::function<void(const Result<QJsonObject> &)> done);
    HttpClient *client(const Connection &c, const QString &secret, Error *error);
    HttpClient *m_client = nullptr;
};

// The remote configuration's ingress rules, and the same edits as for a local file.
QList<IngressRule> ingressFromJson(const QJsonArray &ingress);
Result<QJsonObject> editRemoteConfig(const QJsonObject &config, RouteOp op, const QString &hostname,
                                     int port);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::RouteOp)
Q_DECLARE_METATYPE(opsdeck::TunnelStatus)
Q_DECLARE_METATYPE(opsdeck::RoutePreview)
