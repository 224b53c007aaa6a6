-- When a sender claimed a row (NULL: not claimed). Only one process runs on
-- a database, so at start every claim left over is its predecessor's, cut
-- off mid-send: the new process releases them at once instead of waiting
-- out the claim window.
ALTER TABLE client_messages ADD COLUMN claimed_at INTEGER;
ALTER TABLE account_emails ADD COLUMN claimed_at INTEGER;
ALTER TABLE webhook_deliveries ADD COLUMN claimed_at INTEGER;
