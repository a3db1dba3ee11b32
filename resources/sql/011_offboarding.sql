-- Opsdeck cache, schema 11: offboardings run from this desktop, step by step, so that one stopped by
-- a failure or a restart resumes where it stood and never repeats a step that is done.
CREATE TABLE offboardings (
    id          INTEGER PRIMARY KEY,
    login       TEXT NOT NULL,            -- the person leaving
    comment     TEXT NOT NULL,            -- why, in every step's audit event
    started_by  TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL             -- running, incomplete (a step failed), done
);
CREATE INDEX offboardings_login ON offboardings (login);
CREATE TABLE offboarding_steps (
    offboarding_id INTEGER NOT NULL REFERENCES offboardings(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    kind           TEXT NOT NULL,         -- workspace, github.member, runner.delete, runner.busy, deployment.stop, harbor.member, litellm.block
    connection_id  INTEGER,               -- the connection it acts through, if any
    target         TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL,
    state          TEXT NOT NULL,         -- pending, running, done, failed, skipped
    detail         TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (offboarding_id, seq)
);

-- The identities the workspace links to each person on other systems, as copied from the store.
ALTER TABLE workspace_people ADD COLUMN harbor_user TEXT NOT NULL DEFAULT '';
ALTER TABLE workspace_people ADD COLUMN litellm_user TEXT NOT NULL DEFAULT '';
-- When each person's role and grants were last reviewed (an access review signed off).
ALTER TABLE workspace_people ADD COLUMN reviewed_at TEXT NOT NULL DEFAULT '';
