-- Opsdeck cache, schema 17: the copy of the workspace's vulnerability gate (settings and CVE
-- exceptions), so that deploys, the Images pane and `opsdeck images check` judge by it offline.
CREATE TABLE workspace_image_gate (
    project         TEXT PRIMARY KEY,
    threshold       TEXT NOT NULL DEFAULT '',
    block_unscanned INTEGER NOT NULL DEFAULT 0,
    comment         TEXT NOT NULL DEFAULT '',
    updated_by      TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE workspace_cve_exceptions (
    id         INTEGER PRIMARY KEY,
    cve        TEXT NOT NULL,
    image      TEXT NOT NULL DEFAULT '',
    project    TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT '',
    granted_by TEXT NOT NULL DEFAULT '',
    granted_at TEXT NOT NULL DEFAULT '',
    expires_at TEXT NOT NULL DEFAULT ''
);
