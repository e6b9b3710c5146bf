-- +goose Up
-- PostgreSQL twin of ../00006_ruzhang_cases.sql: the same tables and columns. SQLite's INTEGER
-- (64-bit) is BIGINT here, INTEGER PRIMARY KEY (the rowid) an identity
-- column, BLOB is BYTEA. TestMigrationTwins keeps the two sets in step.
-- 数据资产入表指南 cases: one row per data resource a member works on. The
-- answers are the engine's Case as JSON, so new questions need no schema
-- change. Users are referenced by their TEXT id (see 00002_accounts.sql);
-- times are RFC 3339 UTC text. Portable SQL.
CREATE TABLE ruzhang_cases (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    case_json  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ruzhang_cases_user ON ruzhang_cases(user_id, updated_at);

-- +goose Down
DROP TABLE ruzhang_cases;
