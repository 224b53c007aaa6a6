//! Which channels a bell item goes out on for one person: a pure function of
//! its kind, their preference for its topic and whether they are in their
//! quiet hours. The bell always fills; a push waits for the end of quiet
//! hours (and then arrives as one summary); an email goes when chosen.

use crate::domain::messages::NotificationKind;
use crate::domain::preferences::{Delivery, Topic};

/// What happens to the push of one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Push {
    Now,
    /// Held for this many minutes (until the quiet hours or a day off end), then summarised.
    Held {
        minutes: u32,
    },
    /// They chose the bell only for this topic.
    No,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Channels {
    pub push: Push,
    pub email: bool,
}

/// `quiet_left`: minutes until their quiet hours (or day off) end, when they are in them.
pub fn channels(kind: NotificationKind, chosen: Option<Delivery>, quiet_left: Option<u32>) -> Channels {
    // An alert nobody may turn down goes as everyone's default does.
    let d = match Topic::of(kind) {
        Some(_) => chosen.unwrap_or_default(),
        None => Delivery::default(),
    };
    let push = match (d.push, quiet_left) {
        (false, _) => Push::No,
        (true, Some(minutes)) => Push::Held { minutes },
        (true, None) => Push::Now,
    };
    Channels { push, email: d.email }
}

/// The end of "Why am I seeing this?": which preference applied.
pub fn why(kind: NotificationKind, chosen: Option<Delivery>) -> Option<String> {
    let topic = Topic::of(kind)?;
    let topic = topic.label().to_lowercase();
    Some(match chosen {
        Some(d) => format!("You chose {} for {topic} (Account → Notifications).", d.words()),
        None => format!(
            "You get {topic} by {}, as everyone does until they choose (Account → Notifications).",
            Delivery::default().words()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use NotificationKind as K;

    #[test]
    #[allow(clippy::type_complexity)] // a table row: one tuple per case
    fn kind_preference_and_quiet_hours_decide_the_channels() {
        let bell_only = Some(Delivery { push: false, email: false });
        let with_email = Some(Delivery { push: true, email: true });
        let email_only = Some(Delivery { push: false, email: true });
        #[rustfmt::skip]
        let table: Vec<(&str, K, Option<Delivery>, Option<u32>, Push, bool)> = vec![
            ("nothing chosen: bell and push", K::NewRequest, None, None, Push::Now, false),
            ("nothing chosen, quiet hours: the push waits", K::NewRequest, None, Some(90), Push::Held { minutes: 90 }, false),
            ("bell only: no push, quiet or not", K::Updated, bell_only, None, Push::No, false),
            ("bell only in quiet hours: nothing to hold", K::Updated, bell_only, Some(30), Push::No, false),
            ("push and email", K::PaymentReceived, with_email, None, Push::Now, true),
            ("email is not held by quiet hours", K::MessageReceived, with_email, Some(600), Push::Held { minutes: 600 }, true),
            ("email without push", K::Cancelled, email_only, None, Push::No, true),
            ("an integration switched off cannot be turned down", K::WebhookDisabled, bell_only, None, Push::Now, false),
            ("…but it waits for quiet hours like the rest", K::WebhookDisabled, bell_only, Some(5), Push::Held { minutes: 5 }, false),
        ];
        for (name, kind, chosen, quiet, push, email) in table {
            assert_eq!(channels(kind, chosen, quiet), Channels { push, email }, "{name}");
        }
    }

    #[test]
    fn why_names_the_preference_that_applied() {
        assert_eq!(
            why(K::NewRequest, Some(Delivery { push: false, email: true })).as_deref(),
            Some("You chose the bell and email for new requests (Account → Notifications).")
        );
        assert_eq!(
            why(K::PaymentReceived, None).as_deref(),
            Some("You get payments by the bell and push, as everyone does until they choose (Account → Notifications).")
        );
        assert_eq!(why(K::WebhookDisabled, None), None, "nobody may turn it down");
    }
}
