-- Opsdeck cache, schema 23: test runs (models/testruns/). A source is where runs come from: JUnit
-- files imported by hand or by script, a GitHub repository's workflow artifacts, or a golden suite.
-- A run is one report (or one artifact, or one suite run) with its totals and signature; its cases
-- hold each case's outcome and duration, the case itself named once per source in test_case_keys
-- (suite, classname, name; a name repeated within a run gets " #2", " #3" in its key only), so that
-- 10,000,000 case results stay small and a case's history is one index range.
CREATE TABLE test_sources (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL CHECK (kind IN ('files', 'github', 'golden')),
    connection_id INTEGER REFERENCES connections(id) ON DELETE SET NULL,
    detail        TEXT    NOT NULL DEFAULT '{}',
    created_at    TEXT    NOT NULL
);

CREATE TABLE test_runs (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES test_sources(id) ON DELETE CASCADE,
    run_key     TEXT    NOT NULL,           -- the run's id within its source: sha256 of a file, artifact:ID, …
    title       TEXT    NOT NULL DEFAULT '', -- the file's name, the workflow run's title, …
    origin      TEXT    NOT NULL DEFAULT '', -- the path or URL it came from
    branch      TEXT    NOT NULL DEFAULT '',
    commit_sha  TEXT    NOT NULL DEFAULT '',
    event       TEXT    NOT NULL DEFAULT '',
    started_at  TEXT    NOT NULL,
    imported_at TEXT    NOT NULL,
    tests       INTEGER NOT NULL,
    passed      INTEGER NOT NULL,
    failed      INTEGER NOT NULL,
    errors      INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    flaky       INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    notes       TEXT    NOT NULL DEFAULT '[]',
    signature   TEXT    NOT NULL DEFAULT '',
    pinned      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source_id, run_key)
);
CREATE INDEX test_runs_by_source ON test_runs(source_id, started_at);

CREATE TABLE test_case_keys (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES test_sources(id) ON DELETE CASCADE,
    case_key  TEXT    NOT NULL,
    suite     TEXT    NOT NULL,
    classname TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    UNIQUE (source_id, case_key)
);

-- outcome: 0 passed, 1 failed, 2 errored, 3 skipped (models/testruns/junitreader.h CaseOutcome).
CREATE TABLE test_cases (
    run_id      INTEGER NOT NULL REFERENCES test_runs(id) ON DELETE CASCADE,
    key_id      INTEGER NOT NULL REFERENCES test_case_keys(id) ON DELETE CASCADE,
    outcome     INTEGER NOT NULL CHECK (outcome BETWEEN 0 AND 3),
    flaky       INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL,
    message     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, key_id)
) WITHOUT ROWID;
CREATE INDEX test_cases_by_key ON test_cases(key_id, run_id);

-- What a case that did not simply pass left behind, bounded by the reader's limits.
CREATE TABLE test_case_details (
    run_id     INTEGER NOT NULL REFERENCES test_runs(id) ON DELETE CASCADE,
    key_id     INTEGER NOT NULL,
    type       TEXT    NOT NULL DEFAULT '',
    details    TEXT    NOT NULL DEFAULT '',
    file       TEXT    NOT NULL DEFAULT '',
    line       INTEGER NOT NULL DEFAULT 0,
    system_out TEXT    NOT NULL DEFAULT '',
    system_err TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, key_id)
) WITHOUT ROWID;
