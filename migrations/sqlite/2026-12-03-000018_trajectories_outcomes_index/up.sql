-- One index serves everything the indicators read of a provider's trajectories: the
-- scores (ended trajectories per provider and profile) and terugval (a new start of the
-- same client at the same provider and profile). It holds every column those reads use, so
-- a recomputation reads the index alone, and an insert keeps one index fewer up to date.
DROP INDEX trajectories_ended;
DROP INDEX trajectories_client;
CREATE INDEX trajectories_outcomes ON trajectories (
    provider_id, profile_id, client_key, start_date,
    end_date, end_reason, goal_result, satisfaction, region_id
);
-- A publication counts the trajectories the municipality measured: few rows, found without
-- reading the whole table.
CREATE INDEX trajectories_municipal ON trajectories (end_date) WHERE source = 'gemeente';
