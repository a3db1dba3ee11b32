// Which workspace this desktop uses and how it stands, as the workspace service last recorded it in
// the cache (workspace_state): the local store or a team's, online or not, how old the copy is,
// and how many local audit events the outbox still holds. One row, read on the calling thread.
#pragma once

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

namespace opsdeck {

struct WorkspaceStatus
{
    bool known = false; // false: the service has not recorded anything yet
    bool team = false;
    QString address; // "postgresql://alice@db:5432/opsdeck" or "local: /path/workspace.sqlite"
    bool online = false;
    QString problem;
    QDateTime syncedAt;
    qint64 pendingAudit = 0; // team: local events not yet in the store

    // One sentence for a status line.
    QString describe() const;
};

WorkspaceStatus readWorkspaceStatus(QSqlDatabase db);

} // namespace opsdeck
