-- Opsdeck local workspace, schema 2: as the team workspace's schema 2 (resources/workspace/postgres),
-- whose functions for editing people and recording runner owners are, for the one admin of a local
-- workspace, plain statements of the workspace service (services/workspace/peoplechanges.cpp).
CREATE INDEX runner_owners_owner ON runner_owners (owner_login);
