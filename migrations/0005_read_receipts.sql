-- Written in the same transaction as marking notifications read, so the push
-- dispatcher can tell the person's other devices to close those notifications
-- (a silent push carrying the same tags) and update their app badge.
CREATE TABLE read_receipts (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    -- JSON array of push tags; empty with all_read = 1 means "everything".
    tags        TEXT NOT NULL,
    all_read    INTEGER NOT NULL DEFAULT 0,
    unread      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
