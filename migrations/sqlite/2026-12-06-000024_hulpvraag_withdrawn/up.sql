-- A hulpvraag can be withdrawn before help starts ('ingetrokken'); an open request to a
-- provider is then withdrawn too. SQLite needs both tables rebuilt for the new CHECKs.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE hulpvragen_new (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    intensity_id INTEGER NOT NULL REFERENCES intensities (id),
    kader TEXT NOT NULL CHECK (kader IN ('vrijwillig', 'gedwongen')),
    age_band TEXT NOT NULL CHECK (age_band IN ('0-3', '4-11', '12-17', '18-23')),
    case_number TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    worker_id INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'gekozen', 'geaccepteerd', 'afgewezen', 'gestart', 'afgesloten', 'ingetrokken')),
    -- The provider of the current request (chosen, accepted or started).
    provider_id INTEGER REFERENCES providers (id),
    -- The family's private link: only its hash is kept.
    family_token_hash TEXT UNIQUE,
    family_token_expires_at TIMESTAMP,
    help_asked_at TIMESTAMP,
    started_on DATE,
    ended_on DATE,
    trajectory_id INTEGER REFERENCES trajectories (id) ON DELETE SET NULL,
    -- The experience questionnaire link, single use.
    experience_token_hash TEXT UNIQUE,
    experience_expires_at TIMESTAMP,
    experience_answered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    family_code_nonce TEXT
);
INSERT INTO hulpvragen_new (id, region_id, municipality_id, profile_id, intensity_id, kader,
    age_band, case_number, notes, worker_id, status, provider_id, family_token_hash,
    family_token_expires_at, help_asked_at, started_on, ended_on, trajectory_id,
    experience_token_hash, experience_expires_at, experience_answered_at, created_at,
    updated_at, family_code_nonce)
SELECT id, region_id, municipality_id, profile_id, intensity_id, kader,
    age_band, case_number, notes, worker_id, status, provider_id, family_token_hash,
    family_token_expires_at, help_asked_at, started_on, ended_on, trajectory_id,
    experience_token_hash, experience_expires_at, experience_answered_at, created_at,
    updated_at, family_code_nonce
FROM hulpvragen;
DROP TABLE hulpvragen;
ALTER TABLE hulpvragen_new RENAME TO hulpvragen;
CREATE INDEX hulpvragen_municipality ON hulpvragen (municipality_id, updated_at);

CREATE TABLE care_requests_new (
    id INTEGER PRIMARY KEY,
    hulpvraag_id INTEGER NOT NULL REFERENCES hulpvragen (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    chosen_by TEXT NOT NULL CHECK (chosen_by IN ('gezin', 'samen')),
    chosen_at TIMESTAMP NOT NULL,
    answer TEXT NOT NULL DEFAULT 'open' CHECK (answer IN ('open', 'geaccepteerd', 'afgewezen', 'ingetrokken')),
    answered_at TIMESTAMP,
    expected_start DATE,
    decline_reason TEXT CHECK (decline_reason IN ('geen_plek', 'past_niet', 'anders')),
    decline_note TEXT NOT NULL DEFAULT '',
    started_on DATE,
    UNIQUE (hulpvraag_id, provider_id)
);
INSERT INTO care_requests_new (id, hulpvraag_id, provider_id, chosen_by, chosen_at, answer,
    answered_at, expected_start, decline_reason, decline_note, started_on)
SELECT id, hulpvraag_id, provider_id, chosen_by, chosen_at, answer,
    answered_at, expected_start, decline_reason, decline_note, started_on
FROM care_requests;
DROP TABLE care_requests;
ALTER TABLE care_requests_new RENAME TO care_requests;
CREATE INDEX care_requests_provider ON care_requests (provider_id, chosen_at);
CREATE INDEX care_requests_started ON care_requests (started_on, provider_id);
COMMIT;
PRAGMA foreign_keys = ON;
