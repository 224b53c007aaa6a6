//! Store-local time: every store has an IANA time zone; appointments are
//! stored as UTC instants and shown in the store's zone.

use crate::domain::time::UnixTime;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The store's zone. A zone name is checked when a store is saved; one that
/// no longer parses (a zone removed from the database) reads as UTC, logged.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or_else(|_| {
        tracing::error!("unknown time zone {name:?}; using UTC");
        chrono_tz::UTC
    })
}

fn local(tz: Tz, t: UnixTime) -> DateTime<Tz> {
    DateTime::<Utc>::from_timestamp(t.secs(), 0).unwrap_or_default().with_timezone(&tz)
}

/// The instant `minutes` after local midnight on `day`, resolving DST gaps
/// forward and overlaps to the earlier instant.
pub fn local_instant(tz: Tz, day: NaiveDate, minutes: i64) -> UnixTime {
    let naive = day.and_time(NaiveTime::MIN) + chrono::Duration::minutes(minutes);
    UnixTime(match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.timestamp(),
        chrono::LocalResult::Ambiguous(a, _) => a.timestamp(),
        chrono::LocalResult::None => tz.from_utc_datetime(&naive).timestamp(),
    })
}

/// Local midnight to the next local midnight.
pub fn day_bounds(tz: Tz, day: NaiveDate) -> (UnixTime, UnixTime) {
    (local_instant(tz, day, 0), local_instant(tz, day, 24 * 60))
}

/// Monday = 0 .. Sunday = 6, as in `store_hours.weekday`.
pub fn weekday(day: NaiveDate) -> usize {
    day.weekday().num_days_from_monday() as usize
}

pub fn local_date(tz: Tz, t: UnixTime) -> NaiveDate {
    local(tz, t).date_naive()
}

/// "Tue 24 Nov 2026, 10:30"
pub fn human(tz: Tz, t: UnixTime) -> String {
    local(tz, t).format("%a %-d %b %Y, %H:%M").to_string()
}

/// "10:30"
pub fn clock_time(tz: Tz, t: UnixTime) -> String {
    local(tz, t).format("%H:%M").to_string()
}

/// `YYYY-MM-DD`, store-local.
pub fn iso_date(tz: Tz, t: UnixTime) -> String {
    local_date(tz, t).format("%Y-%m-%d").to_string()
}
