-- The uitvoeringsovereenkomst: per provider, region and calendar year, granted by the
-- region's contract manager (granted_by NULL: given with the admission itself). Without
-- one for the current year a provider stays listed but cannot be shortlisted or accept.
CREATE TABLE execution_agreements (
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    granted_by BIGINT REFERENCES users (id),
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (provider_id, region_id, year)
);
-- The November reminder for next year's agreement, once per provider, region and year.
CREATE TABLE execution_reminders (
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    year INTEGER NOT NULL,
    sent_on DATE NOT NULL,
    PRIMARY KEY (provider_id, region_id, year)
);
-- Every provider admitted today has this year's agreement (it came with the admission)
-- and, since this table arrives in December, next year's too: nobody drops out on
-- 1 January for want of an agreement that did not exist before.
INSERT INTO execution_agreements (provider_id, region_id, year, granted_at)
SELECT a.provider_id, a.region_id, CAST(EXTRACT(YEAR FROM (now() AT TIME ZONE 'Europe/Amsterdam')) AS INTEGER) + y.plus, (now() AT TIME ZONE 'UTC')
FROM admissions a CROSS JOIN (SELECT 0 AS plus UNION ALL SELECT 1) y
WHERE a.status IN ('toegelaten', 'opgeschort');
