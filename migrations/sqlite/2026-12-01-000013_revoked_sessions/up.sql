-- Sessions ended by logging out: the signed token stays valid until it expires, so its id is
-- refused here until then (and the row may go after `expires_at`).
CREATE TABLE revoked_sessions (
    sid TEXT PRIMARY KEY NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
