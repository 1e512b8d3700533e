-- A region edits its own profiles and intensities (/beheer/regios/{regio}): an intensity may
-- be paid per hour or per day (P×Q regions), and a profile or intensity in use is closed from
-- a date instead of deleted. One that nothing refers to may be deleted. The tables that use
-- them have foreign keys, except trajectories and computed_scores (dropped for import speed,
-- migration 10): the trigger now refuses a delete only while one of those refers to the row.
ALTER TABLE profiles ADD COLUMN closed_from DATE;
ALTER TABLE intensities ADD COLUMN closed_from DATE;
ALTER TABLE intensities DROP CONSTRAINT intensities_paid_per_check;
ALTER TABLE intensities ADD CONSTRAINT intensities_paid_per_check
    CHECK (paid_per IN ('traject', 'vier_weken', 'uur', 'dag'));
DROP TRIGGER profiles_stay ON profiles;
DROP TRIGGER intensities_stay ON intensities;
CREATE FUNCTION refuse_profile_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM trajectories WHERE profile_id = OLD.id)
        OR EXISTS (SELECT 1 FROM computed_scores WHERE profile_id = OLD.id) THEN
        RAISE EXCEPTION 'a profile in use is never deleted: trajectories and scores refer to it';
    END IF;
    RETURN OLD;
END
$$;
CREATE FUNCTION refuse_intensity_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM trajectories WHERE intensity_id = OLD.id) THEN
        RAISE EXCEPTION 'an intensity in use is never deleted: trajectories refer to it';
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER profiles_stay BEFORE DELETE ON profiles
    FOR EACH ROW EXECUTE FUNCTION refuse_profile_in_use();
CREATE TRIGGER intensities_stay BEFORE DELETE ON intensities
    FOR EACH ROW EXECUTE FUNCTION refuse_intensity_in_use();
