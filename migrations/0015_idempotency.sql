-- `Idempotency-Key` of requests that create an appointment (the public
-- booking form, the REST API): a retry with the same key and body answers
-- with the appointment the first made, a second booking is never made. Kept
-- a day.
CREATE TABLE idempotency_keys (
    scope           TEXT NOT NULL,
    key             TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    appointment_id  INTEGER NOT NULL REFERENCES appointments(id),
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys(created_at);
