-- Opsdeck team workspace, schema 4: a grant names someone who is there. opsdeck_grant_add refuses
-- a grant to a login that is not a person of the workspace (a typo would otherwise wait, unseen,
-- for whoever is later given that login), with the same rules as schema 2 otherwise.

CREATE OR REPLACE FUNCTION opsdeck_grant_add(p_kind text, p_subject text, p_action text, p_scope text, p_effect text)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_check_manage('user', 'user');
    scope text := coalesce(nullif(p_scope, ''), '*');
    new_id bigint;
BEGIN
    IF p_kind = 'person' AND NOT EXISTS (SELECT 1 FROM people WHERE login = p_subject) THEN
        RAISE EXCEPTION '% is not a person of this workspace', p_subject USING ERRCODE = 'no_data_found';
    END IF;
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
