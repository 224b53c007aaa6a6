//! Property tests of the parsers that face the public: whatever a client or
//! a script sends to the booking form, the tracking page or the setup forms,
//! parsing answers (never panics), and what it accepts is what the rest of
//! the code assumes. A bounded number of cases per property, so the run takes
//! seconds; a failure prints the smallest input that breaks it.

#![cfg(feature = "ssr")]

use app::backend::time::{day_bounds, local_instant, zone};
use app::backend::views::booking::parse_date;
use app::domain::hours::{clock_minutes, parse_week, Interval, WeekForm};
use app::domain::parse::{EmailAddress, MobileNumber, Notes, PersonName, StoreSlug, TimeZoneName, MAX_NAME, MAX_NOTES};
use chrono::Datelike;
use proptest::prelude::*;

/// Characters that break a line or reorder the text around them when a name
/// is shown in a message, a subject line or a staff page.
fn breaks_text(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Arbitrary text with a good share of the characters parsers trip on.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                Just('@'),
                Just('.'),
                Just('+'),
                Just('-'),
                Just(' '),
                Just(':'),
                Just('\n'),
                Just('\u{0}'),
                Just('\u{202e}'),
                Just('\u{2028}'),
                Just('é'),
                proptest::char::range('0', '9'),
                proptest::char::range('a', 'z'),
            ],
            0..80
        )
        .prop_map(|cs| cs.into_iter().collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn a_name_is_trimmed_bounded_and_shows_as_one_line_in_order(raw in nasty_text()) {
        if let Ok(name) = PersonName::parse(&raw) {
            let s = name.as_str();
            prop_assert!(!s.is_empty() && s.chars().count() <= MAX_NAME);
            prop_assert_eq!(s, s.trim());
            prop_assert!(!s.chars().any(breaks_text), "{:?}", s);
            prop_assert_eq!(PersonName::parse(s).unwrap(), name.clone(), "parsing again changes nothing");
        }
    }

    #[test]
    fn an_email_address_has_one_at_a_dotted_domain_and_nothing_that_breaks_a_header(raw in nasty_text()) {
        if let Ok(email) = EmailAddress::parse(&raw) {
            let s = email.as_str();
            let (local, domain) = s.rsplit_once('@').unwrap();
            prop_assert!(!local.is_empty() && !local.contains('@'));
            prop_assert!(domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'));
            prop_assert!(!s.chars().any(|c| c.is_whitespace() || breaks_text(c) || matches!(c, '<' | '>' | ',')), "{:?}", s);
            prop_assert_eq!(EmailAddress::parse(s).unwrap(), email.clone());
        }
    }

    #[test]
    fn a_mobile_number_is_e164_whatever_the_spacing(raw in nasty_text()) {
        if let Ok(m) = MobileNumber::parse(&raw) {
            let digits = m.as_str().strip_prefix('+').unwrap();
            prop_assert!((8..=15).contains(&digits.len()));
            prop_assert!(digits.chars().all(|c| c.is_ascii_digit()) && !digits.starts_with('0'));
            prop_assert_eq!(MobileNumber::parse(m.as_str()).unwrap(), m.clone());
        }
    }

    #[test]
    fn the_same_number_spelled_with_spaces_dashes_dots_or_brackets_is_one_number(
        digits in "[1-9][0-9]{7,14}",
        seps in proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("-"), Just("."), Just("("), Just(")")], 16),
    ) {
        let spelled: String = std::iter::once("+".to_string())
            .chain(digits.chars().zip(seps.iter().cycle()).map(|(d, s)| format!("{d}{s}")))
            .collect();
        let parsed = MobileNumber::parse(&spelled).unwrap();
        prop_assert_eq!(parsed.as_str(), format!("+{digits}"));
    }

    #[test]
    fn notes_are_bounded_and_carry_no_control_characters_but_line_breaks_and_tabs(raw in nasty_text()) {
        if let Ok(notes) = Notes::parse(&raw) {
            let s = notes.as_str();
            prop_assert!(s.chars().count() <= MAX_NOTES);
            prop_assert!(!s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')), "{:?}", s);
        }
    }

    #[test]
    fn a_store_slug_is_a_safe_path_segment(raw in nasty_text()) {
        if let Ok(slug) = StoreSlug::parse(&raw) {
            let s = slug.as_str();
            prop_assert!((2..=40).contains(&s.len()));
            prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"));
        }
    }

    #[test]
    fn a_time_zone_name_is_one_the_server_knows(
        raw in prop_oneof![nasty_text(), Just("Europe/London".to_string()), Just(" America/New_York ".to_string())],
    ) {
        if let Ok(tz) = TimeZoneName::parse(&raw) {
            prop_assert!(tz.as_str().parse::<chrono_tz::Tz>().is_ok());
        }
    }

    #[test]
    fn a_date_from_a_page_is_a_real_day_within_the_bounds_and_reads_back_the_same(
        raw in prop_oneof![
            nasty_text(),
            (-300_000i32..300_000, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
            (1990i32..3010, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        ],
    ) {
        if let Ok(day) = parse_date(&raw) {
            prop_assert!((2000..=2999).contains(&day.year()));
            prop_assert_eq!(day.format("%Y-%m-%d").to_string(), raw.trim());
        }
    }

    #[test]
    fn every_local_time_on_every_accepted_day_in_every_zone_is_an_instant_in_order(
        zone_name in prop::sample::select(vec![
            "Europe/London", "America/New_York", "Australia/Sydney", "America/Santiago", "Pacific/Apia",
            "Asia/Kathmandu", "America/Havana", "Antarctica/Troll", "Pacific/Chatham", "UTC",
        ]),
        days in 0i64..365_000,
        a in -2000i64..4000,
        b in -2000i64..4000,
    ) {
        let tz = zone(zone_name);
        let day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days);
        let (from, to) = day_bounds(tz, day);
        prop_assert!(from < to, "a day has a length");
        let (a, b) = (a.min(b), a.max(b));
        // Later on the wall clock is never earlier in time.
        prop_assert!(local_instant(tz, day, a) <= local_instant(tz, day, b));
    }

    #[test]
    fn a_time_of_day_is_from_midnight_to_midnight(raw in prop_oneof![nasty_text(), "[0-9]{0,3}:[0-9]{0,3}"]) {
        if let Ok(m) = clock_minutes(&raw) {
            prop_assert!((0..=24 * 60).contains(&m));
        }
    }

    #[test]
    fn an_accepted_week_of_hours_is_in_order_and_never_overlaps(
        days in proptest::collection::vec(
            proptest::collection::vec(("[0-2]?[0-9]:[0-5][0-9]", "[0-2]?[0-9]:[0-5][0-9]"), 0..4),
            6..9,
        ),
    ) {
        let form = WeekForm {
            days: days
                .into_iter()
                .map(|d| d.into_iter().map(|(from, to)| Interval { from, to }).collect())
                .collect(),
        };
        if let Ok(week) = parse_week(&form) {
            prop_assert_eq!(form.days.len(), 7);
            for day in week.iter() {
                for w in day.windows(2) {
                    prop_assert!(w[0].1 <= w[1].0, "{:?}", day);
                }
                for (from, to) in day {
                    prop_assert!(0 <= *from && from < to && *to <= 24 * 60);
                }
            }
        }
    }
}
