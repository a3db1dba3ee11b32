-- Opsdeck cache, schema 6: the Docker Engine API version Opsdeck negotiated with each host
-- (what its requests are pinned to; empty until the first refresh after this version).
ALTER TABLE docker_hosts ADD COLUMN api_version TEXT NOT NULL DEFAULT '';
