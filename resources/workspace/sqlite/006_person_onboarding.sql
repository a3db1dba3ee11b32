-- Opsdeck local workspace, schema 6: as the team workspace's schema 6, the OIDC subject is one of
-- a person's identities, and intro_done records the first-run introduction.
UPDATE people SET identities = json_set(identities, '$.oidc', oidc_subject) WHERE oidc_subject <> '';
ALTER TABLE people DROP COLUMN oidc_subject;
