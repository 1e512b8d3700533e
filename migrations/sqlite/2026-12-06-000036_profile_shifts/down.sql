DROP TABLE hulpvraag_shifts;
