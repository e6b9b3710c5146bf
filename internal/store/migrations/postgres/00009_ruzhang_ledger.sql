-- +goose Up
-- PostgreSQL twin of ../00009_ruzhang_ledger.sql: the same tables and columns. SQLite's INTEGER
-- (64-bit) is BIGINT here, INTEGER PRIMARY KEY (the rowid) an identity
-- column, BLOB is BYTEA. TestMigrationTwins keeps the two sets in step.
-- 数据资产台账: organisations (an enterprise or a 行政事业单位), their data
-- assets (the engine's multi-period Case as JSON: rights evidence, costs,
-- periods, events) and an append-only audit trail of who changed what and
-- when. Owners are users (TEXT id, 00002_accounts.sql); times are RFC 3339
-- UTC text; ids are generated in Go. Portable SQL.
CREATE TABLE ledger_orgs (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    org_type   TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ledger_orgs_owner ON ledger_orgs(owner_id, created_at);

CREATE TABLE ledger_assets (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES ledger_orgs(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    case_json  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ledger_assets_org ON ledger_assets(org_id, created_at);

CREATE TABLE ledger_audit (
    id       TEXT PRIMARY KEY,
    org_id   TEXT NOT NULL REFERENCES ledger_orgs(id) ON DELETE CASCADE,
    asset_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    username TEXT NOT NULL,
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX ledger_audit_org ON ledger_audit(org_id, at);

-- +goose Down
DROP TABLE ledger_audit;
DROP TABLE ledger_assets;
DROP TABLE ledger_orgs;
