// Docker Engine answers -> domain types: the container list, /system/df, a created container's id
// the inspection the log view reads, and the GET /version answer the API version is negotiated from.
#include "models/docker/container.h"
#include "models/docker/engineapi.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto containers = opsdeck::parseContainerList(body)) {
        for (const opsdeck::Container &c : containers.value())
            (void)opsdeck::describePorts(c.ports);
    }
    if (const auto usage = opsdeck::parseDiskUsage(body))
        for (const opsdeck::DiskUsageKind &k : usage.value())
            if (k.reclaimable < 0 || k.reclaimable > k.size)
                __builtin_trap(); // reclaimable is a part of the size
    if (const auto negotiated = opsdeck::EngineApi::negotiate(body, QStringLiteral("fuzz"))) {
        // A pinned version goes into every request path: MAJOR.MINOR, never above what the mappers read.
        const int pinned = opsdeck::EngineApi::number(QString::fromLatin1(negotiated->version));
        if (pinned < opsdeck::EngineApi::number(QLatin1String(opsdeck::EngineApi::oldest)) ||
            pinned > opsdeck::EngineApi::number(QLatin1String(opsdeck::EngineApi::newest)))
            __builtin_trap();
    }
    if (const auto id = opsdeck::parseCreatedContainer(body))
        for (const QChar ch : id.value())
            if (!ch.isDigit() && (ch < QLatin1Char('a') || ch > QLatin1Char('f')))
                __builtin_trap(); // an accepted id is safe in a request path
    (void)opsdeck::parseContainerLogInfo(body);
    return 0;
}
