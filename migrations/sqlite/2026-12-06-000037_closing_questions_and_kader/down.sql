DROP TABLE score_recomputations;
-- The wider indicator CHECKs stay: they admit the old codes too.
DELETE FROM scores WHERE indicator IN ('zonder_hulp', 'problemen_kleiner');
DELETE FROM published_scores WHERE indicator IN ('zonder_hulp', 'problemen_kleiner');
DELETE FROM funnels WHERE indicator IN ('zonder_hulp', 'problemen_kleiner');
DROP INDEX trajectories_outcomes;
CREATE INDEX trajectories_outcomes ON trajectories (
    provider_id, profile_id, client_key, start_date,
    end_date, end_reason, goal_result, satisfaction, region_id
);
ALTER TABLE trajectories DROP COLUMN without_care;
ALTER TABLE trajectories DROP COLUMN problems_smaller;
ALTER TABLE scores DROP COLUMN forced_n;
ALTER TABLE scores DROP COLUMN voluntary_value;
ALTER TABLE scores DROP COLUMN expected;
ALTER TABLE funnels DROP COLUMN target_voluntary;
ALTER TABLE funnels DROP COLUMN target_forced;
ALTER TABLE funnels DROP COLUMN forced_share;
ALTER TABLE computed_scores DROP COLUMN zonder_hulp_n;
ALTER TABLE computed_scores DROP COLUMN zonder_hulp_hits;
ALTER TABLE computed_scores DROP COLUMN zonder_hulp_extra;
ALTER TABLE computed_scores DROP COLUMN problemen_n;
ALTER TABLE computed_scores DROP COLUMN problemen_hits;
ALTER TABLE computed_scores DROP COLUMN problemen_extra;
ALTER TABLE computed_scores DROP COLUMN doel_forced_n;
ALTER TABLE computed_scores DROP COLUMN doel_forced_sum;
ALTER TABLE computed_scores DROP COLUMN zonder_hulp_forced_n;
ALTER TABLE computed_scores DROP COLUMN zonder_hulp_forced_sum;
ALTER TABLE computed_scores DROP COLUMN problemen_forced_n;
ALTER TABLE computed_scores DROP COLUMN problemen_forced_sum;
ALTER TABLE computed_scores DROP COLUMN uitval_forced_n;
ALTER TABLE computed_scores DROP COLUMN uitval_forced_sum;
ALTER TABLE computed_scores DROP COLUMN terugval_forced_n;
ALTER TABLE computed_scores DROP COLUMN terugval_forced_sum;
ALTER TABLE computed_scores DROP COLUMN tevreden_forced_n;
ALTER TABLE computed_scores DROP COLUMN tevreden_forced_sum;
ALTER TABLE computed_scores ADD COLUMN doel_value DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN doel_low DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN doel_high DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN uitval_value DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN uitval_low DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN uitval_high DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN terugval_value DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN terugval_low DOUBLE PRECISION;
ALTER TABLE computed_scores ADD COLUMN terugval_high DOUBLE PRECISION;
