-- Opsdeck local workspace, schema 9: the budget records of LiteLLM connections, as in the team
-- workspace's schema 9; the local store's one admin makes every change
-- (services/workspace/budgetrecords.cpp keeps the same rules).
CREATE TABLE budget_policies (
    id         INTEGER PRIMARY KEY,
    connection TEXT NOT NULL CHECK (length(connection) BETWEEN 1 AND 200),
    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('organization', 'group', 'team', 'user')),
    scope_id   TEXT NOT NULL CHECK (length(scope_id) BETWEEN 1 AND 256),
    item       TEXT NOT NULL CHECK (item IN ('models', 'guardrails', 'create_connections', 'create_agents',
                                             'image_generation', 'model_access')),
    value      TEXT NOT NULL CHECK (json_valid(value)),
    comment    TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (connection, scope_kind, scope_id, item)
);

CREATE TABLE budget_groups (
    connection TEXT NOT NULL CHECK (length(connection) BETWEEN 1 AND 200),
    team_id    TEXT NOT NULL CHECK (length(team_id) BETWEEN 1 AND 256),
    group_name TEXT NOT NULL CHECK (length(group_name) BETWEEN 1 AND 64),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (connection, team_id)
);

CREATE TABLE budget_credits (
    connection      TEXT NOT NULL CHECK (length(connection) BETWEEN 1 AND 200),
    organization_id TEXT NOT NULL CHECK (length(organization_id) BETWEEN 1 AND 256),
    factor          REAL NOT NULL CHECK (factor >= 0 AND factor <= 1000),
    comment         TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (connection, organization_id)
);

CREATE TABLE budget_overflow (
    id              INTEGER PRIMARY KEY,
    connection      TEXT NOT NULL CHECK (length(connection) BETWEEN 1 AND 200),
    organization_id TEXT NOT NULL CHECK (length(organization_id) BETWEEN 1 AND 256),
    period_start    TEXT,
    period_end      TEXT NOT NULL,
    budget          REAL NOT NULL CHECK (budget >= 0),
    spend           REAL NOT NULL CHECK (spend >= 0),
    overflow        REAL NOT NULL CHECK (overflow >= 0),
    settled_amount  REAL NOT NULL DEFAULT 0 CHECK (settled_amount >= 0 AND settled_amount <= overflow),
    reference       TEXT NOT NULL DEFAULT '' CHECK (length(reference) <= 200),
    comment         TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    settled_by      TEXT NOT NULL DEFAULT '',
    settled_at      TEXT,
    recorded_at     TEXT NOT NULL,
    UNIQUE (connection, organization_id, period_end)
);
