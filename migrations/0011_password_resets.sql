-- "Forgot password": a single-use link by email that expires within the hour
-- (only the token's hash is stored).
CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX password_resets_staff ON password_resets(staff_id);
