-- Frontdesk foundation schema. Times are INTEGER unix seconds (UTC): they
-- compare and index cheaply and never depend on a text format.

CREATE TABLE stores (
    id                   INTEGER PRIMARY KEY,
    slug                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    time_zone            TEXT NOT NULL,
    address              TEXT NOT NULL DEFAULT '',
    default_language     TEXT NOT NULL DEFAULT 'en',
    slot_minutes         INTEGER NOT NULL DEFAULT 15,
    -- notification settings (Setup -> Stores -> a store -> Notifications)
    notify_all_managers  INTEGER NOT NULL DEFAULT 1,
    approval_mode        TEXT NOT NULL DEFAULT 'manual' CHECK (approval_mode IN ('manual', 'automatic')),
    created_at           INTEGER NOT NULL
);

-- weekday: 0 = Monday .. 6 = Sunday; minutes after local midnight. A missing row is a closed day.
CREATE TABLE store_hours (
    store_id    INTEGER NOT NULL REFERENCES stores(id),
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens_min   INTEGER NOT NULL,
    closes_min  INTEGER NOT NULL,
    PRIMARY KEY (store_id, weekday),
    CHECK (opens_min < closes_min)
);

CREATE TABLE services (
    id            INTEGER PRIMARY KEY,
    store_id      INTEGER NOT NULL REFERENCES stores(id),
    name          TEXT NOT NULL,
    duration_min  INTEGER NOT NULL CHECK (duration_min > 0),
    price_cents   INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX services_store ON services(store_id);

CREATE TABLE staff (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    is_admin       INTEGER NOT NULL DEFAULT 0,
    -- last notification sequence number handed out to this person, and their
    -- unread count: both move in the same transaction as the notification rows,
    -- so every live message can carry the exact badge number without a COUNT.
    notif_seq      INTEGER NOT NULL DEFAULT 0,
    unread_count   INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);

CREATE TABLE store_members (
    store_id  INTEGER NOT NULL REFERENCES stores(id),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    role      TEXT NOT NULL CHECK (role IN ('manager', 'associate')),
    PRIMARY KEY (store_id, staff_id)
);
CREATE INDEX store_members_staff ON store_members(staff_id);

-- Used only when stores.notify_all_managers = 0.
CREATE TABLE store_notified_managers (
    store_id  INTEGER NOT NULL REFERENCES stores(id),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    PRIMARY KEY (store_id, staff_id)
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_staff ON sessions(staff_id);

CREATE TABLE clients (
    id          INTEGER PRIMARY KEY,
    store_id    INTEGER NOT NULL REFERENCES stores(id),
    name        TEXT NOT NULL,
    email       TEXT,
    mobile      TEXT,
    language    TEXT NOT NULL DEFAULT 'en',
    created_at  INTEGER NOT NULL
);
CREATE INDEX clients_store_email ON clients(store_id, email);
CREATE INDEX clients_store_mobile ON clients(store_id, mobile);

CREATE TABLE appointments (
    id                    INTEGER PRIMARY KEY,
    store_id              INTEGER NOT NULL REFERENCES stores(id),
    client_id             INTEGER NOT NULL REFERENCES clients(id),
    service_id            INTEGER NOT NULL REFERENCES services(id),
    associate_id          INTEGER REFERENCES staff(id),
    starts_at             INTEGER NOT NULL,
    ends_at               INTEGER NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('PendingStaffApproval', 'Approved', 'PendingClientApproval', 'Cancelled')),
    presence              TEXT NOT NULL DEFAULT 'Expecting' CHECK (presence IN ('Expecting', 'NoShow')),
    completed             INTEGER NOT NULL DEFAULT 0,
    client_communication  TEXT NOT NULL DEFAULT 'ClientOnly' CHECK (client_communication IN ('DoNotSend', 'ClientOnly', 'ClientAndAttendees')),
    source                TEXT NOT NULL CHECK (source IN ('online', 'staff')),
    notes                 TEXT NOT NULL DEFAULT '',
    remind_by_email       INTEGER NOT NULL DEFAULT 0,
    remind_by_sms         INTEGER NOT NULL DEFAULT 0,
    -- SHA-256 of the tracking token; the token itself is only ever in the client's link.
    tracking_token_hash   TEXT NOT NULL UNIQUE,
    version               INTEGER NOT NULL DEFAULT 1,
    modified_by_kind      TEXT NOT NULL CHECK (modified_by_kind IN ('staff', 'client', 'system')),
    modified_by_staff_id  INTEGER REFERENCES staff(id),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX appointments_store_start ON appointments(store_id, starts_at);
CREATE INDEX appointments_associate_start ON appointments(associate_id, starts_at);
CREATE INDEX appointments_unassigned ON appointments(store_id, created_at) WHERE associate_id IS NULL AND status <> 'Cancelled';

-- Every version of every appointment, the first included: previousBooking for
-- webhooks and "what changed" for messages come from here.
CREATE TABLE appointment_versions (
    appointment_id        INTEGER NOT NULL REFERENCES appointments(id),
    version               INTEGER NOT NULL,
    snapshot              TEXT NOT NULL,
    modified_by_kind      TEXT NOT NULL,
    modified_by_staff_id  INTEGER,
    recorded_at           INTEGER NOT NULL,
    PRIMARY KEY (appointment_id, version)
);

-- The spine: one append-only row per domain change, written in the same
-- transaction as the change. Every notification, message and webhook is derived from it.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id        INTEGER NOT NULL REFERENCES stores(id),
    kind            TEXT NOT NULL,
    appointment_id  INTEGER REFERENCES appointments(id),
    actor_kind      TEXT NOT NULL CHECK (actor_kind IN ('staff', 'client', 'system')),
    actor_staff_id  INTEGER,
    payload         TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);

-- How far each dispatcher has read the event log; advanced in the same
-- transaction as what the dispatcher wrote, so each event is handled once.
CREATE TABLE dispatch_cursors (
    name           TEXT PRIMARY KEY,
    last_event_id  INTEGER NOT NULL
);

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    seq             INTEGER NOT NULL,
    event_id        INTEGER NOT NULL REFERENCES events(id),
    store_id        INTEGER NOT NULL,
    appointment_id  INTEGER,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    url             TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    read_at         INTEGER,
    UNIQUE (staff_id, seq),
    UNIQUE (staff_id, event_id, kind)
);
CREATE INDEX notifications_unread ON notifications(staff_id) WHERE read_at IS NULL;
