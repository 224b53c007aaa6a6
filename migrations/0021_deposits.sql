-- A deposit at online booking: a store asks for nothing, a fixed amount, or
-- the service's full price before an online booking counts; until then the
-- booking holds its time for `deposit_hold_minutes` and is then released.

ALTER TABLE stores ADD COLUMN deposit_rule TEXT NOT NULL DEFAULT 'none'
    CHECK (deposit_rule IN ('none', 'amount', 'full'));
-- Minor units; used when the rule is 'amount' (capped at the service's price).
ALTER TABLE stores ADD COLUMN deposit_amount INTEGER NOT NULL DEFAULT 0 CHECK (deposit_amount >= 0);
-- Stripe lets a Checkout Session live 30 minutes to 24 hours.
ALTER TABLE stores ADD COLUMN deposit_hold_minutes INTEGER NOT NULL DEFAULT 30
    CHECK (deposit_hold_minutes BETWEEN 30 AND 1440);

-- Set while an online booking waits for its deposit: it takes its time on
-- the calendar but no one has been told of it yet. Cleared when paid; a
-- released hold keeps it (and is cancelled).
ALTER TABLE appointments ADD COLUMN held_until INTEGER;

-- What a payment is for: a link staff sent, or the deposit of an online booking.
ALTER TABLE payments ADD COLUMN purpose TEXT NOT NULL DEFAULT 'link' CHECK (purpose IN ('link', 'deposit'));

-- Ours, sent to the provider with the session; the client comes back from
-- the provider's page to `/pay/<reference>`. Unset on earlier payments.
ALTER TABLE payments ADD COLUMN reference TEXT;
CREATE UNIQUE INDEX payments_by_reference ON payments(reference) WHERE reference IS NOT NULL;
