-- Opsdeck team workspace, schema 9: the budget records of LiteLLM connections (by connection name,
-- the name grants use in connection:NAME), models/budgets/budgetpolicy.h and overflow.h:
--   - scoped policies: model access, guardrails and feature flags at account (organization), group,
--     team and user scope;
--   - groups of teams (a team is in at most one group of its connection);
--   - a credits factor per account: spend x factor = credits charged;
--   - the overflow ledger: what an account spent past its budget in a period, and its settlement.
-- Everyone reads them. Policies, groups and credits change through functions that need
-- budget.policy on the connection; a settlement needs budget.settle; an overflow is recorded by a
-- desktop that syncs the proxy, as someone holding either (the amount only ever grows within a
-- period, and a settled part stays settled).

CREATE TABLE budget_policies (
    id         bigserial PRIMARY KEY,
    connection text NOT NULL CHECK (length(connection) BETWEEN 1 AND 200),
    scope_kind text NOT NULL CHECK (scope_kind IN ('organization', 'group', 'team', 'user')),
    scope_id   text NOT NULL CHECK (length(scope_id) BETWEEN 1 AND 256),
    item       text NOT NULL CHECK (item IN ('models', 'guardrails', 'create_connections', 'create_agents',
                                             'image_generation', 'model_access')),
    value      jsonb NOT NULL CHECK (CASE WHEN item IN ('models', 'guardrails') THEN jsonb_typeof(value) = 'array'
                                          ELSE jsonb_typeof(value) = 'boolean' END),
    comment    text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (connection, scope_kind, scope_id, item)
);

CREATE TABLE budget_groups (
    connection text NOT NULL CHECK (length(connection) BETWEEN 1 AND 200),
    team_id    text NOT NULL CHECK (length(team_id) BETWEEN 1 AND 256),
    group_name text NOT NULL CHECK (group_name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$'),
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection, team_id)
);

CREATE TABLE budget_credits (
    connection      text NOT NULL CHECK (length(connection) BETWEEN 1 AND 200),
    organization_id text NOT NULL CHECK (length(organization_id) BETWEEN 1 AND 256),
    factor          numeric NOT NULL CHECK (factor >= 0 AND factor <= 1000),
    comment         text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection, organization_id)
);

CREATE TABLE budget_overflow (
    id              bigserial PRIMARY KEY,
    connection      text NOT NULL CHECK (length(connection) BETWEEN 1 AND 200),
    organization_id text NOT NULL CHECK (length(organization_id) BETWEEN 1 AND 256),
    period_start    timestamptz,
    period_end      timestamptz NOT NULL,
    budget          numeric NOT NULL CHECK (budget >= 0),
    spend           numeric NOT NULL CHECK (spend >= 0),
    overflow        numeric NOT NULL CHECK (overflow >= 0),
    settled_amount  numeric NOT NULL DEFAULT 0 CHECK (settled_amount >= 0 AND settled_amount <= overflow),
    reference       text NOT NULL DEFAULT '' CHECK (length(reference) <= 200),
    comment         text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    settled_by      text NOT NULL DEFAULT '',
    settled_at      timestamptz,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (connection, organization_id, period_end)
);

CREATE TRIGGER budget_policies_announce AFTER INSERT OR UPDATE OR DELETE ON budget_policies
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER budget_groups_announce AFTER INSERT OR UPDATE OR DELETE ON budget_groups
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER budget_credits_announce AFTER INSERT OR UPDATE OR DELETE ON budget_credits
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER budget_overflow_announce AFTER INSERT OR UPDATE OR DELETE ON budget_overflow
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();

-- me may act with p_action on the connection, or is refused in words.
CREATE FUNCTION opsdeck_budget_check(me people, p_action text, p_connection text, p_what text) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT opsdeck_holds(me, p_action, 'connection:' || replace(p_connection, ' ', '_')) THEN
        RAISE EXCEPTION '% may not % on %', me.login, p_what, p_connection USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- Sets an item at a scope; a NULL value removes it. The record's id (0 when removed).
CREATE FUNCTION opsdeck_budget_policy_set(p_connection text, p_scope_kind text, p_scope_id text, p_item text,
                                          p_value jsonb, p_comment text) RETURNS bigint LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    new_id bigint;
BEGIN
    PERFORM opsdeck_budget_check(me, 'budget.policy', p_connection, 'change budget policies');
    IF p_value IS NULL THEN
        DELETE FROM budget_policies WHERE connection = p_connection AND scope_kind = p_scope_kind
                                      AND scope_id = p_scope_id AND item = p_item;
        RETURN 0;
    END IF;
    INSERT INTO budget_policies (connection, scope_kind, scope_id, item, value, comment, updated_by)
        VALUES (p_connection, p_scope_kind, p_scope_id, p_item, p_value, coalesce(p_comment, ''), me.login)
        ON CONFLICT (connection, scope_kind, scope_id, item) DO UPDATE SET value = excluded.value,
            comment = excluded.comment, updated_by = excluded.updated_by, updated_at = now()
        RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

-- Puts a team in a group; an empty group takes it out of any.
CREATE FUNCTION opsdeck_budget_group_set(p_connection text, p_team text, p_group text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    PERFORM opsdeck_budget_check(me, 'budget.policy', p_connection, 'change budget groups');
    IF coalesce(p_group, '') = '' THEN
        DELETE FROM budget_groups WHERE connection = p_connection AND team_id = p_team;
        RETURN;
    END IF;
    INSERT INTO budget_groups (connection, team_id, group_name, updated_by)
        VALUES (p_connection, p_team, p_group, me.login)
        ON CONFLICT (connection, team_id) DO UPDATE SET group_name = excluded.group_name,
            updated_by = excluded.updated_by, updated_at = now();
END
$$;

-- An account's credits factor; NULL removes it.
CREATE FUNCTION opsdeck_budget_credits_set(p_connection text, p_organization text, p_factor numeric,
                                           p_comment text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    PERFORM opsdeck_budget_check(me, 'budget.policy', p_connection, 'change credits factors');
    IF p_factor IS NULL THEN
        DELETE FROM budget_credits WHERE connection = p_connection AND organization_id = p_organization;
        RETURN;
    END IF;
    INSERT INTO budget_credits (connection, organization_id, factor, comment, updated_by)
        VALUES (p_connection, p_organization, p_factor, coalesce(p_comment, ''), me.login)
        ON CONFLICT (connection, organization_id) DO UPDATE SET factor = excluded.factor,
            comment = excluded.comment, updated_by = excluded.updated_by, updated_at = now();
END
$$;

-- An account past its budget in the period that ends at p_end: the entry's id. Within a period the
-- figures only grow; a settled part stays settled.
CREATE FUNCTION opsdeck_budget_overflow_record(p_connection text, p_organization text, p_start timestamptz,
                                               p_end timestamptz, p_budget numeric, p_spend numeric)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    scope text := 'connection:' || replace(p_connection, ' ', '_');
    new_id bigint;
BEGIN
    IF NOT (opsdeck_holds(me, 'budget.policy', scope) OR opsdeck_holds(me, 'budget.settle', scope)) THEN
        RAISE EXCEPTION '% may not record overflow on %', me.login, p_connection USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_spend <= p_budget THEN
        RAISE EXCEPTION 'a spend of % is within the budget of %: no overflow', p_spend, p_budget
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO budget_overflow (connection, organization_id, period_start, period_end, budget, spend, overflow)
        VALUES (p_connection, p_organization, p_start, p_end, p_budget, p_spend, p_spend - p_budget)
        ON CONFLICT (connection, organization_id, period_end) DO UPDATE
            SET spend = greatest(budget_overflow.spend, excluded.spend),
                budget = excluded.budget,
                overflow = greatest(budget_overflow.overflow, excluded.overflow, budget_overflow.settled_amount)
        RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

-- Settles what is open of an entry, with a reference (an invoice, a ticket) and a comment.
CREATE FUNCTION opsdeck_budget_overflow_settle(p_id bigint, p_reference text, p_comment text) RETURNS numeric
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    e budget_overflow;
BEGIN
    SELECT * INTO e FROM budget_overflow WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no overflow entry % in this workspace', p_id USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM opsdeck_budget_check(me, 'budget.settle', e.connection, 'settle overflow');
    IF length(btrim(coalesce(p_reference, ''))) = 0 THEN
        RAISE EXCEPTION 'a settlement needs a reference' USING ERRCODE = 'check_violation';
    END IF;
    IF e.settled_amount >= e.overflow THEN
        RAISE EXCEPTION 'overflow entry % is settled already', p_id USING ERRCODE = 'unique_violation';
    END IF;
    UPDATE budget_overflow SET settled_amount = overflow, reference = btrim(p_reference),
        comment = coalesce(p_comment, ''), settled_by = me.login, settled_at = now() WHERE id = p_id;
    RETURN e.overflow - e.settled_amount;
END
$$;

REVOKE ALL ON FUNCTION opsdeck_budget_check(people, text, text, text),
    opsdeck_budget_policy_set(text, text, text, text, jsonb, text),
    opsdeck_budget_group_set(text, text, text),
    opsdeck_budget_credits_set(text, text, numeric, text),
    opsdeck_budget_overflow_record(text, text, timestamptz, timestamptz, numeric, numeric),
    opsdeck_budget_overflow_settle(bigint, text, text) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT SELECT ON budget_policies, budget_groups, budget_credits, budget_overflow TO %I',
                       opsdeck_group(r));
        EXECUTE format('GRANT EXECUTE ON FUNCTION opsdeck_budget_policy_set(text, text, text, text, jsonb, text), '
                       'opsdeck_budget_group_set(text, text, text), '
                       'opsdeck_budget_credits_set(text, text, numeric, text), '
                       'opsdeck_budget_overflow_record(text, text, timestamptz, timestamptz, numeric, numeric), '
                       'opsdeck_budget_overflow_settle(bigint, text, text) TO %I', opsdeck_group(r));
    END LOOP;
END
$$;
