-- A municipality can move to another region from a date in the future: the move is kept
-- here until the day comes, and the daily job carries it out (as it carries out a merger
-- dated in the future: merged_on after today).
ALTER TABLE municipalities ADD COLUMN moves_to_region_id INTEGER REFERENCES regions (id);
ALTER TABLE municipalities ADD COLUMN moves_on DATE;
