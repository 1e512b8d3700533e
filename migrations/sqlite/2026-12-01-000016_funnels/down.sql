DROP TABLE funnels;
