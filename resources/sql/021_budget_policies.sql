-- Opsdeck cache, schema 21: the copy of the workspace's budget records (scoped policies, groups of
-- teams, credits factors, the overflow ledger) for the Budgets pane, offline too; the proxy's models
-- (/model/info); and the guardrails Opsdeck last applied to a team or key, which the proxy's records
-- do not report back (models/budgets/budgetpolicy.h).
CREATE TABLE workspace_budget_policies (
    id         INTEGER PRIMARY KEY,
    connection TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_id   TEXT NOT NULL,
    item       TEXT NOT NULL,
    value      TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE workspace_budget_groups (
    connection TEXT NOT NULL,
    team_id    TEXT NOT NULL,
    group_name TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (connection, team_id)
);

CREATE TABLE workspace_budget_credits (
    connection      TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    factor          REAL NOT NULL,
    comment         TEXT NOT NULL DEFAULT '',
    updated_by      TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (connection, organization_id)
);

CREATE TABLE workspace_budget_overflow (
    id              INTEGER PRIMARY KEY,
    connection      TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    period_start    TEXT NOT NULL DEFAULT '',
    period_end      TEXT NOT NULL,
    budget          REAL NOT NULL,
    spend           REAL NOT NULL,
    overflow        REAL NOT NULL,
    settled_amount  REAL NOT NULL DEFAULT 0,
    reference       TEXT NOT NULL DEFAULT '',
    comment         TEXT NOT NULL DEFAULT '',
    settled_by      TEXT NOT NULL DEFAULT '',
    settled_at      TEXT NOT NULL DEFAULT '',
    recorded_at     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE litellm_models (
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    model_id      TEXT    NOT NULL,
    model_name    TEXT    NOT NULL,
    provider      TEXT    NOT NULL DEFAULT '',
    input_cost    REAL,
    output_cost   REAL,
    PRIMARY KEY (connection_id, model_id)
);

CREATE TABLE litellm_applied_guardrails (
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    target_kind   TEXT    NOT NULL,
    target_id     TEXT    NOT NULL,
    guardrails    TEXT    NOT NULL,
    applied_at    TEXT    NOT NULL,
    PRIMARY KEY (connection_id, target_kind, target_id)
);
