-- Opsdeck team workspace, schema 3: access reviews. A superuser goes through everyone's role and
-- grants, keeps or revokes each with a comment, and signs the review off; the revocations, the
-- record of the review and each reviewed person's reviewed_at are written in one transaction.

CREATE TABLE access_reviews (
    id            bigserial PRIMARY KEY,
    signed_off_by text NOT NULL DEFAULT session_user,
    signed_off_at timestamptz NOT NULL DEFAULT now(),
    comment       text NOT NULL,
    decisions     jsonb NOT NULL  -- [{"kind": "role"|"grant", "person", "grant_id", "what", "decision", "comment"}]
);
CREATE TRIGGER access_reviews_announce AFTER INSERT OR UPDATE OR DELETE ON access_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();

-- Revoking a role: an admin or superuser becomes a user; a user is deactivated.
CREATE FUNCTION opsdeck_review_sign_off(p_comment text, p_decisions jsonb) RETURNS bigint LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    d jsonb;
    target people;
    new_id bigint;
BEGIN
    IF me.role <> 'superuser' THEN
        RAISE EXCEPTION 'only a superuser signs off an access review' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF coalesce(trim(p_comment), '') = '' THEN
        RAISE EXCEPTION 'an access review is signed off with a comment' USING ERRCODE = 'check_violation';
    END IF;
    IF jsonb_typeof(p_decisions) <> 'array' OR jsonb_array_length(p_decisions) = 0 THEN
        RAISE EXCEPTION 'an access review decides on something' USING ERRCODE = 'check_violation';
    END IF;
    FOR d IN SELECT * FROM jsonb_array_elements(p_decisions) LOOP
        IF d->>'decision' NOT IN ('keep', 'revoke') THEN
            RAISE EXCEPTION 'a decision is keep or revoke, not %', d->>'decision' USING ERRCODE = 'check_violation';
        END IF;
        IF d->>'decision' = 'revoke' AND coalesce(trim(d->>'comment'), '') = '' THEN
            RAISE EXCEPTION 'revoking % of % needs a comment', d->>'what', d->>'person' USING ERRCODE = 'check_violation';
        END IF;
        IF d->>'decision' = 'revoke' AND d->>'kind' = 'grant' THEN
            DELETE FROM grants WHERE id = (d->>'grant_id')::bigint;
        ELSIF d->>'decision' = 'revoke' AND d->>'kind' = 'role' THEN
            target := opsdeck_person(d->>'person');
            IF target.login = me.login THEN
                RAISE EXCEPTION 'nobody revokes their own role' USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF target.role = 'user' THEN
                UPDATE people SET active = false WHERE id = target.id;
                EXECUTE format('ALTER ROLE %I NOLOGIN', target.login);
            ELSE
                UPDATE people SET role = 'user' WHERE id = target.id;
                EXECUTE format('REVOKE %I FROM %I', opsdeck_group(target.role), target.login);
                EXECUTE format('GRANT %I TO %I', opsdeck_group('user'), target.login);
            END IF;
        END IF;
    END LOOP;
    INSERT INTO access_reviews (comment, decisions) VALUES (p_comment, p_decisions) RETURNING id INTO new_id;
    UPDATE people SET reviewed_at = now()
        WHERE login IN (SELECT d2->>'person' FROM jsonb_array_elements(p_decisions) AS d2 WHERE d2->>'kind' = 'role');
    RETURN new_id;
END
$$;

REVOKE ALL ON FUNCTION opsdeck_review_sign_off(text, jsonb) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT SELECT ON access_reviews TO %I', opsdeck_group(r));
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_review_sign_off(text, jsonb) TO %I', opsdeck_group(r));
    END LOOP;
END
$$;
