DROP TABLE funnels_changes;
