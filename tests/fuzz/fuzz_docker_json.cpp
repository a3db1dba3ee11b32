// Docker Engine answers -> domain types: the container list, /system/df, a created container's id
// and the inspection the log view reads.
#include "models/docker/container.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto containers = opsdeck::parseContainerList(body)) {
        for (const opsdeck::Container &c : containers.value())
            (void)opsdeck::describePorts(c.ports);
    }
    (void)opsdeck::parseDiskUsage(body);
    if (const auto id = opsdeck::parseCreatedContainer(body))
        for (const QChar ch : id.value())
            if (!ch.isDigit() && (ch < QLatin1Char('a') || ch > QLatin1Char('f')))
                __builtin_trap(); // an accepted id is safe in a request path
    (void)opsdeck::parseContainerLogInfo(body);
    return 0;
}
