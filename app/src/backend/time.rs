//! Store-local time: every store has an IANA time zone; appointments are
//! stored in UTC and shown in the store's zone.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

/// The instant of `minutes` after local midnight on `day`, resolving DST
/// gaps forward and overlaps to the earlier instant.
pub fn local_instant(tz: Tz, day: NaiveDate, minutes: i64) -> i64 {
    let naive = day.and_time(NaiveTime::MIN) + chrono::Duration::minutes(minutes);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.timestamp(),
        chrono::LocalResult::Ambiguous(a, _) => a.timestamp(),
        chrono::LocalResult::None => tz.from_utc_datetime(&naive).timestamp(),
    }
}

/// Monday = 0 .. Sunday = 6, as in `store_hours.weekday`.
pub fn weekday(day: NaiveDate) -> i64 {
    day.weekday().num_days_from_monday() as i64
}

pub fn local_date(tz: Tz, ts: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive()
}

/// "Tue 24 Nov 2026, 10:30"
pub fn human(tz: Tz, ts: i64) -> String {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format("%a %-d %b %Y, %H:%M")
        .to_string()
}

/// "10:30"
pub fn clock_time(tz: Tz, ts: i64) -> String {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format("%H:%M")
        .to_string()
}
