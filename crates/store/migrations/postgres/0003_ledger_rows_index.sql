-- delar schema, version 3 (PostgreSQL; the SQLite twin is ../sqlite/0003_ledger_rows_index.sql).
-- Ledger rows are only ever read by ledger (WHERE ledger_id = ?, in file order by seq),
-- counted or summed by ledger, and deleted by ledger; nothing looks them up by account.
-- An import appends a ledger's rows with one COPY, so the rows of a ledger lie together
-- in the table: a BRIN index on ledger_id (a few bytes per 128 pages, kept up almost for
-- free) finds them, where a B-tree took a third of the import's time to maintain
-- (200 000 rows: 0.21 s with BRIN, 0.38 s with a B-tree on (ledger_id, seq), 0.67 s
-- with the old one on (ledger_id, account); docs/BENCHMARKS.md, "Ledger-row import").
-- Reading a ledger in file order sorts its rows by seq.
DROP INDEX ledger_rows_ledger;
CREATE INDEX ledger_rows_ledger ON ledger_rows USING brin (ledger_id);
