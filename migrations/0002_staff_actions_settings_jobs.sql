-- Store notification settings (Setup -> Stores -> a store -> Notifications).
ALTER TABLE stores ADD COLUMN notify_unassigned_messages INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stores ADD COLUMN notify_overdue_conversations INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stores ADD COLUMN overdue_conversation_minutes INTEGER NOT NULL DEFAULT 60;
ALTER TABLE stores ADD COLUMN escalation_minutes INTEGER NOT NULL DEFAULT 30;
ALTER TABLE stores ADD COLUMN reminder_lead_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE stores ADD COLUMN recall_days INTEGER NOT NULL DEFAULT 60;
ALTER TABLE stores ADD COLUMN thank_you_enabled INTEGER NOT NULL DEFAULT 1;

ALTER TABLE appointments ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';

-- Set when the thing a notification asked for is done (an awaiting-assignment
-- alert once someone assigns): shown as resolved, and no longer unread.
ALTER TABLE notifications ADD COLUMN resolved_at INTEGER;
CREATE INDEX notifications_appointment_kind ON notifications(appointment_id, kind);

-- The durable scheduler: one row per future action. A job is claimed and its
-- effect written in one transaction, so it runs once, and a job that fell due
-- while the server was down runs when it comes back.
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    appointment_id  INTEGER REFERENCES appointments(id),
    due_at          INTEGER NOT NULL,
    done_at         INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(due_at) WHERE done_at IS NULL;
CREATE UNIQUE INDEX jobs_one_pending ON jobs(kind, appointment_id) WHERE done_at IS NULL;
