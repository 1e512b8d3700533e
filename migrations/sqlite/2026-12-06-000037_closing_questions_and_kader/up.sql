-- Issue 37, items 2 and 5.
-- Item 2: two questions at closing (Alkmaar's 3.1 and 3.3), kept per trajectory, and two
-- indicators made of them: zonder_hulp (share "ja" of the answers; extra: share "met
-- lichtere hulp") and problemen_kleiner (share "ja"; extra: share "deels").
-- Item 5: per indicator the cases in the gedwongen kader behind a figure (forced_n) and
-- their hits, or for the mean satisfaction the sum of their scores (forced_sum); the
-- vrijwillig part is the rest. The funnel keeps the region's value per kader, and each
-- published score the value expected at the provider's own kader mix.
-- The computed scores and funnels are emptied and a recomputation is asked for: the first
-- start-up computes them again with the new columns, once, in one transaction
-- (outcomes::recompute::ensure_scores). Published reports keep what they published.
-- SQLite changes a CHECK only by rebuilding the table; nothing references scores or
-- funnels, so the rebuild runs in the migration's transaction.
ALTER TABLE trajectories ADD COLUMN without_care TEXT
    CHECK (without_care IN ('ja', 'lichtere_hulp', 'nee'));
ALTER TABLE trajectories ADD COLUMN problems_smaller TEXT
    CHECK (problems_smaller IN ('ja', 'deels', 'nee'));

-- The recomputation reads the outcomes index alone (migration 18): it now also needs the
-- kader and the two answers.
DROP INDEX trajectories_outcomes;
CREATE INDEX trajectories_outcomes ON trajectories (
    provider_id, profile_id, client_key, start_date,
    end_date, end_reason, goal_result, satisfaction, region_id,
    kader, without_care, problems_smaller
);

CREATE TABLE scores_new (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES score_reports (id) ON DELETE CASCADE,
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    indicator TEXT NOT NULL
        CHECK (indicator IN ('doelrealisatie', 'zonder_hulp', 'problemen_kleiner', 'uitval', 'terugval', 'clienttevredenheid')),
    n INTEGER NOT NULL CHECK (n >= 0),
    value DOUBLE PRECISION,
    interval_low DOUBLE PRECISION,
    interval_high DOUBLE PRECISION,
    explanation TEXT NOT NULL DEFAULT '',
    hits INTEGER NOT NULL DEFAULT 0,
    extra DOUBLE PRECISION,
    average DOUBLE PRECISION,
    source TEXT NOT NULL DEFAULT 'aanbieder',
    target REAL,
    funnel_lower_95 REAL,
    funnel_upper_95 REAL,
    funnel_lower_998 REAL,
    funnel_upper_998 REAL,
    tau2 REAL,
    phi REAL,
    shrunk_value REAL,
    comparison TEXT CHECK (comparison IN ('better', 'similar', 'worse')),
    UNIQUE (report_id, profile_id, indicator)
);
INSERT INTO scores_new (id, report_id, profile_id, indicator, n, value, interval_low, interval_high,
    explanation, hits, extra, average, source, target, funnel_lower_95, funnel_upper_95,
    funnel_lower_998, funnel_upper_998, tau2, phi, shrunk_value, comparison)
SELECT id, report_id, profile_id, indicator, n, value, interval_low, interval_high,
    explanation, hits, extra, average, source, target, funnel_lower_95, funnel_upper_95,
    funnel_lower_998, funnel_upper_998, tau2, phi, shrunk_value, comparison
FROM scores;
DROP TABLE scores;
ALTER TABLE scores_new RENAME TO scores;

DROP TABLE funnels;
CREATE TABLE funnels (
    region_id BIGINT NOT NULL REFERENCES regions (id),
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    period TEXT NOT NULL,
    span TEXT NOT NULL,
    indicator TEXT NOT NULL CHECK (indicator IN ('doelrealisatie', 'zonder_hulp', 'problemen_kleiner', 'uitval', 'terugval', 'clienttevredenheid')),
    target REAL,
    providers INTEGER NOT NULL,
    phi REAL,
    tau2 REAL NOT NULL,
    pooled_variance REAL,
    PRIMARY KEY (region_id, profile_id, period, span, indicator)
);
ALTER TABLE scores ADD COLUMN forced_n INTEGER;
ALTER TABLE scores ADD COLUMN voluntary_value DOUBLE PRECISION;
ALTER TABLE scores ADD COLUMN expected DOUBLE PRECISION;
ALTER TABLE funnels ADD COLUMN target_voluntary DOUBLE PRECISION;
ALTER TABLE funnels ADD COLUMN target_forced DOUBLE PRECISION;
ALTER TABLE funnels ADD COLUMN forced_share DOUBLE PRECISION;

DELETE FROM computed_scores;
-- A proportion's value and interval follow from its counts: no longer stored.
ALTER TABLE computed_scores DROP COLUMN doel_value;
ALTER TABLE computed_scores DROP COLUMN doel_low;
ALTER TABLE computed_scores DROP COLUMN doel_high;
ALTER TABLE computed_scores DROP COLUMN uitval_value;
ALTER TABLE computed_scores DROP COLUMN uitval_low;
ALTER TABLE computed_scores DROP COLUMN uitval_high;
ALTER TABLE computed_scores DROP COLUMN terugval_value;
ALTER TABLE computed_scores DROP COLUMN terugval_low;
ALTER TABLE computed_scores DROP COLUMN terugval_high;
DELETE FROM funnels_stale;
ALTER TABLE computed_scores ADD COLUMN zonder_hulp_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN zonder_hulp_hits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN zonder_hulp_extra DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN problemen_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN problemen_hits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN problemen_extra DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN doel_forced_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN doel_forced_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN zonder_hulp_forced_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN zonder_hulp_forced_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN problemen_forced_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN problemen_forced_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN uitval_forced_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN uitval_forced_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN terugval_forced_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN terugval_forced_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN tevreden_forced_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computed_scores ADD COLUMN tevreden_forced_sum INTEGER NOT NULL DEFAULT 0;

-- A full recomputation a start-up still has to do; a later migration that changes what is
-- computed adds its own row.
CREATE TABLE score_recomputations (
    reason TEXT PRIMARY KEY
);
INSERT INTO score_recomputations (reason) VALUES ('closing_questions_and_kader');
