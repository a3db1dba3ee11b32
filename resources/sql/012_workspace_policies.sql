-- Opsdeck cache, schema 12: runner label policies are the workspace's (the team's, when this desktop
-- joined one). The copy of the store's policies, by connection name, beside this desktop's own
-- records; a policy saved here is pending until the workspace service has sent it to the store.
-- What applies to a connection: this desktop's pending change, else the workspace's policy, else
-- the desktop's own (one saved before the workspace kept policies).
ALTER TABLE runner_policies ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;

CREATE TABLE workspace_runner_policies (
    connection  TEXT PRIMARY KEY,
    policy_json TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE VIEW effective_runner_policies AS
SELECT c.id AS connection_id,
       COALESCE(CASE WHEN l.pending = 1 THEN l.policy_json END, w.policy_json, l.policy_json) AS policy_json,
       CASE WHEN l.pending = 1 OR w.connection IS NULL THEN '' ELSE w.updated_by END AS updated_by
FROM connections c
LEFT JOIN runner_policies l ON l.connection_id = c.id
LEFT JOIN workspace_runner_policies w ON w.connection = c.name
WHERE l.connection_id IS NOT NULL OR w.connection IS NOT NULL;
