-- Opsdeck cache, schema 9: the team's record of who provisioned which runner (the store's
-- runner_owners, copied like people and grants), so that "not yours" holds for runners another
-- desktop provisioned, offline too. runner is the GitHub runner id, connection the connection's name.
CREATE TABLE workspace_runner_owners (
    connection     TEXT NOT NULL,
    runner         TEXT NOT NULL,
    owner_login    TEXT NOT NULL,
    mode           TEXT NOT NULL,
    provisioned_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (connection, runner)
);
