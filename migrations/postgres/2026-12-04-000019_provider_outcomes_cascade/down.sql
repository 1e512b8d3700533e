DROP TRIGGER providers_outcomes_go ON providers;
DROP FUNCTION delete_provider_outcomes();
ALTER TABLE computed_scores ADD CONSTRAINT score_sets_provider_id_fkey
    FOREIGN KEY (provider_id) REFERENCES providers (id) ON DELETE CASCADE;
ALTER TABLE trajectories ADD CONSTRAINT trajectories_provider_id_fkey
    FOREIGN KEY (provider_id) REFERENCES providers (id) ON DELETE CASCADE;
