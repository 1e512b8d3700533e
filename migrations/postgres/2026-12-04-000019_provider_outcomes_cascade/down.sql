DROP TRIGGER providers_outcomes_go ON providers;
DROP FUNCTION delete_provider_outcomes();
-- Rows whose provider is gone (see up.sql) would make the keys below fail.
DELETE FROM computed_scores WHERE provider_id NOT IN (SELECT id FROM providers);
DELETE FROM trajectories WHERE provider_id NOT IN (SELECT id FROM providers);
ALTER TABLE computed_scores ADD CONSTRAINT score_sets_provider_id_fkey
    FOREIGN KEY (provider_id) REFERENCES providers (id) ON DELETE CASCADE;
ALTER TABLE trajectories ADD CONSTRAINT trajectories_provider_id_fkey
    FOREIGN KEY (provider_id) REFERENCES providers (id) ON DELETE CASCADE;
