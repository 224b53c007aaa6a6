//! Instants. Every stored or sent point in time is a `UnixTime`: whole
//! seconds since the Unix epoch, UTC (the bare integer in JSON and SQL).
//! Lengths of time are `Seconds`, so an instant and a duration do not mix.

use serde::{Deserialize, Serialize};
use std::ops::{Add, Sub};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type, utoipa::ToSchema), sqlx(transparent))]
pub struct UnixTime(pub i64);

/// A length of time in seconds (may be negative: "an hour before").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seconds(pub i64);

impl Seconds {
    pub const fn minutes(n: i64) -> Self {
        Seconds(n * 60)
    }
    pub const fn hours(n: i64) -> Self {
        Seconds(n * 3600)
    }
    pub const fn days(n: i64) -> Self {
        Seconds(n * 86_400)
    }
    /// Whole minutes, rounded down.
    pub const fn whole_minutes(self) -> i64 {
        self.0 / 60
    }
}

impl UnixTime {
    pub const fn secs(self) -> i64 {
        self.0
    }
}

impl Add<Seconds> for UnixTime {
    type Output = UnixTime;
    fn add(self, d: Seconds) -> UnixTime {
        UnixTime(self.0 + d.0)
    }
}

impl Sub<Seconds> for UnixTime {
    type Output = UnixTime;
    fn sub(self, d: Seconds) -> UnixTime {
        UnixTime(self.0 - d.0)
    }
}

/// How long from `rhs` to `self`.
impl Sub for UnixTime {
    type Output = Seconds;
    fn sub(self, rhs: UnixTime) -> Seconds {
        Seconds(self.0 - rhs.0)
    }
}

impl Add for Seconds {
    type Output = Seconds;
    fn add(self, rhs: Seconds) -> Seconds {
        Seconds(self.0 + rhs.0)
    }
}

impl std::str::FromStr for UnixTime {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(UnixTime)
    }
}

impl std::fmt::Display for UnixTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_lengths_of_time_combine_as_expected() {
        let t = UnixTime(1_000);
        assert_eq!(t + Seconds::minutes(2), UnixTime(1_120));
        assert_eq!(t - Seconds::hours(1), UnixTime(1_000 - 3_600));
        assert_eq!(UnixTime(1_120) - t, Seconds(120));
        assert_eq!(Seconds::days(1) + Seconds::hours(1), Seconds(90_000));
        assert_eq!(Seconds(119).whole_minutes(), 1);
    }
}
