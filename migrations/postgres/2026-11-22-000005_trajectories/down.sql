DROP TABLE pending_uploads;
DROP TABLE trajectories;
