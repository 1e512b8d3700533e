-- A hulpvraag: a family's need for help, opened by an access worker of one municipality.
-- Pseudonymous: the case number is the municipality's own, nothing here names a person.
CREATE TABLE hulpvragen (
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
        CHECK (status IN ('open', 'gekozen', 'geaccepteerd', 'afgewezen', 'gestart', 'afgesloten')),
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
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX hulpvragen_municipality ON hulpvragen (municipality_id, updated_at);

-- The providers the family may choose from.
CREATE TABLE hulpvraag_shortlist (
    hulpvraag_id INTEGER NOT NULL REFERENCES hulpvragen (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (hulpvraag_id, provider_id)
);

-- A choice sent to a provider, and its answer. One per provider per hulpvraag: a provider
-- that declined cannot be chosen again for the same hulpvraag.
CREATE TABLE care_requests (
    id INTEGER PRIMARY KEY,
    hulpvraag_id INTEGER NOT NULL REFERENCES hulpvragen (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    chosen_by TEXT NOT NULL CHECK (chosen_by IN ('gezin', 'samen')),
    chosen_at TIMESTAMP NOT NULL,
    answer TEXT NOT NULL DEFAULT 'open' CHECK (answer IN ('open', 'geaccepteerd', 'afgewezen')),
    answered_at TIMESTAMP,
    expected_start DATE,
    decline_reason TEXT CHECK (decline_reason IN ('geen_plek', 'past_niet', 'anders')),
    decline_note TEXT NOT NULL DEFAULT '',
    started_on DATE,
    UNIQUE (hulpvraag_id, provider_id)
);
CREATE INDEX care_requests_provider ON care_requests (provider_id, chosen_at);
-- The actual waiting time reads the started requests of the last twelve months.
CREATE INDEX care_requests_started ON care_requests (started_on, provider_id);

-- Every step of a hulpvraag with its time.
CREATE TABLE hulpvraag_events (
    id INTEGER PRIMARY KEY,
    hulpvraag_id INTEGER NOT NULL REFERENCES hulpvragen (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL CHECK (actor IN ('medewerker', 'gezin', 'aanbieder')),
    kind TEXT NOT NULL,
    provider_id INTEGER REFERENCES providers (id) ON DELETE SET NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hulpvraag_events_hulpvraag ON hulpvraag_events (hulpvraag_id, at);

-- A family's answers to the experience questionnaire. Deliberately not linked to the
-- hulpvraag: the provider, profile, kader and month are all that is kept with it.
CREATE TABLE experience_responses (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    kader TEXT NOT NULL CHECK (kader IN ('vrijwillig', 'gedwongen')),
    responded_on DATE NOT NULL,
    effectiviteit INTEGER NOT NULL CHECK (effectiviteit BETWEEN 1 AND 10),
    inspraak INTEGER NOT NULL CHECK (inspraak BETWEEN 1 AND 10),
    toegankelijkheid INTEGER NOT NULL CHECK (toegankelijkheid BETWEEN 1 AND 10),
    klantvriendelijkheid INTEGER NOT NULL CHECK (klantvriendelijkheid BETWEEN 1 AND 10),
    veiligheid INTEGER NOT NULL CHECK (veiligheid BETWEEN 1 AND 10),
    bejegening INTEGER NOT NULL CHECK (bejegening BETWEEN 1 AND 10),
    remark TEXT NOT NULL DEFAULT ''
);
CREATE INDEX experience_responses_provider ON experience_responses (provider_id, profile_id, kader);

-- A message whose address must be forgotten once it is sent (the family's e-mail address).
ALTER TABLE mail_outbox ADD COLUMN forget_after_send BOOLEAN NOT NULL DEFAULT 0;
