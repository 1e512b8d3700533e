-- Every municipality carries its CBS gemeentecode (four digits, as the iJw messages name
-- it); the compiled reference data fills it, and so does this for databases seeded before.
ALTER TABLE municipalities ADD COLUMN cbs_code TEXT NOT NULL DEFAULT '';
UPDATE municipalities SET cbs_code = '0503' WHERE name = 'Delft';
UPDATE municipalities SET cbs_code = '0518' WHERE name = 'Den Haag';
UPDATE municipalities SET cbs_code = '1916' WHERE name = 'Leidschendam-Voorburg';
UPDATE municipalities SET cbs_code = '1842' WHERE name = 'Midden-Delfland';
UPDATE municipalities SET cbs_code = '1926' WHERE name = 'Pijnacker-Nootdorp';
UPDATE municipalities SET cbs_code = '0603' WHERE name = 'Rijswijk';
UPDATE municipalities SET cbs_code = '0626' WHERE name = 'Voorschoten';
UPDATE municipalities SET cbs_code = '0629' WHERE name = 'Wassenaar';
UPDATE municipalities SET cbs_code = '1783' WHERE name = 'Westland';
UPDATE municipalities SET cbs_code = '0637' WHERE name = 'Zoetermeer';
UPDATE municipalities SET cbs_code = '0748' WHERE name = 'Bergen op Zoom';
UPDATE municipalities SET cbs_code = '0777' WHERE name = 'Etten-Leur';
UPDATE municipalities SET cbs_code = '1655' WHERE name = 'Halderberge';
UPDATE municipalities SET cbs_code = '1709' WHERE name = 'Moerdijk';
UPDATE municipalities SET cbs_code = '1674' WHERE name = 'Roosendaal';
UPDATE municipalities SET cbs_code = '0840' WHERE name = 'Rucphen';
UPDATE municipalities SET cbs_code = '0851' WHERE name = 'Steenbergen';
UPDATE municipalities SET cbs_code = '0873' WHERE name = 'Woensdrecht';
UPDATE municipalities SET cbs_code = '0879' WHERE name = 'Zundert';
UPDATE municipalities SET cbs_code = '0361' WHERE name = 'Alkmaar';
UPDATE municipalities SET cbs_code = '0373' WHERE name = 'Bergen (NH)';
UPDATE municipalities SET cbs_code = '0383' WHERE name = 'Castricum';
UPDATE municipalities SET cbs_code = '0398' WHERE name = 'Heerhugowaard';
UPDATE municipalities SET cbs_code = '0399' WHERE name = 'Heiloo';
UPDATE municipalities SET cbs_code = '0416' WHERE name = 'Langedijk';
UPDATE municipalities SET cbs_code = '0450' WHERE name = 'Uitgeest';
