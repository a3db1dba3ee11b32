-- Opsdeck cache, schema 26: mock servers that golden suites run against (models/testruns/mocks.h):
-- where each answers its health check, how often it is checked, and optionally the container on a
-- Docker connection that runs it (for a restart); and every health check's outcome, from which the
-- pane tells uptime and outages (models/testruns/retention.h uptimeOf).
CREATE TABLE test_mocks (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    url           TEXT    NOT NULL,
    health_path   TEXT    NOT NULL DEFAULT '/',
    interval_s    INTEGER NOT NULL DEFAULT 60 CHECK (interval_s BETWEEN 5 AND 86400),
    connection_id INTEGER REFERENCES connections(id) ON DELETE SET NULL,
    container     TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL
);

CREATE TABLE test_mock_health (
    mock_id    INTEGER NOT NULL REFERENCES test_mocks(id) ON DELETE CASCADE,
    checked_at TEXT    NOT NULL,
    up         INTEGER NOT NULL,
    status     INTEGER NOT NULL DEFAULT 0, -- the HTTP status, 0 without an answer
    latency_ms INTEGER NOT NULL DEFAULT 0,
    detail     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (mock_id, checked_at)
) WITHOUT ROWID;
