ALTER TABLE municipalities DROP COLUMN cbs_code;
