-- A provider's trajectories and computed scores go with the provider, as before, but by one
-- statement-level trigger instead of a per-row foreign key. PostgreSQL checks a foreign key
-- with a query per inserted row (`SELECT 1 FROM providers … FOR KEY SHARE`): a quarter of
-- the server's time in an upload of 100 trajectories. Every provider id stored here comes
-- from a signed-in provider or token (checked before the upload is read), and providers are
-- never deleted by the portal; should one be deleted by hand, this trigger removes what
-- belonged to it. SQLite keeps its foreign keys (they are cheap there).
-- What the key did and this does not: TRUNCATE providers no longer reaches these tables, a
-- provider deleted by hand while one of its uploads is open is not held back until that
-- upload commits, and nothing stops changing a provider's id. The portal does none of these;
-- whoever does them by hand must delete the provider's trajectories and scores as well.
ALTER TABLE trajectories DROP CONSTRAINT trajectories_provider_id_fkey;
ALTER TABLE computed_scores DROP CONSTRAINT score_sets_provider_id_fkey;
CREATE FUNCTION delete_provider_outcomes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM trajectories WHERE provider_id IN (SELECT id FROM gone);
    DELETE FROM computed_scores WHERE provider_id IN (SELECT id FROM gone);
    RETURN NULL;
END
$$;
CREATE TRIGGER providers_outcomes_go AFTER DELETE ON providers
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION delete_provider_outcomes();
