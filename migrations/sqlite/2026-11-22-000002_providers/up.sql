-- Providers (aanbieders), their admission per region, and their offer per profile and intensity.
CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kvk_number TEXT NOT NULL CHECK (length(kvk_number) = 8),
    agb_code TEXT NOT NULL CHECK (length(agb_code) = 8),
    description TEXT NOT NULL DEFAULT '',
    approach TEXT NOT NULL DEFAULT '',
    partners TEXT NOT NULL DEFAULT '',
    website TEXT,
    email TEXT NOT NULL,
    phone TEXT,
    street TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    verlengde_jeugdhulp BOOLEAN NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'actief' CHECK (status IN ('actief', 'inactief')),
    -- Whether the provider has at least one public offer; kept with catalogue_entries.
    in_catalogue BOOLEAN NOT NULL DEFAULT 0,
    -- Lower-cased, accent-free copy of the searchable text, kept by the application,
    -- so that one LIKE works the same on every backend.
    search_text TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX providers_name ON providers (name);
CREATE INDEX providers_kvk ON providers (kvk_number);
CREATE INDEX providers_in_catalogue ON providers (in_catalogue, id);

-- The current admission state of a provider in a region. The history of decisions
-- (who, when, why) comes with the admission workflow.
CREATE TABLE admissions (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    status TEXT NOT NULL CHECK (status IN
        ('aangemeld', 'in_behandeling', 'toegelaten', 'afgewezen', 'opgeschort', 'beeindigd')),
    admitted_on DATE,
    ends_on DATE,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (provider_id, region_id)
);
CREATE INDEX admissions_region_status ON admissions (region_id, status, provider_id);

-- An offer is what a provider delivers in one region for one profile and intensity.
-- The composite keys make sure profile and intensity belong to that same region.
CREATE TABLE offers (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    profile_id INTEGER NOT NULL,
    intensity_id INTEGER NOT NULL,
    min_age INTEGER NOT NULL CHECK (min_age BETWEEN 0 AND 23),
    max_age INTEGER NOT NULL CHECK (max_age BETWEEN 0 AND 23),
    setting TEXT NOT NULL CHECK (setting IN ('ambulant', 'dagbehandeling', 'verblijf')),
    languages TEXT NOT NULL DEFAULT 'nl',
    waiting_weeks INTEGER NOT NULL CHECK (waiting_weeks BETWEEN 0 AND 104),
    accepts_new_clients BOOLEAN NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (provider_id, profile_id, intensity_id),
    CHECK (min_age <= max_age),
    FOREIGN KEY (profile_id, region_id) REFERENCES profiles (id, region_id),
    FOREIGN KEY (intensity_id, region_id) REFERENCES intensities (id, region_id)
);
CREATE INDEX offers_profile ON offers (profile_id, intensity_id, provider_id);
CREATE INDEX offers_region_provider ON offers (region_id, provider_id);

CREATE TABLE offer_municipalities (
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    PRIMARY KEY (offer_id, municipality_id)
);
CREATE INDEX offer_municipalities_municipality ON offer_municipalities (municipality_id, offer_id);

-- The catalogue's read model: one row per public offer and municipality, i.e. per offer of an
-- active provider in a region where it is admitted. Kept by the application in the same
-- transaction as every change to providers, admissions and offers, so that a search is one
-- range scan on the primary key whatever the size of the catalogue.
CREATE TABLE catalogue_entries (
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    intensity_id INTEGER NOT NULL REFERENCES intensities (id),
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    PRIMARY KEY (municipality_id, profile_id, provider_id, intensity_id)
);
CREATE INDEX catalogue_entries_profile ON catalogue_entries (profile_id, intensity_id, provider_id);
CREATE INDEX catalogue_entries_provider ON catalogue_entries (provider_id, offer_id);
