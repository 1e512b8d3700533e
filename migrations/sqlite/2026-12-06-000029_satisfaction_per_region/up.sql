-- Each region asks families its own questions (/beheer/regios/{regio}/vragen): the
-- satisfaction items become the region's, with the question as families read it, and an
-- item no longer asked is closed from a date. A family's answers are one row per item, so
-- a region can add an item without a new column; the six columns go. Every existing region
-- starts with the six items the questionnaire asked until now.
DROP TABLE satisfaction_items;
CREATE TABLE satisfaction_items (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    question TEXT NOT NULL,
    sort_order INTEGER NOT NULL,
    closed_from DATE,
    UNIQUE (region_id, code)
);
CREATE TABLE experience_answers (
    response_id INTEGER NOT NULL REFERENCES experience_responses (id) ON DELETE CASCADE,
    item_code TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    PRIMARY KEY (response_id, item_code)
);
INSERT INTO satisfaction_items (region_id, code, name, question, sort_order)
SELECT r.id, d.code, d.name, d.question, d.sort_order
FROM regions r CROSS JOIN (
    SELECT 'effectiviteit' AS code, 'ervaren effectiviteit' AS name, 'Heeft de hulp geholpen?' AS question, 1 AS sort_order
    UNION ALL SELECT 'inspraak', 'tevredenheid over inspraak', 'Kon u meebeslissen over de hulp?', 2
    UNION ALL SELECT 'toegankelijkheid', 'ervaren toegankelijkheid', 'Was het makkelijk om de hulp te krijgen?', 3
    UNION ALL SELECT 'klantvriendelijkheid', 'ervaren klantvriendelijkheid', 'Was de aanbieder vriendelijk en duidelijk?', 4
    UNION ALL SELECT 'veiligheid', 'cliëntveiligheid', 'Voelden u en uw kind zich veilig?', 5
    UNION ALL SELECT 'bejegening', 'bejegening', 'Hoe gingen de hulpverleners met u om?', 6
) d;
INSERT INTO experience_answers (response_id, item_code, score)
SELECT id, 'effectiviteit', effectiviteit FROM experience_responses
UNION ALL SELECT id, 'inspraak', inspraak FROM experience_responses
UNION ALL SELECT id, 'toegankelijkheid', toegankelijkheid FROM experience_responses
UNION ALL SELECT id, 'klantvriendelijkheid', klantvriendelijkheid FROM experience_responses
UNION ALL SELECT id, 'veiligheid', veiligheid FROM experience_responses
UNION ALL SELECT id, 'bejegening', bejegening FROM experience_responses;
ALTER TABLE experience_responses DROP COLUMN effectiviteit;
ALTER TABLE experience_responses DROP COLUMN inspraak;
ALTER TABLE experience_responses DROP COLUMN toegankelijkheid;
ALTER TABLE experience_responses DROP COLUMN klantvriendelijkheid;
ALTER TABLE experience_responses DROP COLUMN veiligheid;
ALTER TABLE experience_responses DROP COLUMN bejegening;
