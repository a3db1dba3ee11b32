-- Opsdeck cache, schema 15: what the registries hold, synced from plain OCI registries and Harbor
-- (sync scope "images"), so that the Images pane, the allowlist's marks (entries whose repository
-- or tag is gone, tags whose digest moved since approval) and the vulnerability gate read it at once
-- and offline.

-- One row per repository of a registry connection. project: the Harbor project ('' elsewhere).
CREATE TABLE registry_repositories (
    connection_id  INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    project        TEXT    NOT NULL DEFAULT '',
    artifact_count INTEGER NOT NULL DEFAULT 0,
    tag_count      INTEGER NOT NULL DEFAULT 0,
    synced_at      TEXT    NOT NULL,
    PRIMARY KEY (connection_id, name)
);

-- One row per tag (an untagged Harbor artifact: tag ''), with the manifest it points to: kind
-- (image or index), platforms of an index, size, and Harbor's scan overview.
CREATE TABLE registry_tags (
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    repository    TEXT    NOT NULL,
    tag           TEXT    NOT NULL,
    digest        TEXT    NOT NULL DEFAULT '',
    media_type    TEXT    NOT NULL DEFAULT '',
    kind          TEXT    NOT NULL DEFAULT '',
    platforms     TEXT    NOT NULL DEFAULT '',
    size          INTEGER NOT NULL DEFAULT 0,
    pushed_at     TEXT    NOT NULL DEFAULT '',
    scan_status   TEXT    NOT NULL DEFAULT '',  -- '' never scanned; Harbor's status otherwise
    severity      TEXT    NOT NULL DEFAULT '',  -- Harbor's scale: None … Critical
    critical      INTEGER NOT NULL DEFAULT 0,
    high          INTEGER NOT NULL DEFAULT 0,
    medium        INTEGER NOT NULL DEFAULT 0,
    low           INTEGER NOT NULL DEFAULT 0,
    other         INTEGER NOT NULL DEFAULT 0,   -- Negligible and Unknown
    fixable       INTEGER NOT NULL DEFAULT 0,
    scanned_at    TEXT    NOT NULL DEFAULT '',
    synced_at     TEXT    NOT NULL,
    PRIMARY KEY (connection_id, repository, tag, digest)
);
CREATE INDEX registry_tags_digest ON registry_tags (digest);

-- Harbor projects with their vulnerability settings and CVE allowlist (read; Harbor's own gate).
CREATE TABLE harbor_projects (
    connection_id     INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    name              TEXT    NOT NULL,
    project_id        INTEGER NOT NULL,
    public            INTEGER NOT NULL DEFAULT 0,
    repo_count        INTEGER NOT NULL DEFAULT 0,
    prevent_vul       INTEGER NOT NULL DEFAULT 0,
    severity          TEXT    NOT NULL DEFAULT '',
    auto_scan         INTEGER NOT NULL DEFAULT 0,
    reuse_sys_cve     INTEGER NOT NULL DEFAULT 1,
    cve_allowlist     TEXT    NOT NULL DEFAULT '[]', -- JSON array of CVE ids
    cve_expires_at    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (connection_id, name)
);

-- Harbor's system CVE allowlist, one row per connection.
CREATE TABLE harbor_system_cves (
    connection_id  INTEGER PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
    cves           TEXT    NOT NULL DEFAULT '[]',
    expires_at     TEXT    NOT NULL DEFAULT ''
);

-- The findings of an artifact's vulnerability report, read when the report is asked for (the pane,
-- the gate's explanation of a block).
CREATE TABLE image_vulnerabilities (
    connection_id  INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    repository     TEXT    NOT NULL,
    digest         TEXT    NOT NULL,
    cve            TEXT    NOT NULL,
    package        TEXT    NOT NULL DEFAULT '',
    version        TEXT    NOT NULL DEFAULT '',
    fix_version    TEXT    NOT NULL DEFAULT '',
    severity       TEXT    NOT NULL DEFAULT '',
    description    TEXT    NOT NULL DEFAULT '',
    fetched_at     TEXT    NOT NULL,
    PRIMARY KEY (connection_id, digest, cve, package, version)
);
