DROP TRIGGER profiles_stay ON profiles;
DROP TRIGGER intensities_stay ON intensities;
DROP FUNCTION refuse_profile_in_use();
DROP FUNCTION refuse_intensity_in_use();
CREATE TRIGGER profiles_stay BEFORE DELETE ON profiles
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
CREATE TRIGGER intensities_stay BEFORE DELETE ON intensities
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_delete();
ALTER TABLE intensities DROP CONSTRAINT intensities_paid_per_check;
UPDATE intensities SET paid_per = 'traject' WHERE paid_per NOT IN ('traject', 'vier_weken');
ALTER TABLE intensities ADD CONSTRAINT intensities_paid_per_check
    CHECK (paid_per IN ('traject', 'vier_weken'));
ALTER TABLE intensities DROP COLUMN closed_from;
ALTER TABLE profiles DROP COLUMN closed_from;
