DROP INDEX trajectories_region_client;
ALTER TABLE hulpvragen DROP COLUMN guarantee_reason;
ALTER TABLE hulpvragen DROP COLUMN guarantee_trajectory_id;
ALTER TABLE hulpvragen DROP COLUMN guarantee;
