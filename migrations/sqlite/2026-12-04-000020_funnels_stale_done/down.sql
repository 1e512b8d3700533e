DELETE FROM funnels_stale WHERE generation <= done_generation;
ALTER TABLE funnels_stale DROP COLUMN done_generation;
