-- People are managed in the portal (/beheer/gebruikers): a beheerder may have a region (the
-- regional beheerder), an account records its last sign-in, and an invitation is a
-- single-use link of its own.
DO $$
DECLARE c text;
BEGIN
    SELECT conname INTO c FROM pg_constraint
    WHERE conrelid = 'users'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%contractmanager%region_id%';
    EXECUTE format('ALTER TABLE users DROP CONSTRAINT %I', c);
    SELECT conname INTO c FROM pg_constraint
    WHERE conrelid = 'one_time_tokens'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%reset_password%';
    EXECUTE format('ALTER TABLE one_time_tokens DROP CONSTRAINT %I', c);
END $$;
-- A contract manager has a region; a beheerder may have one (then it manages that region).
ALTER TABLE users ADD CONSTRAINT users_region_by_role
    CHECK (role = 'beheerder' OR (role = 'contractmanager') = (region_id IS NOT NULL));
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP;
CREATE INDEX users_municipality ON users (municipality_id);
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'invitation'));
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);
