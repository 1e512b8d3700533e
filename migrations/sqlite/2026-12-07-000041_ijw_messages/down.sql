DROP TABLE product_codes;
DROP TABLE ijw_received;
ALTER TABLE hulpvragen DROP COLUMN toewijzing;
DROP INDEX hulpvragen_trajectory;
DROP INDEX trajectories_toewijzing;
ALTER TABLE trajectories DROP COLUMN product_category;
ALTER TABLE trajectories DROP COLUMN toewijzing;
