-- Opsdeck cache, schema 16: the images on each Docker host (GET /images/json), and which image
-- each container runs by ID, so that the Images pane can say which containers use an image and
-- which images are unused or dangling.
ALTER TABLE containers ADD COLUMN image_id TEXT NOT NULL DEFAULT '';
CREATE INDEX containers_image ON containers (connection_id, image_id);

CREATE TABLE host_images (
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    image_id      TEXT    NOT NULL,               -- "sha256:…"
    tags          TEXT    NOT NULL DEFAULT '[]',  -- JSON: RepoTags without "<none>:<none>"
    digests       TEXT    NOT NULL DEFAULT '[]',  -- JSON: RepoDigests
    size          INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL DEFAULT '',
    synced_at     TEXT    NOT NULL,
    PRIMARY KEY (connection_id, image_id)
);
