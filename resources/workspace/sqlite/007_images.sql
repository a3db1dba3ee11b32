-- Opsdeck local workspace, schema 7: the image allowlist, its requests and project members, as in
-- the team workspace's schema 7; the local store's one admin makes every change
-- (services/workspace/imagerecords.cpp keeps the same rules).
CREATE TABLE project_members (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    login      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('manager', 'member')),
    PRIMARY KEY (project_id, login)
);

CREATE TABLE image_allowlist (
    id              INTEGER PRIMARY KEY,
    entry           TEXT NOT NULL CHECK (length(entry) BETWEEN 1 AND 512),
    project         TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    added_by        TEXT NOT NULL,
    added_at        TEXT NOT NULL,
    expires_at      TEXT,
    approved_digest TEXT NOT NULL DEFAULT '',
    UNIQUE (entry, project)
);

CREATE TABLE image_requests (
    id           INTEGER PRIMARY KEY,
    reference    TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 512),
    project      TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'denied')),
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   TEXT,
    answer       TEXT NOT NULL DEFAULT '',
    entry_id     INTEGER REFERENCES image_allowlist(id) ON DELETE SET NULL
);

INSERT OR IGNORE INTO grants (subject_kind, subject, action, scope, effect, granted_by, created_at)
    VALUES ('role', 'user', 'image.request', '*', 'allow', 'opsdeck', '1970-01-01T00:00:00.000Z');
