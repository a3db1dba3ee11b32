// What the person acting on this desktop may do, decided from the cache's copy of the workspace
// (workspace_state names them; workspace_people and workspace_grants hold the copy). Every service
// asks this before any remote call, so a refused action never reaches GitHub, Docker or Cloudflare,
// and is audited as refused; the window asks the same to disable an action with the reason.
//
// No workspace read yet (a first start, before the workspace service has run): the desktop's own
// local workspace applies, whose one admin may do everything.
#pragma once

#include "models/core/result.h"
#include "models/workspace/permissions.h"

#include <QSqlDatabase>

namespace opsdeck {

struct ActingDecision
{
    QString login;               // empty: no workspace read yet
    PermissionDecision decision; // allowed, the deciding grant, the reason
};

// Who acts on this desktop, as the cache's copy has them, and every grant of the copy.
struct ActingContext
{
    QString login;                         // empty: no workspace read yet (this desktop's own)
    std::optional<WorkspacePerson> person; // none: the login is not a person of the workspace
    QList<WorkspaceGrant> grants;
};
Result<ActingContext> readActing(QSqlDatabase cache);

// "workspace.read" when the copy cannot be read.
Result<ActingDecision> decideActing(QSqlDatabase cache, const QString &action, const QString &scope);
// The same as an error to refuse with: "permission.denied", naming the person and the reason.
Result<void> checkActing(QSqlDatabase cache, const QString &action, const QString &scope);

// The workspace login of the person acting on this desktop; empty before the workspace service
// recorded one (or when the copy cannot be read).
QString actingLogin(QSqlDatabase cache);

// Scope facets for what is done, as grants name them: "connection:NAME".
QString connectionFacet(const QString &connectionName);

} // namespace opsdeck
