// GitHub REST answers -> domain types: a runners page and the App's installations.
#include "probes.h"
#include "runner.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto page = opsdeck::parseRunnerPage(body)) {
        for (const opsdeck::Runner &r : page->runners)
            (void)r.labels.join(QLatin1Char(','));
    }
    if (const auto installations = opsdeck::parseInstallations(body)) {
        for (const opsdeck::GitHubInstallation &i : installations.value())
            (void)i.describe();
    }
    return 0;
}
