-- Attendees get links of their own. The client's link changes or cancels the
-- booking; an attendee's only shows it and lets them drop out, so copying a
-- message to the people coming along no longer hands them the client's keys.
-- Signed like the client's (HMAC of the attendee id and a random generation);
-- 0 = an attendee added before these links existed, given one at start-up.
ALTER TABLE attendees ADD COLUMN link_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attendees ADD COLUMN link_hash TEXT;
-- When the attendee dropped out through their link: told nothing more, listed no more.
ALTER TABLE attendees ADD COLUMN left_at INTEGER;
CREATE UNIQUE INDEX attendees_link_hash ON attendees(link_hash);
