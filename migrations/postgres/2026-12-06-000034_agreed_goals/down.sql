ALTER TABLE trajectories DROP COLUMN goals_partly;
ALTER TABLE trajectories DROP COLUMN goals_reached;
ALTER TABLE trajectories DROP COLUMN goals_agreed;
ALTER TABLE hulpvragen DROP COLUMN goals_confirmed_at;
DROP TABLE hulpvraag_goals;
