-- A signature made before this database held it (on paper, in another system, the demo's
-- history) names its signer but no account of the portal.
ALTER TABLE agreement_signatures ALTER COLUMN user_id DROP NOT NULL;
