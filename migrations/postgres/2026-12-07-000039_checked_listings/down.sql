ALTER TABLE offers DROP COLUMN waiting_checked_at;
ALTER TABLE providers DROP COLUMN waiting_reminded_at;
ALTER TABLE providers DROP COLUMN listing_reminded_at;
ALTER TABLE providers DROP COLUMN listing_checked_at;
