-- Webhooks to outside tools and the integration API's keys.

-- An endpoint takes a store's booking events. Secrets (the signing secret,
-- the static header's value, the OAuth2 client secret) are stored as given:
-- the server needs them to sign and authenticate every delivery.
CREATE TABLE webhook_endpoints (
    id                     INTEGER PRIMARY KEY,
    store_id               INTEGER NOT NULL REFERENCES stores(id),
    url                    TEXT NOT NULL,
    method                 TEXT NOT NULL CHECK (method IN ('POST', 'PUT')),
    -- JSON array of event types, e.g. ["appointment.created", "appointment.updated"]
    event_types            TEXT NOT NULL,
    description            TEXT NOT NULL DEFAULT '',
    enabled                INTEGER NOT NULL DEFAULT 1,
    disabled_reason        TEXT NOT NULL DEFAULT '',
    signing_secret         TEXT,
    -- After a rotation the old secret keeps signing alongside the new one until this time.
    previous_secret        TEXT,
    previous_secret_until  INTEGER,
    header_name            TEXT,
    header_value           TEXT,
    oauth_token_url        TEXT,
    oauth_client_id        TEXT,
    oauth_client_secret    TEXT,
    oauth_scope            TEXT,
    -- The first failure of the current run of failures (NULL after any success):
    -- five days of nothing but failures disables the endpoint.
    failing_since          INTEGER,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_store ON webhook_endpoints(store_id);

-- One message per (event, type): the body is rendered once, so every
-- delivery and every retry of it sends the same bytes with the same id.
CREATE TABLE webhook_messages (
    id          INTEGER PRIMARY KEY,
    msg_id      TEXT NOT NULL UNIQUE,
    event_id    INTEGER REFERENCES events(id),
    store_id    INTEGER NOT NULL REFERENCES stores(id),
    event_type  TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX webhook_messages_once ON webhook_messages(event_id, event_type) WHERE event_id IS NOT NULL;

-- One delivery per (message, endpoint). pending: attempts remain (next_attempt_at
-- set); succeeded; failed: given up after the last attempt, or its endpoint was disabled.
CREATE TABLE webhook_deliveries (
    id                INTEGER PRIMARY KEY,
    message_id        INTEGER NOT NULL REFERENCES webhook_messages(id),
    endpoint_id       INTEGER NOT NULL REFERENCES webhook_endpoints(id),
    status            TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   INTEGER,
    last_status_code  INTEGER,
    last_error        TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (message_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);

CREATE TABLE webhook_attempts (
    id             INTEGER PRIMARY KEY,
    delivery_id    INTEGER NOT NULL REFERENCES webhook_deliveries(id),
    attempted_at   INTEGER NOT NULL,
    status_code    INTEGER,
    latency_ms     INTEGER NOT NULL,
    -- The first 2 KB of the answer, or why there was none.
    response       TEXT NOT NULL,
    error          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, id);

-- Integration API keys: shown once, stored as SHA-256. Calls act as the admin who created the key.
CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);

-- Webhooks are for what happens from now on.
INSERT OR IGNORE INTO dispatch_cursors (name, last_event_id) SELECT 'webhooks', COALESCE(MAX(id), 0) FROM events;
