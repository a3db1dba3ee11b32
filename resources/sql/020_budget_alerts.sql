-- Opsdeck cache, schema 20: soft-limit alerts on LiteLLM budgets. Thresholds are percentages of a
-- budget (50, 80, 100 unless set) per organization, team, user or key, or for every budget of a
-- proxy (target_kind '*'); an alert is raised once per threshold and budget period when a sync
-- finds the spend past it, and stays until acknowledged.
CREATE TABLE budget_thresholds (
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    target_kind   TEXT    NOT NULL,  -- organization, team, user, key, or '*' for every budget
    target_id     TEXT    NOT NULL DEFAULT '',
    percents      TEXT    NOT NULL,  -- "50,80,100"
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (connection_id, target_kind, target_id)
);

CREATE TABLE budget_alerts (
    id              INTEGER PRIMARY KEY,
    connection_id   INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    target_kind     TEXT    NOT NULL,
    target_id       TEXT    NOT NULL,
    target_name     TEXT    NOT NULL DEFAULT '',
    percent         INTEGER NOT NULL,
    period          TEXT    NOT NULL DEFAULT '', -- the budget's reset time then: one alert a period
    spend           REAL    NOT NULL,
    max_budget      REAL    NOT NULL,
    raised_at       TEXT    NOT NULL,
    acknowledged_at TEXT    NOT NULL DEFAULT '',
    UNIQUE (connection_id, target_kind, target_id, percent, period)
);
CREATE INDEX budget_alerts_open ON budget_alerts (acknowledged_at, raised_at);
