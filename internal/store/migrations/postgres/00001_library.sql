-- +goose Up
-- PostgreSQL twin of ../00001_library.sql: the same tables and columns. SQLite's INTEGER
-- (64-bit) is BIGINT here, INTEGER PRIMARY KEY (the rowid) an identity
-- column, BLOB is BYTEA. TestMigrationTwins keeps the two sets in step.
-- The library: works, their versions, provisions, sources and citations.
-- Kept to portable SQL (TEXT/BIGINT, no engine-specific types) so the same
-- schema runs on SQLite and PostgreSQL. Lists are stored as JSON text.
CREATE TABLE works (
    id    TEXT PRIMARY KEY,
    title TEXT NOT NULL
);

CREATE TABLE versions (
    id             TEXT PRIMARY KEY,
    work_id        TEXT NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    seq            BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    version_label  TEXT NOT NULL DEFAULT '',
    aliases        TEXT NOT NULL DEFAULT '[]',
    doc_number     TEXT NOT NULL DEFAULT '',
    issuers        TEXT NOT NULL DEFAULT '[]',
    issue_date     TEXT NOT NULL DEFAULT '',
    effective_date TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT '',
    level          TEXT NOT NULL DEFAULT '',
    region         TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    sector         TEXT NOT NULL DEFAULT '',
    part           TEXT NOT NULL DEFAULT '',
    subsection     TEXT NOT NULL DEFAULT '',
    tags           TEXT NOT NULL DEFAULT '[]',
    flags          TEXT NOT NULL DEFAULT '[]',
    provenance     TEXT NOT NULL DEFAULT '{}',
    import_id      TEXT NOT NULL DEFAULT '',
    withdrawn      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX versions_work ON versions(work_id);

CREATE TABLE version_sources (
    version_id TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    ord        BIGINT NOT NULL,
    file       TEXT NOT NULL,
    first_line BIGINT NOT NULL,
    last_line  BIGINT NOT NULL,
    char_start BIGINT NOT NULL DEFAULT 0,
    char_end   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (version_id, ord)
);

CREATE TABLE provisions (
    id         TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    parent_id  TEXT NOT NULL DEFAULT '',
    ord        BIGINT NOT NULL,
    depth      BIGINT NOT NULL DEFAULT 0,
    kind       TEXT NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    heading    TEXT NOT NULL DEFAULT '',
    path       TEXT NOT NULL DEFAULT '',
    citation   TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL DEFAULT '',
    line_start BIGINT NOT NULL DEFAULT 0,
    line_end   BIGINT NOT NULL DEFAULT 0,
    char_start BIGINT NOT NULL DEFAULT 0,
    char_end   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX provisions_version ON provisions(version_id, ord);

CREATE TABLE citations (
    version_id   TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    ord          BIGINT NOT NULL,
    provision_id TEXT NOT NULL DEFAULT '',
    cited_title  TEXT NOT NULL,
    work_id      TEXT NOT NULL DEFAULT '',
    article      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (version_id, ord)
);
CREATE INDEX citations_target ON citations(work_id);

-- One row per imported file: makes re-imports idempotent.
CREATE TABLE imports (
    id          TEXT PRIMARY KEY,
    file        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    format      TEXT NOT NULL,
    documents   BIGINT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE UNIQUE INDEX imports_sha ON imports(sha256, format);

-- +goose Down
DROP TABLE imports;
DROP TABLE citations;
DROP TABLE provisions;
DROP TABLE version_sources;
DROP TABLE versions;
DROP TABLE works;
