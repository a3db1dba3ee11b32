-- Opsdeck cache, schema 1: connections and per-connection sync state.
CREATE TABLE connections (
    id               INTEGER PRIMARY KEY,
    uid              TEXT    NOT NULL UNIQUE,
    kind             TEXT    NOT NULL CHECK (kind IN ('github', 'docker', 'registry', 'harbor', 'litellm', 'cloudflare')),
    name             TEXT    NOT NULL UNIQUE,
    endpoint         TEXT    NOT NULL,
    auth_kind        TEXT    NOT NULL DEFAULT 'none',
    username         TEXT    NOT NULL DEFAULT '',
    ca_file          TEXT    NOT NULL DEFAULT '',
    client_cert_file TEXT    NOT NULL DEFAULT '',
    client_key_file  TEXT    NOT NULL DEFAULT '',
    sync_interval_s  INTEGER NOT NULL DEFAULT 300,
    options_json     TEXT    NOT NULL DEFAULT '{}',
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

-- One row per connection and synced table ("scope"): when it last synced and how it last failed.
CREATE TABLE sync_state (
    connection_id    INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    scope            TEXT    NOT NULL,
    last_attempt_at  TEXT,
    last_success_at  TEXT,
    last_error       TEXT    NOT NULL DEFAULT '',
    last_error_code  TEXT    NOT NULL DEFAULT '',
    last_error_at    TEXT,
    PRIMARY KEY (connection_id, scope)
);
