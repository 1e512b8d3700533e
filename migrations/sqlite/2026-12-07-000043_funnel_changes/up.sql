-- Which provider's scores each raise of a funnel mark stands for (an upload, a closing:
-- one provider per raise). A node that kept a pair's score sets from its last refresh
-- reads only these providers' sets again, where it read the whole region before; a raise
-- without a row here (a region's history, a full recomputation) makes it read them all.
-- The rows of a pair's last generations are kept, so a node that lags a few refreshes
-- behind another still catches up.
CREATE TABLE funnels_changes (
    region_id BIGINT NOT NULL,
    profile_id BIGINT NOT NULL,
    generation BIGINT NOT NULL,
    provider_id BIGINT NOT NULL,
    PRIMARY KEY (region_id, profile_id, generation)
);
