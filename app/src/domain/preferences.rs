//! How a staff member wants to be told: per topic, whether a push goes to
//! their devices and whether an email goes too (the bell always fills), and
//! the quiet hours during which pushes wait and arrive as one summary.

use super::messages::NotificationKind;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

text_enum! {
    /// What a notification is about, as the preferences page groups them.
    pub enum Topic {
        Requests = "requests",
        Assignments = "assignments",
        Changes = "changes",
        Cancellations = "cancellations",
        Messages = "messages",
        Payments = "payments",
        Reminders = "reminders",
    }
}

impl Topic {
    pub fn label(self) -> &'static str {
        match self {
            Topic::Requests => "New requests",
            Topic::Assignments => "Assignments",
            Topic::Changes => "Changes",
            Topic::Cancellations => "Cancellations",
            Topic::Messages => "Client messages",
            Topic::Payments => "Payments",
            Topic::Reminders => "Upcoming visits",
        }
    }

    /// The topic of a kind of bell item; `None` for the ones nobody may turn
    /// down (an integration switched off is the admins' to fix).
    pub fn of(kind: NotificationKind) -> Option<Topic> {
        use NotificationKind as K;
        Some(match kind {
            K::NewRequest | K::NewAppointment | K::AwaitingAssignment => Topic::Requests,
            K::AssignedToYou | K::MovedAway => Topic::Assignments,
            K::Updated | K::Approved | K::DuringTimeOff => Topic::Changes,
            K::Cancelled => Topic::Cancellations,
            K::MessageReceived | K::ConversationOverdue => Topic::Messages,
            K::PaymentReceived => Topic::Payments,
            K::UpcomingVisit => Topic::Reminders,
            K::WebhookDisabled => return None,
        })
    }
}

/// Besides the bell, which is always on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Delivery {
    pub push: bool,
    pub email: bool,
}

impl Default for Delivery {
    /// What everyone has until they choose: bell and push, no email.
    fn default() -> Self {
        Delivery { push: true, email: false }
    }
}

impl Delivery {
    /// For "Why am I seeing this?": the choice in words.
    pub fn words(self) -> &'static str {
        match (self.push, self.email) {
            (false, false) => "the bell only",
            (true, false) => "the bell and push",
            (false, true) => "the bell and email",
            (true, true) => "the bell, push and email",
        }
    }
}

/// Quiet hours: minutes after local midnight, `from` to `until`, crossing
/// midnight when `until` is not after `from` (20:00–08:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub from: u16,
    pub until: u16,
}

const DAY: u16 = 24 * 60;

impl QuietHours {
    pub fn new(from: u16, until: u16) -> Result<Self, String> {
        if from >= DAY || until >= DAY || from == until {
            return Err("Quiet hours need a start and a different end, like 20:00 to 08:00.".into());
        }
        Ok(QuietHours { from, until })
    }

    /// Minutes from `now` (minutes after local midnight) until the quiet
    /// hours end, when `now` is inside them.
    pub fn left_at(self, now: u16) -> Option<u16> {
        let inside = if self.from < self.until {
            (self.from..self.until).contains(&now)
        } else {
            now >= self.from || now < self.until
        };
        inside.then(|| (self.until + DAY - now) % DAY)
    }
}

/// When someone is away: their working weekdays and their dated time off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Away {
    /// The weekdays (0 is Monday) with working hours; `None` when they have
    /// none at all (they work whenever their stores are open).
    pub working_days: Option<[bool; 7]>,
    /// Time off, local dates, both ends included.
    pub time_off: Vec<(NaiveDate, NaiveDate)>,
}

impl Away {
    /// A whole day off: a weekday without working hours (for someone who has
    /// working hours at all), or a date inside their time off.
    fn off(&self, date: NaiveDate) -> bool {
        let weekday = date.weekday().num_days_from_monday() as usize;
        let works_some_day = self.working_days.is_some_and(|w| w.iter().any(|d| *d));
        (works_some_day && self.working_days.is_some_and(|w| !w[weekday]))
            || self.time_off.iter().any(|(first, last)| (*first..=*last).contains(&date))
    }
}

/// How long pushes wait from `minute` of local `date`: through days off
/// (`Away`) and through quiet hours, whichever follow one another.
/// `None`: not quiet now.
pub fn held_for(quiet: Option<QuietHours>, away: &Away, date: NaiveDate, minute: u16) -> Option<u32> {
    let (mut day, mut min, mut waited) = (date, u32::from(minute), 0u32);
    // A few weeks of days off and quiet spans at most; the bound only guards the loop.
    for _ in 0..64 {
        if away.off(day) {
            waited += u32::from(DAY) - min;
            (day, min) = (day.succ_opt().unwrap_or(day), 0);
            continue;
        }
        match quiet.and_then(|q| q.left_at(min as u16)) {
            Some(left) if left > 0 => {
                waited += u32::from(left);
                min += u32::from(left);
                if min >= u32::from(DAY) {
                    (day, min) = (day.succ_opt().unwrap_or(day), min - u32::from(DAY));
                }
            }
            _ => break,
        }
    }
    (waited > 0).then_some(waited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_off_and_quiet_hours_hold_pushes_until_the_person_is_back() {
        let night = Some(QuietHours::new(20 * 60, 8 * 60).unwrap());
        // Works Monday to Friday.
        let weekdays = Away {
            working_days: Some([true, true, true, true, true, false, false]),
            time_off: vec![],
        };
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        // December 2026: the 7th is a Monday.
        let (mon, fri, sat) = (day(7), day(11), day(12));
        assert_eq!(held_for(night, &weekdays, mon, 12 * 60), None, "working hours");
        assert_eq!(held_for(night, &weekdays, mon, 21 * 60), Some(11 * 60), "the night");
        // Friday evening: the night, then the weekend, then Monday's early hours.
        assert_eq!(held_for(night, &weekdays, fri, 21 * 60), Some(3 * 60 + 48 * 60 + 8 * 60));
        assert_eq!(
            held_for(None, &weekdays, sat, 10 * 60),
            Some(14 * 60 + 24 * 60),
            "the weekend, without quiet hours"
        );
        let none = Away::default();
        assert_eq!(held_for(None, &none, sat, 10 * 60), None, "no working hours: no days off");
        let empty = Away {
            working_days: Some([false; 7]),
            time_off: vec![],
        };
        assert_eq!(held_for(None, &empty, sat, 10 * 60), None, "nor with every day empty");
        assert_eq!(held_for(night, &none, sat, 7 * 60), Some(60));
        // A holiday from Monday to Tuesday, after a weekend: back on Wednesday morning.
        let holiday = Away {
            time_off: vec![(day(14), day(15))],
            ..weekdays.clone()
        };
        assert_eq!(
            held_for(night, &holiday, fri, 21 * 60),
            Some(3 * 60 + 4 * 24 * 60 + 8 * 60),
            "the night, the weekend, the time off, then Wednesday's early hours"
        );
        assert_eq!(
            held_for(None, &holiday, day(15), 12 * 60),
            Some(12 * 60),
            "the rest of the last day off"
        );
        let off_without_hours = Away {
            working_days: None,
            time_off: vec![(day(15), day(15))],
        };
        assert_eq!(
            held_for(None, &off_without_hours, day(15), 0),
            Some(24 * 60),
            "time off counts without working hours too"
        );
    }

    #[test]
    fn quiet_hours_may_cross_midnight_and_say_how_long_is_left() {
        let night = QuietHours::new(20 * 60, 8 * 60).unwrap();
        assert_eq!(night.left_at(21 * 60), Some(11 * 60));
        assert_eq!(night.left_at(7 * 60 + 59), Some(1));
        assert_eq!(night.left_at(8 * 60), None);
        assert_eq!(night.left_at(12 * 60), None);
        let lunch = QuietHours::new(12 * 60, 13 * 60).unwrap();
        assert_eq!(lunch.left_at(12 * 60 + 30), Some(30));
        assert_eq!(lunch.left_at(13 * 60), None);
        assert!(QuietHours::new(600, 600).is_err());
        assert!(QuietHours::new(24 * 60, 0).is_err());
        for kind in NotificationKind::ALL {
            // Every kind has its topic but the admins' integration alert.
            assert_eq!(Topic::of(kind).is_none(), kind == NotificationKind::WebhookDisabled, "{kind:?}");
        }
    }
}
