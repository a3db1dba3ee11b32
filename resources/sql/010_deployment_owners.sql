-- Opsdeck cache, schema 10: who deployed what. A deployment (a quick service or a compose project on
-- a Docker host) belongs to the person who last deployed it successfully through Opsdeck, as the
-- jobs record them (requested_by is the workspace login); quick services also carry the
-- opsdeck.owner label. The Users pane and offboarding read this.
CREATE VIEW deployment_owners AS
SELECT connection_id, project, owner_login, finished_at FROM (
    SELECT connection_id,
           COALESCE(NULLIF(json_extract(spec, '$.project'), ''), json_extract(spec, '$.name')) AS project,
           requested_by AS owner_login,
           finished_at,
           row_number() OVER (PARTITION BY connection_id,
                              COALESCE(NULLIF(json_extract(spec, '$.project'), ''), json_extract(spec, '$.name'))
                              ORDER BY id DESC) AS newest
    FROM jobs
    WHERE state = 'succeeded' AND connection_id IS NOT NULL)
WHERE newest = 1 AND project IS NOT NULL AND project <> '';
