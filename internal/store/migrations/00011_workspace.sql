-- +goose Up
-- The lawyer's workspace: favourite folders and items with notes, reading
-- history, saved searches and what their alerts have already reported.
-- Owners are users (TEXT id). Times are fixed-width RFC 3339 UTC text
-- (nanoseconds, so the text sorts as the time); ids are generated in Go.
-- Portable SQL.
CREATE TABLE ws_folders (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, name)
);

-- item_id is a version id (a document) or a provision id; folder_id ''
-- is the unfiled list.
CREATE TABLE ws_favorites (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    item_id    TEXT NOT NULL,
    folder_id  TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, item_id)
);
CREATE INDEX ws_favorites_folder ON ws_favorites(user_id, folder_id, created_at);

-- Items saved before the workspace existed become unfiled favourites.
INSERT INTO ws_favorites (user_id, item_id, folder_id, note, created_at)
    SELECT user_id, item_id, '', note, created_at FROM saved_items;

CREATE TABLE ws_history (
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    item_id   TEXT NOT NULL,
    viewed_at TEXT NOT NULL,
    PRIMARY KEY (user_id, item_id)
);
CREATE INDEX ws_history_user ON ws_history(user_id, viewed_at);

-- query is the search as a URL query string (q, facet filters, sort).
CREATE TABLE ws_searches (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    email      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    checked_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ws_searches_user ON ws_searches(user_id, created_at);

-- One row per document a saved search has matched: baseline rows were
-- there when the search was saved; the others were reported by an alert
-- (found_at), as were status changes (changed_at, old_status).
CREATE TABLE ws_search_seen (
    search_id  TEXT NOT NULL REFERENCES ws_searches(id) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    title      TEXT NOT NULL,
    status     TEXT NOT NULL,
    baseline   INTEGER NOT NULL,
    found_at   TEXT NOT NULL,
    changed_at TEXT NOT NULL DEFAULT '',
    old_status TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (search_id, version_id)
);

-- +goose Down
DROP TABLE ws_search_seen;
DROP TABLE ws_searches;
DROP TABLE ws_history;
DROP TABLE ws_favorites;
DROP TABLE ws_folders;
