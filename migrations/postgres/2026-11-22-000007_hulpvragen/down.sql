ALTER TABLE mail_outbox DROP COLUMN forget_after_send;
DROP TABLE experience_responses;
DROP TABLE hulpvraag_events;
DROP TABLE care_requests;
DROP TABLE hulpvraag_shortlist;
DROP TABLE hulpvragen;
