-- Opsdeck cache, schema 8: which workspace the copy comes from (the local store or a team's) and
-- who acts in it on this desktop, how
-- far this desktop's audit chain has reached the team store (the outbox is every local event
-- after it), and how far each other desktop's chain has been pulled into the cache.
ALTER TABLE workspace_state ADD COLUMN kind TEXT NOT NULL DEFAULT 'team';
ALTER TABLE workspace_state ADD COLUMN desktop_id TEXT NOT NULL DEFAULT '';
ALTER TABLE workspace_state ADD COLUMN login TEXT NOT NULL DEFAULT ''; -- the person acting on this desktop
ALTER TABLE workspace_state ADD COLUMN audit_pushed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE team_audit_pulled (
    desktop_id TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL
);
