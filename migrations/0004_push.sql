-- Server secrets that must survive restarts (the VAPID key: regenerating it
-- would silently break every device's subscription).
CREATE TABLE app_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- One row per device that turned notifications on.
CREATE TABLE push_subscriptions (
    id               INTEGER PRIMARY KEY,
    staff_id         INTEGER NOT NULL REFERENCES staff(id),
    endpoint         TEXT NOT NULL UNIQUE,
    p256dh           TEXT NOT NULL,
    auth             TEXT NOT NULL,
    label            TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    last_used_at     INTEGER NOT NULL,
    last_status      INTEGER,
    last_result      TEXT,
    last_attempt_at  INTEGER
);
CREATE INDEX push_subscriptions_staff ON push_subscriptions(staff_id);

-- Every delivery attempt, kept for the Diagnostics page. No foreign key to the
-- subscription: the record outlives a subscription the push service expired.
CREATE TABLE push_attempts (
    id               INTEGER PRIMARY KEY,
    subscription_id  INTEGER NOT NULL,
    staff_id         INTEGER NOT NULL,
    notification_id  INTEGER,
    status           INTEGER,
    result           TEXT NOT NULL,
    attempted_at     INTEGER NOT NULL
);
CREATE INDEX push_attempts_subscription ON push_attempts(subscription_id, id);
