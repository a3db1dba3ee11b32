-- Opsdeck cache, schema 25: GitHub Actions as a source of test runs (models/testruns/workflowruns.h).
-- A github source names its connection and, in test_sources.detail, the repository and the artifact
-- pattern. Each sync records the repository's completed workflow runs (branch, commit, event,
-- conclusion) and what became of each of their artifacts: imported as a test run, holding no JUnit
-- XML, refused (and why), expired or too large. An artifact listed here is never downloaded again,
-- however often the sync runs; a run whose artifacts were all decided is not asked about again.
CREATE TABLE test_workflow_runs (
    source_id     INTEGER NOT NULL REFERENCES test_sources(id) ON DELETE CASCADE,
    gh_run_id     INTEGER NOT NULL,
    workflow      TEXT    NOT NULL DEFAULT '',
    title         TEXT    NOT NULL DEFAULT '',
    run_number    INTEGER NOT NULL DEFAULT 0,
    branch        TEXT    NOT NULL DEFAULT '',
    commit_sha    TEXT    NOT NULL DEFAULT '',
    event         TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT '',
    conclusion    TEXT    NOT NULL DEFAULT '',
    html_url      TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    artifacts_done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_id, gh_run_id)
);
CREATE INDEX test_workflow_runs_pending ON test_workflow_runs(source_id, artifacts_done, created_at);

CREATE TABLE test_artifacts (
    source_id   INTEGER NOT NULL REFERENCES test_sources(id) ON DELETE CASCADE,
    artifact_id INTEGER NOT NULL,
    gh_run_id   INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    size_bytes  INTEGER NOT NULL DEFAULT 0,
    state       TEXT    NOT NULL CHECK (state IN ('imported', 'no-junit', 'refused', 'expired', 'too-large', 'skipped')),
    test_run_id INTEGER REFERENCES test_runs(id) ON DELETE SET NULL,
    detail      TEXT    NOT NULL DEFAULT '',
    checked_at  TEXT    NOT NULL,
    PRIMARY KEY (source_id, artifact_id)
);
