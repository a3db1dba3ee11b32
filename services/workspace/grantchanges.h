// Applies a change to the grants (models/workspace/grantchange.h) to a workspace store, as its
// acting person: on a team store through opsdeck_grant_add and opsdeck_grant_revoke, so that
// PostgreSQL decides whether this login may ("nobody grants what they do not hold"); on a local
// store as plain statements, for its one superuser. Either way one statement, whole or not at all.
#pragma once

#include "models/audit/auditevent.h"
#include "models/workspace/grantchange.h"
#include "services/workspace/workspacestore.h"

namespace opsdeck::GrantChanges {

// The new grant's id (Add) or the revoked one's (Revoke). "workspace.invalid", "workspace.denied"
// (the store refused this login), "workspace.exists" (the same grant is there already),
// "workspace.no-grant", "workspace.no-person" (a grant for a login that is not a person of the
// workspace), or "workspace.sql" with the store's words.
Result<qint64> apply(const WorkspaceStore &store, const GrantChange &change);

// The audit event of one change, made or refused: who changed which grant in which workspace, the
// grant itself, the comment, and the error when refused.
AuditEvent auditEvent(const GrantChange &change, const QString &actor, const QString &workspace,
                      const Result<qint64> &outcome);

} // namespace opsdeck::GrantChanges
