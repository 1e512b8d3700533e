ALTER TABLE score_reports DROP COLUMN reference_snapshot_id;
DROP TABLE reference_snapshots;
