DROP TRIGGER intensities_stay;
DROP TRIGGER profiles_stay;
DROP TRIGGER municipalities_stay;
DROP TRIGGER regions_stay;
