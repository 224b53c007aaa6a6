//! How a staff member wants to be told: per topic, whether a push goes to
//! their devices and whether an email goes too (the bell always fills), and
//! the quiet hours during which pushes wait and arrive as one summary.

use super::messages::NotificationKind;
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

/// How long pushes wait from `minute` of `weekday` (0 is Monday): through a
/// day off (a weekday without working hours, when the person has working
/// hours at all) and through quiet hours, whichever follow one another.
/// `None`: not quiet now.
pub fn held_for(quiet: Option<QuietHours>, working_days: Option<[bool; 7]>, weekday: usize, minute: u16) -> Option<u32> {
    let works_some_day = working_days.is_some_and(|w| w.iter().any(|d| *d));
    let (mut day, mut min, mut waited) = (weekday % 7, u32::from(minute), 0u32);
    // A week of days off and quiet spans at most; the bound only guards the loop.
    for _ in 0..16 {
        if works_some_day && working_days.is_some_and(|w| !w[day]) {
            waited += u32::from(DAY) - min;
            (day, min) = ((day + 1) % 7, 0);
            continue;
        }
        match quiet.and_then(|q| q.left_at(min as u16)) {
            Some(left) if left > 0 => {
                waited += u32::from(left);
                min += u32::from(left);
                if min >= u32::from(DAY) {
                    (day, min) = ((day + 1) % 7, min - u32::from(DAY));
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
        let weekdays = Some([true, true, true, true, true, false, false]);
        let (mon, fri, sat) = (0, 4, 5);
        assert_eq!(held_for(night, weekdays, mon, 12 * 60), None, "working hours");
        assert_eq!(held_for(night, weekdays, mon, 21 * 60), Some(11 * 60), "the night");
        // Friday evening: the night, then the weekend, then Monday's early hours.
        assert_eq!(held_for(night, weekdays, fri, 21 * 60), Some(3 * 60 + 48 * 60 + 8 * 60));
        assert_eq!(
            held_for(None, weekdays, sat, 10 * 60),
            Some(14 * 60 + 24 * 60),
            "the weekend, without quiet hours"
        );
        assert_eq!(held_for(None, None, sat, 10 * 60), None, "no working hours: no days off");
        assert_eq!(held_for(None, Some([false; 7]), sat, 10 * 60), None, "nor with every day empty");
        assert_eq!(held_for(night, None, sat, 7 * 60), Some(60));
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
