// Cloudflare's tunnel configuration as the API returns it ({"result": {"config": {"ingress": …}}}):
// read into ingress rules, checked by cloudflared's rules, and edited the way a route change edits
// it. A change that succeeds must leave a configuration that passes and holds the route. Also the
// API's envelope and the DNS record a route removal would delete.
#include "models/tunnel/cloudflareapi.h"
#include "services/tunnel/tunnelroutes.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto envelope = opsdeck::cloudflareEnvelope(body)) {
        const QString host = QStringLiteral("app.example.com"), target = QStringLiteral("t.cfargotunnel.com");
        const QString id = opsdeck::cnameRecordId(envelope.value(), host, target);
        if (!id.isEmpty()) {
            // The chosen record is a CNAME of that name pointing at the tunnel, never another one.
            bool found = false;
            for (const QJsonValue &v : envelope->value(QLatin1String("result")).toArray()) {
                const QJsonObject r = v.toObject();
                found = found || (r.value(QLatin1String("id")).toString() == id &&
                                  r.value(QLatin1String("type")).toString() == QLatin1String("CNAME"));
            }
            if (!found)
                __builtin_trap();
        }
    }
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    QJsonObject config =
        doc.object().value(QLatin1String("result")).toObject().value(QLatin1String("config")).toObject();
    if (config.isEmpty())
        config = doc.object();
    const QList<opsdeck::IngressRule> rules =
        opsdeck::ingressFromJson(config.value(QLatin1String("ingress")).toArray());
    (void)opsdeck::validateIngress(rules);
    const QString host = QStringLiteral("fuzz.example.com");
    const auto added = opsdeck::editRemoteConfig(config, opsdeck::RouteOp::Add, host, 8080);
    if (added) {
        const QList<opsdeck::IngressRule> after =
            opsdeck::ingressFromJson(added->value(QLatin1String("ingress")).toArray());
        if (!opsdeck::validateIngress(after))
            __builtin_trap();
        if (std::none_of(after.cbegin(), after.cend(),
                         [&](const opsdeck::IngressRule &r) { return r.hostname == host; }))
            __builtin_trap();
        if (!opsdeck::editRemoteConfig(added.value(), opsdeck::RouteOp::Remove, host, 0))
            __builtin_trap(); // what was added can be removed
    }
    for (const opsdeck::IngressRule &r : rules)
        if (!r.hostname.isEmpty())
            (void)opsdeck::editRemoteConfig(config, opsdeck::RouteOp::Update, r.hostname, 9090);
    return 0;
}
