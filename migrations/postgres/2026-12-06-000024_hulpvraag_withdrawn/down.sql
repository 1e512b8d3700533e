DELETE FROM care_requests WHERE answer = 'ingetrokken';
DELETE FROM hulpvragen WHERE status = 'ingetrokken';
ALTER TABLE hulpvragen DROP CONSTRAINT hulpvragen_status_check;
ALTER TABLE hulpvragen ADD CONSTRAINT hulpvragen_status_check CHECK (status IN
    ('open', 'gekozen', 'geaccepteerd', 'afgewezen', 'gestart', 'afgesloten'));
ALTER TABLE care_requests DROP CONSTRAINT care_requests_answer_check;
ALTER TABLE care_requests ADD CONSTRAINT care_requests_answer_check CHECK (answer IN
    ('open', 'geaccepteerd', 'afgewezen'));
