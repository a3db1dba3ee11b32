-- Opsdeck team workspace, schema 6: a person's OIDC subject is one of their identities
-- ({"oidc": "…"}, set like the others by whoever manages them, never by themselves), and each
-- person records for themselves whether they have finished the first-run introduction.

UPDATE people SET identities = identities || jsonb_build_object('oidc', oidc_subject) WHERE oidc_subject <> '';
ALTER TABLE people DROP COLUMN oidc_subject;

CREATE FUNCTION opsdeck_person_intro_done(p_done boolean) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    UPDATE people SET intro_done = coalesce(p_done, false) WHERE id = me.id;
END
$$;

REVOKE ALL ON FUNCTION opsdeck_person_intro_done(boolean) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_person_intro_done(boolean) TO %I', opsdeck_group(r));
    END LOOP;
END
$$;
