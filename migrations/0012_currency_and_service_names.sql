-- A store charges in one currency (ISO 4217 code; prices are in its minor
-- unit, cents or pence), and a service has a name in each language the store
-- offers: `services.name` is the store's default language, this table the
-- others (a language without a row reads the default name).
ALTER TABLE stores ADD COLUMN currency TEXT NOT NULL DEFAULT 'GBP';

CREATE TABLE service_names (
    service_id  INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    PRIMARY KEY (service_id, language)
);
