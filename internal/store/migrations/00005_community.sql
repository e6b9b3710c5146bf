-- +goose Up
-- 对话数据资产 (community): threads, replies, votes, attachments, provision
-- citations, notifications, moderation and follows (subscriptions). Users
-- are referenced by their TEXT id without foreign keys (see 00004).
CREATE TABLE threads (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL, -- 经验分享 | 提问 | 知识文档
    title             TEXT NOT NULL,
    body_md           TEXT NOT NULL,
    body_html         TEXT NOT NULL,
    author_id         TEXT NOT NULL,
    accepted_reply_id INTEGER,
    hidden            INTEGER NOT NULL DEFAULT 0,
    locked            INTEGER NOT NULL DEFAULT 0,
    reply_count       INTEGER NOT NULL DEFAULT 0,
    score             INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    last_activity_at  TEXT NOT NULL
);
CREATE INDEX threads_activity ON threads(last_activity_at);
CREATE INDEX threads_author ON threads(author_id, created_at);

CREATE TABLE thread_tags (
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (thread_id, tag)
);
CREATE INDEX thread_tags_tag ON thread_tags(tag);

CREATE TABLE replies (
    id         INTEGER PRIMARY KEY,
    thread_id  INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_id  TEXT NOT NULL,
    body_md    TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    hidden     INTEGER NOT NULL DEFAULT 0,
    score      INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX replies_thread ON replies(thread_id, id);
CREATE INDEX replies_author ON replies(author_id, created_at);

-- One vote per user per target.
CREATE TABLE votes (
    user_id     TEXT NOT NULL,
    target_type TEXT NOT NULL, -- thread | reply
    target_id   INTEGER NOT NULL,
    value       INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, target_type, target_id)
);

-- Uploaded knowledge documents. Bytes live in the database (backups then
-- cover them); the original name is shown, never used as a path.
CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    thread_id   INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    uploader_id TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    data        BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX attachments_thread ON attachments(thread_id);

-- [[数据安全法第二十一条]] markers resolved to provisions: lets a provision
-- page list the discussions citing it. reply_id 0 is the thread's own body.
CREATE TABLE post_citations (
    thread_id    INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    reply_id     INTEGER NOT NULL DEFAULT 0,
    provision_id TEXT NOT NULL,
    citation     TEXT NOT NULL,
    ref          TEXT NOT NULL,
    PRIMARY KEY (thread_id, reply_id, provision_id)
);
CREATE INDEX post_citations_provision ON post_citations(provision_id);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    thread_id  INTEGER NOT NULL DEFAULT 0,
    reply_id   INTEGER NOT NULL DEFAULT 0,
    actor_id   TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL,
    url        TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    read_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_user ON notifications(user_id, id);

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    target_type TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    reporter_id TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_at TEXT NOT NULL DEFAULT '',
    resolved_by TEXT NOT NULL DEFAULT '',
    UNIQUE (target_type, target_id, reporter_id)
);

-- Audit trail of moderation actions (append-only).
CREATE TABLE moderation_log (
    id          INTEGER PRIMARY KEY,
    actor_id    TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX moderation_log_target ON moderation_log(target_type, target_id);

-- What a member follows: tag | region | work | thread.
CREATE TABLE follows (
    user_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, value)
);
CREATE INDEX follows_target ON follows(kind, value);

-- +goose Down
DROP TABLE follows;
DROP TABLE moderation_log;
DROP TABLE reports;
DROP TABLE notifications;
DROP TABLE post_citations;
DROP TABLE attachments;
DROP TABLE votes;
DROP TABLE replies;
DROP TABLE thread_tags;
DROP TABLE threads;
