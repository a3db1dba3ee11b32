-- Opsdeck cache, schema 22: the LiteLLM proxy's budget plans (/budget/list, LiteLLM_BudgetTable
-- rows) and which keys and end customers are on one (their budget_id; organizations kept theirs
-- since schema 18), so the budget tree and the renewals show each plan, its next cycle and who it
-- applies to.
CREATE TABLE litellm_budgets (
    connection_id   INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    budget_id       TEXT    NOT NULL,
    max_budget      REAL,
    soft_budget     REAL,
    budget_duration TEXT    NOT NULL DEFAULT '',
    budget_reset_at TEXT    NOT NULL DEFAULT '',
    tpm_limit       INTEGER,
    rpm_limit       INTEGER,
    tpd_limit       INTEGER,
    created_at      TEXT    NOT NULL DEFAULT '',
    updated_at      TEXT    NOT NULL DEFAULT '',
    synced_at       TEXT    NOT NULL,
    PRIMARY KEY (connection_id, budget_id)
);

ALTER TABLE litellm_keys ADD COLUMN budget_id TEXT NOT NULL DEFAULT '';
ALTER TABLE litellm_customers ADD COLUMN budget_id TEXT NOT NULL DEFAULT '';
