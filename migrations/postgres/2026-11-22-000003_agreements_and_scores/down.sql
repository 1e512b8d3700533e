DROP TABLE scores;
DROP TABLE score_reports;
DROP TABLE process_agreements;
