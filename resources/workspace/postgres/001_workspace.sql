-- Opsdeck team workspace, schema 1 (PostgreSQL 15). Applied by `opsdeck team init` as the database
-- owner (who needs CREATEROLE), in one transaction. The database decides what each person may do:
-- every person signs in with their own login, a member of one of this workspace's three group roles; tables are read-only to them, and
-- every change to people and grants goes through the SECURITY DEFINER functions below, which check
-- the caller (session_user) first. Audit events can be appended, never changed or deleted.

CREATE TABLE workspace_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE people (
    id           bigserial PRIMARY KEY,
    login        text NOT NULL UNIQUE CHECK (login ~ '^[a-z_][a-z0-9_]{0,62}$'),
    email        text NOT NULL DEFAULT '',
    display_name text NOT NULL DEFAULT '',
    role         text NOT NULL CHECK (role IN ('user', 'admin', 'superuser')),
    active       boolean NOT NULL DEFAULT true,
    github_login text NOT NULL DEFAULT '',
    oidc_subject text NOT NULL DEFAULT '',
    identities   jsonb NOT NULL DEFAULT '{}',  -- {"harbor": "…", "litellm": "…"}
    intro_done   boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    reviewed_at  timestamptz
);

-- (role or person) x action x scope, allow or deny; deny wins.
CREATE TABLE grants (
    id           bigserial PRIMARY KEY,
    subject_kind text NOT NULL CHECK (subject_kind IN ('role', 'person')),
    subject      text NOT NULL,
    action       text NOT NULL CHECK (action ~ '^[a-z]+\.([a-z_-]+|\*)$' OR action = '*'),
    scope        text NOT NULL DEFAULT '*',
    effect       text NOT NULL CHECK (effect IN ('allow', 'deny')),
    granted_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (subject_kind, subject, action, scope, effect)
);

-- The defaults of the dashboards Opsdeck replaces (models/workspace/permissions.cpp, defaultGrants),
-- as rows an admin can see and revoke: a user provisions just-in-time runners and removes their own;
-- an admin does everything but manage superusers; a superuser does everything.
INSERT INTO grants (subject_kind, subject, action, scope, effect, granted_by) VALUES
    ('role', 'user', 'runner.provision', 'mode:jit', 'allow', 'opsdeck'),
    ('role', 'user', 'runner.delete', 'owner:self', 'allow', 'opsdeck'),
    ('role', 'admin', '*', '*', 'allow', 'opsdeck'),
    ('role', 'admin', 'user.manage', 'role:superuser', 'deny', 'opsdeck'),
    ('role', 'superuser', '*', '*', 'allow', 'opsdeck');

CREATE TABLE projects (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Who provisioned which runner (ownership checks).
CREATE TABLE runner_owners (
    connection     text NOT NULL,
    runner         text NOT NULL,
    owner_login    text NOT NULL,
    mode           text NOT NULL CHECK (mode IN ('jit', 'registration')),
    provisioned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection, runner)
);

-- Every desktop's hash chain, appended in order; the actor is the login that appended it.
CREATE TABLE team_audit (
    desktop_id  text NOT NULL,
    seq         bigint NOT NULL,
    actor_login text NOT NULL DEFAULT session_user,
    occurred_at timestamptz NOT NULL,
    canonical   text NOT NULL,
    hash        text NOT NULL,
    prev_hash   text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (desktop_id, seq)
);

CREATE FUNCTION opsdeck_audit_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are never changed or deleted' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER team_audit_no_update BEFORE UPDATE OR DELETE ON team_audit
    FOR EACH ROW EXECUTE FUNCTION opsdeck_audit_immutable();
CREATE TRIGGER team_audit_no_truncate BEFORE TRUNCATE ON team_audit
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_audit_immutable();

-- At most two superusers, also when two transactions promote at once: the check runs under one
-- transaction-wide lock, so the second waits for the first and then counts its result.
CREATE FUNCTION opsdeck_superuser_cap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role = 'superuser' AND (TG_OP = 'INSERT' OR OLD.role <> 'superuser') THEN
        PERFORM pg_advisory_xact_lock(hashtext('opsdeck.superusers'));
        IF (SELECT count(*) FROM people WHERE role = 'superuser' AND id <> NEW.id) >= 2 THEN
            RAISE EXCEPTION 'a workspace has at most two superusers' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER people_superuser_cap BEFORE INSERT OR UPDATE OF role ON people
    FOR EACH ROW EXECUTE FUNCTION opsdeck_superuser_cap();

-- Live across desktops: every change to the shared records is announced on commit (one
-- notification per table and transaction); each Opsdeck's workspace service LISTENs and re-reads.
CREATE FUNCTION opsdeck_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('opsdeck_workspace', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
CREATE TRIGGER people_announce AFTER INSERT OR UPDATE OR DELETE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER grants_announce AFTER INSERT OR UPDATE OR DELETE ON grants
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER projects_announce AFTER INSERT OR UPDATE OR DELETE ON projects
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER runner_owners_announce AFTER INSERT OR UPDATE OR DELETE ON runner_owners
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();

-- The caller as a person: refused when they are not one, or not active.
CREATE FUNCTION opsdeck_caller() RETURNS people LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    me people;
BEGIN
    SELECT * INTO me FROM people WHERE login = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a person of this workspace', session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT me.active THEN
        RAISE EXCEPTION '% is deactivated', session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN me;
END
$$;

-- The group role of a workspace role. Roles are shared by the whole PostgreSQL cluster, so each
-- workspace (database) has its own three groups: membership in one never reaches another.
CREATE FUNCTION opsdeck_group(p_role text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT left('opsdeck_' || current_database() || '_' || p_role, 63)
$$;

-- Who may manage whom: admins manage users and admins, superusers everyone; nobody their own role.
CREATE FUNCTION opsdeck_check_manage(p_target_role text, p_new_role text) RETURNS people LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    IF me.role = 'user' THEN
        RAISE EXCEPTION '% may not manage people (role user)', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF me.role = 'admin' AND ('superuser' IN (p_target_role, p_new_role)) THEN
        RAISE EXCEPTION 'only a superuser manages superusers' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN me;
END
$$;

CREATE FUNCTION opsdeck_person_add(p_login text, p_email text, p_role text, p_password text)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_check_manage(p_role, p_role);
    new_id bigint;
BEGIN
    INSERT INTO people (login, email, role) VALUES (p_login, coalesce(p_email, ''), p_role) RETURNING id INTO new_id;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        IF p_password IS NULL OR p_password = '' THEN
            EXECUTE format('CREATE ROLE %I LOGIN', p_login);
        ELSE
            EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_password);
        END IF;
    END IF;
    EXECUTE format('GRANT %I TO %I', opsdeck_group(p_role), p_login);
    RETURN new_id;
END
$$;

-- The person a function acts on: refused when there is none by that login.
CREATE FUNCTION opsdeck_person(p_login text) RETURNS people LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    target people;
BEGIN
    SELECT * INTO target FROM people WHERE login = p_login;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no person % in this workspace', p_login USING ERRCODE = 'no_data_found';
    END IF;
    RETURN target;
END
$$;

CREATE FUNCTION opsdeck_person_set_role(p_login text, p_role text) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    target people;
    me people;
BEGIN
    target := opsdeck_person(p_login);
    me := opsdeck_check_manage(target.role, p_role);
    IF me.login = p_login THEN
        RAISE EXCEPTION 'nobody changes their own role' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE people SET role = p_role WHERE id = target.id;
    EXECUTE format('REVOKE %I FROM %I', opsdeck_group(target.role), p_login);
    EXECUTE format('GRANT %I TO %I', opsdeck_group(p_role), p_login);
END
$$;

-- Deactivated: the login can no longer sign in, and every function refuses it.
CREATE FUNCTION opsdeck_person_set_active(p_login text, p_active boolean) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    target people;
    me people;
BEGIN
    target := opsdeck_person(p_login);
    me := opsdeck_check_manage(target.role, target.role);
    IF me.login = p_login THEN
        RAISE EXCEPTION 'nobody deactivates themselves' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE people SET active = p_active WHERE id = target.id;
    EXECUTE format(CASE WHEN p_active THEN 'ALTER ROLE %I LOGIN' ELSE 'ALTER ROLE %I NOLOGIN' END, p_login);
END
$$;

-- Grants: only admins and superusers, and only superusers hand out user.manage or anything over
-- superusers (nobody grants what they do not hold).
CREATE FUNCTION opsdeck_grant_add(p_kind text, p_subject text, p_action text, p_scope text, p_effect text)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_check_manage('user', 'user');
    new_id bigint;
BEGIN
    IF me.role <> 'superuser' AND (p_action IN ('user.manage', 'user.*', '*')
            OR (p_kind = 'role' AND p_subject = 'superuser')
            OR (p_kind = 'person' AND EXISTS (SELECT 1 FROM people WHERE login = p_subject AND role = 'superuser'))) THEN
        RAISE EXCEPTION '% may not grant % to %', me.login, p_action, p_subject USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO grants (subject_kind, subject, action, scope, effect, granted_by)
        VALUES (p_kind, p_subject, p_action, coalesce(nullif(p_scope, ''), '*'), p_effect, me.login)
        RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

-- Who may read and append what. Nothing is granted to PUBLIC; the groups read everything and append
-- audit events in their own name; every other write goes through the functions above.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$
DECLARE
    r text;
    g text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        g := opsdeck_group(r);
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', g);
        END IF;
        EXECUTE format('GRANT SELECT ON workspace_meta, people, grants, projects, runner_owners, team_audit TO %I', g);
        EXECUTE format('GRANT INSERT ON team_audit TO %I', g);
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_caller(), opsdeck_group(text), '
                       'opsdeck_person_add(text, text, text, text), opsdeck_person_set_role(text, text), '
                       'opsdeck_person_set_active(text, boolean), opsdeck_grant_add(text, text, text, text, text) '
                       'TO %I', g);
    END LOOP;
END
$$;

ALTER TABLE team_audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_audit_read ON team_audit FOR SELECT USING (true);
CREATE POLICY team_audit_append ON team_audit FOR INSERT WITH CHECK (actor_login = session_user);
