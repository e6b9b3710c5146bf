-- +goose Up
-- PostgreSQL twin of ../00003_conversations.sql: the same tables and columns. SQLite's INTEGER
-- (64-bit) is BIGINT here, INTEGER PRIMARY KEY (the rowid) an identity
-- column, BLOB is BYTEA. TestMigrationTwins keeps the two sets in step.
-- Q&A conversations, kept per user. Citations and the follow-up context are
-- JSON text; portable SQL (TEXT/BIGINT) as in 00001.
CREATE TABLE conversations (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX conversations_user ON conversations(user_id, updated_at);

CREATE TABLE conversation_messages (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq             BIGINT NOT NULL,
    role            TEXT NOT NULL,               -- user | assistant
    content         TEXT NOT NULL,
    citations       TEXT NOT NULL DEFAULT '[]',  -- JSON []answer.Citation
    refused         BIGINT NOT NULL DEFAULT 0,
    answerer        TEXT NOT NULL DEFAULT '',
    context         TEXT NOT NULL DEFAULT '{}',  -- JSON answer.Context for follow-ups
    created_at      TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

-- +goose Down
DROP TABLE conversation_messages;
DROP TABLE conversations;
