-- Reference rows are never deleted: trajectories and scores refer to them. On SQLite the
-- foreign keys stay (they are cheap here); on PostgreSQL these triggers replace the per-row
-- foreign keys to the reference tables, which cost half the import time there.
CREATE TRIGGER regions_stay BEFORE DELETE ON regions
BEGIN SELECT RAISE(ABORT, 'reference rows are never deleted: trajectories and scores refer to them'); END;
CREATE TRIGGER municipalities_stay BEFORE DELETE ON municipalities
BEGIN SELECT RAISE(ABORT, 'reference rows are never deleted: trajectories and scores refer to them'); END;
CREATE TRIGGER profiles_stay BEFORE DELETE ON profiles
BEGIN SELECT RAISE(ABORT, 'reference rows are never deleted: trajectories and scores refer to them'); END;
CREATE TRIGGER intensities_stay BEFORE DELETE ON intensities
BEGIN SELECT RAISE(ABORT, 'reference rows are never deleted: trajectories and scores refer to them'); END;
