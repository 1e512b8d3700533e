DROP TRIGGER intensities_stay ON intensities;
DROP TRIGGER profiles_stay ON profiles;
DROP TRIGGER municipalities_stay ON municipalities;
DROP TRIGGER regions_stay ON regions;
DROP FUNCTION refuse_reference_delete();
ALTER TABLE computed_scores
    ADD CONSTRAINT score_sets_region_id_fkey FOREIGN KEY (region_id) REFERENCES regions (id),
    ADD CONSTRAINT score_sets_profile_id_fkey FOREIGN KEY (profile_id) REFERENCES profiles (id);
ALTER TABLE trajectories
    ADD CONSTRAINT trajectories_region_id_fkey FOREIGN KEY (region_id) REFERENCES regions (id),
    ADD CONSTRAINT trajectories_municipality_id_fkey
        FOREIGN KEY (municipality_id) REFERENCES municipalities (id),
    ADD CONSTRAINT trajectories_profile_id_fkey FOREIGN KEY (profile_id) REFERENCES profiles (id),
    ADD CONSTRAINT trajectories_intensity_id_fkey
        FOREIGN KEY (intensity_id) REFERENCES intensities (id);
