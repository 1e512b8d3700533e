ALTER TABLE municipalities DROP COLUMN moves_on;
ALTER TABLE municipalities DROP COLUMN moves_to_region_id;
