-- The 12-month guarantee at intake: a hulpvraag whose client closed a trajectory in the same
-- profile less than 12 months ago is offered that trajectory again, with the same provider
-- and no new tariff. 'aangeboden' until the worker decides: 'heropend' (back to that
-- provider) or 'afgezien' (chose otherwise, with the reason).
ALTER TABLE hulpvragen ADD COLUMN guarantee TEXT CHECK (guarantee IN ('aangeboden', 'heropend', 'afgezien'));
ALTER TABLE hulpvragen ADD COLUMN guarantee_trajectory_id BIGINT REFERENCES trajectories (id) ON DELETE SET NULL;
ALTER TABLE hulpvragen ADD COLUMN guarantee_reason TEXT NOT NULL DEFAULT '';
-- The intake's lookup and terugval's region-wide returns find a client's trajectories here.
CREATE INDEX trajectories_region_client ON trajectories (region_id, client_key);
