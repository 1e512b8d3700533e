-- A published report keeps the reference data it was published with (region, method,
-- municipalities, profile names and descriptions, minimum n): renaming a profile or
-- merging municipalities later does not change it. One row per distinct content per region;
-- reports published before this have none and read the reference data as it is.
CREATE TABLE reference_snapshots (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    hash TEXT NOT NULL,
    body TEXT NOT NULL,
    taken_at TIMESTAMP NOT NULL,
    UNIQUE (region_id, hash)
);
ALTER TABLE score_reports ADD COLUMN reference_snapshot_id INTEGER REFERENCES reference_snapshots (id);
