-- +goose Up
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
