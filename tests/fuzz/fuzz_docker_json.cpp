// Docker Engine answers -> domain types: the container list and /system/df.
#include "container.h"

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
    return 0;
}
