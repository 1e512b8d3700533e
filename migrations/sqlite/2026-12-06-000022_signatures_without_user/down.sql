DELETE FROM agreement_signatures WHERE user_id IS NULL;
CREATE TABLE agreement_signatures_old (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    agreement_id INTEGER NOT NULL REFERENCES process_agreements (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    signer_name TEXT NOT NULL,
    declarations TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL
);
INSERT INTO agreement_signatures_old
    SELECT id, provider_id, agreement_id, user_id, signer_name, declarations, signed_at
    FROM agreement_signatures;
DROP TABLE agreement_signatures;
ALTER TABLE agreement_signatures_old RENAME TO agreement_signatures;
CREATE INDEX agreement_signatures_provider ON agreement_signatures (provider_id);
