-- delar schema, version 1 (PostgreSQL). The SQLite twin is ../sqlite/0001_schema.sql:
-- the same tables, columns and rules; change both together.
-- Money is integer öre (BIGINT). Times are microseconds since 1970 UTC.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'controller', 'manager', 'reader')),
    password_hash TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE committees (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- The ansvar (responsibility codes) a user answers for; a controller's committees.
CREATE TABLE user_ansvar (
    user_id BIGINT NOT NULL REFERENCES users (id),
    ansvar  TEXT NOT NULL,
    PRIMARY KEY (user_id, ansvar)
);

CREATE TABLE user_committees (
    user_id      BIGINT NOT NULL REFERENCES users (id),
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    PRIMARY KEY (user_id, committee_id)
);

-- API tokens: only the SHA-256 of the token is kept.
CREATE TABLE api_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Web sessions: only the SHA-256 of the session id is kept.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Failed logins, for throttling.
CREATE TABLE login_failures (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX login_failures_name ON login_failures (name, at);

-- File contents, addressed by their SHA-256 (hex): a file imported twice is kept once.
CREATE TABLE file_contents (
    sha256 TEXT PRIMARY KEY,
    size   BIGINT NOT NULL,
    bytes  BYTEA NOT NULL
);

-- An imported report package (committee and year); a newer import of the same committee
-- and year replaces it (the new one names it in `replaces`, the old one gets
-- `replaced_at`); the replacement is in the audit log.
CREATE TABLE packages (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees (id),
    year          BIGINT NOT NULL,
    through_month BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    imported_at   BIGINT NOT NULL,
    imported_by   TEXT NOT NULL,
    replaces     BIGINT REFERENCES packages (id),
    replaced_at  BIGINT
);
CREATE UNIQUE INDEX packages_current ON packages (committee_id, year) WHERE replaced_at IS NULL;

CREATE TABLE package_files (
    package_id BIGINT NOT NULL REFERENCES packages (id),
    path       TEXT NOT NULL,
    sha256     TEXT NOT NULL REFERENCES file_contents (sha256),
    PRIMARY KEY (package_id, path)
);

-- A ledger (SIE export) of one committee and year; its rows are in ledger_rows. A new
-- export of the same committee and year replaces it (its rows are removed, the record
-- stays with replaced_at set and the new one names it in `replaces`).
CREATE TABLE ledgers (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    year         BIGINT NOT NULL,
    path         TEXT NOT NULL,
    sha256       TEXT NOT NULL REFERENCES file_contents (sha256),
    kind         TEXT NOT NULL CHECK (kind IN ('vouchers', 'period_balances')),
    row_count    BIGINT NOT NULL,
    total_ore    BIGINT NOT NULL,
    imported_at  BIGINT NOT NULL,
    replaces     BIGINT REFERENCES ledgers (id),
    replaced_at  BIGINT
);
CREATE UNIQUE INDEX ledgers_current ON ledgers (committee_id, year) WHERE replaced_at IS NULL;

CREATE TABLE package_ledgers (
    package_id BIGINT NOT NULL REFERENCES packages (id),
    ledger_id  BIGINT NOT NULL REFERENCES ledgers (id),
    role       TEXT NOT NULL CHECK (role IN ('current', 'prior')),
    PRIMARY KEY (package_id, role)
);

-- Every row of a ledger, in file order (seq): #TRANS/#RTRANS/#BTRANS rows, or #PSALDO
-- records of a ledger without vouchers. Nothing is left out.
CREATE TABLE ledger_rows (
    ledger_id  BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    account    TEXT NOT NULL,
    year       BIGINT NOT NULL,
    month      BIGINT NOT NULL,
    objects    TEXT NOT NULL,
    voucher    TEXT,
    date       TEXT,
    text       TEXT,
    amount_ore BIGINT NOT NULL,
    line       BIGINT NOT NULL
);
CREATE INDEX ledger_rows_ledger ON ledger_rows (ledger_id, account);

-- A follow-up round of a committee and period.
CREATE TABLE rounds (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id       BIGINT NOT NULL REFERENCES committees (id),
    year               BIGINT NOT NULL,
    through_month      BIGINT NOT NULL CHECK (through_month BETWEEN 1 AND 12),
    name               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('open', 'locked', 'approved')),
    opened_by          BIGINT NOT NULL REFERENCES users (id),
    opened_at          BIGINT NOT NULL,
    locked_at          BIGINT,
    decision_date      TEXT,
    decision_paragraph TEXT,
    version            BIGINT NOT NULL DEFAULT 1
);

-- A manager's full-year forecast for one report row and ansvar in a round.
CREATE TABLE forecasts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id   BIGINT NOT NULL REFERENCES rounds (id),
    row_id     TEXT NOT NULL,
    ansvar     TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    UNIQUE (round_id, row_id, ansvar)
);

CREATE TABLE comments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id   BIGINT NOT NULL REFERENCES rounds (id),
    row_id     TEXT,
    ansvar     TEXT,
    author_id  BIGINT NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1
);

-- The archived report of a locked round: every format, with the SHA-256 of its inputs.
CREATE TABLE round_archives (
    round_id      BIGINT NOT NULL REFERENCES rounds (id),
    format        TEXT NOT NULL,
    sha256        TEXT NOT NULL REFERENCES file_contents (sha256),
    inputs_sha256 TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (round_id, format)
);

-- The audit log: append-only. No code path updates or deletes it; the triggers refuse it.
CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
