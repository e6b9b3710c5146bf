-- +goose Up
-- State that used to live in each serving node's memory, so that nodes
-- behind a round-robin proxy share it (issue 16). Every table is bounded:
-- expired rows are deleted and, past a cap, the least recently seen first.
-- Times are INTEGER unix milliseconds or nanoseconds as named.

-- Rate-limit counters, fixed windows (the limiter weighs the previous
-- window to approximate a sliding one). scope names the limit ('login',
-- 'pdf'), subject what is limited (a client address). hits counts the
-- attempts allowed in the window, ok whether the latest one was, seen_ns
-- when the subject last tried (oldest-first trimming).
CREATE TABLE throttle_counts (
    scope        TEXT NOT NULL,
    subject      TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    ok           INTEGER NOT NULL,
    seen_ns      INTEGER NOT NULL,
    PRIMARY KEY (scope, subject, window_start)
);
CREATE INDEX throttle_counts_seen ON throttle_counts(scope, seen_ns);

-- Failed logins per (name as typed, client address) and the delay they
-- impose (until_ns).
CREATE TABLE login_backoff (
    account_key TEXT NOT NULL,
    addr        TEXT NOT NULL,
    failures    INTEGER NOT NULL,
    until_ns    INTEGER NOT NULL,
    seen_ns     INTEGER NOT NULL,
    PRIMARY KEY (account_key, addr)
);
CREATE INDEX login_backoff_seen ON login_backoff(seen_ns);

-- Uploaded files between preview and commit, by the SHA-256 of the commit
-- token; taken (deleted) once, by the uploader only. users.id is TEXT.
CREATE TABLE upload_previews (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    title      TEXT NOT NULL,
    data       BLOB NOT NULL,
    created_ns INTEGER NOT NULL
);
CREATE INDEX upload_previews_created ON upload_previews(created_ns);

-- +goose Down
DROP TABLE upload_previews;
DROP TABLE login_backoff;
DROP TABLE throttle_counts;
