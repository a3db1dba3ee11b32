-- Opsdeck cache, schema 19: the LiteLLM proxy's own daily spend totals (/user/daily/activity,
-- every user), against which the Budgets pane reconciles the spend it attributes from the spend
-- logs; and whether the proxy offers that route at all (older proxies do not).
CREATE TABLE litellm_daily_spend (
    connection_id       INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    day                 TEXT    NOT NULL,          -- YYYY-MM-DD, UTC
    spend               REAL    NOT NULL DEFAULT 0,
    api_requests        INTEGER NOT NULL DEFAULT 0,
    successful_requests INTEGER NOT NULL DEFAULT 0,
    failed_requests     INTEGER NOT NULL DEFAULT 0,
    prompt_tokens       INTEGER NOT NULL DEFAULT 0,
    completion_tokens   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (connection_id, day)
) WITHOUT ROWID;

CREATE TABLE litellm_proxy_state (
    connection_id  INTEGER PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
    daily_activity INTEGER NOT NULL DEFAULT 0, -- 1: the proxy answers /user/daily/activity
    daily_note     TEXT    NOT NULL DEFAULT '', -- why not, when it does not
    checked_at     TEXT    NOT NULL
);
