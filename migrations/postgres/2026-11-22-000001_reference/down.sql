DROP TABLE app_settings;
DROP TABLE satisfaction_items;
DROP TABLE end_reasons;
DROP TABLE tariffs;
DROP TABLE intensities;
DROP TABLE profiles;
DROP TABLE municipalities;
DROP TABLE regions;
