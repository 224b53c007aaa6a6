//! A week of hours as people type it ("09:00"–"12:30", several a day),
//! parsed into minutes after local midnight: in order, each ending after it
//! starts, none overlapping. Store opening hours and associates' working
//! hours both use it.

use serde::{Deserialize, Serialize};

/// One interval as the forms send it: "HH:MM" to "HH:MM" ("24:00" ends a day).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub from: String,
    pub to: String,
}

/// Seven days, Monday first; a day without intervals is closed (or off).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekForm {
    pub days: Vec<Vec<Interval>>,
}

pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Minutes after midnight of "HH:MM", 00:00 to 24:00.
pub fn clock_minutes(raw: &str) -> Result<i64, String> {
    let bad = || format!("\"{}\" is not a time of day; write it like 09:30.", raw.trim());
    let (h, m) = raw.trim().split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..=24).contains(&h) || !(0..60).contains(&m) || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// "HH:MM" of minutes after midnight.
pub fn clock_text(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The parsed week: `(from, to)` minutes per day, in order.
pub type Week = [Vec<(i64, i64)>; 7];

/// Parses a week; the error names the first bad day and why.
pub fn parse_week(form: &WeekForm) -> Result<Week, String> {
    if form.days.len() != 7 {
        return Err("Give the hours of all seven days (an empty day is closed).".into());
    }
    let mut week: Week = Default::default();
    for (i, day) in form.days.iter().enumerate() {
        if day.len() > 6 {
            return Err(format!("{}: at most six intervals a day.", WEEKDAYS[i]));
        }
        let mut parsed = Vec::with_capacity(day.len());
        for iv in day {
            let from = clock_minutes(&iv.from).map_err(|e| format!("{}: {e}", WEEKDAYS[i]))?;
            let to = clock_minutes(&iv.to).map_err(|e| format!("{}: {e}", WEEKDAYS[i]))?;
            if from >= to {
                return Err(format!(
                    "{}: {} to {} ends before it starts.",
                    WEEKDAYS[i],
                    clock_text(from),
                    clock_text(to)
                ));
            }
            parsed.push((from, to));
        }
        parsed.sort();
        if let Some(w) = parsed.windows(2).find(|w| w[1].0 < w[0].1) {
            return Err(format!(
                "{}: {}–{} overlaps {}–{}.",
                WEEKDAYS[i],
                clock_text(w[0].0),
                clock_text(w[0].1),
                clock_text(w[1].0),
                clock_text(w[1].1)
            ));
        }
        week[i] = parsed;
    }
    Ok(week)
}

/// The form of a parsed week (for editing it again).
pub fn week_form(week: &Week) -> WeekForm {
    WeekForm {
        days: week
            .iter()
            .map(|day| {
                day.iter()
                    .map(|(from, to)| Interval {
                        from: clock_text(*from),
                        to: clock_text(*to),
                    })
                    .collect()
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(from: &str, to: &str) -> Interval {
        Interval {
            from: from.into(),
            to: to.into(),
        }
    }

    fn week_with_monday(monday: Vec<Interval>) -> WeekForm {
        let mut days = vec![vec![]; 7];
        days[0] = monday;
        WeekForm { days }
    }

    #[test]
    fn times_of_day_parse_from_midnight_to_midnight() {
        let rows = [
            ("09:30", Ok(570)),
            ("9:05", Ok(545)),
            ("00:00", Ok(0)),
            ("24:00", Ok(1440)),
            ("24:30", Err(())),
            ("12:60", Err(())),
            ("1230", Err(())),
            ("-1:00", Err(())),
            ("12:5", Err(())),
            ("", Err(())),
        ];
        for (raw, want) in rows {
            assert_eq!(clock_minutes(raw).map_err(|_| ()), want, "{raw:?}");
        }
    }

    #[test]
    fn a_week_parses_with_a_lunch_break_and_refuses_overlaps_and_backwards_intervals() {
        let lunch = week_with_monday(vec![iv("13:00", "18:00"), iv("09:00", "12:30")]);
        let week = parse_week(&lunch).unwrap();
        assert_eq!(week[0], vec![(540, 750), (780, 1080)], "sorted");
        assert!(week[1..].iter().all(|d| d.is_empty()));
        assert_eq!(week_form(&week).days[0], vec![iv("09:00", "12:30"), iv("13:00", "18:00")]);

        let overlap = week_with_monday(vec![iv("09:00", "13:00"), iv("12:00", "18:00")]);
        assert_eq!(parse_week(&overlap).unwrap_err(), "Monday: 09:00–13:00 overlaps 12:00–18:00.");
        let backwards = week_with_monday(vec![iv("18:00", "09:00")]);
        assert_eq!(parse_week(&backwards).unwrap_err(), "Monday: 18:00 to 09:00 ends before it starts.");
        let touching = week_with_monday(vec![iv("09:00", "12:00"), iv("12:00", "18:00")]);
        assert!(parse_week(&touching).is_ok(), "back to back is fine");
        assert!(parse_week(&WeekForm { days: vec![] }).is_err(), "all seven days");
        assert!(parse_week(&week_with_monday(vec![iv("nine", "12:00")]))
            .unwrap_err()
            .starts_with("Monday: \"nine\""));
    }
}
