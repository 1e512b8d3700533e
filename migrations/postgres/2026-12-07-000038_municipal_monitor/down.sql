DROP TABLE monitor_stale;
DROP TABLE monitor_figures;
DELETE FROM users WHERE role = 'beleidsmedewerker';
ALTER TABLE users DROP CONSTRAINT users_municipality_by_role;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('aanbieder', 'toegangsmedewerker', 'contractmanager', 'beheerder'));
ALTER TABLE users ADD CONSTRAINT users_check1
    CHECK ((role = 'toegangsmedewerker') = (municipality_id IS NOT NULL));
