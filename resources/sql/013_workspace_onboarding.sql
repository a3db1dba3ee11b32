-- Opsdeck cache, schema 13: the copy of the workspace's people keeps their OIDC subject and whether
-- they have finished the first-run introduction.
ALTER TABLE workspace_people ADD COLUMN oidc_subject TEXT NOT NULL DEFAULT '';
ALTER TABLE workspace_people ADD COLUMN intro_done INTEGER NOT NULL DEFAULT 0;
