-- delar schema, version 3 (SQLite; the PostgreSQL twin is ../postgres/0003_ledger_rows_seq.sql).
-- Ledger rows are only ever read by ledger, in file order (WHERE ledger_id = ? ORDER BY seq),
-- counted or summed by ledger, and deleted by ledger; nothing looks them up by account.
-- An index on (ledger_id, seq) serves all of these, states that a row's place in its file
-- is unique, and takes new rows at its right edge, so an import of a million rows no
-- longer pays for inserts scattered over an (ledger_id, account) index.
DROP INDEX ledger_rows_ledger;
CREATE UNIQUE INDEX ledger_rows_seq ON ledger_rows (ledger_id, seq);
