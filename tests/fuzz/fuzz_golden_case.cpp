// Golden case files and response bodies (models/testruns/golden.h). Whatever the input: a case is
// read or refused with its file named; a case read compares with any response body (the input
// itself) without crashing, and the list of differences stays bounded.
#include "models/testruns/golden.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto c = opsdeck::parseGoldenCase(input, QStringLiteral("fuzz.json"));
    if (!c) {
        if (c.error().code != QLatin1String("golden.case") ||
            !c.message().startsWith(QLatin1String("fuzz.json: ")))
            __builtin_trap();
        return 0;
    }
    if (c->request.method.isEmpty() || !c->request.path.startsWith(QLatin1Char('/')) ||
        c->expect.status < 100 || c->expect.status > 599)
        __builtin_trap();
    const auto found = opsdeck::compareGoldenResponse(c->expect, 200, {}, input);
    if (found.size() > 200 + c->expect.headers.size() + 2)
        __builtin_trap();
    (void)opsdeck::goldenDiffText(found);
    return 0;
}
