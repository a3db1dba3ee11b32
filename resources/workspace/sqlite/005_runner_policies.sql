-- Opsdeck local workspace, schema 5: runner label policies, by connection name, as in the team
-- workspace's schema 5; the local store's one admin saves them.
CREATE TABLE runner_policies (
    connection TEXT PRIMARY KEY CHECK (length(connection) BETWEEN 1 AND 200),
    policy     TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
