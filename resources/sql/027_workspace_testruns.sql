-- Opsdeck cache, schema 27: the copy of the workspace's test-run records (workspace schema 10):
-- the sources' shared settings and notifications, the mocks, and the published run records with
-- their canonical bytes and signatures, so that the Test runs pane has them offline too.
CREATE TABLE workspace_testrun_sources (
    name            TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '{}',
    slack_when      TEXT NOT NULL DEFAULT 'off',
    jira_when       TEXT NOT NULL DEFAULT 'off',
    jira_site       TEXT NOT NULL DEFAULT '',
    jira_project    TEXT NOT NULL DEFAULT '',
    jira_issue_type TEXT NOT NULL DEFAULT 'Bug',
    updated_by      TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE workspace_testrun_mocks (
    name              TEXT PRIMARY KEY,
    url               TEXT NOT NULL,
    health_path       TEXT NOT NULL DEFAULT '/',
    interval_s        INTEGER NOT NULL DEFAULT 60,
    docker_connection TEXT NOT NULL DEFAULT '',
    container         TEXT NOT NULL DEFAULT '',
    updated_by        TEXT NOT NULL DEFAULT '',
    updated_at        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE workspace_testrun_records (
    source       TEXT NOT NULL,
    run_key      TEXT NOT NULL,
    record       TEXT NOT NULL,
    signature    TEXT NOT NULL DEFAULT '',
    key_id       TEXT NOT NULL DEFAULT '',
    desktop      TEXT NOT NULL DEFAULT '',
    published_by TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source, run_key)
);

-- A run adopted from the workspace (a teammate's) keeps who published it and the id of the key that
-- signed it, so that a run signed with a key this desktop lacks says so instead of "tampered".
ALTER TABLE test_runs ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE test_runs ADD COLUMN published_by TEXT NOT NULL DEFAULT '';
