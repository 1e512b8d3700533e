-- Checked listings (issue 39): when a provider last confirmed its listing (every 6 months)
-- and each offer's waiting time (every month), and when it was last reminded of either.
-- Every listing counts as checked on the day of this migration: a listing unchanged for
-- months is not called "lang niet gecontroleerd" before its provider was ever asked.
ALTER TABLE providers ADD COLUMN listing_checked_at TIMESTAMP;
UPDATE providers SET listing_checked_at = now() AT TIME ZONE 'UTC';
ALTER TABLE providers ALTER COLUMN listing_checked_at SET NOT NULL;
ALTER TABLE providers ADD COLUMN listing_reminded_at TIMESTAMP;
ALTER TABLE providers ADD COLUMN waiting_reminded_at TIMESTAMP;
ALTER TABLE offers ADD COLUMN waiting_checked_at TIMESTAMP;
UPDATE offers SET waiting_checked_at = updated_at;
ALTER TABLE offers ALTER COLUMN waiting_checked_at SET NOT NULL;
