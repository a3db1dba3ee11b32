-- Opsdeck local workspace, schema 8: the vulnerability gate's settings and CVE exceptions, as in the
-- team workspace's schema 8; the local store's one admin makes every change
-- (services/workspace/imagerecords.cpp keeps the same rules).
CREATE TABLE image_gate (
    project         TEXT PRIMARY KEY,
    threshold       TEXT NOT NULL DEFAULT ''
                    CHECK (threshold IN ('', 'Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical')),
    block_unscanned INTEGER NOT NULL DEFAULT 0,
    comment         TEXT NOT NULL DEFAULT '',
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE image_cve_exceptions (
    id         INTEGER PRIMARY KEY,
    cve        TEXT NOT NULL CHECK (length(cve) BETWEEN 4 AND 80),
    image      TEXT NOT NULL DEFAULT '' CHECK (length(image) <= 512),
    project    TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    CHECK (image <> '' OR project <> '')
);
