// Golden case files and response bodies (models/testruns/golden.h). Whatever the input: a case is
// read or refused with its file named; a case read compares with any response body (the input
// itself) without crashing, and the list of differences stays bounded; a run of that case, whatever
// the response held, becomes a JUnit report the JUnit reader reads back as one case of that outcome.
#include "models/testruns/golden.h"
#include "models/testruns/goldensuite.h"
#include "models/testruns/junitreader.h"

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

    opsdeck::GoldenResult result;
    result.goldenCase = c.value();
    result.status = 200;
    result.body = input;
    result.headers.append({QStringLiteral("X-Echo"), QString::fromUtf8(input.left(200))});
    result.mismatches = found;
    const QByteArray report = opsdeck::goldenJUnitReport(QString::fromUtf8(input.left(40)), {result},
                                                         QDateTime::fromSecsSinceEpoch(1764800000));
    int cases = 0;
    const auto read = opsdeck::readJUnit(report, [&cases](opsdeck::JUnitCase &&) { ++cases; });
    if (!read || cases != 1 || read->totals.tests != 1 || (read->totals.failed == 1) != !found.isEmpty())
        __builtin_trap();
    return 0;
}
