-- People are managed in the portal (/beheer/gebruikers): a beheerder may have a region (the
-- regional beheerder), an account records its last sign-in, and an invitation is a
-- single-use link of its own. SQLite changes a CHECK only by rebuilding the table; users is
-- referenced by many tables, so foreign keys are off while it is rebuilt (metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
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
    -- A contract manager has a region; a beheerder may have one (then it manages that region).
    CHECK (role = 'beheerder' OR (role = 'contractmanager') = (region_id IS NOT NULL))
);
INSERT INTO users_new (id, email, name, password_hash, role, provider_id, municipality_id,
    region_id, email_verified_at, token_version, active, created_at, updated_at)
SELECT id, email, name, password_hash, role, provider_id, municipality_id,
    region_id, email_verified_at, token_version, active, created_at, updated_at
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_provider ON users (provider_id);
CREATE INDEX users_region ON users (region_id, role);
CREATE INDEX users_municipality ON users (municipality_id);

CREATE TABLE one_time_tokens_new (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'invitation')),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO one_time_tokens_new (id, user_id, purpose, token_hash, expires_at, used_at, created_at)
SELECT id, user_id, purpose, token_hash, expires_at, used_at, created_at FROM one_time_tokens;
DROP TABLE one_time_tokens;
ALTER TABLE one_time_tokens_new RENAME TO one_time_tokens;
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);
COMMIT;
PRAGMA foreign_keys = ON;
