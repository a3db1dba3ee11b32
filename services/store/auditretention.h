// The audit retention of the local cache ([audit] keep_days, Settings › Audit Log): the oldest
// events go, and the chain stays verifiable. A prune removes the local events older than the
// cut-off up to the first one that is not (never one out of order), and the imported events older
// than it; it records the last removed event's hash as the anchor that verification starts from
// (audit_prunes) and appends a chained audit.prune event that names it. It removes nothing while
// the chain is broken (that is evidence), and, on a desktop that joined a team workspace, nothing
// that has not been sent to the team yet.
#pragma once

#include "models/audit/auditevent.h"
#include "models/core/result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

namespace opsdeck {

struct AuditPrunePlan
{
    int keepDays = 0;
    QDateTime olderThan;       // events before it may go
    qint64 throughId = 0;      // the last local event that goes (0: none)
    QString throughHash;       // its hash
    qint64 localEvents = 0;    // chained events that go
    qint64 importedEvents = 0; // imported events that go
    qint64 heldForTeam = 0;    // old enough, but not in the team workspace yet: kept
    bool removesNothing() const { return localEvents == 0 && importedEvents == 0; }
};

namespace AuditRetention {

constexpr int maxKeepDays = 3650; // SettingDefaults::auditKeepDaysMax

// What a prune keeping keepDays days (1–maxKeepDays) would remove at now. teamJoined: this desktop
// sends its chain to a team workspace, so only events it has sent (workspace_state) may go.
Result<AuditPrunePlan> plan(QSqlDatabase db, int keepDays, const QDateTime &now, bool teamJoined);

// Verifies the chain, then removes what plan() names in one transaction of this thread's cache
// connection with its audit.prune event, and announces the change. trigger: "automatic" or
// "manual". "audit.broken" when the chain does not verify: nothing is removed.
Result<AuditPrunePlan> apply(int keepDays, const QDateTime &now, bool teamJoined, const QString &trigger);

// The audit.prune event of a prune that removed nothing because of error.
AuditEvent failureEvent(int keepDays, const Error &error, const QString &trigger);

// "1,204 audit events older than 90 days were removed (…)": for the log, the CLI and the UI.
QString summaryText(const AuditPrunePlan &plan, bool done);

} // namespace AuditRetention

} // namespace opsdeck
