DROP TABLE listing_reports;
