-- On PostgreSQL this migration replaces the per-row provider foreign keys of trajectories
-- and computed_scores by a statement-level trigger (they cost a query per inserted row
-- there). SQLite keeps its foreign keys: they are an index probe here. Nothing changes.
SELECT 1;
