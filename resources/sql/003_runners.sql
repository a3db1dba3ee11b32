-- Opsdeck cache, schema 3: GitHub Actions self-hosted runners, their label policy and what
-- Opsdeck provisioned.
CREATE TABLE runners (
    connection_id   INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    scope           TEXT    NOT NULL,   -- "org:acme" or "repo:acme/app"
    runner_id       INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    os              TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT '',
    busy            INTEGER NOT NULL DEFAULT 0,
    ephemeral       INTEGER NOT NULL DEFAULT 0,
    runner_group_id INTEGER,
    labels          TEXT    NOT NULL DEFAULT '[]', -- JSON array of label names
    first_seen_at   TEXT    NOT NULL,
    last_seen_at    TEXT    NOT NULL,
    removed_at      TEXT,                           -- gone from GitHub: kept for history
    PRIMARY KEY (connection_id, scope, runner_id)
);
CREATE INDEX runners_name ON runners (name);

CREATE TABLE runner_policies (
    connection_id INTEGER PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
    policy_json   TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE runner_provisioning (
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    scope         TEXT    NOT NULL,
    runner_id     INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    labels        TEXT    NOT NULL,   -- JSON array: the labels that were requested
    mode          TEXT    NOT NULL,   -- jit or registration-token
    requested_by  TEXT    NOT NULL,
    requested_at  TEXT    NOT NULL,
    PRIMARY KEY (connection_id, scope, runner_id)
);

-- The history of one target (a runner's detail view reads it).
CREATE INDEX audit_events_target ON audit_events (target_kind, target_id);
