ALTER TABLE municipalities DROP COLUMN merged_on;
ALTER TABLE municipalities DROP COLUMN merged_into_id;
