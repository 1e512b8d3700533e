PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE intensities_old (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    paid_per TEXT NOT NULL CHECK (paid_per IN ('traject', 'vier_weken')),
    sort_order INTEGER NOT NULL,
    UNIQUE (region_id, code),
    UNIQUE (id, region_id)
);
INSERT INTO intensities_old (id, region_id, code, name, description, paid_per, sort_order)
SELECT id, region_id, code, name, description,
    CASE WHEN paid_per IN ('traject', 'vier_weken') THEN paid_per ELSE 'traject' END, sort_order
FROM intensities;
DROP TABLE intensities;
ALTER TABLE intensities_old RENAME TO intensities;
CREATE TRIGGER intensities_stay BEFORE DELETE ON intensities
BEGIN SELECT RAISE(ABORT, 'reference rows are never deleted: trajectories and scores refer to them'); END;
CREATE TRIGGER profiles_stay BEFORE DELETE ON profiles
BEGIN SELECT RAISE(ABORT, 'reference rows are never deleted: trajectories and scores refer to them'); END;
ALTER TABLE profiles DROP COLUMN closed_from;
COMMIT;
PRAGMA foreign_keys = ON;
