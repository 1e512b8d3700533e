-- Signing in with the organisation's account (OpenID Connect) and with eHerkenning.
--
-- One row per sign-in that was started and has not come back yet: the hash of its `state`
-- (the nonce and the PKCE verifier are derived from the state with the site's key, so no
-- secret is stored). The row is deleted when the browser comes back, so a `state` or a
-- `code` works once.
CREATE TABLE sign_in_attempts (
    state_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('organisatie', 'eherkenning')),
    return_to TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
-- Who the provider says a user is: issuer and subject (for eHerkenning: the KVK number and
-- the employee's pseudonym). The account is found by these, never by what else a token says.
CREATE TABLE user_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);
-- A person the organisation's provider knows but the portal does not: the beheerders
-- approve (with a role and a municipality or region) or deny.
CREATE TABLE access_requests (
    id INTEGER PRIMARY KEY,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    email_verified BOOLEAN NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    requested_at TIMESTAMP NOT NULL,
    UNIQUE (issuer, subject)
);
