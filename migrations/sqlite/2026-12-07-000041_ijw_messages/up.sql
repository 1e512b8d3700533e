-- Outcomes from iJw 3.2 messages (JW305 start, JW307 stop). SQLite changes the CHECKs of
-- trajectories only by rebuilding the table (hulpvragen refer to it, so with foreign keys
-- off; see metadata.toml).
--   end_reason 6-10: endings iJw knows beside the CBS codes 1-5 (JZ588 02, 36/37, 38, 39, 20);
--     they count as ended but not in uitval or terugval (outcomes::ijw::mapping).
--   source 'ijw': built from the provider's iJw messages.
--   toewijzing: the municipality's ToewijzingNummer, the key that joins a trajectory from
--     iJw to the hulpvraag whose worker recorded it; product_category: JZ020.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE trajectories_new (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    intensity_id INTEGER NOT NULL REFERENCES intensities (id),
    start_date DATE NOT NULL,
    end_date DATE,
    end_reason INTEGER CHECK (end_reason BETWEEN 1 AND 10),
    goal_result TEXT NOT NULL DEFAULT 'onbekend'
        CHECK (goal_result IN ('behaald', 'deels_behaald', 'niet_behaald', 'onbekend')),
    client_key TEXT NOT NULL,
    age_band TEXT NOT NULL CHECK (age_band IN ('0-3', '4-11', '12-17', '18-23')),
    kader TEXT NOT NULL DEFAULT 'vrijwillig' CHECK (kader IN ('vrijwillig', 'gedwongen')),
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 10),
    source TEXT NOT NULL DEFAULT 'aanbieder' CHECK (source IN ('aanbieder', 'gemeente', 'ijw')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    goals_agreed INTEGER CHECK (goals_agreed BETWEEN 1 AND 5),
    goals_reached INTEGER CHECK (goals_reached >= 0),
    goals_partly INTEGER CHECK (goals_partly >= 0),
    without_care TEXT CHECK (without_care IN ('ja', 'lichtere_hulp', 'nee')),
    problems_smaller TEXT CHECK (problems_smaller IN ('ja', 'deels', 'nee')),
    toewijzing TEXT,
    product_category TEXT,
    UNIQUE (provider_id, reference),
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK ((end_date IS NULL) = (end_reason IS NULL))
);
INSERT INTO trajectories_new (id, provider_id, reference, region_id, municipality_id,
    profile_id, intensity_id, start_date, end_date, end_reason, goal_result, client_key,
    age_band, kader, satisfaction, source, created_at, updated_at, goals_agreed,
    goals_reached, goals_partly, without_care, problems_smaller)
SELECT id, provider_id, reference, region_id, municipality_id,
    profile_id, intensity_id, start_date, end_date, end_reason, goal_result, client_key,
    age_band, kader, satisfaction, source, created_at, updated_at, goals_agreed,
    goals_reached, goals_partly, without_care, problems_smaller
FROM trajectories;
DROP TABLE trajectories;
ALTER TABLE trajectories_new RENAME TO trajectories;
CREATE INDEX trajectories_outcomes ON trajectories (
    provider_id, profile_id, client_key, start_date,
    end_date, end_reason, goal_result, satisfaction, region_id,
    kader, without_care, problems_smaller
);
CREATE INDEX trajectories_municipal ON trajectories (end_date) WHERE source = 'gemeente';
CREATE INDEX trajectories_region_client ON trajectories (region_id, client_key);
-- One trajectory per delivery period of an allocation (iJw knows a period by its
-- ToewijzingNummer and Begindatum): what iJw sends and what the worker closes meet here.
CREATE UNIQUE INDEX trajectories_toewijzing
    ON trajectories (provider_id, municipality_id, toewijzing, start_date)
    WHERE toewijzing IS NOT NULL;
-- An upload asks which of its trajectories a worker closed.
CREATE INDEX hulpvragen_trajectory ON hulpvragen (trajectory_id);

-- The worker records the municipality's ToewijzingNummer at the start step.
ALTER TABLE hulpvragen ADD COLUMN toewijzing TEXT;

-- Each product line of each message a provider sent, once: the same message again changes
-- nothing. Only the message's own identification and the line's key are kept.
CREATE TABLE ijw_received (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    message_code INTEGER NOT NULL CHECK (message_code IN (438, 440)),
    message_id TEXT NOT NULL,
    line_key TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    UNIQUE (provider_id, message_code, message_id, line_key)
);

-- A region's product codes (the products of its iJw allocations) and the profile and
-- intensity each stands for.
CREATE TABLE product_codes (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    code TEXT NOT NULL,
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    intensity_id INTEGER NOT NULL REFERENCES intensities (id),
    UNIQUE (region_id, code)
);
COMMIT;
PRAGMA foreign_keys = ON;
