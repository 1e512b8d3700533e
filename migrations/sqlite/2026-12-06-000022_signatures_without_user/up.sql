-- A signature made before this database held it (on paper, in another system, the demo's
-- history) names its signer but no account of the portal.
CREATE TABLE agreement_signatures_new (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    agreement_id INTEGER NOT NULL REFERENCES process_agreements (id),
    user_id INTEGER REFERENCES users (id),
    signer_name TEXT NOT NULL,
    -- The requirements declared, one per line, as worded in that version.
    declarations TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL
);
INSERT INTO agreement_signatures_new
    SELECT id, provider_id, agreement_id, user_id, signer_name, declarations, signed_at
    FROM agreement_signatures;
DROP TABLE agreement_signatures;
ALTER TABLE agreement_signatures_new RENAME TO agreement_signatures;
CREATE INDEX agreement_signatures_provider ON agreement_signatures (provider_id);
