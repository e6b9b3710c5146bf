-- +goose Up
-- PostgreSQL twin of ../00007_feed_tokens.sql: the same tables and columns. SQLite's INTEGER
-- (64-bit) is BIGINT here, INTEGER PRIMARY KEY (the rowid) an identity
-- column, BLOB is BYTEA. TestMigrationTwins keeps the two sets in step.
-- Personal feed tokens: feed readers cannot log in, so /me/feed.atom
-- accepts ?token=. Only the SHA-256 of the token is stored; one per member,
-- replaced when the member makes a new one. users.id is TEXT.
CREATE TABLE feed_tokens (
    user_id    TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE feed_tokens;
