-- Opsdeck cache, schema 5: deploy jobs, their steps and logs. A job that was running when
-- Opsdeck stopped is marked interrupted at the next start.
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    connection_id INTEGER REFERENCES connections(id) ON DELETE SET NULL,
    kind          TEXT    NOT NULL,             -- quick-service, template, repository, compose
    title         TEXT    NOT NULL,
    state         TEXT    NOT NULL,             -- queued, running, succeeded, failed, cancelled, interrupted
    steps         TEXT    NOT NULL DEFAULT '[]',-- JSON: [{"id","title","state","detail"}]
    spec          TEXT    NOT NULL DEFAULT '{}',-- what to deploy, for Redeploy (never secrets)
    result        TEXT    NOT NULL DEFAULT '{}',-- what it made: container id, name, port, path
    message       TEXT    NOT NULL DEFAULT '',  -- the outcome in one sentence
    requested_by  TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    started_at    TEXT,
    finished_at   TEXT
);
CREATE INDEX jobs_created ON jobs (created_at);

CREATE TABLE job_log (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    ts     TEXT    NOT NULL,
    stream TEXT    NOT NULL DEFAULT 'info',     -- info, stdout, stderr, error
    text   TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
);
