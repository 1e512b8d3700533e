-- One row per provider, profile, period and span with the four indicators side by side,
-- instead of one row per indicator: a recomputation writes a quarter of the rows, and an
-- upload touches a few pages instead of dozens. An indicator with nothing to count has n = 0
-- (before, it had no row). The columns per indicator: n (cases counted), hits (dropouts,
-- goals reached, returns, scores of 7 or more), value (share of hits, or for satisfaction the
-- mean score; NULL below the minimum n), low/high (the interval), extra (doelrealisatie: the
-- share partly reached; satisfaction: the share scoring 7 or more).
CREATE TABLE score_sets (
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    period TEXT NOT NULL,
    span TEXT NOT NULL CHECK (span IN ('kwartaal', '12m')),
    doel_n INTEGER NOT NULL DEFAULT 0,
    doel_hits INTEGER NOT NULL DEFAULT 0,
    doel_value DOUBLE PRECISION,
    doel_low DOUBLE PRECISION,
    doel_high DOUBLE PRECISION,
    doel_extra DOUBLE PRECISION,
    uitval_n INTEGER NOT NULL DEFAULT 0,
    uitval_hits INTEGER NOT NULL DEFAULT 0,
    uitval_value DOUBLE PRECISION,
    uitval_low DOUBLE PRECISION,
    uitval_high DOUBLE PRECISION,
    uitval_extra DOUBLE PRECISION,
    terugval_n INTEGER NOT NULL DEFAULT 0,
    terugval_hits INTEGER NOT NULL DEFAULT 0,
    terugval_value DOUBLE PRECISION,
    terugval_low DOUBLE PRECISION,
    terugval_high DOUBLE PRECISION,
    terugval_extra DOUBLE PRECISION,
    tevreden_n INTEGER NOT NULL DEFAULT 0,
    tevreden_hits INTEGER NOT NULL DEFAULT 0,
    tevreden_value DOUBLE PRECISION,
    tevreden_low DOUBLE PRECISION,
    tevreden_high DOUBLE PRECISION,
    tevreden_extra DOUBLE PRECISION,
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (provider_id, profile_id, period, span)
) WITHOUT ROWID;
INSERT INTO score_sets (provider_id, region_id, profile_id, period, span, doel_n, doel_hits, doel_value, doel_low, doel_high, doel_extra, uitval_n, uitval_hits, uitval_value, uitval_low, uitval_high, uitval_extra, terugval_n, terugval_hits, terugval_value, terugval_low, terugval_high, terugval_extra, tevreden_n, tevreden_hits, tevreden_value, tevreden_low, tevreden_high, tevreden_extra, computed_at)
SELECT provider_id, MAX(region_id), profile_id, period, span,
    COALESCE(MAX(CASE WHEN indicator = 'doelrealisatie' THEN n END), 0),
    COALESCE(MAX(CASE WHEN indicator = 'doelrealisatie' THEN hits END), 0),
    MAX(CASE WHEN indicator = 'doelrealisatie' THEN value END),
    MAX(CASE WHEN indicator = 'doelrealisatie' THEN interval_low END),
    MAX(CASE WHEN indicator = 'doelrealisatie' THEN interval_high END),
    MAX(CASE WHEN indicator = 'doelrealisatie' THEN extra END),
    COALESCE(MAX(CASE WHEN indicator = 'uitval' THEN n END), 0),
    COALESCE(MAX(CASE WHEN indicator = 'uitval' THEN hits END), 0),
    MAX(CASE WHEN indicator = 'uitval' THEN value END),
    MAX(CASE WHEN indicator = 'uitval' THEN interval_low END),
    MAX(CASE WHEN indicator = 'uitval' THEN interval_high END),
    MAX(CASE WHEN indicator = 'uitval' THEN extra END),
    COALESCE(MAX(CASE WHEN indicator = 'terugval' THEN n END), 0),
    COALESCE(MAX(CASE WHEN indicator = 'terugval' THEN hits END), 0),
    MAX(CASE WHEN indicator = 'terugval' THEN value END),
    MAX(CASE WHEN indicator = 'terugval' THEN interval_low END),
    MAX(CASE WHEN indicator = 'terugval' THEN interval_high END),
    MAX(CASE WHEN indicator = 'terugval' THEN extra END),
    COALESCE(MAX(CASE WHEN indicator = 'clienttevredenheid' THEN n END), 0),
    COALESCE(MAX(CASE WHEN indicator = 'clienttevredenheid' THEN hits END), 0),
    MAX(CASE WHEN indicator = 'clienttevredenheid' THEN value END),
    MAX(CASE WHEN indicator = 'clienttevredenheid' THEN interval_low END),
    MAX(CASE WHEN indicator = 'clienttevredenheid' THEN interval_high END),
    MAX(CASE WHEN indicator = 'clienttevredenheid' THEN extra END),
    MAX(computed_at)
FROM computed_scores
GROUP BY provider_id, profile_id, period, span;
DROP TABLE computed_scores;
ALTER TABLE score_sets RENAME TO computed_scores;
-- The regional averages (region, period, span) and the dashboard (… and profile).
CREATE INDEX computed_scores_region ON computed_scores (region_id, period, span, profile_id);
