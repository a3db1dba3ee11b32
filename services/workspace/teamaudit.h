// The team's audit trail in the workspace store: each desktop appends its own hash chain (the
// cache's local audit events) to team_audit, keyed by (desktop, event id), and no login may change
// or delete a row there. Sending starts after the newest event the store already holds from this
// desktop and goes in batches of one transaction each, so every event arrives exactly once, in
// order, also after the store or the desktop stopped half-way. The other desktops' events are
// pulled into the cache as imported events, so offline review covers the whole team.
#pragma once

#include "models/core/result.h"

#include <QList>
#include <QString>

namespace opsdeck {

class WorkspaceStore;

namespace TeamAudit {

// The source of another desktop's events in the cache: "team:DESKTOP".
QString source(const QString &desktopId);

// Sends this desktop's local events that the store does not hold yet. Returns the newest event id
// the store holds from this desktop afterwards (0: none).
Result<qint64> push(const WorkspaceStore &store, const QString &desktopId, int batch = 500);
// Local events after pushedThrough: what the outbox still holds.
qint64 pending(qint64 pushedThrough);
// Pulls the other desktops' new events into the cache (in one cache transaction per batch). Returns
// how many arrived.
Result<qint64> pull(const WorkspaceStore &store, const QString &ownDesktopId, int batch = 500);

struct ChainReport
{
    QString desktopId;
    QStringList people; // who appended to it
    qint64 events = 0;
    bool ok = true;
    qint64 firstBadSeq = 0;
    QString problem; // for people: what is wrong with the first bad event
    // A desktop that pruned its audit log (AuditRetention) before it joined sends its chain from
    // the anchor on: the events up to this one were removed there, as its audit.prune event says.
    qint64 prunedThroughSeq = 0;
};
// Walks every desktop's chain in the store, recomputing each hash. A chain that does not start at
// the genesis hash is accepted only when one of its own events is the audit.prune that removed
// what came before (the anchor's id and hash), as AuditLog::verify does for the local chain.
Result<QList<ChainReport>> verify(const WorkspaceStore &store);

} // namespace TeamAudit
} // namespace opsdeck
