DROP INDEX one_time_tokens_user;
DELETE FROM one_time_tokens WHERE purpose = 'invitation';
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password'));
DROP INDEX users_municipality;
ALTER TABLE users DROP COLUMN last_sign_in_at;
UPDATE users SET region_id = NULL WHERE role = 'beheerder';
ALTER TABLE users DROP CONSTRAINT users_region_by_role;
ALTER TABLE users ADD CONSTRAINT users_check2
    CHECK ((role = 'contractmanager') = (region_id IS NOT NULL));
