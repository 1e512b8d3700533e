ALTER TABLE tariffs DROP COLUMN fictional;
