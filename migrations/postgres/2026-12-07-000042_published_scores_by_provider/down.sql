DROP INDEX published_scores_provider;
