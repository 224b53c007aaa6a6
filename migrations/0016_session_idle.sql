-- When a session was last used (to the nearest few minutes): a session left
-- unused for days ends, as well as any session after its absolute lifetime.
ALTER TABLE sessions ADD COLUMN seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET seen_at = created_at;
