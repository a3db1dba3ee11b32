// A crash report instead of a silent death: on SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT the
// process writes <data dir>/crashes/crash-<UTC time>-<pid>.txt (version, signal, faulting address,
// thread, backtrace) and then dies of the same signal, through whatever handler was there before
// (a sanitizer's report still appears). The report holds no memory contents, so no secret can be
// in it; and core dumps are off while Opsdeck runs (it holds tokens in memory) unless
// OPSDECK_CORE_DUMPS=1 is set. The next start finds the report and tells the admin.
#pragma once

#include <QString>
#include <QStringList>

namespace opsdeck::CrashHandler {

// Installs the handlers for this process; reports go to dataDir/crashes.
void install(const QString &dataDir);

// Reports written since the last call (by an earlier run that crashed), newest first; the call
// marks them as told, so each is announced once. Keeps the newest 20 reports and removes older ones.
QStringList takeNewReports(const QString &dataDir);

// The first line of a report: "Opsdeck 0.4.0 crashed: signal 11 (SIGSEGV) at 2026-12-01T20:15:03Z".
QString summary(const QString &reportPath);

} // namespace opsdeck::CrashHandler
