// Applies a change to a person (models/workspace/personchange.h) to a workspace store, as its
// acting person. On a team store through the store's SECURITY DEFINER functions (opsdeck_person_add,
// _edit, _set_role, _set_active), so that PostgreSQL decides whether this login may; on a local
// store the same rules as plain statements, for its one admin. Either way the change is made
// whole or not at all.
#pragma once

#include "models/audit/auditevent.h"
#include "models/workspace/personchange.h"
#include "services/workspace/workspacestore.h"

namespace opsdeck::PeopleChanges {

// "workspace.invalid", "workspace.denied" (the store refused this login), "workspace.exists",
// "workspace.no-person", or "workspace.sql" with the store's words.
Result<void> apply(const WorkspaceStore &store, const PersonChange &change);

// The person as a store or the cache's copy has them, for the audit event's "before" (empty: none).
QJsonObject personRecord(const WorkspacePerson &person);
// The audit event of one change, made or refused: who (actor, the workspace login) changed whom in
// which workspace, the person before and after, the comment, and the error when refused.
AuditEvent auditEvent(const PersonChange &change, const QString &actor, const QString &workspace,
                      const QJsonObject &before, const Result<void> &outcome);

} // namespace opsdeck::PeopleChanges
