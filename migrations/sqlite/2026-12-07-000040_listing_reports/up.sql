-- "Klopt er iets niet?" (issue 39): anyone reports that a provider's listing is wrong,
-- without an account. The report keeps what is wrong and, for the reporter to read the
-- answer, only the hash of a receipt code: no name, address or IP. The provider answers
-- (and says whether it changed its listing); the region sees what waits longer than 14 days.
CREATE TABLE listing_reports (
    id INTEGER PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    topic TEXT NOT NULL CHECK (topic IN ('contact', 'wachttijd', 'aanbod', 'resultaten', 'anders')),
    message TEXT NOT NULL,
    receipt_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    answer TEXT,
    fixed BOOLEAN NOT NULL DEFAULT 0,
    answered_at TIMESTAMP,
    answered_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX listing_reports_provider ON listing_reports (provider_id, answered_at);
CREATE INDEX listing_reports_waiting ON listing_reports (answered_at, created_at);
