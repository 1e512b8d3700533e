-- The published scores of given providers (a catalogue page's cards, the open data, a
-- provider's publication) were found by scanning a whole profile's rows, or the whole table:
-- the primary key and the sort index both begin with the profile.
CREATE INDEX published_scores_provider ON published_scores (provider_id, profile_id);
