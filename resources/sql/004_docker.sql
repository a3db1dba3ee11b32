-- Opsdeck cache, schema 4: containers and host facts of Docker connections.
CREATE TABLE containers (
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    container_id  TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    image         TEXT    NOT NULL,
    state         TEXT    NOT NULL,              -- created, running, paused, restarting, exited, dead
    status        TEXT    NOT NULL DEFAULT '',   -- "Up 3 hours (healthy)"
    health        TEXT    NOT NULL DEFAULT '',   -- healthy, unhealthy, starting, or empty
    project       TEXT    NOT NULL DEFAULT '',   -- compose project or opsdeck.project label
    ports         TEXT    NOT NULL DEFAULT '[]', -- JSON: [{"ip","private","public","type"}]
    labels        TEXT    NOT NULL DEFAULT '{}',
    volumes       TEXT    NOT NULL DEFAULT '[]', -- JSON: names of the named volumes it mounts
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (connection_id, container_id)
);
CREATE INDEX containers_project ON containers (connection_id, project);

CREATE TABLE docker_hosts (
    connection_id INTEGER PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
    version       TEXT NOT NULL DEFAULT '{}',  -- GET /version
    disk_usage    TEXT NOT NULL DEFAULT '{}',  -- summary of GET /system/df
    checked_at    TEXT NOT NULL
);
