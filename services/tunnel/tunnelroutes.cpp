#include "services/tunnel/tunnelroutes.h"

#include "models/core/validation.h"
#include "models/tunnel/cloudflareapi.h"
#include "services/connections/probes.h"
#include "services/net/asyncprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>

namespace opsdeck {

namespace {
QString enc(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

Result<QString> readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            "tunnel.read",
            TunnelRoutes::tr("Cannot read the tunnel configuration %1: %2").arg(path, f.errorString()));
    if (f.size() > 4 * 1024 * 1024)
        return makeError(
            "tunnel.read",
            TunnelRoutes::tr("%1 is larger than 4 MB: not a cloudflared configuration.").arg(path));
    return QString::fromUtf8(f.readAll());
}

QString pretty(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

// Cloudflare's envelope (see cloudflareEnvelope) around a successful HTTP answer.
Result<QJsonObject> resultOf(const HttpResponse &r)
{
    if (!r.ok())
        return *r.error;
    return cloudflareEnvelope(r.body);
}
} // namespace

TunnelRoutes::TunnelRoutes(QObject *parent) : QObject(parent) {}

QString TunnelRoutes::findCloudflared(const Connection &c)
{
    const QString configured = c.option(QStringLiteral("cloudflared"));
    if (!configured.isEmpty())
        return QFileInfo(configured).isExecutable() ? configured : QString();
    return QStandardPaths::findExecutable(QStringLiteral("cloudflared"));
}

bool TunnelRoutes::cloudflaredRunning()
{
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "cloudflared")
            return true;
    }
    return false;
}

void TunnelRoutes::run(const QString &program, const QStringList &args, int timeoutMs, const Log &log,
                       std::function<void(const Result<void> &)> done)
{
    log(QStringLiteral("$ %1 %2").arg(program, args.join(QLatin1Char(' '))), false);
    ProcessSpec spec;
    spec.program = program;
    spec.arguments = args;
    spec.timeoutMs = timeoutMs;
    runProcess(spec, this, [program, timeoutMs, log, done](const ProcessResult &r) {
        if (!r.started)
            return done(makeError("process.start", tr("Cannot start %1: %2").arg(program, r.error)));
        for (const QByteArray &line : r.output.split('\n'))
            if (!line.trimmed().isEmpty())
                log(QString::fromUtf8(line), !r.ok());
        if (r.timedOut)
            return done(makeError(
                "process.timeout",
                tr("%1 did not finish within %2 s and was stopped.").arg(program).arg(timeoutMs / 1000)));
        if (!r.ok())
            return done(
                makeError("process.failed", tr("%1 failed (exit code %2).").arg(program).arg(r.exitCode)));
        done({});
    });
}

HttpClient *TunnelRoutes::client(const Connection &c, const QString &secret, Error *error)
{
    if (!m_client)
        m_client = new HttpClient(this);
    if (auto r = m_client->setCaFile(c.caFile); !r) {
        *error = r.error();
        return nullptr;
    }
    m_client->setDefaultHeaders(authHeaders(c, secret));
    return m_client;
}

QList<IngressRule> ingressFromJson(const QJsonArray &ingress)
{
    QList<IngressRule> rules;
    for (const QJsonValue &v : ingress) {
        const QJsonObject o = v.toObject();
        IngressRule r;
        r.hostname = o.value(QLatin1String("hostname")).toString();
        r.path = o.value(QLatin1String("path")).toString();
        r.hasService = o.contains(QLatin1String("service"));
        r.service = o.value(QLatin1String("service")).toString();
        r.bastionMode =
            o.value(QLatin1String("originRequest")).toObject().value(QLatin1String("bastionMode")).toBool();
        rules << r;
    }
    return rules;
}

Result<QJsonObject> editRemoteConfig(const QJsonObject &config, RouteOp op, const QString &hostname, int port)
{
    if (auto r = validateRouteHostname(hostname); !r)
        return r.error();
    QJsonArray ingress = config.value(QLatin1String("ingress")).toArray();
    if (auto valid = validateIngress(ingressFromJson(ingress)); !valid && !ingress.isEmpty())
        return valid.error();
    int index = -1;
    for (int i = 0; i < ingress.size(); ++i) {
        const QJsonObject o = ingress.at(i).toObject();
        if (o.value(QLatin1String("hostname")).toString().compare(hostname, Qt::CaseInsensitive) == 0 &&
            o.value(QLatin1String("path")).toString().isEmpty())
            index = i;
    }
    const QString service = QStringLiteral("http://localhost:%1").arg(port);
    switch (op) {
    case RouteOp::Add:
        if (index >= 0)
            return makeError(
                "ingress.duplicate",
                TunnelRoutes::tr("%1 has an ingress rule already: update it instead of adding another.")
                    .arg(hostname));
        if (port < 1 || port > 65535)
            return makeError("port.range",
                             TunnelRoutes::tr("The port %1 is not a port: use 1 to 65535.").arg(port));
        if (ingress.isEmpty())
            ingress.append(QJsonObject{{QStringLiteral("service"), QStringLiteral("http_status:404")}});
        ingress.insert(ingress.size() - 1, QJsonObject{{QStringLiteral("hostname"), hostname},
                                                       {QStringLiteral("service"), service}});
        break;
    case RouteOp::Update: {
        if (index < 0)
            return makeError("ingress.missing",
                             TunnelRoutes::tr("%1 has no ingress rule to update.").arg(hostname));
        if (port < 1 || port > 65535)
            return makeError("port.range",
                             TunnelRoutes::tr("The port %1 is not a port: use 1 to 65535.").arg(port));
        QJsonObject rule = ingress.at(index).toObject();
        rule.insert(QStringLiteral("service"), service);
        ingress.replace(index, rule);
        break;
    }
    case RouteOp::Remove:
        if (index < 0)
            return makeError("ingress.missing",
                             TunnelRoutes::tr("%1 has no ingress rule to remove.").arg(hostname));
        ingress.removeAt(index);
        break;
    }
    if (auto valid = validateIngress(ingressFromJson(ingress)); !valid)
        return valid.error();
    QJsonObject out = config;
    out.insert(QStringLiteral("ingress"), ingress);
    return out;
}

void TunnelRoutes::remoteConfig(const Connection &c, const QString &secret,
                                std::function<void(const Result<QJsonObject> &)> done)
{
    const QString account = c.option(QStringLiteral("account_id")),
                  tunnel = c.option(QStringLiteral("tunnel_id"));
    if (account.isEmpty() || tunnel.isEmpty())
        return done(
            makeError("tunnel.config", tr("Set the tunnel's configuration file (a locally managed tunnel) or "
                                          "its tunnel ID (a remotely managed one) on the connection %1.")
                                           .arg(c.name)));
    Error error;
    HttpClient *http = client(c, secret, &error);
    if (!http)
        return done(error);
    HttpRequest r;
    r.url =
        apiUrl(c.endpoint,
               QStringLiteral("/accounts/%1/cfd_tunnel/%2/configurations").arg(enc(account), enc(tunnel)));
    r.what = tr("Reading the configuration of tunnel %1").arg(tunnel);
    http->send(r, this, [done](const HttpResponse &response) {
        const auto o = resultOf(response);
        if (!o)
            return done(o.error());
        done(o->value(QLatin1String("result")).toObject().value(QLatin1String("config")).toObject());
    });
}

void TunnelRoutes::status(const Connection &c, const QString &secret,
                          std::function<void(const Result<TunnelStatus> &)> done)
{
    TunnelStatus s;
    s.cloudflared = findCloudflared(c);
    s.cloudflaredRunning = cloudflaredRunning();
    const QString path = c.option(QStringLiteral("config_file"));
    if (!path.isEmpty()) {
        s.configPath = path;
        const auto text = readText(path);
        if (!text) {
            s.problem = text.message();
            return done(s);
        }
        s.text = text.value();
        const auto config = checkTunnelConfig(s.text);
        s.configValid = config.ok();
        if (config) {
            s.rules = config->rules;
            s.tunnel = config->tunnel;
        } else {
            s.problem = config.message();
            if (const auto parsed = parseTunnelConfig(s.text))
                s.rules = parsed->rules;
        }
        return done(s);
    }
    s.remote = true;
    s.tunnel = c.option(QStringLiteral("tunnel_id"));
    remoteConfig(c, secret, [s, done](const Result<QJsonObject> &config) mutable {
        if (!config)
            return done(config.error());
        s.rules = ingressFromJson(config->value(QLatin1String("ingress")).toArray());
        const auto valid = validateIngress(s.rules);
        s.configValid = valid.ok();
        s.problem = valid.message();
        s.text = pretty(config.value());
        done(s);
    });
}

void TunnelRoutes::preview(const Connection &c, const QString &secret, RouteOp op, const QString &hostname,
                           int port, std::function<void(const Result<RoutePreview> &)> done)
{
    const QString path = c.option(QStringLiteral("config_file"));
    if (!path.isEmpty()) {
        const auto text = readText(path);
        if (!text)
            return done(text.error());
        const Result<QString> after = op == RouteOp::Add      ? addRoute(text.value(), hostname, port)
                                      : op == RouteOp::Update ? updateRoute(text.value(), hostname, port)
                                                              : removeRoute(text.value(), hostname);
        if (!after)
            return done(after.error());
        return done(RoutePreview{text.value(), after.value(),
                                 unifiedDiff(text.value(), after.value(), QFileInfo(path).fileName())});
    }
    remoteConfig(c, secret, [op, hostname, port, done](const Result<QJsonObject> &config) {
        if (!config)
            return done(config.error());
        const auto after = editRemoteConfig(config.value(), op, hostname, port);
        if (!after)
            return done(after.error());
        done(RoutePreview{pretty(config.value()), pretty(after.value()),
                          unifiedDiff(pretty(config.value()), pretty(after.value()),
                                      QStringLiteral("tunnel configuration"))});
    });
}

void TunnelRoutes::apply(const Connection &c, const QString &secret, RouteOp op, const QString &hostname,
                         int port, const QString &expectedBefore, Log log,
                         std::function<void(const Result<void> &)> done)
{
    preview(
        c, secret, op, hostname, port,
        [this, c, secret, op, hostname, expectedBefore, log, done](const Result<RoutePreview> &p) {
            if (!p)
                return done(p.error());
            if (!expectedBefore.isEmpty() && p->before != expectedBefore)
                return done(makeError("tunnel.changed",
                                      tr("The tunnel configuration changed since the preview: look at "
                                         "the new difference and apply again.")));
            const QString path = c.option(QStringLiteral("config_file"));
            if (!path.isEmpty()) {
                const auto backup = writeTunnelConfig(path, p->after);
                if (!backup)
                    return done(backup.error());
                log(backup->isEmpty()
                        ? tr("Wrote %1.").arg(path)
                        : tr("Wrote %1 (the previous version is in %2).").arg(path, backup.value()),
                    false);
                const QString cloudflared = findCloudflared(c);
                const auto config = parseTunnelConfig(p->after);
                // After the DNS route (where there is one to make): the restart command, if any.
                const auto restartThenDone = [this, c, cloudflared, log, done] {
                    const QString restart = c.option(QStringLiteral("restart_command"));
                    if (restart.isEmpty()) {
                        if (!cloudflared.isEmpty())
                            log(tr("No restart command is set on the connection: cloudflared picks the "
                                   "change "
                                   "up when it restarts."),
                                false);
                        return done({});
                    }
                    const QStringList args = QProcess::splitCommand(restart);
                    if (args.isEmpty())
                        return done(makeError(
                            "tunnel.restart",
                            tr("The restart command \"%1\" cannot be split into arguments.").arg(restart)));
                    run(args.first(), args.mid(1), 120000, log, [done](const Result<void> &r) {
                        if (!r)
                            return done(makeError(
                                "tunnel.restart",
                                tr("The configuration was written, but restarting cloudflared failed: %1")
                                    .arg(r.message())));
                        done({});
                    });
                };
                if (op != RouteOp::Add)
                    return restartThenDone();
                if (cloudflared.isEmpty()) {
                    log(tr("cloudflared is not installed here: create the DNS record for %1 yourself "
                           "(cloudflared tunnel route dns %2 %1).")
                            .arg(hostname, config ? config->tunnel : QStringLiteral("TUNNEL")),
                        true);
                    return restartThenDone();
                }
                return run(cloudflared,
                           {QStringLiteral("tunnel"), QStringLiteral("route"), QStringLiteral("dns"),
                            config ? config->tunnel : QString(), hostname},
                           60000, log, [done, restartThenDone](const Result<void> &r) {
                               if (!r)
                                   return done(makeError(
                                       r.error().code.toLatin1().constData(),
                                       tr("The configuration was written, but the DNS route failed: %1")
                                           .arg(r.message())));
                               restartThenDone();
                           });
            }
            // Remote: replace the configuration, then the DNS record.
            Error error;
            HttpClient *http = client(c, secret, &error);
            if (!http)
                return done(error);
            const QString account = c.option(QStringLiteral("account_id")),
                          tunnel = c.option(QStringLiteral("tunnel_id"));
            HttpRequest put;
            put.method = "PUT";
            put.url = apiUrl(
                c.endpoint,
                QStringLiteral("/accounts/%1/cfd_tunnel/%2/configurations").arg(enc(account), enc(tunnel)));
            put.body = QJsonDocument(QJsonObject{{QStringLiteral("config"),
                                                  QJsonDocument::fromJson(p->after.toUtf8()).object()}})
                           .toJson(QJsonDocument::Compact);
            put.headers.emplaceBack("Content-Type", "application/json");
            put.what = tr("Updating the configuration of tunnel %1").arg(tunnel);
            http->send(
                put, this, [this, c, http, op, hostname, tunnel, log, done](const HttpResponse &response) {
                    if (const auto o = resultOf(response); !o)
                        return done(o.error());
                    log(tr("Updated the tunnel configuration."), false);
                    const QString zone = c.option(QStringLiteral("zone_id"));
                    if (op == RouteOp::Update)
                        return done({});
                    if (zone.isEmpty()) {
                        log(tr("No zone ID on the connection: create or delete the DNS record for %1 "
                               "yourself.")
                                .arg(hostname),
                            true);
                        return done({});
                    }
                    const QString target = tunnel + QStringLiteral(".cfargotunnel.com");
                    if (op == RouteOp::Add) {
                        HttpRequest dns;
                        dns.method = "POST";
                        dns.url = apiUrl(c.endpoint, QStringLiteral("/zones/%1/dns_records").arg(enc(zone)));
                        dns.body = QJsonDocument(
                                       QJsonObject{{QStringLiteral("type"), QStringLiteral("CNAME")},
                                                   {QStringLiteral("name"), hostname},
                                                   {QStringLiteral("content"), target},
                                                   {QStringLiteral("proxied"), true},
                                                   {QStringLiteral("comment"), tr("Opsdeck: tunnel route")}})
                                       .toJson(QJsonDocument::Compact);
                        dns.headers.emplaceBack("Content-Type", "application/json");
                        dns.what = tr("Creating the DNS record %1").arg(hostname);
                        http->send(dns, this, [hostname, target, log, done](const HttpResponse &created) {
                            if (const auto o = resultOf(created); !o)
                                return done(makeError("cloudflare.dns",
                                                      tr("The route was added, but the DNS record failed: %1")
                                                          .arg(o.message())));
                            log(tr("Created the DNS record %1 → %2.").arg(hostname, target), false);
                            done({});
                        });
                        return;
                    }
                    // Remove: the CNAME that points at this tunnel goes too.
                    HttpRequest find;
                    find.url = apiUrl(c.endpoint, QStringLiteral("/zones/%1/dns_records?type=CNAME&name=%2")
                                                      .arg(enc(zone), enc(hostname)));
                    find.what = tr("Looking up the DNS record %1").arg(hostname);
                    http->send(
                        find, this,
                        [this, c, http, zone, hostname, target, log, done](const HttpResponse &found) {
                            const auto o = resultOf(found);
                            if (!o)
                                return done(o.error());
                            const QString recordId = cnameRecordId(o.value(), hostname, target);
                            if (recordId.isEmpty()) {
                                log(tr("No DNS record of %1 points at this tunnel: nothing to delete.")
                                        .arg(hostname),
                                    false);
                                return done({});
                            }
                            HttpRequest del;
                            del.method = "DELETE";
                            del.url = apiUrl(
                                c.endpoint,
                                QStringLiteral("/zones/%1/dns_records/%2").arg(enc(zone), enc(recordId)));
                            del.what = tr("Deleting the DNS record %1").arg(hostname);
                            http->send(del, this, [hostname, log, done](const HttpResponse &deleted) {
                                if (const auto d = resultOf(deleted); !d)
                                    return done(d.error());
                                log(tr("Deleted the DNS record %1.").arg(hostname), false);
                                done({});
                            });
                        });
                });
        });
}

} // namespace opsdeck
