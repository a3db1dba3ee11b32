-- Opsdeck cache, schema 7: the last copy of the team workspace, so that people and grants can be
-- read offline (workspace_state says how old the copy is and whether the store answers).
CREATE TABLE workspace_people (
    login        TEXT PRIMARY KEY,
    email        TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    github_login TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL DEFAULT '',
    last_seen_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE workspace_grants (
    id           INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject      TEXT NOT NULL,
    action       TEXT NOT NULL,
    scope        TEXT NOT NULL,
    effect       TEXT NOT NULL,
    granted_by   TEXT NOT NULL
);
CREATE TABLE workspace_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    address   TEXT NOT NULL,          -- postgresql://login@host:port/db, without secrets
    online    INTEGER NOT NULL DEFAULT 0,
    problem   TEXT NOT NULL DEFAULT '',
    synced_at TEXT NOT NULL DEFAULT '' -- when the copy was last read from the store
);
