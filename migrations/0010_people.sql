-- People join by invitation and leave by deactivation.

-- Set when a person is deactivated: they cannot sign in, their sessions are
-- gone, they belong to no store. Kept so history still names them.
ALTER TABLE staff ADD COLUMN deactivated_at INTEGER;

-- An invitation: a single-use link (only its token's hash is stored) that
-- expires; accepting it creates the account with these roles.
CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    email        TEXT NOT NULL COLLATE NOCASE,
    is_admin     INTEGER NOT NULL DEFAULT 0,
    token_hash   TEXT NOT NULL UNIQUE,
    invited_by   INTEGER NOT NULL REFERENCES staff(id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    accepted_at  INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX invitations_email ON invitations(email);

CREATE TABLE invitation_roles (
    invitation_id  INTEGER NOT NULL REFERENCES invitations(id),
    store_id       INTEGER NOT NULL REFERENCES stores(id),
    role           TEXT NOT NULL CHECK (role IN ('manager', 'associate')),
    PRIMARY KEY (invitation_id, store_id)
);
