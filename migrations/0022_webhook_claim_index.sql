-- The sender claims each endpoint's oldest due deliveries: one index seek per
-- endpoint instead of ranking every pending delivery on every claim (which
-- grew with the backlog: 31 ms at 20,000 pending, on the single writer).
CREATE INDEX webhook_deliveries_claim ON webhook_deliveries(endpoint_id, next_attempt_at, id) WHERE status = 'pending';
