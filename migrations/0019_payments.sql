-- Payments through the store's provider (Stripe), and who sends client messages.

-- Frontdesk sends a store's client messages, or the store's own tools do from
-- webhooks ('integration': Frontdesk records each one as skipped, with why).
ALTER TABLE stores ADD COLUMN client_messages_sent_by TEXT NOT NULL DEFAULT 'frontdesk'
    CHECK (client_messages_sent_by IN ('frontdesk', 'integration'));

-- A store's provider account: its secret API key and the signing secret of
-- the webhook endpoint the provider posts events to. Never sent to a browser.
CREATE TABLE payment_accounts (
    store_id       INTEGER PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
    provider       TEXT NOT NULL CHECK (provider IN ('stripe')),
    secret_key     TEXT NOT NULL,
    webhook_secret TEXT NOT NULL,
    connected_at   INTEGER NOT NULL
);

-- One payment asked of a client: one Checkout Session. Amounts are integer
-- minor units of `currency`; `refunded` is what has been given back so far.
CREATE TABLE payments (
    id               INTEGER PRIMARY KEY,
    store_id         INTEGER NOT NULL REFERENCES stores(id),
    appointment_id   INTEGER NOT NULL REFERENCES appointments(id),
    amount           INTEGER NOT NULL CHECK (amount > 0),
    currency         TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('open', 'paid', 'expired')),
    checkout_session TEXT NOT NULL UNIQUE,
    pay_url          TEXT NOT NULL,
    payment_intent   TEXT UNIQUE,
    refunded         INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= amount),
    requested_by     INTEGER REFERENCES staff(id),
    created_at       INTEGER NOT NULL,
    paid_at          INTEGER
);
CREATE INDEX payments_by_appointment ON payments(appointment_id);

CREATE TABLE refunds (
    id              INTEGER PRIMARY KEY,
    payment_id      INTEGER NOT NULL REFERENCES payments(id),
    provider_refund TEXT NOT NULL UNIQUE,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    requested_by    INTEGER REFERENCES staff(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX refunds_by_payment ON refunds(payment_id);

-- The provider's events already acted on: the same event delivered again
-- changes nothing.
CREATE TABLE provider_events (
    store_id    INTEGER NOT NULL REFERENCES stores(id),
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (store_id, event_id)
);

-- Appointments held by video: a service says so, and a store gives its
-- meeting link as a template ({room}: the appointment's room, {role}: host
-- for staff, guest for the client and attendees).
ALTER TABLE services ADD COLUMN video INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN video_url_template TEXT NOT NULL DEFAULT '';
