-- Opsdeck local workspace, schema 1 (SQLite): the same records as the team workspace on
-- PostgreSQL (resources/workspace/postgres), for one admin who is its superuser. What the team
-- store enforces with logins and grants, the single desktop enforces in its services; the table
-- rules that need no login (two superusers at most, audit events never changed) are triggers here.
CREATE TABLE workspace_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    login        TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 63),
    email        TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL CHECK (role IN ('user', 'admin', 'superuser')),
    active       INTEGER NOT NULL DEFAULT 1,
    github_login TEXT NOT NULL DEFAULT '',
    oidc_subject TEXT NOT NULL DEFAULT '',
    identities   TEXT NOT NULL DEFAULT '{}',
    intro_done   INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT,
    reviewed_at  TEXT
);

CREATE TABLE grants (
    id           INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('role', 'person')),
    subject      TEXT NOT NULL,
    action       TEXT NOT NULL,
    scope        TEXT NOT NULL DEFAULT '*',
    effect       TEXT NOT NULL CHECK (effect IN ('allow', 'deny')),
    granted_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (subject_kind, subject, action, scope, effect)
);

-- The defaults of the dashboards Opsdeck replaces (models/workspace/permissions.cpp, defaultGrants),
-- as rows an admin can see and revoke: a user provisions just-in-time runners and removes their own;
-- an admin does everything but manage superusers; a superuser does everything.
INSERT INTO grants (subject_kind, subject, action, scope, effect, granted_by, created_at) VALUES
    ('role', 'user', 'runner.provision', 'mode:jit', 'allow', 'opsdeck', '1970-01-01T00:00:00.000Z'),
    ('role', 'user', 'runner.delete', 'owner:self', 'allow', 'opsdeck', '1970-01-01T00:00:00.000Z'),
    ('role', 'admin', '*', '*', 'allow', 'opsdeck', '1970-01-01T00:00:00.000Z'),
    ('role', 'admin', 'user.manage', 'role:superuser', 'deny', 'opsdeck', '1970-01-01T00:00:00.000Z'),
    ('role', 'superuser', '*', '*', 'allow', 'opsdeck', '1970-01-01T00:00:00.000Z');

CREATE TABLE projects (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE runner_owners (
    connection     TEXT NOT NULL,
    runner         TEXT NOT NULL,
    owner_login    TEXT NOT NULL,
    mode           TEXT NOT NULL CHECK (mode IN ('jit', 'registration')),
    provisioned_at TEXT NOT NULL,
    PRIMARY KEY (connection, runner)
);

CREATE TABLE team_audit (
    desktop_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    actor_login TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    canonical   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (desktop_id, seq)
);

CREATE TRIGGER team_audit_no_update BEFORE UPDATE ON team_audit
BEGIN
    SELECT RAISE(ABORT, 'audit events are never changed or deleted');
END;
CREATE TRIGGER team_audit_no_delete BEFORE DELETE ON team_audit
BEGIN
    SELECT RAISE(ABORT, 'audit events are never changed or deleted');
END;

CREATE TRIGGER people_superuser_cap_insert BEFORE INSERT ON people
WHEN NEW.role = 'superuser' AND (SELECT COUNT(*) FROM people WHERE role = 'superuser') >= 2
BEGIN
    SELECT RAISE(ABORT, 'a workspace has at most two superusers');
END;
CREATE TRIGGER people_superuser_cap_update BEFORE UPDATE OF role ON people
WHEN NEW.role = 'superuser' AND OLD.role <> 'superuser'
     AND (SELECT COUNT(*) FROM people WHERE role = 'superuser') >= 2
BEGIN
    SELECT RAISE(ABORT, 'a workspace has at most two superusers');
END;
