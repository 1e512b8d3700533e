-- Trajectories and computed scores refer to the reference tables. Per-row foreign keys on
-- those columns cost PostgreSQL a trigger query per row and column (four per trajectory),
-- half the import time; the application checks every value against the reference data before
-- storing it (outcomes::records::check), and reference rows are never deleted: these triggers
-- refuse it. The provider foreign keys stay (they cascade).
ALTER TABLE trajectories
    DROP CONSTRAINT trajectories_region_id_fkey,
    DROP CONSTRAINT trajectories_municipality_id_fkey,
    DROP CONSTRAINT trajectories_profile_id_fkey,
    DROP CONSTRAINT trajectories_intensity_id_fkey;
ALTER TABLE computed_scores
    DROP CONSTRAINT score_sets_region_id_fkey,
    DROP CONSTRAINT score_sets_profile_id_fkey;
CREATE FUNCTION refuse_reference_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'reference rows are never deleted: trajectories and scores refer to them';
END
$$;
CREATE TRIGGER regions_stay BEFORE DELETE ON regions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
CREATE TRIGGER municipalities_stay BEFORE DELETE ON municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
CREATE TRIGGER profiles_stay BEFORE DELETE ON profiles
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
CREATE TRIGGER intensities_stay BEFORE DELETE ON intensities
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
