-- A bell item its reader put away: kept (the archive view lists it), out of the
-- panel's list. Archiving also reads it.
ALTER TABLE notifications ADD COLUMN archived_at INTEGER;
