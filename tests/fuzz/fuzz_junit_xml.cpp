// JUnit XML reports -> test cases (models/testruns/junitreader.h). Whatever the input: every case
// handed over is counted once in the totals, flaky ones are passed ones, times are finite and not
// negative, kept texts stay within their bound, and a refusal hands over no totals.
#include "models/testruns/junitreader.h"

#include <cmath>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    opsdeck::JUnitLimits limits;
    limits.textPerField = 256;
    int cases = 0, failed = 0, errored = 0, skipped = 0, passed = 0, flaky = 0;
    const auto report = opsdeck::readJUnit(
        body,
        [&](opsdeck::JUnitCase &&c) {
            ++cases;
            failed += c.outcome == opsdeck::CaseOutcome::Failed;
            errored += c.outcome == opsdeck::CaseOutcome::Errored;
            skipped += c.outcome == opsdeck::CaseOutcome::Skipped;
            passed += c.outcome == opsdeck::CaseOutcome::Passed;
            flaky += c.flaky;
            if ((c.flaky && c.outcome != opsdeck::CaseOutcome::Passed) || !std::isfinite(c.seconds) ||
                c.seconds < 0 || c.line < 0 || c.details.size() > 256 || c.systemOut.size() > 256 ||
                c.systemErr.size() > 256 || c.message.size() > 256)
                __builtin_trap();
        },
        limits);
    if (!report) {
        if (!report.error().code.startsWith(QLatin1String("junit.")) || report.message().isEmpty())
            __builtin_trap();
        return 0;
    }
    const opsdeck::JUnitTotals &t = report->totals;
    if (t.tests != cases || t.failed != failed || t.errors != errored || t.skipped != skipped ||
        t.passed != passed || t.flaky != flaky || t.passed + t.failed + t.errors + t.skipped != t.tests ||
        !std::isfinite(t.seconds) || t.seconds < 0 || report->notes.size() > limits.notes)
        __builtin_trap();
    return 0;
}
