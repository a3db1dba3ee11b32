-- Opsdeck cache, schema 28: the audit retention of the local cache. A prune removes the oldest
-- local events up to one of them (the anchor) and imported events older than its cut-off, and says
-- so here; verification then starts from the anchor's hash, and a chained audit.prune event after
-- it records the prune itself. Nothing else may remove an event.
CREATE TABLE audit_prunes (
    id               INTEGER PRIMARY KEY,
    through_id       INTEGER NOT NULL, -- the last local event removed: the chain goes on from it
    through_hash     TEXT    NOT NULL, -- its hash
    older_than       TEXT    NOT NULL, -- UTC, ISO 8601: imported events before it were removed
    local_removed    INTEGER NOT NULL,
    imported_removed INTEGER NOT NULL,
    pruned_at        TEXT    NOT NULL,
    os_user          TEXT    NOT NULL DEFAULT ''
);

DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN (old.source = 'local' AND old.id > (SELECT COALESCE(MAX(through_id), 0) FROM audit_prunes))
  OR (old.source <> 'local' AND old.ts >= (SELECT COALESCE(MAX(older_than), '') FROM audit_prunes))
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: only a recorded retention prune removes them');
END;

-- The search index forgets what a prune removed (a contentless index is told the old values).
CREATE TRIGGER audit_events_fts_delete AFTER DELETE ON audit_events BEGIN
    INSERT INTO audit_fts (audit_fts, rowid, action, target, actor, comment, details)
    VALUES ('delete', old.id, old.action,
            old.target_kind || ' ' || old.target_id || ' ' || old.target_name,
            old.os_user || ' ' || old.backend_identity, old.comment, old.details);
END;
