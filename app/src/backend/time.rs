//! Store-local time: every store has an IANA time zone; appointments are
//! stored as UTC instants and shown in the store's zone.

use crate::domain::time::UnixTime;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// The store's zone. A zone name is checked when a store is saved; one that
/// no longer parses (a zone removed from the database) reads as UTC, logged.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or_else(|_| {
        tracing::error!("unknown time zone {name:?}; using UTC");
        chrono_tz::UTC
    })
}

/// The city a zone is named after, as people say it: "Europe/London" is
/// London, "America/Argentina/Buenos_Aires" Buenos Aires; "UTC" stays UTC.
pub fn city(zone_name: &str) -> String {
    zone_name.rsplit('/').next().unwrap_or(zone_name).replace('_', " ")
}

fn local(tz: Tz, t: UnixTime) -> DateTime<Tz> {
    DateTime::<Utc>::from_timestamp(t.secs(), 0).unwrap_or_default().with_timezone(&tz)
}

/// The instant `minutes` after local midnight on `day`. A wall-clock time
/// that does not exist (clocks jumped forward over it) is moved later by the
/// length of the jump, as if read with the offset in force just before it:
/// 02:30 on a New York spring-forward day is 03:30. One that happens twice
/// (clocks went back) is its first occurrence. Dates come from parsers that
/// bound them (`views::booking::parse_date`); arithmetic that would leave
/// chrono's range saturates instead of panicking.
pub fn local_instant(tz: Tz, day: NaiveDate, minutes: i64) -> UnixTime {
    let Some(naive) = day.and_time(NaiveTime::MIN).checked_add_signed(chrono::Duration::minutes(minutes)) else {
        return UnixTime(if minutes < 0 { i64::MIN / 2 } else { i64::MAX / 2 });
    };
    UnixTime(match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.timestamp(),
        chrono::LocalResult::Ambiguous(first, _) => first.timestamp(),
        chrono::LocalResult::None => {
            // The last wall-clock hour before the gap that exists gives the
            // offset in force before it (gaps are at most a day: Samoa, 2011).
            let before = (1..=48).find_map(|h| {
                naive
                    .checked_sub_signed(chrono::Duration::hours(h))
                    .and_then(|t| tz.from_local_datetime(&t).earliest())
            });
            let offset = before.map_or(0, |t| i64::from(t.offset().fix().local_minus_utc()));
            naive.and_utc().timestamp() - offset
        }
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_zone_reads_as_its_city() {
        for (zone, city) in [
            ("Europe/London", "London"),
            ("America/Argentina/Buenos_Aires", "Buenos Aires"),
            ("America/New_York", "New York"),
            ("UTC", "UTC"),
        ] {
            assert_eq!(super::city(zone), city, "{zone}");
        }
    }

    use super::*;

    fn utc(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text).unwrap().timestamp()
    }

    #[test]
    fn local_times_in_gaps_move_forward_and_repeated_ones_take_the_first() {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        for (name, day, minutes, expected, why) in [
            (
                "America/New_York",
                "2026-03-08",
                2 * 60,
                "2026-03-08T07:00:00Z",
                "02:00 does not exist: 03:00 EDT",
            ),
            (
                "America/New_York",
                "2026-03-08",
                2 * 60 + 30,
                "2026-03-08T07:30:00Z",
                "02:30 → 03:30 EDT",
            ),
            (
                "America/New_York",
                "2026-03-08",
                60,
                "2026-03-08T06:00:00Z",
                "01:00 EST, before the gap",
            ),
            (
                "America/New_York",
                "2026-03-08",
                3 * 60,
                "2026-03-08T07:00:00Z",
                "03:00 EDT, after it",
            ),
            (
                "America/New_York",
                "2026-11-01",
                90,
                "2026-11-01T05:30:00Z",
                "01:30 twice: the EDT one",
            ),
            ("Europe/London", "2026-03-29", 90, "2026-03-29T01:30:00Z", "01:30 → 02:30 BST"),
            (
                "Europe/London",
                "2026-10-25",
                90,
                "2026-10-25T00:30:00Z",
                "01:30 twice: the BST one",
            ),
            (
                "Europe/London",
                "2026-07-01",
                9 * 60,
                "2026-07-01T08:00:00Z",
                "an ordinary summer day",
            ),
            ("Australia/Sydney", "2026-10-04", 150, "2026-10-03T16:30:00Z", "02:30 → 03:30 AEDT"),
            (
                "Australia/Sydney",
                "2026-04-05",
                150,
                "2026-04-04T15:30:00Z",
                "02:30 twice: the AEDT one",
            ),
            (
                "America/Santiago",
                "2026-09-06",
                0,
                "2026-09-06T04:00:00Z",
                "midnight does not exist: 01:00 -03",
            ),
            (
                "America/Santiago",
                "2026-09-06",
                9 * 60,
                "2026-09-06T12:00:00Z",
                "09:00 -03 that day",
            ),
        ] {
            let got = local_instant(zone(name), date(day), minutes);
            assert_eq!(got.secs(), utc(expected), "{name} {day} +{minutes} min: {why}");
        }
        // The day of a midnight jump starts at 01:00 and is 23 hours long.
        let (start, end) = day_bounds(zone("America/Santiago"), date("2026-09-06"));
        assert_eq!((end.secs() - start.secs()) / 3600, 23);
        // Far outside any real date, nothing panics.
        let far = NaiveDate::MAX;
        assert!(local_instant(zone("Europe/London"), far, 24 * 60).secs() > 0);
    }
}
