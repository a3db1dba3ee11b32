-- Opsdeck local workspace, schema 10: the test-run records, as in the team workspace's schema 10
-- (sources with their shared settings and notifications, mocks, published run records); the local
-- store's one admin makes every change (services/workspace/testrunrecords.cpp keeps the same rules).
CREATE TABLE testrun_sources (
    name            TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200 AND name = trim(name)),
    kind            TEXT NOT NULL CHECK (kind IN ('files', 'github', 'golden')),
    detail          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail) AND json_type(detail) = 'object'),
    slack_when      TEXT NOT NULL DEFAULT 'off' CHECK (slack_when IN ('off', 'failed', 'new-failures')),
    jira_when       TEXT NOT NULL DEFAULT 'off' CHECK (jira_when IN ('off', 'failed', 'new-failures')),
    jira_site       TEXT NOT NULL DEFAULT '' CHECK (length(jira_site) <= 500),
    jira_project    TEXT NOT NULL DEFAULT '' CHECK (length(jira_project) <= 100),
    jira_issue_type TEXT NOT NULL DEFAULT 'Bug' CHECK (length(jira_issue_type) <= 100),
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE testrun_mocks (
    name              TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200 AND name = trim(name)),
    url               TEXT NOT NULL CHECK ((url LIKE 'http://_%' OR url LIKE 'https://_%') AND length(url) <= 2000),
    health_path       TEXT NOT NULL DEFAULT '/' CHECK (substr(health_path, 1, 1) = '/' AND length(health_path) <= 2000),
    interval_s        INTEGER NOT NULL DEFAULT 60 CHECK (interval_s BETWEEN 5 AND 86400),
    docker_connection TEXT NOT NULL DEFAULT '' CHECK (length(docker_connection) <= 200),
    container         TEXT NOT NULL DEFAULT '' CHECK (length(container) <= 256),
    updated_by        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (container = '' OR docker_connection <> '')
);

CREATE TABLE testrun_records (
    source       TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    run_key      TEXT NOT NULL CHECK (length(run_key) BETWEEN 1 AND 300),
    record       TEXT NOT NULL CHECK (length(CAST(record AS BLOB)) <= 16777216),
    signature    TEXT NOT NULL DEFAULT '' CHECK (signature = '' OR (length(signature) = 64 AND signature NOT GLOB '*[^0-9a-f]*')),
    key_id       TEXT NOT NULL DEFAULT '' CHECK (key_id = '' OR (length(key_id) = 16 AND key_id NOT GLOB '*[^0-9a-f]*')),
    desktop      TEXT NOT NULL DEFAULT '' CHECK (length(desktop) <= 200),
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (source, run_key)
);

-- A published record never changes.
CREATE TRIGGER testrun_records_fixed BEFORE UPDATE ON testrun_records
BEGIN
    SELECT RAISE(ABORT, 'a published test-run record never changes');
END;

INSERT OR IGNORE INTO grants (subject_kind, subject, action, scope, effect, granted_by, created_at)
    VALUES ('role', 'user', 'testrun.record', '*', 'allow', 'opsdeck', '1970-01-01T00:00:00.000Z');
