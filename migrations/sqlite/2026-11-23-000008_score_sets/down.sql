ALTER TABLE computed_scores RENAME TO score_sets;
DROP INDEX computed_scores_region;
CREATE TABLE computed_scores (
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    period TEXT NOT NULL,
    span TEXT NOT NULL CHECK (span IN ('kwartaal', '12m')),
    indicator TEXT NOT NULL
        CHECK (indicator IN ('doelrealisatie', 'uitval', 'clienttevredenheid', 'terugval')),
    n INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    value DOUBLE PRECISION,
    interval_low DOUBLE PRECISION,
    interval_high DOUBLE PRECISION,
    extra DOUBLE PRECISION,
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (provider_id, profile_id, period, span, indicator)
);
INSERT INTO computed_scores (provider_id, region_id, profile_id, period, span, indicator, n, hits,
    value, interval_low, interval_high, extra, computed_at)
SELECT provider_id, region_id, profile_id, period, span, 'doelrealisatie', doel_n, doel_hits, doel_value, doel_low, doel_high, doel_extra, computed_at
FROM score_sets WHERE doel_n > 0
UNION ALL
SELECT provider_id, region_id, profile_id, period, span, 'uitval', uitval_n, uitval_hits, uitval_value, uitval_low, uitval_high, uitval_extra, computed_at
FROM score_sets WHERE uitval_n > 0
UNION ALL
SELECT provider_id, region_id, profile_id, period, span, 'terugval', terugval_n, terugval_hits, terugval_value, terugval_low, terugval_high, terugval_extra, computed_at
FROM score_sets WHERE terugval_n > 0
UNION ALL
SELECT provider_id, region_id, profile_id, period, span, 'clienttevredenheid', tevreden_n, tevreden_hits, tevreden_value, tevreden_low, tevreden_high, tevreden_extra, computed_at
FROM score_sets WHERE tevreden_n > 0;
DROP TABLE score_sets;
CREATE INDEX computed_scores_region ON computed_scores (region_id, profile_id, period, span, indicator);
