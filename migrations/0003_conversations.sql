-- One conversation per client and store; the associate is whoever has the
-- client's appointment when the conversation starts (managers can change it).
CREATE TABLE conversations (
    id                INTEGER PRIMARY KEY,
    store_id          INTEGER NOT NULL REFERENCES stores(id),
    client_id         INTEGER NOT NULL REFERENCES clients(id),
    associate_id      INTEGER REFERENCES staff(id),
    -- Client messages no staff member has read yet: drives "overdue".
    unread_by_staff   INTEGER NOT NULL DEFAULT 0,
    last_message_at   INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    UNIQUE (store_id, client_id)
);
CREATE INDEX conversations_associate ON conversations(associate_id, last_message_at);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id),
    sender_kind      TEXT NOT NULL CHECK (sender_kind IN ('client', 'staff')),
    sender_staff_id  INTEGER REFERENCES staff(id),
    body             TEXT NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);

ALTER TABLE events ADD COLUMN conversation_id INTEGER REFERENCES conversations(id);
ALTER TABLE notifications ADD COLUMN conversation_id INTEGER;

-- The appointment whose tracking page the client last wrote from: gives the
-- bell texts a service and date to mention.
ALTER TABLE conversations ADD COLUMN appointment_id INTEGER REFERENCES appointments(id);

ALTER TABLE jobs ADD COLUMN conversation_id INTEGER REFERENCES conversations(id);
CREATE UNIQUE INDEX jobs_one_pending_per_conversation ON jobs(kind, conversation_id) WHERE done_at IS NULL AND conversation_id IS NOT NULL;
