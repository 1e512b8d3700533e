DROP TABLE funnels_stale;
