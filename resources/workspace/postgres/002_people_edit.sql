-- Opsdeck team workspace, schema 2: editing a person's details, and runner ownership recorded by
-- each desktop in its person's name, so that "not yours" holds across the team.

CREATE INDEX runner_owners_owner ON runner_owners (owner_login);

-- A person's details, and their identities on other systems ({"harbor": "user", "litellm": "user id"},
-- what offboarding acts on there). Admins and superusers edit the people they may manage; everyone
-- edits their own name and email, but neither their own GitHub login (linked through GitHub's
-- device flow, or set by someone who manages them) nor their identities.
CREATE FUNCTION opsdeck_person_edit(p_login text, p_email text, p_display_name text, p_github_login text,
                                    p_identities jsonb)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    target people := opsdeck_person(p_login);
    me people := opsdeck_caller();
BEGIN
    IF me.login <> p_login THEN
        PERFORM opsdeck_check_manage(target.role, target.role);
    ELSIF coalesce(p_github_login, '') <> target.github_login THEN
        RAISE EXCEPTION 'nobody sets their own GitHub login: link it through GitHub' USING ERRCODE = 'insufficient_privilege';
    ELSIF coalesce(p_identities, '{}') <> target.identities THEN
        RAISE EXCEPTION 'nobody links their own identities on other systems' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE people SET email = coalesce(p_email, ''), display_name = coalesce(p_display_name, ''),
                      github_login = coalesce(p_github_login, ''), identities = coalesce(p_identities, '{}')
        WHERE id = target.id;
END
$$;

-- The caller links their own GitHub login, as GitHub's device flow and GET /user showed it to their
-- Opsdeck (the store cannot see that proof; it keeps who set it and when, in the audit trail).
CREATE FUNCTION opsdeck_person_link_github(p_github_login text) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    IF p_github_login !~ '^[A-Za-z0-9]([A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$' THEN
        RAISE EXCEPTION '% is not a GitHub login', p_github_login USING ERRCODE = 'check_violation';
    END IF;
    UPDATE people SET github_login = p_github_login WHERE id = me.id;
END
$$;

-- A new person with their details, in one statement: opsdeck_person_add decides whether the caller
-- may add them.
CREATE FUNCTION opsdeck_person_add(p_login text, p_email text, p_role text, p_password text,
                                   p_display_name text, p_github_login text, p_identities jsonb)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    new_id bigint := opsdeck_person_add(p_login, p_email, p_role, p_password);
BEGIN
    UPDATE people SET display_name = coalesce(p_display_name, ''), github_login = coalesce(p_github_login, ''),
                      identities = coalesce(p_identities, '{}')
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

REVOKE ALL ON FUNCTION opsdeck_person_edit(text, text, text, text, jsonb),
    opsdeck_person_add(text, text, text, text, text, text, jsonb), opsdeck_person_link_github(text),
    opsdeck_runner_owner_add(text, text, text),
    opsdeck_runner_owner_remove(text, text) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_person_edit(text, text, text, text, jsonb), '
                       'opsdeck_person_add(text, text, text, text, text, text, jsonb), opsdeck_person_link_github(text), '
                       'opsdeck_runner_owner_add(text, text, text), opsdeck_runner_owner_remove(text, text) TO %I',
                       opsdeck_group(r));
    END LOOP;
END
$$;

-- Nobody grants what they do not hold: besides the rules of schema 1 (only superusers hand out
-- user.manage or anything over superusers), an allow from an admin must be covered by an allow the
-- admin holds (same action, its system's wildcard or *, over the same scope or everywhere), and no
-- deny the admin is under may overlap it. A superuser holds everything.
CREATE FUNCTION opsdeck_holds(me people, p_action text, p_scope text) RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT me.role = 'superuser' OR (
        EXISTS (SELECT 1 FROM grants g
                WHERE g.effect = 'allow'
                  AND ((g.subject_kind = 'role' AND g.subject = me.role) OR (g.subject_kind = 'person' AND g.subject = me.login))
                  AND (g.action = '*' OR g.action = p_action
                       OR (g.action LIKE '%.*' AND p_action <> '*' AND split_part(g.action, '.', 1) = split_part(p_action, '.', 1)))
                  AND (g.scope IN ('*', '') OR g.scope = p_scope))
        AND NOT EXISTS (SELECT 1 FROM grants d
                WHERE d.effect = 'deny'
                  AND ((d.subject_kind = 'role' AND d.subject = me.role) OR (d.subject_kind = 'person' AND d.subject = me.login))
                  AND (d.action = '*' OR p_action = '*' OR d.action = p_action
                       OR split_part(d.action, '.', 1) = split_part(p_action, '.', 1) AND (d.action LIKE '%.*' OR p_action LIKE '%.*'))
                  AND (d.scope IN ('*', '') OR p_scope IN ('*', '') OR d.scope = p_scope
                       OR p_scope LIKE replace(d.scope, '*', '%') OR d.scope LIKE replace(p_scope, '*', '%'))))
$$;

CREATE OR REPLACE FUNCTION opsdeck_grant_add(p_kind text, p_subject text, p_action text, p_scope text, p_effect text)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_check_manage('user', 'user');
    scope text := coalesce(nullif(p_scope, ''), '*');
    new_id bigint;
BEGIN
    IF me.role <> 'superuser' AND (p_action IN ('user.manage', 'user.*', '*')
            OR (p_kind = 'role' AND p_subject = 'superuser')
            OR (p_kind = 'person' AND EXISTS (SELECT 1 FROM people WHERE login = p_subject AND role = 'superuser'))) THEN
        RAISE EXCEPTION '% may not grant % to %', me.login, p_action, p_subject USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_effect = 'allow' AND NOT opsdeck_holds(me, p_action, scope) THEN
        RAISE EXCEPTION '% may not grant % on % to %: nobody grants what they do not hold', me.login, p_action, scope, p_subject
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO grants (subject_kind, subject, action, scope, effect, granted_by)
        VALUES (p_kind, p_subject, p_action, scope, p_effect, me.login)
        RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

-- A grant taken back: by whoever could have given it.
CREATE FUNCTION opsdeck_grant_revoke(p_id bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_check_manage('user', 'user');
    g grants;
BEGIN
    SELECT * INTO g FROM grants WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no grant % in this workspace', p_id USING ERRCODE = 'no_data_found';
    END IF;
    IF me.role <> 'superuser' AND (g.action IN ('user.manage', 'user.*', '*')
            OR (g.subject_kind = 'role' AND g.subject IN ('admin', 'superuser'))
            OR (g.subject_kind = 'person' AND EXISTS (SELECT 1 FROM people WHERE login = g.subject AND role = 'superuser'))
            OR (g.effect = 'allow' AND NOT opsdeck_holds(me, g.action, g.scope))) THEN
        RAISE EXCEPTION '% may not revoke grant %', me.login, p_id USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM grants WHERE id = p_id;
END
$$;

REVOKE ALL ON FUNCTION opsdeck_holds(people, text, text), opsdeck_grant_revoke(bigint) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_grant_revoke(bigint) TO %I', opsdeck_group(r));
    END LOOP;
END
$$;
