-- The funnel of each region × profile × indicator × period × span, computed with the
-- scores (outcomes::compute) from every provider's computed score set there, so that no page
-- computes it: the pooled target, the number of providers with n >= 10 it is taken over,
-- the dispersion phi (NULL with fewer than five such providers), the additive tau2 and, for
-- the mean satisfaction, the pooled within-provider variance.
CREATE TABLE funnels (
    region_id BIGINT NOT NULL REFERENCES regions (id),
    profile_id BIGINT NOT NULL REFERENCES profiles (id),
    period TEXT NOT NULL,
    span TEXT NOT NULL,
    indicator TEXT NOT NULL CHECK (indicator IN ('doelrealisatie', 'uitval', 'terugval', 'clienttevredenheid')),
    target REAL,
    providers INTEGER NOT NULL,
    phi REAL,
    tau2 REAL NOT NULL,
    pooled_variance REAL,
    PRIMARY KEY (region_id, profile_id, period, span, indicator)
);
