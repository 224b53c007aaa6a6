-- The contact a client typed with an online booking, as typed. A public form
-- never changes an existing client's record (anyone can type anyone's email);
-- staff see what was given here and update the client themselves.
CREATE TABLE booking_contacts (
    appointment_id  INTEGER PRIMARY KEY REFERENCES appointments(id),
    name            TEXT NOT NULL,
    email           TEXT,
    mobile          TEXT,
    language        TEXT NOT NULL
);
