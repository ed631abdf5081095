-- delar schema, version 1 (SQLite). The PostgreSQL twin is ../postgres/0001_schema.sql:
-- the same tables, columns and rules; change both together.
-- Money is integer öre (INTEGER is 64-bit). Times are microseconds since 1970 UTC.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'controller', 'manager', 'reader')),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE committees (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE
);

-- The ansvar (responsibility codes) a user answers for; a controller's committees.
CREATE TABLE user_ansvar (
    user_id INTEGER NOT NULL REFERENCES users (id),
    ansvar  TEXT NOT NULL,
    PRIMARY KEY (user_id, ansvar)
);

CREATE TABLE user_committees (
    user_id      INTEGER NOT NULL REFERENCES users (id),
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    PRIMARY KEY (user_id, committee_id)
);

-- API tokens: only the SHA-256 of the token is kept.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- Web sessions: only the SHA-256 of the session id is kept.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Failed logins, for throttling.
CREATE TABLE login_failures (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    at   INTEGER NOT NULL
);
CREATE INDEX login_failures_name ON login_failures (name, at);

-- File contents, addressed by their SHA-256 (hex): a file imported twice is kept once.
CREATE TABLE file_contents (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    bytes  BLOB NOT NULL
);

-- An imported report package (committee and year); a newer import of the same committee
-- and year replaces it (the new one names it in `replaces`, the old one gets
-- `replaced_at`); the replacement is in the audit log.
CREATE TABLE packages (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id  INTEGER NOT NULL REFERENCES committees (id),
    year          INTEGER NOT NULL,
    through_month INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    imported_at   INTEGER NOT NULL,
    imported_by   TEXT NOT NULL,
    replaces     INTEGER REFERENCES packages (id),
    replaced_at  INTEGER
);
CREATE UNIQUE INDEX packages_current ON packages (committee_id, year) WHERE replaced_at IS NULL;

CREATE TABLE package_files (
    package_id INTEGER NOT NULL REFERENCES packages (id),
    path       TEXT NOT NULL,
    sha256     TEXT NOT NULL REFERENCES file_contents (sha256),
    PRIMARY KEY (package_id, path)
);

-- A ledger (SIE export) of one committee and year; its rows are in ledger_rows. A new
-- export of the same committee and year replaces it (its rows are removed, the record
-- stays with replaced_at set and the new one names it in `replaces`).
CREATE TABLE ledgers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    year         INTEGER NOT NULL,
    path         TEXT NOT NULL,
    sha256       TEXT NOT NULL REFERENCES file_contents (sha256),
    kind         TEXT NOT NULL CHECK (kind IN ('vouchers', 'period_balances')),
    row_count    INTEGER NOT NULL,
    total_ore    INTEGER NOT NULL,
    imported_at  INTEGER NOT NULL,
    replaces     INTEGER REFERENCES ledgers (id),
    replaced_at  INTEGER
);
CREATE UNIQUE INDEX ledgers_current ON ledgers (committee_id, year) WHERE replaced_at IS NULL;

CREATE TABLE package_ledgers (
    package_id INTEGER NOT NULL REFERENCES packages (id),
    ledger_id  INTEGER NOT NULL REFERENCES ledgers (id),
    role       TEXT NOT NULL CHECK (role IN ('current', 'prior')),
    PRIMARY KEY (package_id, role)
);

-- Every row of a ledger, in file order (seq): #TRANS/#RTRANS/#BTRANS rows, or #PSALDO
-- records of a ledger without vouchers. Nothing is left out.
CREATE TABLE ledger_rows (
    ledger_id  INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    account    TEXT NOT NULL,
    year       INTEGER NOT NULL,
    month      INTEGER NOT NULL,
    objects    TEXT NOT NULL,
    voucher    TEXT,
    date       TEXT,
    text       TEXT,
    amount_ore INTEGER NOT NULL,
    line       INTEGER NOT NULL
);
CREATE INDEX ledger_rows_ledger ON ledger_rows (ledger_id, account);

-- A follow-up round of a committee and period.
CREATE TABLE rounds (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id       INTEGER NOT NULL REFERENCES committees (id),
    year               INTEGER NOT NULL,
    through_month      INTEGER NOT NULL CHECK (through_month BETWEEN 1 AND 12),
    name               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('open', 'locked', 'approved')),
    opened_by          INTEGER NOT NULL REFERENCES users (id),
    opened_at          INTEGER NOT NULL,
    locked_at          INTEGER,
    decision_date      TEXT,
    decision_paragraph TEXT,
    version            INTEGER NOT NULL DEFAULT 1
);

-- A manager's full-year forecast for one report row and ansvar in a round.
CREATE TABLE forecasts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    row_id     TEXT NOT NULL,
    ansvar     TEXT NOT NULL,
    amount_ore INTEGER NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
    updated_by INTEGER NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (round_id, row_id, ansvar)
);

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    row_id     TEXT,
    ansvar     TEXT,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

-- The archived report of a locked round: every format, with the SHA-256 of its inputs.
CREATE TABLE round_archives (
    round_id      INTEGER NOT NULL REFERENCES rounds (id),
    format        TEXT NOT NULL,
    sha256        TEXT NOT NULL REFERENCES file_contents (sha256),
    inputs_sha256 TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (round_id, format)
);

-- The audit log: append-only. No code path updates or deletes it; the triggers refuse it.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
