//! When to try a webhook delivery again.
//!
//! Attempt 1 goes out at once; a failed attempt `n` is followed by attempt
//! `n + 1` after [`jittered_delay_s`]`(n + 1, ..)`, or after the receiver's
//! `Retry-After` ([`retry_after_s`]) when it sent one (taking the longer of the two
//! is a reasonable choice for the worker). After [`MAX_ATTEMPTS`] the message
//! has failed for good. The nominal schedule (0, 5 s, 5 min, 30 min, 2 h, 5 h,
//! 10 h, then every 10 h) spans about ten days, longer than
//! [`DISABLE_AFTER_S`], so an endpoint that stays down gets disabled before a
//! message runs out of attempts.

/// Attempts per message, the first included.
pub const MAX_ATTEMPTS: u32 = 30;

/// An endpoint whose every attempt has failed for this long is disabled.
pub const DISABLE_AFTER_S: i64 = 5 * 24 * 3600;

/// The longest `Retry-After` honoured.
pub const MAX_RETRY_AFTER_S: i64 = 24 * 3600;

/// Delays before attempts 1 to 7; every later attempt waits as long as the last.
const NOMINAL_S: [i64; 7] = [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600];

/// Jitter: the delay is scaled by a factor in `[1 - JITTER, 1 + JITTER)`.
const JITTER: f64 = 0.2;

/// The nominal delay before attempt `attempt` (1-based; attempt 1 is
/// immediate). `None` for attempt 0 and after [`MAX_ATTEMPTS`].
pub fn nominal_delay_s(attempt: u32) -> Option<i64> {
    if attempt == 0 || attempt > MAX_ATTEMPTS {
        return None;
    }
    let i = (attempt as usize - 1).min(NOMINAL_S.len() - 1);
    Some(NOMINAL_S[i])
}

/// [`nominal_delay_s`] with ±20 % jitter, so retries of many messages after
/// an outage do not arrive together. `unit` is a random number in `[0, 1)`
/// from the caller (values outside are clamped); 0 gives -20 %, near 1 gives
/// almost +20 %. Attempt 1 stays immediate.
pub fn jittered_delay_s(attempt: u32, unit: f64) -> Option<i64> {
    let nominal = nominal_delay_s(attempt)?;
    let unit = if unit.is_finite() { unit.clamp(0.0, 1.0) } else { 0.5 };
    let factor = 1.0 - JITTER + 2.0 * JITTER * unit;
    Some((nominal as f64 * factor).round() as i64)
}

/// Reads a `Retry-After` header value (RFC 9110 §10.2.3): either
/// delta-seconds or an HTTP-date (the IMF-fixdate form, or the obsolete
/// RFC 850 and asctime forms), relative to `now` (Unix seconds). A date in the
/// past gives 0. Capped at 24 h. `None` when empty or unreadable.
pub fn retry_after_s(value: &str, now: i64) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for an i64 is still "a very long time".
        let seconds = value.parse::<i64>().unwrap_or(i64::MAX);
        return Some(seconds.min(MAX_RETRY_AFTER_S));
    }
    let at = http_date(value)?;
    Some(at.saturating_sub(now).clamp(0, MAX_RETRY_AFTER_S))
}

/// Unix seconds of an HTTP-date, any of its three forms (all in GMT).
fn http_date(value: &str) -> Option<i64> {
    use chrono::NaiveDateTime;
    const FORMATS: [&str; 3] = [
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        "%a, %d %b %Y %H:%M:%S GMT",
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        "%A, %d-%b-%y %H:%M:%S GMT",
        // asctime: Sun Nov  6 08:49:37 1994
        "%a %b %e %H:%M:%S %Y",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
        .map(|t| t.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nominal_table() {
        let expected: [(u32, i64); 10] = [
            (1, 0),
            (2, 5),
            (3, 300),
            (4, 1800),
            (5, 7200),
            (6, 18000),
            (7, 36000),
            (8, 36000),
            (20, 36000),
            (30, 36000),
        ];
        for (attempt, delay) in expected {
            assert_eq!(nominal_delay_s(attempt), Some(delay), "attempt {attempt}");
        }
        assert_eq!(nominal_delay_s(0), None);
        assert_eq!(nominal_delay_s(31), None);
        assert_eq!(nominal_delay_s(u32::MAX), None);
        assert_eq!((1..=MAX_ATTEMPTS).filter_map(nominal_delay_s).count(), 30);
    }

    #[test]
    fn jitter_stays_within_twenty_percent() {
        for attempt in 2..=MAX_ATTEMPTS {
            let nominal = nominal_delay_s(attempt).unwrap();
            let low = jittered_delay_s(attempt, 0.0).unwrap();
            let high = jittered_delay_s(attempt, 0.999_999).unwrap();
            let mid = jittered_delay_s(attempt, 0.5).unwrap();
            assert_eq!(low, (nominal as f64 * 0.8).round() as i64, "attempt {attempt}");
            assert!(
                high <= (nominal as f64 * 1.2).round() as i64 && high >= (nominal as f64 * 1.19) as i64,
                "attempt {attempt}: {high}"
            );
            assert_eq!(mid, nominal);
            for i in 0..100 {
                let d = jittered_delay_s(attempt, i as f64 / 100.0).unwrap();
                assert!((low..=high).contains(&d));
            }
        }
        assert_eq!(jittered_delay_s(2, 0.0), Some(4));
        assert_eq!(jittered_delay_s(7, 0.0), Some(28800));
        assert_eq!(jittered_delay_s(7, 0.999_999), Some(43200));
        // Attempt 1 is immediate whatever the jitter; out-of-range input is clamped.
        assert_eq!(jittered_delay_s(1, 0.0), Some(0));
        assert_eq!(jittered_delay_s(1, 0.99), Some(0));
        assert_eq!(jittered_delay_s(3, -5.0), Some(240));
        assert_eq!(jittered_delay_s(3, 7.0), Some(360));
        assert_eq!(jittered_delay_s(3, f64::NAN), Some(300));
        assert_eq!(jittered_delay_s(31, 0.5), None);
    }

    #[test]
    fn schedule_outlasts_the_disable_window() {
        let nominal: i64 = (1..=MAX_ATTEMPTS).filter_map(nominal_delay_s).sum();
        let shortest: i64 = (1..=MAX_ATTEMPTS).filter_map(|a| jittered_delay_s(a, 0.0)).sum();
        assert!(nominal > DISABLE_AFTER_S, "{nominal}");
        assert!(shortest > DISABLE_AFTER_S, "{shortest}");
        assert_eq!(nominal, 5 + 300 + 1800 + 7200 + 18000 + 24 * 36000);
    }

    #[test]
    fn retry_after_seconds() {
        let now = 1_700_000_000;
        assert_eq!(retry_after_s("120", now), Some(120));
        assert_eq!(retry_after_s(" 0 ", now), Some(0));
        assert_eq!(retry_after_s("86400", now), Some(86400));
        assert_eq!(retry_after_s("86401", now), Some(MAX_RETRY_AFTER_S));
        assert_eq!(retry_after_s("99999999999999999999999", now), Some(MAX_RETRY_AFTER_S));
        for garbage in ["", "  ", "-5", "1.5", "soon", "12s", "+3", "Sun, 06 Nov 1994"] {
            assert_eq!(retry_after_s(garbage, now), None, "{garbage:?}");
        }
    }

    #[test]
    fn retry_after_dates() {
        // Sun, 06 Nov 1994 08:49:37 GMT
        let at = 784111777;
        assert_eq!(retry_after_s("Sun, 06 Nov 1994 08:49:37 GMT", at - 90), Some(90));
        assert_eq!(retry_after_s("Sunday, 06-Nov-94 08:49:37 GMT", at - 90), Some(90));
        assert_eq!(retry_after_s("Sun Nov  6 08:49:37 1994", at - 90), Some(90));
        // In the past: retry now. Far ahead: capped.
        assert_eq!(retry_after_s("Sun, 06 Nov 1994 08:49:37 GMT", at + 3600), Some(0));
        assert_eq!(
            retry_after_s("Sun, 06 Nov 1994 08:49:37 GMT", at - 3 * 86400),
            Some(MAX_RETRY_AFTER_S)
        );
        let now = 1_700_000_000; // Tue, 14 Nov 2023 22:13:20 GMT
        assert_eq!(retry_after_s("Tue, 14 Nov 2023 22:15:00 GMT", now), Some(100));
        assert_eq!(retry_after_s("Tue, 14 Nov 2023 22:15:00 +0100", now), None);
        assert_eq!(retry_after_s("Tue, 32 Nov 2023 22:15:00 GMT", now), None);
    }
}
