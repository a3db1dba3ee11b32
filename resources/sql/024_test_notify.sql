-- Opsdeck cache, schema 24: who hears about a source's test runs (models/testruns/notifications.h):
-- a Slack incoming webhook and a Jira project, each off, on a failed run, or on new failures. The
-- webhook address and the Jira API token are secrets: they live in the keychain, never here. And
-- what each notification did, so that a failed one is seen beside its run.
CREATE TABLE test_source_notify (
    source_id       INTEGER PRIMARY KEY REFERENCES test_sources(id) ON DELETE CASCADE,
    slack_when      TEXT    NOT NULL DEFAULT 'off' CHECK (slack_when IN ('off', 'failed', 'new-failures')),
    jira_when       TEXT    NOT NULL DEFAULT 'off' CHECK (jira_when IN ('off', 'failed', 'new-failures')),
    jira_site       TEXT    NOT NULL DEFAULT '',
    jira_account    TEXT    NOT NULL DEFAULT '',
    jira_project    TEXT    NOT NULL DEFAULT '',
    jira_issue_type TEXT    NOT NULL DEFAULT 'Bug',
    updated_at      TEXT    NOT NULL
);

CREATE TABLE test_notifications (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES test_runs(id) ON DELETE CASCADE,
    channel TEXT    NOT NULL CHECK (channel IN ('slack', 'jira')),
    ok      INTEGER NOT NULL,
    detail  TEXT    NOT NULL DEFAULT '', -- the Jira issue's key, or why it failed
    sent_at TEXT    NOT NULL
);
CREATE INDEX test_notifications_by_run ON test_notifications(run_id);
