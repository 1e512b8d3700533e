DROP TABLE product_codes;
DROP TABLE ijw_received;
ALTER TABLE hulpvragen DROP COLUMN toewijzing;
DROP INDEX hulpvragen_trajectory;
DROP INDEX trajectories_toewijzing;
ALTER TABLE trajectories DROP COLUMN product_category;
ALTER TABLE trajectories DROP COLUMN toewijzing;
ALTER TABLE trajectories DROP CONSTRAINT trajectories_source_check;
ALTER TABLE trajectories ADD CONSTRAINT trajectories_source_check
    CHECK (source IN ('aanbieder', 'gemeente'));
ALTER TABLE trajectories DROP CONSTRAINT trajectories_end_reason_check;
ALTER TABLE trajectories ADD CONSTRAINT trajectories_end_reason_check
    CHECK (end_reason BETWEEN 1 AND 5);
