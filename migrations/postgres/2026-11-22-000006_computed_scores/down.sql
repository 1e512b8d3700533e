ALTER TABLE score_reports DROP COLUMN decided_by;
ALTER TABLE score_reports DROP COLUMN submitted_at;
ALTER TABLE score_reports DROP COLUMN correction_reason;
ALTER TABLE score_reports DROP COLUMN comment;
ALTER TABLE scores DROP COLUMN source;
ALTER TABLE scores DROP COLUMN average;
ALTER TABLE scores DROP COLUMN extra;
ALTER TABLE scores DROP COLUMN hits;
DROP TABLE computed_scores;
