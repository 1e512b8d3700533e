-- A mark is no longer deleted when its funnel is refreshed: the refresh records the
-- generation it computed from, and a pair is marked while its generation is newer. So a
-- pair's generation only grows. When marks were deleted, a pair marked again started at 1
-- once more, and a refresh that had read the older mark 1 (on another node, or before a
-- full recomputation) could remove the newer one: that funnel then stayed old until the
-- next upload for the pair.
ALTER TABLE funnels_stale ADD COLUMN done_generation BIGINT NOT NULL DEFAULT 0;
