-- Municipalities merge (Langedijk and Heerhugowaard became Dijk en Waard on 2022-01-01): a
-- merged municipality points to the one it became, from that date. Hulpvragen and
-- trajectories keep the municipality they had; filters and old addresses lead to the new one.
ALTER TABLE municipalities ADD COLUMN merged_into_id INTEGER REFERENCES municipalities (id);
ALTER TABLE municipalities ADD COLUMN merged_on DATE;
