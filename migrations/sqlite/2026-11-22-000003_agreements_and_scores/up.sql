-- The procesovereenkomst text per region, versioned: a signature always names the version signed.
CREATE TABLE process_agreements (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    effective_from DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (region_id, version)
);

-- A score report is the set of scores of one provider in one region for one period, in a
-- numbered version; a published version is never changed, a correction is a new version.
CREATE TABLE score_reports (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    period TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    status TEXT NOT NULL CHECK (status IN ('concept', 'ingediend', 'teruggestuurd', 'gepubliceerd')),
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (provider_id, region_id, period, version)
);
CREATE INDEX score_reports_published ON score_reports (provider_id, status, published_at);

CREATE TABLE scores (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES score_reports (id) ON DELETE CASCADE,
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    indicator TEXT NOT NULL
        CHECK (indicator IN ('doelrealisatie', 'uitval', 'clienttevredenheid', 'terugval')),
    n INTEGER NOT NULL CHECK (n >= 0),
    value DOUBLE PRECISION,
    interval_low DOUBLE PRECISION,
    interval_high DOUBLE PRECISION,
    explanation TEXT NOT NULL DEFAULT '',
    UNIQUE (report_id, profile_id, indicator)
);
