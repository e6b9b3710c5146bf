-- +goose Up
-- 数据资产头条 (news), feed ingestion, document change events and
-- 数据资产盛会集锦 (events). Portable SQL: TEXT/INTEGER only, times as
-- RFC 3339 UTC text, dates as YYYY-MM-DD text. Users are referenced by their
-- id (users.id, TEXT) without a foreign key so this schema does not depend
-- on the accounts migration.
CREATE TABLE news_items (
    id             INTEGER PRIMARY KEY,
    category       TEXT NOT NULL,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL DEFAULT '',
    body_md        TEXT NOT NULL DEFAULT '',
    body_html      TEXT NOT NULL DEFAULT '',
    source_name    TEXT NOT NULL DEFAULT '',
    source_url     TEXT NOT NULL DEFAULT '',
    -- NULL when the source gives no date: never invented.
    published_date TEXT,
    -- day | month | year: how much of published_date the source states.
    date_precision TEXT NOT NULL DEFAULT '',
    origin         TEXT NOT NULL DEFAULT 'editor', -- editor | seed | import | feed
    -- Makes seeding, import notices and feed items idempotent.
    origin_key     TEXT UNIQUE,
    feed_source_id INTEGER,
    -- Where a seeded or imported item was read (file:first-last lines).
    provenance     TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX news_items_category ON news_items(category, created_at);

CREATE TABLE news_tags (
    item_id INTEGER NOT NULL REFERENCES news_items(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (item_id, tag)
);
CREATE INDEX news_tags_tag ON news_tags(tag);

CREATE TABLE news_works (
    item_id INTEGER NOT NULL REFERENCES news_items(id) ON DELETE CASCADE,
    work_id TEXT NOT NULL,
    PRIMARY KEY (item_id, work_id)
);
CREATE INDEX news_works_work ON news_works(work_id);

CREATE TABLE feed_sources (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    url             TEXT NOT NULL UNIQUE,
    category        TEXT NOT NULL,
    enabled         INTEGER NOT NULL DEFAULT 1,
    etag            TEXT NOT NULL DEFAULT '',
    last_modified   TEXT NOT NULL DEFAULT '',
    last_checked    TEXT NOT NULL DEFAULT '',
    last_success    TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    failures        INTEGER NOT NULL DEFAULT 0,
    next_poll_at    TEXT NOT NULL DEFAULT '',
    items_added     INTEGER NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);

-- Keys (guid, link, title hash) of feed entries already seen per source.
CREATE TABLE feed_seen (
    source_id INTEGER NOT NULL REFERENCES feed_sources(id) ON DELETE CASCADE,
    key       TEXT NOT NULL,
    PRIMARY KEY (source_id, key)
);

-- New documents and versions, written when documents are imported; read by
-- subscriptions ("what changed since").
CREATE TABLE doc_changes (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL, -- new_document | new_version
    work_id    TEXT NOT NULL,
    version_id TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    region     TEXT NOT NULL DEFAULT '',
    tags       TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE INDEX doc_changes_created ON doc_changes(created_at);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    start_date   TEXT NOT NULL,
    end_date     TEXT NOT NULL,
    city         TEXT NOT NULL DEFAULT '',
    venue        TEXT NOT NULL DEFAULT '',
    organiser    TEXT NOT NULL DEFAULT '',
    agenda_md    TEXT NOT NULL DEFAULT '',
    agenda_html  TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    reports      TEXT NOT NULL DEFAULT '[]', -- JSON [{title,url}]
    related      TEXT NOT NULL DEFAULT '[]', -- JSON [work id]
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX events_dates ON events(start_date, end_date);

-- +goose Down
DROP TABLE events;
DROP TABLE doc_changes;
DROP TABLE feed_seen;
DROP TABLE feed_sources;
DROP TABLE news_works;
DROP TABLE news_tags;
DROP TABLE news_items;
