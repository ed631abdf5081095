-- delar schema, version 2 (SQLite; the PostgreSQL twin is ../postgres/0002_rounds.sql).
-- At most one follow-up round per committee, year and period.
CREATE UNIQUE INDEX rounds_period ON rounds (committee_id, year, through_month);
CREATE INDEX forecasts_round_ansvar ON forecasts (round_id, ansvar);
CREATE INDEX comments_round ON comments (round_id);
CREATE INDEX audit_log_entity ON audit_log (entity, id);
