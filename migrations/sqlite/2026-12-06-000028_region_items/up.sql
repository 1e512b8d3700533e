-- A region edits its own profiles and intensities (/beheer/regios/{regio}): an intensity may
-- be paid per hour or per day (P×Q regions), and a profile or intensity in use is closed from
-- a date instead of deleted. One that nothing refers to may be deleted: the foreign keys of
-- the tables that use them refuse the rest, so the "rows stay" triggers of these two go.
-- SQLite changes a CHECK only by rebuilding the table; intensities is referenced by several
-- tables, so foreign keys are off while it is rebuilt (metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
ALTER TABLE profiles ADD COLUMN closed_from DATE;
DROP TRIGGER profiles_stay;
CREATE TABLE intensities_new (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    paid_per TEXT NOT NULL CHECK (paid_per IN ('traject', 'vier_weken', 'uur', 'dag')),
    sort_order INTEGER NOT NULL,
    closed_from DATE,
    UNIQUE (region_id, code),
    UNIQUE (id, region_id)
);
INSERT INTO intensities_new (id, region_id, code, name, description, paid_per, sort_order)
SELECT id, region_id, code, name, description, paid_per, sort_order FROM intensities;
DROP TABLE intensities;
ALTER TABLE intensities_new RENAME TO intensities;
COMMIT;
PRAGMA foreign_keys = ON;
