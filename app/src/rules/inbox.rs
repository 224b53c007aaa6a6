//! The bell as an inbox for a busy day: each kind of item belongs to one
//! category the panel filters by, a filter says which items a view shows
//! (the server's query and the open panel agree through it), and repeats
//! about one appointment fold into one entry showing the latest with a count.

use crate::domain::ids::{AppointmentId, NotificationId};
use crate::domain::messages::NotificationKind;
use crate::model::NotificationView;
use serde::{Deserialize, Serialize};

/// What the bell's kind filter offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BellCategory {
    /// New requests and bookings, and requests left unassigned.
    Requests,
    /// Appointments given to or taken from this person.
    Assignments,
    /// Changes to appointments, and what is coming up.
    Changes,
    /// Clients' messages.
    Messages,
    /// Money from clients.
    Payments,
    /// The store's outside tools (a webhook endpoint switched off).
    Integrations,
}

impl BellCategory {
    pub const ALL: [BellCategory; 6] = [
        Self::Requests,
        Self::Assignments,
        Self::Changes,
        Self::Messages,
        Self::Payments,
        Self::Integrations,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Requests => "Requests",
            Self::Assignments => "Assignments",
            Self::Changes => "Changes",
            Self::Messages => "Messages",
            Self::Payments => "Payments",
            Self::Integrations => "Integrations",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requests => "requests",
            Self::Assignments => "assignments",
            Self::Changes => "changes",
            Self::Messages => "messages",
            Self::Payments => "payments",
            Self::Integrations => "integrations",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The kinds in this category (what the server's query asks for).
    pub fn kinds(self) -> Vec<NotificationKind> {
        NotificationKind::ALL.into_iter().filter(|k| category(*k) == self).collect()
    }
}

/// The category of a kind of item. Exhaustive: a new kind must choose one.
pub fn category(kind: NotificationKind) -> BellCategory {
    use NotificationKind as K;
    match kind {
        K::NewRequest | K::NewAppointment | K::AwaitingAssignment => BellCategory::Requests,
        K::AssignedToYou | K::MovedAway => BellCategory::Assignments,
        K::Updated | K::Approved | K::Cancelled | K::UpcomingVisit | K::DuringTimeOff => BellCategory::Changes,
        K::MessageReceived | K::ConversationOverdue => BellCategory::Messages,
        K::PaymentReceived => BellCategory::Payments,
        K::WebhookDisabled => BellCategory::Integrations,
    }
}

/// Which of the list the panel shows: live items (the default) or the
/// archive, all or only unread, of every kind or one category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BellFilter {
    #[serde(default)]
    pub unread_only: bool,
    #[serde(default)]
    pub category: Option<BellCategory>,
    /// The archived items instead of the others.
    #[serde(default)]
    pub archived: bool,
}

impl BellFilter {
    pub fn matches(&self, n: &NotificationView) -> bool {
        n.archived == self.archived && (!self.unread_only || !n.read) && self.category.is_none_or(|c| category(n.kind) == c)
    }
}

/// One entry of the panel: the newest item about an appointment, with how
/// many items it stands for (itself included) and all their ids, so opening
/// or archiving the entry does it to each.
#[derive(Clone, Debug, PartialEq)]
pub struct BellEntry {
    pub latest: NotificationView,
    pub count: usize,
    pub ids: Vec<NotificationId>,
    /// Any of them unread.
    pub unread: bool,
}

/// Folds items (newest first) into entries, newest first: every item about
/// one appointment into the entry of the newest; items about no appointment
/// stay alone.
pub fn group(items: &[NotificationView]) -> Vec<BellEntry> {
    let mut entries: Vec<BellEntry> = Vec::new();
    let mut by_appointment: std::collections::HashMap<AppointmentId, usize> = std::collections::HashMap::new();
    for n in items {
        let at = n.appointment_id.and_then(|a| by_appointment.get(&a).copied());
        match at {
            Some(i) => {
                let e = &mut entries[i];
                e.count += 1;
                e.ids.push(n.id);
                e.unread |= !n.read;
            }
            None => {
                if let Some(a) = n.appointment_id {
                    by_appointment.insert(a, entries.len());
                }
                entries.push(BellEntry {
                    latest: n.clone(),
                    count: 1,
                    ids: vec![n.id],
                    unread: !n.read,
                });
            }
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::UnixTime;
    use NotificationKind as K;

    fn item(id: i64, kind: NotificationKind, appointment: Option<i64>, read: bool, archived: bool) -> NotificationView {
        NotificationView {
            id: NotificationId(id),
            seq: id,
            kind,
            title: format!("item {id}"),
            body: String::new(),
            url: String::new(),
            reason: String::new(),
            created_at: UnixTime(id),
            read,
            resolved: false,
            appointment_id: appointment.map(AppointmentId),
            archived,
        }
    }

    #[test]
    fn every_kind_is_in_the_category_people_expect() {
        let table = [
            (K::NewRequest, BellCategory::Requests),
            (K::NewAppointment, BellCategory::Requests),
            (K::AwaitingAssignment, BellCategory::Requests),
            (K::AssignedToYou, BellCategory::Assignments),
            (K::MovedAway, BellCategory::Assignments),
            (K::Updated, BellCategory::Changes),
            (K::Approved, BellCategory::Changes),
            (K::Cancelled, BellCategory::Changes),
            (K::UpcomingVisit, BellCategory::Changes),
            (K::DuringTimeOff, BellCategory::Changes),
            (K::MessageReceived, BellCategory::Messages),
            (K::ConversationOverdue, BellCategory::Messages),
            (K::PaymentReceived, BellCategory::Payments),
            (K::WebhookDisabled, BellCategory::Integrations),
        ];
        assert_eq!(table.len(), K::ALL.len(), "every kind is in the table");
        for (kind, expected) in table {
            assert_eq!(category(kind), expected, "{kind:?}");
            assert!(expected.kinds().contains(&kind));
        }
        for c in BellCategory::ALL {
            assert_eq!(BellCategory::parse(c.as_str()), Some(c));
        }
        assert_eq!(BellCategory::parse("billing"), None);
    }

    #[test]
    fn a_filter_shows_what_its_view_promises() {
        let unread_request = item(1, K::NewRequest, Some(1), false, false);
        let read_message = item(2, K::MessageReceived, Some(2), true, false);
        let archived_change = item(3, K::Updated, Some(3), true, true);
        let all = BellFilter::default();
        let unread = BellFilter { unread_only: true, ..all };
        let messages = BellFilter {
            category: Some(BellCategory::Messages),
            ..all
        };
        let archive = BellFilter { archived: true, ..all };
        let table = [
            (all, [true, true, false]),
            (unread, [true, false, false]),
            (messages, [false, true, false]),
            (archive, [false, false, true]),
            (
                BellFilter {
                    unread_only: true,
                    ..archive
                },
                [false, false, false],
            ),
        ];
        for (filter, expected) in table {
            let got = [&unread_request, &read_message, &archived_change].map(|n| filter.matches(n));
            assert_eq!(got, expected, "{filter:?}");
        }
    }

    #[test]
    fn repeats_about_one_appointment_fold_into_the_newest_with_a_count() {
        // Newest first, as the panel holds them.
        let items = [
            item(6, K::Updated, Some(10), false, false),
            item(5, K::MessageReceived, None, true, false),
            item(4, K::Updated, Some(20), true, false),
            item(3, K::Updated, Some(10), true, false),
            item(2, K::WebhookDisabled, None, false, false),
            item(1, K::AssignedToYou, Some(10), false, false),
        ];
        let entries = group(&items);
        let shape: Vec<(i64, usize, Vec<i64>, bool)> = entries
            .iter()
            .map(|e| (e.latest.id.0, e.count, e.ids.iter().map(|i| i.0).collect(), e.unread))
            .collect();
        assert_eq!(
            shape,
            vec![
                (6, 3, vec![6, 3, 1], true),
                (5, 1, vec![5], false),
                (4, 1, vec![4], false),
                (2, 1, vec![2], true),
            ]
        );
        assert!(group(&[]).is_empty());
    }
}
