-- A message held until a user confirms their address (the contract managers' mail about a
-- registration): NULL is due as usual.
ALTER TABLE mail_outbox ADD COLUMN held_for_user BIGINT REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX mail_outbox_held ON mail_outbox (held_for_user) WHERE held_for_user IS NOT NULL;
