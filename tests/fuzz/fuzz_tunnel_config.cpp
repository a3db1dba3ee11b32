// cloudflared's config.yml: parsed and checked by cloudflared's ingress rules, then edited the way
// a route change edits it. An edit that succeeds must leave a configuration that still passes.
#include "models/tunnel/ingress.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto checked = opsdeck::checkTunnelConfig(text);
    if (!checked)
        return 0;
    const QString host = QStringLiteral("fuzz.example.com");
    if (const auto added = opsdeck::addRoute(text, host, 8080)) {
        if (!opsdeck::checkTunnelConfig(added.value()))
            __builtin_trap();
        if (const auto removed = opsdeck::removeRoute(added.value(), host); !removed)
            __builtin_trap(); // what was added can be removed
        (void)opsdeck::unifiedDiff(text, added.value(), QStringLiteral("config.yml"));
    }
    for (const opsdeck::IngressRule &r : checked->rules)
        if (!r.hostname.isEmpty())
            (void)opsdeck::updateRoute(text, r.hostname, 9090);
    return 0;
}
