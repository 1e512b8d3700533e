-- One client's care episode at one provider, as the provider (or, later, the municipality)
-- supplies it. Nothing here identifies a person: the client key is the provider's own
-- pseudonym, the age is a band. The provider's reference is unique per provider, so a second
-- upload of the same trajectory updates it.
CREATE TABLE trajectories (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    intensity_id INTEGER NOT NULL REFERENCES intensities (id),
    start_date DATE NOT NULL,
    end_date DATE,
    end_reason INTEGER CHECK (end_reason BETWEEN 1 AND 5),
    goal_result TEXT NOT NULL DEFAULT 'onbekend'
        CHECK (goal_result IN ('behaald', 'deels_behaald', 'niet_behaald', 'onbekend')),
    client_key TEXT NOT NULL,
    age_band TEXT NOT NULL CHECK (age_band IN ('0-3', '4-11', '12-17', '18-23')),
    kader TEXT NOT NULL DEFAULT 'vrijwillig' CHECK (kader IN ('vrijwillig', 'gedwongen')),
    -- A score 1-10 measured by the provider itself; the source says who measured.
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 10),
    source TEXT NOT NULL DEFAULT 'aanbieder' CHECK (source IN ('aanbieder', 'gemeente')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (provider_id, reference),
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK ((end_date IS NULL) = (end_reason IS NULL))
);
-- The indicators read ended trajectories per provider, profile and period.
CREATE INDEX trajectories_ended ON trajectories (provider_id, profile_id, end_date);
-- Terugval looks for a new start of the same client at the same provider and profile.
CREATE INDEX trajectories_client ON trajectories (provider_id, profile_id, client_key, start_date);

-- A checked CSV upload waiting for the provider to confirm its preview. Nothing in it counts
-- until it is confirmed; it is checked again then.
CREATE TABLE pending_uploads (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX pending_uploads_provider ON pending_uploads (provider_id);
