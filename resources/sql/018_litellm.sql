-- Opsdeck cache, schema 18: what each LiteLLM connection's proxy holds (sync scope "budgets"):
-- organizations, teams with their members, users, keys (the hash, key_name and alias; never the
-- key), end customers, and every spend log row, once (request_id), so that the Budgets pane's
-- figures and charts come from here and never from asking the proxy again.
CREATE TABLE litellm_organizations (
    connection_id   INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    organization_id TEXT    NOT NULL,
    alias           TEXT    NOT NULL DEFAULT '',
    budget_id       TEXT    NOT NULL DEFAULT '',
    spend           REAL    NOT NULL DEFAULT 0,
    max_budget      REAL,
    soft_budget     REAL,
    budget_duration TEXT    NOT NULL DEFAULT '',
    budget_reset_at TEXT    NOT NULL DEFAULT '',
    tpm_limit       INTEGER,
    rpm_limit       INTEGER,
    models          TEXT    NOT NULL DEFAULT '[]',
    synced_at       TEXT    NOT NULL,
    PRIMARY KEY (connection_id, organization_id)
);

CREATE TABLE litellm_teams (
    connection_id   INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    team_id         TEXT    NOT NULL,
    alias           TEXT    NOT NULL DEFAULT '',
    organization_id TEXT    NOT NULL DEFAULT '',
    spend           REAL    NOT NULL DEFAULT 0,
    max_budget      REAL,
    soft_budget     REAL,
    budget_duration TEXT    NOT NULL DEFAULT '',
    budget_reset_at TEXT    NOT NULL DEFAULT '',
    tpm_limit       INTEGER,
    rpm_limit       INTEGER,
    models          TEXT    NOT NULL DEFAULT '[]',
    blocked         INTEGER NOT NULL DEFAULT 0,
    synced_at       TEXT    NOT NULL,
    PRIMARY KEY (connection_id, team_id)
);

-- A team's members, with their budget in the team where the proxy gives one.
CREATE TABLE litellm_team_members (
    connection_id   INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    team_id         TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    role            TEXT    NOT NULL DEFAULT '',
    spend           REAL    NOT NULL DEFAULT 0,
    max_budget      REAL,
    budget_duration TEXT    NOT NULL DEFAULT '',
    budget_reset_at TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (connection_id, team_id, user_id)
);

CREATE TABLE litellm_users (
    connection_id   INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    user_id         TEXT    NOT NULL,
    alias           TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL DEFAULT '',
    role            TEXT    NOT NULL DEFAULT '',
    organization_id TEXT    NOT NULL DEFAULT '',
    teams           TEXT    NOT NULL DEFAULT '[]',
    spend           REAL    NOT NULL DEFAULT 0,
    max_budget      REAL,
    soft_budget     REAL,
    budget_duration TEXT    NOT NULL DEFAULT '',
    budget_reset_at TEXT    NOT NULL DEFAULT '',
    tpm_limit       INTEGER,
    rpm_limit       INTEGER,
    models          TEXT    NOT NULL DEFAULT '[]',
    key_count       INTEGER NOT NULL DEFAULT 0,
    synced_at       TEXT    NOT NULL,
    PRIMARY KEY (connection_id, user_id)
);

CREATE TABLE litellm_keys (
    connection_id   INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    token           TEXT    NOT NULL,             -- the key's hash, as the proxy lists it
    key_name        TEXT    NOT NULL DEFAULT '',  -- the proxy's abbreviation ("sk-...Ab12")
    alias           TEXT    NOT NULL DEFAULT '',
    user_id         TEXT    NOT NULL DEFAULT '',
    team_id         TEXT    NOT NULL DEFAULT '',
    organization_id TEXT    NOT NULL DEFAULT '',
    spend           REAL    NOT NULL DEFAULT 0,
    max_budget      REAL,
    soft_budget     REAL,
    budget_duration TEXT    NOT NULL DEFAULT '',
    budget_reset_at TEXT    NOT NULL DEFAULT '',
    tpm_limit       INTEGER,
    rpm_limit       INTEGER,
    models          TEXT    NOT NULL DEFAULT '[]',
    blocked         INTEGER NOT NULL DEFAULT 0,
    expires_at      TEXT    NOT NULL DEFAULT '',
    synced_at       TEXT    NOT NULL,
    PRIMARY KEY (connection_id, token)
);

CREATE TABLE litellm_customers (
    connection_id   INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    customer_id     TEXT    NOT NULL,
    alias           TEXT    NOT NULL DEFAULT '',
    blocked         INTEGER NOT NULL DEFAULT 0,
    spend           REAL    NOT NULL DEFAULT 0,
    max_budget      REAL,
    budget_duration TEXT    NOT NULL DEFAULT '',
    budget_reset_at TEXT    NOT NULL DEFAULT '',
    synced_at       TEXT    NOT NULL,
    PRIMARY KEY (connection_id, customer_id)
);

-- Every spend log row once; the incremental sync asks from the latest start_time it holds (less
-- an overlap) and the primary key keeps each row once.
CREATE TABLE litellm_spend_logs (
    connection_id     INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    request_id        TEXT    NOT NULL,
    api_key           TEXT    NOT NULL DEFAULT '',
    model             TEXT    NOT NULL DEFAULT '',
    call_type         TEXT    NOT NULL DEFAULT '',
    spend             REAL    NOT NULL DEFAULT 0,
    total_tokens      INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    start_time        TEXT    NOT NULL,
    end_time          TEXT    NOT NULL DEFAULT '',
    user_id           TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (connection_id, request_id)
) WITHOUT ROWID;
CREATE INDEX litellm_spend_logs_time ON litellm_spend_logs (connection_id, start_time);
