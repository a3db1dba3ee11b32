-- Opsdeck cache, schema 14: the copy of the workspace's image records (projects with their
-- managers and members, the allowlist, the requests), so that the Images pane, deploys and
-- `opsdeck images check` read them at once and offline.
CREATE TABLE workspace_projects (
    name     TEXT PRIMARY KEY,
    managers TEXT NOT NULL DEFAULT '[]', -- JSON array of logins
    members  TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE workspace_image_allowlist (
    id              INTEGER PRIMARY KEY,
    entry           TEXT NOT NULL,
    project         TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    added_by        TEXT NOT NULL DEFAULT '',
    added_at        TEXT NOT NULL DEFAULT '',
    expires_at      TEXT NOT NULL DEFAULT '',
    approved_digest TEXT NOT NULL DEFAULT ''
);

CREATE TABLE workspace_image_requests (
    id           INTEGER PRIMARY KEY,
    reference    TEXT NOT NULL,
    project      TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    requested_by TEXT NOT NULL DEFAULT '',
    requested_at TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'pending',
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   TEXT NOT NULL DEFAULT '',
    answer       TEXT NOT NULL DEFAULT '',
    entry_id     INTEGER NOT NULL DEFAULT 0
);
