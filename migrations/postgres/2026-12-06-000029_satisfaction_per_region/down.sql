ALTER TABLE experience_responses ADD COLUMN effectiviteit INTEGER NOT NULL DEFAULT 7;
ALTER TABLE experience_responses ADD COLUMN inspraak INTEGER NOT NULL DEFAULT 7;
ALTER TABLE experience_responses ADD COLUMN toegankelijkheid INTEGER NOT NULL DEFAULT 7;
ALTER TABLE experience_responses ADD COLUMN klantvriendelijkheid INTEGER NOT NULL DEFAULT 7;
ALTER TABLE experience_responses ADD COLUMN veiligheid INTEGER NOT NULL DEFAULT 7;
ALTER TABLE experience_responses ADD COLUMN bejegening INTEGER NOT NULL DEFAULT 7;
UPDATE experience_responses SET
    effectiviteit = COALESCE((SELECT score FROM experience_answers a WHERE a.response_id = experience_responses.id AND a.item_code = 'effectiviteit'), 7),
    inspraak = COALESCE((SELECT score FROM experience_answers a WHERE a.response_id = experience_responses.id AND a.item_code = 'inspraak'), 7),
    toegankelijkheid = COALESCE((SELECT score FROM experience_answers a WHERE a.response_id = experience_responses.id AND a.item_code = 'toegankelijkheid'), 7),
    klantvriendelijkheid = COALESCE((SELECT score FROM experience_answers a WHERE a.response_id = experience_responses.id AND a.item_code = 'klantvriendelijkheid'), 7),
    veiligheid = COALESCE((SELECT score FROM experience_answers a WHERE a.response_id = experience_responses.id AND a.item_code = 'veiligheid'), 7),
    bejegening = COALESCE((SELECT score FROM experience_answers a WHERE a.response_id = experience_responses.id AND a.item_code = 'bejegening'), 7);
DROP TABLE experience_answers;
DROP TABLE satisfaction_items;
CREATE TABLE satisfaction_items (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sort_order INTEGER NOT NULL
);
