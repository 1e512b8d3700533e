-- The region × profile pairs whose funnel is older than their computed scores: an upload
-- recomputes one provider's scores and marks its pairs here, in its own transaction; the
-- job runner recomputes the funnels of the marked pairs (outcomes::fair::refresh_stale), so
-- that an upload costs its own provider's work, not the whole region's. The generation
-- rises with every mark, so a refresh removes only the marks it has seen.
CREATE TABLE funnels_stale (
    region_id BIGINT NOT NULL REFERENCES regions (id),
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    generation BIGINT NOT NULL,
    PRIMARY KEY (region_id, profile_id)
);
