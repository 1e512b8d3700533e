DELETE FROM agreement_signatures WHERE user_id IS NULL;
ALTER TABLE agreement_signatures ALTER COLUMN user_id SET NOT NULL;
