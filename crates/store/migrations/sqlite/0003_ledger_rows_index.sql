-- delar schema, version 3 (SQLite; the PostgreSQL twin is ../postgres/0003_ledger_rows_index.sql).
-- Ledger rows are only ever read by ledger (WHERE ledger_id = ?, in file order by seq),
-- counted or summed by ledger, and deleted by ledger; nothing looks them up by account.
-- An index on (ledger_id, seq) serves all of these, states that a row's place in its file
-- is unique, and takes new rows at its right edge, where the old one on
-- (ledger_id, account) took inserts scattered all over it. (PostgreSQL has a BRIN
-- index instead; SQLite has no such kind.)
DROP INDEX ledger_rows_ledger;
CREATE UNIQUE INDEX ledger_rows_seq ON ledger_rows (ledger_id, seq);
