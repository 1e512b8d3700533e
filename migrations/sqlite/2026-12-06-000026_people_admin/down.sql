PRAGMA foreign_keys = OFF;
BEGIN;
DELETE FROM one_time_tokens WHERE purpose = 'invitation';
CREATE TABLE one_time_tokens_old (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO one_time_tokens_old SELECT id, user_id, purpose, token_hash, expires_at, used_at, created_at FROM one_time_tokens;
DROP TABLE one_time_tokens;
ALTER TABLE one_time_tokens_old RENAME TO one_time_tokens;
UPDATE users SET region_id = NULL WHERE role = 'beheerder';
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
    CHECK ((role = 'aanbieder') = (provider_id IS NOT NULL)),
    CHECK ((role = 'toegangsmedewerker') = (municipality_id IS NOT NULL)),
    CHECK ((role = 'contractmanager') = (region_id IS NOT NULL))
);
INSERT INTO users_old SELECT id, email, name, password_hash, role, provider_id, municipality_id,
    region_id, email_verified_at, token_version, active, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
CREATE INDEX users_provider ON users (provider_id);
CREATE INDEX users_region ON users (region_id, role);
COMMIT;
PRAGMA foreign_keys = ON;
