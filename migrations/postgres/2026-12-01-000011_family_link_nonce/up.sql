-- The family link can be shown again to the worker: the code is derived from the portal's
-- secret key and this nonce (HMAC), so the database alone still gives no usable link.
ALTER TABLE hulpvragen ADD COLUMN family_code_nonce TEXT;
