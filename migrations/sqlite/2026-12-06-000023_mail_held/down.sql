DROP INDEX mail_outbox_held;
ALTER TABLE mail_outbox DROP COLUMN held_for_user;
