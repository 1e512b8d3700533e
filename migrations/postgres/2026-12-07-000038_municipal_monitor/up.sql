-- Issue 38: the municipal monitor. A municipality's beleidsmedewerker reads its monitor:
-- a fifth role, linked to a municipality like the toegangsmedewerker.
DO $$
DECLARE c text;
BEGIN
    SELECT conname INTO c FROM pg_constraint
    WHERE conrelid = 'users'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%toegangsmedewerker%municipality_id%';
    EXECUTE format('ALTER TABLE users DROP CONSTRAINT %I', c);
    SELECT conname INTO c FROM pg_constraint
    WHERE conrelid = 'users'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%ANY%aanbieder%toegangsmedewerker%contractmanager%beheerder%';
    EXECUTE format('ALTER TABLE users DROP CONSTRAINT %I', c);
END $$;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('aanbieder', 'toegangsmedewerker', 'beleidsmedewerker', 'contractmanager', 'beheerder'));
ALTER TABLE users ADD CONSTRAINT users_municipality_by_role
    CHECK ((role IN ('toegangsmedewerker', 'beleidsmedewerker')) = (municipality_id IS NOT NULL));

-- The monitor's figures, computed per region by the job runner (monitor::store): one row
-- per scope (a municipality, or the whole region as municipality_id 0), quarter ("2026-K3"),
-- figure, breakdown and item of that breakdown (a profile number, an intensity code, ...).
-- count: the number (or the cases behind a share or median); part: the share's numerator;
-- value: a median in days, or an amount in euros.
CREATE TABLE monitor_figures (
    region_id BIGINT NOT NULL,
    municipality_id BIGINT NOT NULL,
    quarter TEXT NOT NULL,
    figure TEXT NOT NULL,
    breakdown TEXT NOT NULL,
    item TEXT NOT NULL,
    count BIGINT NOT NULL,
    part BIGINT,
    value DOUBLE PRECISION,
    PRIMARY KEY (municipality_id, region_id, quarter, figure, breakdown, item)
);
CREATE INDEX monitor_figures_region ON monitor_figures (region_id, municipality_id, quarter);
-- A page reads its scope's figures of eight quarters without the thousands of cost lines
-- per provider, which it reads for its own quarter only: the breakdown before the quarter.
CREATE INDEX monitor_figures_breakdown ON monitor_figures (municipality_id, region_id, breakdown, quarter);

-- Which regions' monitors are to be computed again: a change raises the generation; the
-- job runner computes the region and records the generation it saw as done, and the day
-- it computed for (the running quarter moves with the day).
CREATE TABLE monitor_stale (
    region_id BIGINT PRIMARY KEY,
    generation BIGINT NOT NULL DEFAULT 1,
    done_generation BIGINT NOT NULL DEFAULT 0,
    computed_on DATE,
    computed_at TIMESTAMP
);
