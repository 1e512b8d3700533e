-- Issue 38: the municipal monitor. A municipality's beleidsmedewerker reads its monitor:
-- a fifth role, linked to a municipality like the toegangsmedewerker. SQLite changes a
-- CHECK only by rebuilding the table; users is referenced by many tables, so foreign keys
-- are off while it is rebuilt (metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('aanbieder', 'toegangsmedewerker', 'beleidsmedewerker', 'contractmanager', 'beheerder')),
    provider_id INTEGER REFERENCES providers (id) ON DELETE CASCADE,
    municipality_id INTEGER REFERENCES municipalities (id),
    region_id INTEGER REFERENCES regions (id),
    email_verified_at TIMESTAMP,
    token_version INTEGER NOT NULL DEFAULT 1,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_sign_in_at TIMESTAMP,
    CHECK ((role = 'aanbieder') = (provider_id IS NOT NULL)),
    CHECK ((role IN ('toegangsmedewerker', 'beleidsmedewerker')) = (municipality_id IS NOT NULL)),
    -- A contract manager has a region; a beheerder may have one (then it manages that region).
    CHECK (role = 'beheerder' OR (role = 'contractmanager') = (region_id IS NOT NULL))
);
INSERT INTO users_new (id, email, name, password_hash, role, provider_id, municipality_id,
    region_id, email_verified_at, token_version, active, created_at, updated_at, last_sign_in_at)
SELECT id, email, name, password_hash, role, provider_id, municipality_id,
    region_id, email_verified_at, token_version, active, created_at, updated_at, last_sign_in_at
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_provider ON users (provider_id);
CREATE INDEX users_region ON users (region_id, role);
CREATE INDEX users_municipality ON users (municipality_id);

-- The monitor's figures, computed per region by the job runner (monitor::store): one row
-- per scope (a municipality, or the whole region as municipality_id 0), quarter ("2026-K3"),
-- figure, breakdown and item of that breakdown (a profile number, an intensity code, ...).
-- count: the number (or the cases behind a share or median); part: the share's numerator;
-- value: a median in days, or an amount in euros.
CREATE TABLE monitor_figures (
    region_id BIGINT NOT NULL,
    municipality_id BIGINT NOT NULL,
    quarter TEXT NOT NULL,
    figure TEXT NOT NULL,
    breakdown TEXT NOT NULL,
    item TEXT NOT NULL,
    count BIGINT NOT NULL,
    part BIGINT,
    value DOUBLE PRECISION,
    PRIMARY KEY (municipality_id, region_id, quarter, figure, breakdown, item)
);
CREATE INDEX monitor_figures_region ON monitor_figures (region_id, municipality_id, quarter);
-- A page reads its scope's figures of eight quarters without the thousands of cost lines
-- per provider, which it reads for its own quarter only: the breakdown before the quarter.
CREATE INDEX monitor_figures_breakdown ON monitor_figures (municipality_id, region_id, breakdown, quarter);

-- Which regions' monitors are to be computed again: a change raises the generation; the
-- job runner computes the region and records the generation it saw as done, and the day
-- it computed for (the running quarter moves with the day).
CREATE TABLE monitor_stale (
    region_id BIGINT PRIMARY KEY,
    generation BIGINT NOT NULL DEFAULT 1,
    done_generation BIGINT NOT NULL DEFAULT 0,
    computed_on DATE,
    computed_at TIMESTAMP
);
COMMIT;
PRAGMA foreign_keys = ON;
