-- The client's side: tracking links that can be revoked, attendees, and every
-- message sent (or deliberately not sent) to a client.

-- Tracking links are HMAC-signed (appointment id + generation) with a server
-- key, so messages sent days later can rebuild the link without storing it.
-- Bumping the generation revokes every earlier link. 0 = a link issued
-- before signed links existed: re-issued at start-up.
ALTER TABLE appointments ADD COLUMN tracking_generation INTEGER NOT NULL DEFAULT 0;

-- Clients may change or cancel online until this many hours before the start.
ALTER TABLE stores ADD COLUMN client_cutoff_hours INTEGER NOT NULL DEFAULT 2;

-- People the client brings along; told of changes when the booking's
-- client_communication is 'ClientAndAttendees'.
CREATE TABLE attendees (
    id              INTEGER PRIMARY KEY,
    appointment_id  INTEGER NOT NULL REFERENCES appointments(id),
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX attendees_appointment ON attendees(appointment_id);

-- One row per message per recipient and channel, rendered when the event is
-- read so staff can see exactly what was (or would have been) sent.
-- status: queued (waiting for its first or next attempt), sent, failed
-- (with the reason; next_attempt_at set while it will be retried), skipped
-- (with why: the booking says not to send, no channel configured, ...).
CREATE TABLE client_messages (
    id               INTEGER PRIMARY KEY,
    store_id         INTEGER NOT NULL REFERENCES stores(id),
    appointment_id   INTEGER REFERENCES appointments(id),
    event_id         INTEGER REFERENCES events(id),
    kind             TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient_name   TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    language         TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
    status_reason    TEXT NOT NULL DEFAULT '',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,
    provider_id      TEXT,
    sent_at          INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX client_messages_due ON client_messages(next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX client_messages_appointment ON client_messages(appointment_id);
CREATE INDEX client_messages_store ON client_messages(store_id, id);
-- An event produces at most one message per recipient and channel, even if the dispatcher re-reads it.
CREATE UNIQUE INDEX client_messages_once ON client_messages(event_id, channel, recipient) WHERE event_id IS NOT NULL;

-- Messages are for what happens from now on: an upgraded database does not
-- message clients about its whole history.
INSERT OR IGNORE INTO dispatch_cursors (name, last_event_id) SELECT 'client_messages', COALESCE(MAX(id), 0) FROM events;
