-- Opsdeck local workspace, schema 3: access reviews, as in the team workspace's schema 3; the local
-- store's one admin signs them off (services/workspace/accessreview.cpp).
CREATE TABLE access_reviews (
    id            INTEGER PRIMARY KEY,
    signed_off_by TEXT NOT NULL,
    signed_off_at TEXT NOT NULL,
    comment       TEXT NOT NULL,
    decisions     TEXT NOT NULL
);
