-- A counter that every change to catalogue_entries raises in the same transaction. Each
-- process keeps search results as long as the counter it read them under is current, so a
-- listing change shows at once, on every node, while a repeated search costs one lookup.
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 0);
