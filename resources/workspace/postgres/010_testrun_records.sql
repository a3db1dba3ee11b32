-- Opsdeck team workspace, schema 10: the test-run records a team shares (models/testruns/teamrecords.h):
--   - sources: each source's kind, its settings without secrets (a GitHub source's repository and
--     artifact pattern, a golden suite's folder, git address without credentials, base URL and mock
--     by name) and who hears of its runs (Slack, Jira: the webhook and the token stay in each
--     desktop's keychain);
--   - mocks: the servers golden suites run against, with the container that runs them (by the
--     Docker connection's name);
--   - run records: each imported run's canonical signed record (models/testruns/runrecord.h) as
--     published by the desktop that imported it. A record never changes once published: the same
--     bytes again are a no-op, other bytes under the same key are refused.
-- Everyone reads them. Changes go through functions that check the caller: testrun.source on
-- source:NAME for a source and its notifications, testrun.mock on mock:NAME for a mock,
-- testrun.record on source:NAME to publish a run (every user holds it by default, so that a
-- teammate's imports reach the team).

CREATE TABLE testrun_sources (
    name            text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200 AND name = btrim(name)),
    kind            text NOT NULL CHECK (kind IN ('files', 'github', 'golden')),
    detail          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object'),
    slack_when      text NOT NULL DEFAULT 'off' CHECK (slack_when IN ('off', 'failed', 'new-failures')),
    jira_when       text NOT NULL DEFAULT 'off' CHECK (jira_when IN ('off', 'failed', 'new-failures')),
    jira_site       text NOT NULL DEFAULT '' CHECK (length(jira_site) <= 500),
    jira_project    text NOT NULL DEFAULT '' CHECK (length(jira_project) <= 100),
    jira_issue_type text NOT NULL DEFAULT 'Bug' CHECK (length(jira_issue_type) <= 100),
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE testrun_mocks (
    name              text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200 AND name = btrim(name)),
    url               text NOT NULL CHECK (url ~ '^https?://[^/?#]' AND length(url) <= 2000),
    health_path       text NOT NULL DEFAULT '/' CHECK (left(health_path, 1) = '/' AND length(health_path) <= 2000),
    interval_s        integer NOT NULL DEFAULT 60 CHECK (interval_s BETWEEN 5 AND 86400),
    docker_connection text NOT NULL DEFAULT '' CHECK (length(docker_connection) <= 200),
    container         text NOT NULL DEFAULT '' CHECK (length(container) <= 256),
    updated_by        text NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (container = '' OR docker_connection <> '')
);

CREATE TABLE testrun_records (
    source       text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    run_key      text NOT NULL CHECK (length(run_key) BETWEEN 1 AND 300),
    record       text NOT NULL CHECK (octet_length(record) <= 16777216),
    signature    text NOT NULL DEFAULT '' CHECK (signature ~ '^([0-9a-f]{64})?$'),
    key_id       text NOT NULL DEFAULT '' CHECK (key_id ~ '^([0-9a-f]{16})?$'),
    desktop      text NOT NULL DEFAULT '' CHECK (length(desktop) <= 200),
    published_by text NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, run_key)
);

CREATE TRIGGER testrun_sources_announce AFTER INSERT OR UPDATE OR DELETE ON testrun_sources
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER testrun_mocks_announce AFTER INSERT OR UPDATE OR DELETE ON testrun_mocks
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();
CREATE TRIGGER testrun_records_announce AFTER INSERT OR UPDATE OR DELETE ON testrun_records
    FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_announce();

INSERT INTO grants (subject_kind, subject, action, scope, effect, granted_by) VALUES
    ('role', 'user', 'testrun.record', '*', 'allow', 'opsdeck')
    ON CONFLICT DO NOTHING;

-- me may act with p_action on p_scope (source:NAME, mock:NAME), or is refused in words.
CREATE FUNCTION opsdeck_testrun_check(me people, p_action text, p_facet text, p_name text, p_what text)
    RETURNS void LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT opsdeck_holds(me, p_action, p_facet || ':' || replace(p_name, ' ', '_')) THEN
        RAISE EXCEPTION '% may not % %', me.login, p_what, p_name USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- Creates or changes a source's shared settings; its kind stays what it was created as.
CREATE FUNCTION opsdeck_testrun_source_set(p_name text, p_kind text, p_detail jsonb, p_slack_when text,
                                           p_jira_when text, p_jira_site text, p_jira_project text,
                                           p_jira_issue_type text) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    held text;
BEGIN
    PERFORM opsdeck_testrun_check(me, 'testrun.source', 'source', p_name, 'change the test-run source');
    SELECT kind INTO held FROM testrun_sources WHERE name = p_name;
    IF FOUND AND held <> p_kind THEN
        RAISE EXCEPTION 'the test-run source % is a % source, not %', p_name, held, p_kind
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO testrun_sources (name, kind, detail, slack_when, jira_when, jira_site, jira_project,
                                 jira_issue_type, updated_by)
        VALUES (p_name, p_kind, coalesce(p_detail, '{}'), coalesce(p_slack_when, 'off'),
                coalesce(p_jira_when, 'off'), coalesce(p_jira_site, ''), coalesce(p_jira_project, ''),
                coalesce(nullif(p_jira_issue_type, ''), 'Bug'), me.login)
        ON CONFLICT (name) DO UPDATE SET detail = excluded.detail, slack_when = excluded.slack_when,
            jira_when = excluded.jira_when, jira_site = excluded.jira_site, jira_project = excluded.jira_project,
            jira_issue_type = excluded.jira_issue_type, updated_by = excluded.updated_by, updated_at = now();
END
$$;

-- Removes a source's shared settings (its published runs stay): whether there were any.
CREATE FUNCTION opsdeck_testrun_source_remove(p_name text) RETURNS boolean LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    PERFORM opsdeck_testrun_check(me, 'testrun.source', 'source', p_name, 'remove the test-run source');
    DELETE FROM testrun_sources WHERE name = p_name;
    RETURN FOUND;
END
$$;

CREATE FUNCTION opsdeck_testrun_mock_set(p_name text, p_url text, p_health_path text, p_interval_s integer,
                                         p_docker_connection text, p_container text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    PERFORM opsdeck_testrun_check(me, 'testrun.mock', 'mock', p_name, 'change the mock');
    INSERT INTO testrun_mocks (name, url, health_path, interval_s, docker_connection, container, updated_by)
        VALUES (p_name, p_url, coalesce(nullif(p_health_path, ''), '/'), coalesce(p_interval_s, 60),
                coalesce(p_docker_connection, ''), coalesce(p_container, ''), me.login)
        ON CONFLICT (name) DO UPDATE SET url = excluded.url, health_path = excluded.health_path,
            interval_s = excluded.interval_s, docker_connection = excluded.docker_connection,
            container = excluded.container, updated_by = excluded.updated_by, updated_at = now();
END
$$;

CREATE FUNCTION opsdeck_testrun_mock_remove(p_name text) RETURNS boolean LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
BEGIN
    PERFORM opsdeck_testrun_check(me, 'testrun.mock', 'mock', p_name, 'remove the mock');
    DELETE FROM testrun_mocks WHERE name = p_name;
    RETURN FOUND;
END
$$;

-- Publishes a run's canonical record: true when it is new, false when the same bytes were there.
-- The record must say the source and run it is published under.
CREATE FUNCTION opsdeck_testrun_record_publish(p_source text, p_run_key text, p_record text, p_signature text,
                                               p_key_id text, p_desktop text) RETURNS boolean LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me people := opsdeck_caller();
    doc jsonb;
    held text;
BEGIN
    PERFORM opsdeck_testrun_check(me, 'testrun.record', 'source', p_source, 'publish runs of');
    BEGIN
        doc := p_record::jsonb;
    EXCEPTION WHEN others THEN
        RAISE EXCEPTION 'the record of run % of % is not JSON', p_run_key, p_source USING ERRCODE = 'check_violation';
    END;
    IF jsonb_typeof(doc) <> 'object' OR doc ->> 'format' IS DISTINCT FROM 'opsdeck-run/1'
            OR doc ->> 'source' IS DISTINCT FROM p_source OR doc ->> 'run' IS DISTINCT FROM p_run_key THEN
        RAISE EXCEPTION 'the record does not say it is run % of % (format opsdeck-run/1)', p_run_key, p_source
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT record INTO held FROM testrun_records WHERE source = p_source AND run_key = p_run_key;
    IF FOUND THEN
        IF held = p_record THEN
            RETURN false;
        END IF;
        RAISE EXCEPTION 'run % of % was published already with another record: a published record never changes',
            p_run_key, p_source USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO testrun_records (source, run_key, record, signature, key_id, desktop, published_by)
        VALUES (p_source, p_run_key, p_record, coalesce(p_signature, ''), coalesce(p_key_id, ''),
                coalesce(p_desktop, ''), me.login);
    RETURN true;
END
$$;

REVOKE ALL ON FUNCTION opsdeck_testrun_check(people, text, text, text, text),
    opsdeck_testrun_source_set(text, text, jsonb, text, text, text, text, text),
    opsdeck_testrun_source_remove(text),
    opsdeck_testrun_mock_set(text, text, text, integer, text, text),
    opsdeck_testrun_mock_remove(text),
    opsdeck_testrun_record_publish(text, text, text, text, text, text) FROM PUBLIC;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['user', 'admin', 'superuser'] LOOP
        EXECUTE format('GRANT SELECT ON testrun_sources, testrun_mocks, testrun_records TO %I', opsdeck_group(r));
        EXECUTE format('GRANT EXECUTE ON FUNCTION '
                       'opsdeck_testrun_source_set(text, text, jsonb, text, text, text, text, text), '
                       'opsdeck_testrun_source_remove(text), '
                       'opsdeck_testrun_mock_set(text, text, text, integer, text, text), '
                       'opsdeck_testrun_mock_remove(text), '
                       'opsdeck_testrun_record_publish(text, text, text, text, text, text) TO %I', opsdeck_group(r));
    END LOOP;
END
$$;
