DROP TABLE access_requests;
DROP TABLE user_identities;
DROP TABLE sign_in_attempts;
