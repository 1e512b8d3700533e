-- The agreed result: one to five goals in plain words, recorded by the worker once a
-- provider has accepted and before the start, confirmed by that provider, and marked at
-- closing. Doelrealisatie of the trajectory follows from the marks.
CREATE TABLE hulpvraag_goals (
    hulpvraag_id INTEGER NOT NULL REFERENCES hulpvragen (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 5),
    text TEXT NOT NULL,
    result TEXT CHECK (result IN ('behaald', 'deels_behaald', 'niet_behaald')),
    PRIMARY KEY (hulpvraag_id, position)
);
-- When the provider confirmed the goals as they stand; set back to NULL when they change.
ALTER TABLE hulpvragen ADD COLUMN goals_confirmed_at TIMESTAMP;
-- Per trajectory only the counts: goals agreed, reached and partly reached. NULL where no
-- goals were agreed; goal_result then is the yes/no given at closing or in the upload.
ALTER TABLE trajectories ADD COLUMN goals_agreed INTEGER CHECK (goals_agreed BETWEEN 1 AND 5);
ALTER TABLE trajectories ADD COLUMN goals_reached INTEGER CHECK (goals_reached >= 0);
ALTER TABLE trajectories ADD COLUMN goals_partly INTEGER CHECK (goals_partly >= 0);
