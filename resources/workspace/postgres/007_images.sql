-- Opsdeck team workspace, schema 7: the image allowlist and its requests, and who manages which
-- project. Everyone reads them; every change goes through a function that checks the caller:
--   - projects and their managers and members: admins and superusers (user.manage over users);
--   - a global entry: image.allow everywhere; a project's entry: a manager of the project, or
--     image.allow on project:NAME;
--   - a request: image.request (everyone, by default) on the request's scope, in one's own name;
--   - deciding a global request: image.approve everywhere; a project's request: a manager of the
--     project, or image.approve on project:NAME. Approving adds the entry in the same statement.
-- Entries are kept as Opsdeck writes them (models/images/allowlist.h, AllowEntry::text).

CREATE TABLE project_members (
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    login      text NOT NULL,
    role       text NOT NULL CHECK (role IN ('manager', 'member')),
    PRIMARY KEY (project_id, login)
);

CREATE TABLE image_allowlist (
    id              bigserial PRIMARY KEY,
    entry           text NOT NULL CHECK (length(entry) BETWEEN 1 AND 512),
    project         text NOT NULL DEFAULT '',       -- '' : global
    reason          text NOT NULL CHECK (length(btrim(reason)) > 0),
    added_by        text NOT NULL,
    added_at        timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    approved_digest text NOT NULL DEFAULT '',       -- what a tag entry's tag pointed to when approved
    UNIQUE (entry, project)
);

CREATE TABLE image_requests (
    id           bigserial PRIMARY KEY,
    reference    text NOT NULL CHECK (length(reference) BETWEEN 1 AND 512),
    project      text NOT NULL DEFAULT '',
    reason       text NOT NULL CHECK (length(btrim(reason)) > 0),
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'denied')),
    decided_by   text NOT NULL DEFAULT '',
    decided_at   timestamptz,
    answer       text NOT NULL DEFAULT '',
    entry_id     bigint REFERENCES image_allowlist(id) ON DELETE SET NULL
);

CREATE TRIGGER project_members_announce AFTER INSERT OR UPDATE OR DELETE ON project_members
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER image_allowlist_announce AFTER INSERT OR UPDATE OR DELETE ON image_allowlist
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER image_requests_announce AFTER INSERT OR UPDATE OR DELETE ON image_requests
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();

-- Asking for images is open to every person by default, as on the dashboard Opsdeck replaces.
INSERT INTO grants (subject_kind, subject, action, scope, effect, granted_by)
    VALUES ('role', 'user', 'image.request', '*', 'allow', 'opsdeck')
    ON CONFLICT DO NOTHING;

-- Whether me may act on a project's images as its manager, or through a grant of p_action.
CREATE FUNCTION opsdeck_image_may(me people, p_action text, p_project text) RETURNS boolean LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT CASE WHEN coalesce(p_project, '') = '' THEN opsdeck_holds(me, p_action, '*')
                ELSE opsdeck_holds(me, p_action, 'project:' || p_project)
                     OR EXISTS (SELECT 1 FROM project_members m JOIN projects p ON p.id = m.project_id
                                WHERE p.name = p_project AND m.login = me.login AND m.role = 'manager')
           END
$$;

CREATE FUNCTION opsdeck_project_save(p_name text) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_check_manage('user', 'user');
    v_project bigint;
BEGIN
    IF p_name !~ '^[a-z0-9][a-z0-9_.-]{0,62}$' THEN
        RAISE EXCEPTION '"%" is not a project name: lower-case letters, digits, ".", "_" and "-", at most 63', p_name
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO projects (name, created_by) VALUES (p_name, me.login)
        ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id INTO v_project;
    RETURN v_project;
END
$$;

-- p_role: manager, member, or NULL to take the person out of the project.
CREATE FUNCTION opsdeck_project_member_set(p_project text, p_login text, p_role text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_check_manage('user', 'user');
    target people := opsdeck_person(p_login);
    v_project bigint;
BEGIN
    SELECT id INTO v_project FROM projects WHERE name = p_project;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no project % in this workspace', p_project USING ERRCODE = 'no_data_found';
    END IF;
    IF p_role IS NULL THEN
        DELETE FROM project_members m WHERE m.project_id = v_project AND m.login = target.login;
    ELSE
        INSERT INTO project_members (project_id, login, role) VALUES (v_project, target.login, p_role)
            ON CONFLICT (project_id, login) DO UPDATE SET role = excluded.role;
    END IF;
END
$$;

CREATE FUNCTION opsdeck_image_allow(p_entry text, p_project text, p_reason text, p_expires timestamptz,
                                    p_digest text) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    new_id bigint;
BEGIN
    IF coalesce(p_project, '') <> '' AND NOT EXISTS (SELECT 1 FROM projects WHERE name = p_project) THEN
        RAISE EXCEPTION 'no project % in this workspace', p_project USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT opsdeck_image_may(me, 'image.allow', p_project) THEN
        RAISE EXCEPTION '% may not allow images %', me.login,
            CASE WHEN coalesce(p_project, '') = '' THEN 'everywhere' ELSE 'in project ' || p_project END
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO image_allowlist (entry, project, reason, added_by, expires_at, approved_digest)
        VALUES (p_entry, coalesce(p_project, ''), p_reason, me.login, p_expires, coalesce(p_digest, ''))
        RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

CREATE FUNCTION opsdeck_image_revoke(p_id bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    e image_allowlist;
BEGIN
    SELECT * INTO e FROM image_allowlist WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no allowlist entry % in this workspace', p_id USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT opsdeck_image_may(me, 'image.allow', e.project) THEN
        RAISE EXCEPTION '% may not remove allowlist entry %', me.login, p_id USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM image_allowlist WHERE id = p_id;
END
$$;

CREATE FUNCTION opsdeck_image_request(p_reference text, p_project text, p_reason text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    new_id bigint;
BEGIN
    IF coalesce(p_project, '') <> '' AND NOT EXISTS (SELECT 1 FROM projects WHERE name = p_project) THEN
        RAISE EXCEPTION 'no project % in this workspace', p_project USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT opsdeck_holds(me, 'image.request', '*')
       AND NOT (coalesce(p_project, '') <> '' AND opsdeck_holds(me, 'image.request', 'project:' || p_project)) THEN
        RAISE EXCEPTION '% may not request images', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO image_requests (reference, project, reason, requested_by)
        VALUES (p_reference, coalesce(p_project, ''), p_reason, me.login) RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

-- Approve (with the entry to add, as Opsdeck wrote it from the reference) or deny, with an answer.
CREATE FUNCTION opsdeck_image_decide(p_id bigint, p_approve boolean, p_answer text, p_entry text,
                                     p_expires timestamptz, p_digest text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    r image_requests;
    new_entry bigint;
BEGIN
    SELECT * INTO r FROM image_requests WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no image request % in this workspace', p_id USING ERRCODE = 'no_data_found';
    END IF;
    IF r.state <> 'pending' THEN
        RAISE EXCEPTION 'image request % was % already by %', p_id, r.state, r.decided_by
            USING ERRCODE = 'unique_violation';
    END IF;
    IF NOT opsdeck_image_may(me, 'image.approve', r.project) THEN
        RAISE EXCEPTION '% may not decide % image requests', me.login,
            CASE WHEN r.project = '' THEN 'global' ELSE 'project ' || r.project || '''s' END
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF coalesce(btrim(p_answer), '') = '' THEN
        RAISE EXCEPTION 'an answer is required' USING ERRCODE = 'check_violation';
    END IF;
    IF p_approve THEN
        INSERT INTO image_allowlist (entry, project, reason, added_by, expires_at, approved_digest)
            VALUES (p_entry, r.project, r.reason || ' (requested by ' || r.requested_by || ')', me.login, p_expires,
                    coalesce(p_digest, ''))
            ON CONFLICT (entry, project) DO UPDATE SET expires_at = excluded.expires_at
            RETURNING id INTO new_entry;
    END IF;
    UPDATE image_requests SET state = CASE WHEN p_approve THEN 'approved' ELSE 'denied' END, decided_by = me.login,
                              decided_at = now(), answer = p_answer, entry_id = new_entry
        WHERE id = p_id;
    RETURN new_entry;
END
$$;

REVOKE ALL ON FUNCTION opsdeck_image_may(people, text, text), opsdeck_project_save(text),
    opsdeck_project_member_set(text, text, text),
    opsdeck_image_allow(text, text, text, timestamptz, text), opsdeck_image_revoke(bigint),
    opsdeck_image_request(text, text, text),
    opsdeck_image_decide(bigint, boolean, text, text, timestamptz, text) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT SELECT ON project_members, image_allowlist, image_requests TO %I', opsdeck_group(r));
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_project_save(text), '
                       'opsdeck_project_member_set(text, text, text), '
                       'opsdeck_image_allow(text, text, text, timestamptz, text), opsdeck_image_revoke(bigint), '
                       'opsdeck_image_request(text, text, text), '
                       'opsdeck_image_decide(bigint, boolean, text, text, timestamptz, text) TO %I', opsdeck_group(r));
    END LOOP;
END
$$;
