-- Emails about staff accounts (invitations, password resets) go through the
-- same sender as client messages, queued and retried; they are not client
-- messages (no store, no appointment, never shown on staff pages). Their
-- bodies carry a secret link, so they are blanked once sent or given up.
CREATE TABLE account_emails (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
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
    updated_at       INTEGER NOT NULL
);
CREATE INDEX account_emails_due ON account_emails(next_attempt_at) WHERE next_attempt_at IS NOT NULL;
