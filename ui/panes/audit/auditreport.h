// The printable PDF report of the Audit log pane: the filter at the top, then the events.
#pragma once

#include "models/audit/auditevent.h"
#include "models/core/result.h"

#include <functional>

namespace opsdeck::AuditReport {

inline constexpr int maxEvents = 5000;

// Runs on any thread with its own cache connection. Returns the number of events in the report.
Result<int> writePdf(const QString &path, const AuditFilter &filter,
                     const std::function<bool(int, int)> &progress = {});

} // namespace opsdeck::AuditReport
