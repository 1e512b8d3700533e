PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE monitor_stale;
DROP TABLE monitor_figures;
DELETE FROM users WHERE role = 'beleidsmedewerker';
CREATE TABLE users_old (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('aanbieder', 'toegangsmedewerker', 'contractmanager', 'beheerder')),
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
    CHECK ((role = 'toegangsmedewerker') = (municipality_id IS NOT NULL)),
    CHECK (role = 'beheerder' OR (role = 'contractmanager') = (region_id IS NOT NULL))
);
INSERT INTO users_old SELECT id, email, name, password_hash, role, provider_id, municipality_id,
    region_id, email_verified_at, token_version, active, created_at, updated_at, last_sign_in_at FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
CREATE INDEX users_provider ON users (provider_id);
CREATE INDEX users_region ON users (region_id, role);
CREATE INDEX users_municipality ON users (municipality_id);
COMMIT;
PRAGMA foreign_keys = ON;
