DROP INDEX trajectories_municipal;
DROP INDEX trajectories_outcomes;
CREATE INDEX trajectories_ended ON trajectories (provider_id, profile_id, end_date);
CREATE INDEX trajectories_client ON trajectories (provider_id, profile_id, client_key, start_date);
