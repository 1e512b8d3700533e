-- Accounts for the whole portal. A user has one role; the link that role needs (the provider,
-- the municipality or the region it works for) is a column, checked here.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('aanbieder', 'toegangsmedewerker', 'contractmanager', 'beheerder')),
    provider_id INTEGER REFERENCES providers (id) ON DELETE CASCADE,
    municipality_id INTEGER REFERENCES municipalities (id),
    region_id INTEGER REFERENCES regions (id),
    email_verified_at TIMESTAMP,
    -- Raised by a password change or "log out everywhere": older sessions stop working.
    token_version INTEGER NOT NULL DEFAULT 1,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((role = 'aanbieder') = (provider_id IS NOT NULL)),
    CHECK ((role = 'toegangsmedewerker') = (municipality_id IS NOT NULL)),
    CHECK ((role = 'contractmanager') = (region_id IS NOT NULL))
);
CREATE INDEX users_provider ON users (provider_id);
CREATE INDEX users_region ON users (region_id, role);

-- Failed and successful logins, for rate limiting per account and per address.
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

-- Single-use links (address verification, password reset); only a hash of the token is kept.
CREATE TABLE one_time_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

-- Mail is written here in the same transaction as the change that causes it, and sent by a
-- background worker with retries: nothing is lost when the mail server is down.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A worker claims a message until this time, so two nodes never send it twice at once.
    locked_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);

-- Who signed which version of a region's procesovereenkomst, and what they declared.
CREATE TABLE agreement_signatures (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    agreement_id INTEGER NOT NULL REFERENCES process_agreements (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    signer_name TEXT NOT NULL,
    -- The requirements declared, one per line, as worded in that version.
    declarations TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL
);
CREATE INDEX agreement_signatures_provider ON agreement_signatures (provider_id);

-- Every change of an admission, never overwritten; `admissions` holds the current state.
CREATE TABLE admission_events (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    status TEXT NOT NULL CHECK (status IN
        ('aangemeld', 'in_behandeling', 'toegelaten', 'afgewezen', 'opgeschort', 'beeindigd')),
    reason TEXT NOT NULL DEFAULT '',
    effective_on DATE NOT NULL,
    user_id INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX admission_events_provider ON admission_events (provider_id, region_id, created_at);

-- Who changed what, when, with the old and new value.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    field TEXT NOT NULL DEFAULT '',
    old_value TEXT,
    new_value TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);

-- API tokens of provider users: shown once, stored as a hash, revocable, expiring.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_provider ON api_tokens (provider_id);

ALTER TABLE admissions ADD COLUMN reminder_sent_on DATE;
ALTER TABLE process_agreements ADD COLUMN requirements TEXT NOT NULL DEFAULT '';
