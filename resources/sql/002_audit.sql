-- Opsdeck cache, schema 2: the audit log.
-- Local events form a SHA-256 hash chain (prev_hash, hash); imported events (source <> 'local')
-- are stored beside them but are not part of the chain.
CREATE TABLE audit_events (
    id               INTEGER PRIMARY KEY,
    source           TEXT    NOT NULL DEFAULT 'local',
    ts               TEXT    NOT NULL,            -- UTC, ISO 8601 with milliseconds
    os_user          TEXT    NOT NULL DEFAULT '',
    backend_identity TEXT    NOT NULL DEFAULT '',
    connection_id    INTEGER,                     -- no foreign key: the log outlives connections
    connection_name  TEXT    NOT NULL DEFAULT '',
    system           TEXT    NOT NULL DEFAULT '', -- github, docker, ..., or opsdeck
    action           TEXT    NOT NULL,
    target_kind      TEXT    NOT NULL DEFAULT '',
    target_id        TEXT    NOT NULL DEFAULT '',
    target_name      TEXT    NOT NULL DEFAULT '',
    outcome          TEXT    NOT NULL CHECK (outcome IN ('success', 'failure', 'partial')),
    comment          TEXT    NOT NULL DEFAULT '',
    details          TEXT    NOT NULL DEFAULT '{}',
    prev_hash        TEXT,
    hash             TEXT
);
CREATE INDEX audit_events_ts ON audit_events (ts);
CREATE INDEX audit_events_action ON audit_events (action);
CREATE INDEX audit_events_connection ON audit_events (connection_id);
CREATE INDEX audit_events_source ON audit_events (source, id);

-- Every 10,000th local event's hash, so verification can start from a known-good point.
CREATE TABLE audit_checkpoints (
    event_id   INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Full-text search over action, target, actor, comment and details (contentless: rowid = event id).
CREATE VIRTUAL TABLE audit_fts USING fts5(action, target, actor, comment, details, content='');

CREATE TRIGGER audit_events_fts AFTER INSERT ON audit_events BEGIN
    INSERT INTO audit_fts (rowid, action, target, actor, comment, details)
    VALUES (new.id, new.action, new.target_kind || ' ' || new.target_id || ' ' || new.target_name,
            new.os_user || ' ' || new.backend_identity, new.comment, new.details);
END;

-- Events are never changed or removed by Opsdeck; anything that does it anyway shows up in
-- `opsdeck audit verify`.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
