-- A business sets itself up: opening hours with breaks, closures, each
-- associate's working hours and time off, what each service needs, and the
-- store's booking window.

-- Several intervals a day (a lunch break is two). A weekday without rows is closed.
CREATE TABLE store_opening_hours (
    store_id    INTEGER NOT NULL REFERENCES stores(id),
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens_min   INTEGER NOT NULL CHECK (opens_min BETWEEN 0 AND 1440),
    closes_min  INTEGER NOT NULL CHECK (closes_min BETWEEN 0 AND 1440),
    CHECK (opens_min < closes_min),
    PRIMARY KEY (store_id, weekday, opens_min)
);
INSERT INTO store_opening_hours (store_id, weekday, opens_min, closes_min)
    SELECT store_id, weekday, opens_min, closes_min FROM store_hours;
DROP TABLE store_hours;

-- Holidays and other closed days, store-local dates (YYYY-MM-DD), both included.
CREATE TABLE store_closures (
    id          INTEGER PRIMARY KEY,
    store_id    INTEGER NOT NULL REFERENCES stores(id),
    first_day   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    CHECK (first_day <= last_day)
);
CREATE INDEX store_closures_store ON store_closures(store_id, last_day);

-- An associate's own hours at a store; with no rows at all for a store they
-- work whenever it is open. Availability is store hours ∩ these.
CREATE TABLE working_hours (
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    store_id    INTEGER NOT NULL REFERENCES stores(id),
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    starts_min  INTEGER NOT NULL CHECK (starts_min BETWEEN 0 AND 1440),
    ends_min    INTEGER NOT NULL CHECK (ends_min BETWEEN 0 AND 1440),
    CHECK (starts_min < ends_min),
    PRIMARY KEY (staff_id, store_id, weekday, starts_min)
);
-- Days off, store-local dates in every store the person works in, both included.
CREATE TABLE time_off (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    first_day   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    CHECK (first_day <= last_day)
);
CREATE INDEX time_off_staff ON time_off(staff_id, last_day);

ALTER TABLE services ADD COLUMN buffer_before_min INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before_min BETWEEN 0 AND 240);
ALTER TABLE services ADD COLUMN buffer_after_min INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_min BETWEEN 0 AND 240);
ALTER TABLE services ADD COLUMN bookable_online INTEGER NOT NULL DEFAULT 1;
ALTER TABLE services ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE services SET position = id;
-- Who performs a service; a service without rows is performed by every associate of its store.
CREATE TABLE service_associates (
    service_id  INTEGER NOT NULL REFERENCES services(id),
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    PRIMARY KEY (service_id, staff_id)
);

ALTER TABLE stores ADD COLUMN phone TEXT NOT NULL DEFAULT '';
-- How far ahead clients may book, and the least notice they must give.
ALTER TABLE stores ADD COLUMN horizon_days INTEGER NOT NULL DEFAULT 90 CHECK (horizon_days BETWEEN 1 AND 730);
ALTER TABLE stores ADD COLUMN min_notice_minutes INTEGER NOT NULL DEFAULT 0 CHECK (min_notice_minutes BETWEEN 0 AND 43200);
