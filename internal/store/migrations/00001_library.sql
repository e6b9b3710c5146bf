-- +goose Up
-- The library: works, their versions, provisions, sources and citations.
-- Kept to portable SQL (TEXT/INTEGER, no engine-specific types) so the same
-- schema runs on SQLite and PostgreSQL. Lists are stored as JSON text.
CREATE TABLE works (
    id    TEXT PRIMARY KEY,
    title TEXT NOT NULL
);

CREATE TABLE versions (
    id             TEXT PRIMARY KEY,
    work_id        TEXT NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
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
    withdrawn      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX versions_work ON versions(work_id);

CREATE TABLE version_sources (
    version_id TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    ord        INTEGER NOT NULL,
    file       TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line  INTEGER NOT NULL,
    char_start INTEGER NOT NULL DEFAULT 0,
    char_end   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (version_id, ord)
);

CREATE TABLE provisions (
    id         TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    parent_id  TEXT NOT NULL DEFAULT '',
    ord        INTEGER NOT NULL,
    depth      INTEGER NOT NULL DEFAULT 0,
    kind       TEXT NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    heading    TEXT NOT NULL DEFAULT '',
    path       TEXT NOT NULL DEFAULT '',
    citation   TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL DEFAULT '',
    line_start INTEGER NOT NULL DEFAULT 0,
    line_end   INTEGER NOT NULL DEFAULT 0,
    char_start INTEGER NOT NULL DEFAULT 0,
    char_end   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX provisions_version ON provisions(version_id, ord);

CREATE TABLE citations (
    version_id   TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    ord          INTEGER NOT NULL,
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
    documents   INTEGER NOT NULL,
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
