ALTER TABLE hulpvragen DROP COLUMN family_code_nonce;
