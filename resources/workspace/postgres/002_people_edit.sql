-- Opsdeck team workspace, schema 2: editing a person's details, and runner ownership recorded by
-- each desktop in its person's name, so that "not yours" holds across the team.

CREATE INDEX runner_owners_owner ON runner_owners (owner_login);

-- A person's details. Admins and superusers edit the people they may manage; everyone edits their
-- own name and email, but not their own GitHub login (that is linked through GitHub's device flow,
-- or set by someone who manages them).
CREATE FUNCTION opsdeck_person_edit(p_login text, p_email text, p_display_name text, p_github_login text)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    target people := opsdeck_person(p_login);
    me people := opsdeck_caller();
BEGIN
    IF me.login <> p_login THEN
        PERFORM opsdeck_check_manage(target.role, target.role);
    ELSIF coalesce(p_github_login, '') <> target.github_login THEN
        RAISE EXCEPTION 'nobody sets their own GitHub login: link it through GitHub' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE people SET email = coalesce(p_email, ''), display_name = coalesce(p_display_name, ''),
                      github_login = coalesce(p_github_login, '')
        WHERE id = target.id;
END
$$;

-- A new person with their details, in one statement: opsdeck_person_add decides whether the caller
-- may add them.
CREATE FUNCTION opsdeck_person_add(p_login text, p_email text, p_role text, p_password text,
                                   p_display_name text, p_github_login text)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    new_id bigint := opsdeck_person_add(p_login, p_email, p_role, p_password);
BEGIN
    UPDATE people SET display_name = coalesce(p_display_name, ''), github_login = coalesce(p_github_login, '')
        WHERE id = new_id;
    RETURN new_id;
END
$$;

-- The caller provisioned a runner. A user cannot take over a runner someone else owns.
CREATE FUNCTION opsdeck_runner_owner_add(p_connection text, p_runner text, p_mode text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    current_owner text;
BEGIN
    SELECT owner_login INTO current_owner FROM runner_owners WHERE connection = p_connection AND runner = p_runner;
    IF FOUND AND current_owner <> me.login AND me.role = 'user' THEN
        RAISE EXCEPTION 'runner % on % is not yours: % provisioned it', p_runner, p_connection, current_owner
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO runner_owners (connection, runner, owner_login, mode) VALUES (p_connection, p_runner, me.login, p_mode)
        ON CONFLICT (connection, runner) DO UPDATE SET owner_login = excluded.owner_login, mode = excluded.mode,
                                                       provisioned_at = now();
END
$$;

-- A runner is gone: its owner, or an admin or superuser, forgets it.
CREATE FUNCTION opsdeck_runner_owner_remove(p_connection text, p_runner text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    DELETE FROM runner_owners
        WHERE connection = p_connection AND runner = p_runner AND (owner_login = me.login OR me.role <> 'user');
END
$$;

REVOKE ALL ON FUNCTION opsdeck_person_edit(text, text, text, text),
    opsdeck_person_add(text, text, text, text, text, text), opsdeck_runner_owner_add(text, text, text),
    opsdeck_runner_owner_remove(text, text) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_person_edit(text, text, text, text), '
                       'opsdeck_person_add(text, text, text, text, text, text), '
                       'opsdeck_runner_owner_add(text, text, text), opsdeck_runner_owner_remove(text, text) TO %I',
                       opsdeck_group(r));
    END LOOP;
END
$$;
