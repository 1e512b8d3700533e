-- Scores computed from the trajectories, per provider, profile and quarter, over the
-- trajectories ended in the twelve months up to the quarter's end (span '12m'; 'kwartaal' is
-- reserved for the quarter alone, not computed today).
-- Request handlers read these; an upload recomputes only the provider and profiles it touched.
CREATE TABLE computed_scores (
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    period TEXT NOT NULL,
    span TEXT NOT NULL CHECK (span IN ('kwartaal', '12m')),
    indicator TEXT NOT NULL
        CHECK (indicator IN ('doelrealisatie', 'uitval', 'clienttevredenheid', 'terugval')),
    n INTEGER NOT NULL,
    -- Cases counted as a hit (dropouts, goals reached, returns, scores of 7 or more).
    hits INTEGER NOT NULL,
    -- The share of hits, or for satisfaction the mean score; NULL below the minimum n.
    value DOUBLE PRECISION,
    interval_low DOUBLE PRECISION,
    interval_high DOUBLE PRECISION,
    -- Doelrealisatie: the share partly reached; satisfaction: the share scoring 7 or more.
    extra DOUBLE PRECISION,
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (provider_id, profile_id, period, span, indicator)
);
CREATE INDEX computed_scores_region ON computed_scores (region_id, profile_id, period, span, indicator);

ALTER TABLE scores ADD COLUMN hits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scores ADD COLUMN extra DOUBLE PRECISION;
ALTER TABLE scores ADD COLUMN average DOUBLE PRECISION;
ALTER TABLE scores ADD COLUMN source TEXT NOT NULL DEFAULT 'aanbieder';
ALTER TABLE score_reports ADD COLUMN comment TEXT NOT NULL DEFAULT '';
ALTER TABLE score_reports ADD COLUMN correction_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE score_reports ADD COLUMN submitted_at TIMESTAMP;
ALTER TABLE score_reports ADD COLUMN decided_by BIGINT REFERENCES users (id);

-- The catalogue's read model for sorting on results: per provider, profile and indicator the
-- value of the newest published report (NULL when too few cases). Kept at publication.
CREATE TABLE published_scores (
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    indicator TEXT NOT NULL,
    value DOUBLE PRECISION,
    n INTEGER NOT NULL,
    PRIMARY KEY (profile_id, indicator, provider_id)
);
-- Covering: sorting a search result reads only this index.
CREATE INDEX published_scores_sort ON published_scores (profile_id, indicator, provider_id, value);
