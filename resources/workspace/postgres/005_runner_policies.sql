-- Opsdeck team workspace, schema 5: runner label policies are the team's, by connection name (the
-- name grants use in connection:NAME). Everyone reads them; a policy is saved only through
-- opsdeck_runner_policy_save, by someone allowed policy.update on that connection (a superuser, or
-- an allow that names the action, its system's wildcard or *, on that connection, a pattern that
-- takes it in, or everywhere; and no deny that could cover it). Announced like every shared record.

CREATE TABLE runner_policies (
    connection text PRIMARY KEY CHECK (length(connection) BETWEEN 1 AND 200),
    policy     jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER runner_policies_announce AFTER INSERT OR UPDATE OR DELETE ON runner_policies
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();

CREATE FUNCTION opsdeck_runner_policy_save(p_connection text, p_policy jsonb) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    target_scope text := 'connection:' || replace(p_connection, ' ', '_');
    mine boolean;
BEGIN
    IF me.role <> 'superuser' THEN
        SELECT EXISTS (SELECT 1 FROM grants g
                       WHERE g.effect = 'allow'
                         AND ((g.subject_kind = 'role' AND g.subject = me.role) OR (g.subject_kind = 'person' AND g.subject = me.login))
                         AND g.action IN ('*', 'policy.*', 'policy.update')
                         AND (g.scope IN ('*', '') OR target_scope LIKE replace(g.scope, '*', '%')))
           AND NOT EXISTS (SELECT 1 FROM grants d
                       WHERE d.effect = 'deny'
                         AND ((d.subject_kind = 'role' AND d.subject = me.role) OR (d.subject_kind = 'person' AND d.subject = me.login))
                         AND d.action IN ('*', 'policy.*', 'policy.update')
                         AND (d.scope IN ('*', '') OR target_scope LIKE replace(d.scope, '*', '%')))
          INTO mine;
        IF NOT mine THEN
            RAISE EXCEPTION '% may not change the label policy of %', me.login, p_connection
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    INSERT INTO runner_policies (connection, policy, updated_by) VALUES (p_connection, p_policy, me.login)
        ON CONFLICT (connection) DO UPDATE SET policy = excluded.policy, updated_by = excluded.updated_by,
                                               updated_at = now();
END
$$;

REVOKE ALL ON FUNCTION opsdeck_runner_policy_save(text, jsonb) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT SELECT ON runner_policies TO %I', opsdeck_group(r));
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_runner_policy_save(text, jsonb) TO %I', opsdeck_group(r));
    END LOOP;
END
$$;
