-- Checked listings (issue 39): when a provider last confirmed its listing (every 6 months)
-- and each offer's waiting time (every month), and when it was last reminded of either.
-- Every listing counts as checked on the day of this migration: a listing unchanged for
-- months is not called "lang niet gecontroleerd" before its provider was ever asked.
ALTER TABLE providers ADD COLUMN listing_checked_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE providers SET listing_checked_at = CURRENT_TIMESTAMP;
ALTER TABLE providers ADD COLUMN listing_reminded_at TIMESTAMP;
ALTER TABLE providers ADD COLUMN waiting_reminded_at TIMESTAMP;
ALTER TABLE offers ADD COLUMN waiting_checked_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE offers SET waiting_checked_at = updated_at;
