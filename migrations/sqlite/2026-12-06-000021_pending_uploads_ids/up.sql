-- A preview's address names its upload's id. Without AUTOINCREMENT SQLite hands a deleted
-- row's id to the next row, so the address of a replaced or confirmed preview could confirm
-- a newer file. Waiting uploads are short-lived: they are dropped, not copied.
DROP TABLE pending_uploads;
CREATE TABLE pending_uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX pending_uploads_provider ON pending_uploads (provider_id);
