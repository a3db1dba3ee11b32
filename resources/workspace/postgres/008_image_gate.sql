-- Opsdeck team workspace, schema 8: the vulnerability gate (models/images/vulngate.h). One setting
-- for the workspace (project '') and one per project that wants a stricter one, and CVE exceptions
-- that let named findings through for an image or a project until they expire. Everyone reads them;
-- changes go through functions that check the caller:
--   - the global setting and exceptions for every project: image.approve everywhere;
--   - a project's setting and its exceptions: a manager of the project, or image.approve on
--     project:NAME.

CREATE TABLE image_gate (
    project         text PRIMARY KEY,                 -- '' : global
    threshold       text NOT NULL DEFAULT ''          -- '' : no severity blocks
                    CHECK (threshold IN ('', 'Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical')),
    block_unscanned boolean NOT NULL DEFAULT false,
    comment         text NOT NULL DEFAULT '',
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE image_cve_exceptions (
    id         bigserial PRIMARY KEY,
    cve        text NOT NULL CHECK (cve ~ '^[A-Z][A-Z0-9]{1,15}-[A-Z0-9][A-Z0-9.:_-]{0,62}$'),
    image      text NOT NULL DEFAULT '' CHECK (length(image) <= 512), -- an allowlist entry's text
    project    text NOT NULL DEFAULT '',
    reason     text NOT NULL CHECK (length(btrim(reason)) > 0),
    granted_by text NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CHECK (image <> '' OR project <> '')
);

CREATE TRIGGER image_gate_announce AFTER INSERT OR UPDATE OR DELETE ON image_gate
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER image_cve_exceptions_announce AFTER INSERT OR UPDATE OR DELETE ON image_cve_exceptions
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();

CREATE FUNCTION opsdeck_image_gate_set(p_project text, p_threshold text, p_block_unscanned boolean,
                                       p_comment text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    IF coalesce(p_project, '') <> '' AND NOT EXISTS (SELECT 1 FROM projects WHERE name = p_project) THEN
        RAISE EXCEPTION 'no project % in this workspace', p_project USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT opsdeck_image_may(me, 'image.approve', p_project) THEN
        RAISE EXCEPTION '% may not change the vulnerability gate %', me.login,
            CASE WHEN coalesce(p_project, '') = '' THEN 'of the workspace' ELSE 'of project ' || p_project END
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO image_gate (project, threshold, block_unscanned, comment, updated_by)
        VALUES (coalesce(p_project, ''), coalesce(p_threshold, ''), p_block_unscanned, coalesce(p_comment, ''),
                me.login)
        ON CONFLICT (project) DO UPDATE SET threshold = excluded.threshold,
            block_unscanned = excluded.block_unscanned, comment = excluded.comment,
            updated_by = excluded.updated_by, updated_at = now();
END
$$;

CREATE FUNCTION opsdeck_cve_exception_grant(p_cve text, p_image text, p_project text, p_reason text,
                                            p_expires timestamptz) RETURNS bigint LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    new_id bigint;
BEGIN
    IF coalesce(p_project, '') <> '' AND NOT EXISTS (SELECT 1 FROM projects WHERE name = p_project) THEN
        RAISE EXCEPTION 'no project % in this workspace', p_project USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT opsdeck_image_may(me, 'image.approve', p_project) THEN
        RAISE EXCEPTION '% may not grant vulnerability exceptions %', me.login,
            CASE WHEN coalesce(p_project, '') = '' THEN 'for every project' ELSE 'in project ' || p_project END
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_expires IS NULL OR p_expires <= now() THEN
        RAISE EXCEPTION 'an exception needs an expiry in the future' USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO image_cve_exceptions (cve, image, project, reason, granted_by, expires_at)
        VALUES (p_cve, coalesce(p_image, ''), coalesce(p_project, ''), p_reason, me.login, p_expires)
        RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

CREATE FUNCTION opsdeck_cve_exception_revoke(p_id bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    e image_cve_exceptions;
BEGIN
    SELECT * INTO e FROM image_cve_exceptions WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no vulnerability exception % in this workspace', p_id USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT opsdeck_image_may(me, 'image.approve', e.project) THEN
        RAISE EXCEPTION '% may not revoke vulnerability exception %', me.login, p_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM image_cve_exceptions WHERE id = p_id;
END
$$;

REVOKE ALL ON FUNCTION opsdeck_image_gate_set(text, text, boolean, text),
    opsdeck_cve_exception_grant(text, text, text, text, timestamptz),
    opsdeck_cve_exception_revoke(bigint) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT SELECT ON image_gate, image_cve_exceptions TO %I', opsdeck_group(r));
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_image_gate_set(text, text, boolean, text), '
                       'opsdeck_cve_exception_grant(text, text, text, text, timestamptz), '
                       'opsdeck_cve_exception_revoke(bigint) TO %I', opsdeck_group(r));
    END LOOP;
END
$$;
