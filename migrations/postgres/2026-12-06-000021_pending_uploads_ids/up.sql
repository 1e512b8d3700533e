-- PostgreSQL's identity columns never hand out an id twice: nothing to change (see the
-- SQLite tree).
SELECT 1;
