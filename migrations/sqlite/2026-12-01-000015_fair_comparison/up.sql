-- The fair comparison of a published value (outcomes::funnel): the region's pooled target
-- for the profile and indicator, the funnel limits at the provider's n (widened by tau2
-- when the providers vary more than chance allows), the shrunk estimate the catalogue sorts
-- on, and the comparison families read. Computed with the report's snapshot, never per request.
ALTER TABLE scores ADD COLUMN target REAL;
ALTER TABLE scores ADD COLUMN funnel_lower_95 REAL;
ALTER TABLE scores ADD COLUMN funnel_upper_95 REAL;
ALTER TABLE scores ADD COLUMN funnel_lower_998 REAL;
ALTER TABLE scores ADD COLUMN funnel_upper_998 REAL;
ALTER TABLE scores ADD COLUMN tau2 REAL;
ALTER TABLE scores ADD COLUMN phi REAL;
ALTER TABLE scores ADD COLUMN shrunk_value REAL;
ALTER TABLE scores ADD COLUMN comparison TEXT CHECK (comparison IN ('better', 'similar', 'worse'));
ALTER TABLE published_scores ADD COLUMN shrunk_value REAL;
ALTER TABLE published_scores ADD COLUMN comparison TEXT CHECK (comparison IN ('better', 'similar', 'worse'));
