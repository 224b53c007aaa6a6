-- How each staff member wants to be told, per topic (the bell always fills):
-- a push to their devices, an email too. No row: bell and push, no email.
CREATE TABLE notification_preferences (
    staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    topic    TEXT NOT NULL CHECK (topic IN ('requests', 'assignments', 'changes', 'cancellations', 'messages', 'payments', 'reminders')),
    push     INTEGER NOT NULL CHECK (push IN (0, 1)),
    email    INTEGER NOT NULL CHECK (email IN (0, 1)),
    PRIMARY KEY (staff_id, topic)
);

-- Quiet hours: minutes after midnight in `quiet_time_zone` (both NULL: none).
ALTER TABLE staff ADD COLUMN quiet_from INTEGER CHECK (quiet_from BETWEEN 0 AND 1439);
ALTER TABLE staff ADD COLUMN quiet_until INTEGER CHECK (quiet_until BETWEEN 0 AND 1439);
ALTER TABLE staff ADD COLUMN quiet_time_zone TEXT NOT NULL DEFAULT 'UTC';

-- Pushes held during someone's quiet hours, sent as one summary when they end.
CREATE TABLE held_pushes (
    id              INTEGER PRIMARY KEY,
    staff_id        INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    notification_id INTEGER NOT NULL,
    release_at      INTEGER NOT NULL
);
CREATE INDEX held_pushes_due ON held_pushes(release_at);

-- A bell item by email, for someone who chose email for its topic: the staff
-- outbox takes a third kind (SQLite changes a CHECK by rebuilding the table).
CREATE TABLE account_emails_new (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('invitation', 'password_reset', 'notification')),
    recipient        TEXT NOT NULL,
    language         TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    status_reason    TEXT NOT NULL DEFAULT '',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,
    sent_at          INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    claimed_at       INTEGER
);
INSERT INTO account_emails_new (id, kind, recipient, language, subject, body_text, body_html, status, status_reason,
        attempts, next_attempt_at, sent_at, created_at, updated_at, claimed_at)
    SELECT id, kind, recipient, language, subject, body_text, body_html, status, status_reason,
        attempts, next_attempt_at, sent_at, created_at, updated_at, claimed_at FROM account_emails;
DROP TABLE account_emails;
ALTER TABLE account_emails_new RENAME TO account_emails;
CREATE INDEX account_emails_due ON account_emails(next_attempt_at) WHERE next_attempt_at IS NOT NULL;
