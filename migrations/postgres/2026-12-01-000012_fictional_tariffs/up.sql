-- Tariffs the demo invents for regions whose real table we do not have: shown as fictional.
ALTER TABLE tariffs ADD COLUMN fictional BOOLEAN NOT NULL DEFAULT FALSE;
