-- +goose Up
-- PostgreSQL twin of ../00010_selfcheck_records.sql: the same tables and columns. SQLite's INTEGER
-- (64-bit) is BIGINT here, INTEGER PRIMARY KEY (the rowid) an identity
-- column, BLOB is BYTEA. TestMigrationTwins keeps the two sets in step.
-- 合规自查 records: each completed check with its inputs, result, date and
-- the provisions it relied on (document, label, quote, provision id and the
-- validity the library gave them), so that a later change of a provision's
-- status flags the check for review. Owners are users (TEXT id); the
-- organisation is the name the user files the check under. Times are
-- RFC 3339 UTC text; ids are generated in Go. Portable SQL.
CREATE TABLE selfcheck_records (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org         TEXT NOT NULL,
    tool        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    input_json  TEXT NOT NULL,
    result_json TEXT NOT NULL,
    cited_json  TEXT NOT NULL
);
CREATE INDEX selfcheck_records_owner ON selfcheck_records(owner_id, org, created_at);

-- +goose Down
DROP TABLE selfcheck_records;
