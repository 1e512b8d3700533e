DROP TABLE catalogue_entries;
DROP TABLE offer_municipalities;
DROP TABLE offers;
DROP TABLE admissions;
DROP TABLE providers;
