//! Who is told what: a pure function of (event, store settings, staff).
//! The notification dispatcher feeds it committed events; nothing else
//! decides who gets a bell item. The table test below is the spec's table.

use crate::domain::appointment::Source;
use crate::domain::event::{Actor, FieldChange, Happening};
use crate::domain::ids::StaffId;
use crate::domain::messages::NotificationKind;
use crate::domain::staff::StoreRole;
use crate::i18n::Language;
use crate::i18n::{text, tr, Args};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreSettings {
    pub notify_all_managers: bool,
    /// Used when `notify_all_managers` is off.
    pub notified_managers: Vec<StaffId>,
    /// Managers hear of client messages nobody is assigned to.
    pub notify_unassigned_messages: bool,
    /// Associates hear of their conversations left unread past the threshold.
    pub notify_overdue_conversations: bool,
}

/// A staff member as seen from one store: their role there (if any) and
/// whether they are an admin (admins see every store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub id: StaffId,
    pub is_admin: bool,
    pub role: Option<StoreRole>,
}

/// Why someone was selected: shown as "Why am I seeing this?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    ManagerAllNotified,
    ManagerSelected,
    Admin,
    ChosenAssociate,
    AssignedAssociate,
    PreviousAssociate,
    UnassignedWatcherManager,
    UnassignedWatcherAdmin,
    ConversationAssociate,
    UnassignedMessagesManager,
    OverdueConversations,
    AdminIntegrations,
    /// A manager of the store hears of every payment taken there.
    ManagerPayments,
}

impl Reason {
    /// In the fallback language, like the rest of the staff app.
    pub fn explain(self, store: &str) -> String {
        let key = match self {
            Reason::ManagerAllNotified => "reason-manager-all-notified",
            Reason::ManagerSelected => "reason-manager-selected",
            Reason::Admin => "reason-admin",
            Reason::ChosenAssociate => "reason-chosen-associate",
            Reason::AssignedAssociate => "reason-assigned-associate",
            Reason::PreviousAssociate => "reason-previous-associate",
            Reason::UnassignedWatcherManager => "reason-unassigned-watcher-manager",
            Reason::UnassignedWatcherAdmin => "reason-unassigned-watcher-admin",
            Reason::ConversationAssociate => "reason-conversation-associate",
            Reason::UnassignedMessagesManager => "reason-unassigned-messages-manager",
            Reason::AdminIntegrations => "reason-admin-integrations",
            Reason::OverdueConversations => "reason-overdue-conversations",
            Reason::ManagerPayments => "reason-manager-payments",
        };
        tr(Language::fallback(), key, &Args::new().with("store", store))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub staff_id: StaffId,
    pub kind: NotificationKind,
    pub reason: Reason,
}

/// Managers (all, or the selected ones) and admins: told of requests nobody owns yet.
fn request_watchers(settings: &StoreSettings, staff: &[StaffMember]) -> Vec<(StaffId, Reason)> {
    let mut out = Vec::new();
    for s in staff {
        let manager = s.role == Some(StoreRole::Manager);
        if manager && settings.notify_all_managers {
            out.push((s.id, Reason::ManagerAllNotified));
        } else if manager && settings.notified_managers.contains(&s.id) {
            out.push((s.id, Reason::ManagerSelected));
        } else if s.is_admin {
            out.push((s.id, Reason::Admin));
        }
    }
    out
}

pub fn who_is_told(happening: &Happening, actor: Actor, settings: &StoreSettings, staff: &[StaffMember]) -> Vec<Recipient> {
    let mut out: Vec<Recipient> = Vec::new();
    let mut tell = |staff_id: StaffId, kind: NotificationKind, reason: Reason| {
        if !out.iter().any(|r| r.staff_id == staff_id) {
            out.push(Recipient { staff_id, kind, reason });
        }
    };
    match happening {
        Happening::Created {
            associate_id: Some(a),
            source,
            awaiting_approval,
        } => {
            let reason = if *source == Source::Online {
                Reason::ChosenAssociate
            } else {
                Reason::AssignedAssociate
            };
            tell(*a, NotificationKind::NewAppointment, reason);
            // A chosen associate does not settle a request the store approves
            // by hand: the managers must approve it, so they hear of it too.
            if *awaiting_approval {
                for (id, reason) in request_watchers(settings, staff) {
                    tell(id, NotificationKind::NewRequest, reason);
                }
            }
        }
        Happening::Created { associate_id: None, .. } => {
            for (id, reason) in request_watchers(settings, staff) {
                tell(id, NotificationKind::NewRequest, reason);
            }
        }
        Happening::Assigned { previous, new } => {
            tell(*new, NotificationKind::AssignedToYou, Reason::AssignedAssociate);
            if let Some(p) = previous.filter(|p| p != new) {
                tell(p, NotificationKind::MovedAway, Reason::PreviousAssociate);
            }
        }
        Happening::Updated { associate_id: Some(a), .. } => tell(*a, NotificationKind::Updated, Reason::AssignedAssociate),
        Happening::Updated { associate_id: None, .. } => {
            // Nobody owns it yet: whoever watches the store's unassigned requests hears of the change.
            for (id, reason) in request_watchers(settings, staff) {
                let reason = if reason == Reason::Admin {
                    Reason::UnassignedWatcherAdmin
                } else {
                    Reason::UnassignedWatcherManager
                };
                tell(id, NotificationKind::Updated, reason);
            }
        }
        Happening::Approved { associate_id: Some(a) } => tell(*a, NotificationKind::Approved, Reason::AssignedAssociate),
        Happening::Cancelled { associate_id: Some(a) } => tell(*a, NotificationKind::Cancelled, Reason::AssignedAssociate),
        Happening::AwaitingAssignment => {
            for (id, reason) in request_watchers(settings, staff) {
                tell(id, NotificationKind::AwaitingAssignment, reason);
            }
        }
        Happening::MessageReceived { associate_id: Some(a) } => tell(*a, NotificationKind::MessageReceived, Reason::ConversationAssociate),
        Happening::MessageReceived { associate_id: None } => {
            if settings.notify_unassigned_messages {
                for s in staff.iter().filter(|s| s.role == Some(StoreRole::Manager)) {
                    if settings.notify_all_managers || settings.notified_managers.contains(&s.id) {
                        tell(s.id, NotificationKind::MessageReceived, Reason::UnassignedMessagesManager);
                    }
                }
            }
        }
        Happening::ConversationOverdue { associate_id: Some(a) } => {
            if settings.notify_overdue_conversations {
                tell(*a, NotificationKind::ConversationOverdue, Reason::OverdueConversations);
            }
        }
        Happening::ConversationOverdue { associate_id: None } => {}
        // The spec's table: no-shows, completions, and approvals or cancellations
        // of unassigned requests tell no staff member (clients and webhooks hear of them).
        Happening::Approved { associate_id: None }
        | Happening::Cancelled { associate_id: None }
        | Happening::NoShow { .. }
        | Happening::Completed { .. } => {}
        // The spec's reminder row: the assigned associate hears of the upcoming visit.
        Happening::Reminder { associate_id: Some(a) } => tell(*a, NotificationKind::UpcomingVisit, Reason::AssignedAssociate),
        // Client-facing only: recalls go to the client (and webhooks); an
        // unassigned reminder has nobody on the staff side to prepare.
        Happening::Reminder { associate_id: None } | Happening::Recall | Happening::StaffReplied => {}
        // The store must act on an appointment its associate will not be there
        // for: the managers who watch requests hear of it (the associate knows).
        Happening::DuringTimeOff { .. } => {
            for (id, reason) in request_watchers(settings, staff) {
                tell(id, NotificationKind::DuringTimeOff, reason);
            }
        }
        // The spec's payment row: the assigned associate and the store's managers.
        Happening::PaymentReceived { associate_id } => {
            if let Some(a) = associate_id {
                tell(*a, NotificationKind::PaymentReceived, Reason::AssignedAssociate);
            }
            for s in staff.iter().filter(|s| s.role == Some(StoreRole::Manager)) {
                tell(s.id, NotificationKind::PaymentReceived, Reason::ManagerPayments);
            }
        }
        // Staff asked for it or gave it back themselves; the client is told.
        Happening::PaymentRequested { .. } | Happening::PaymentRefunded { .. } => {}
        // A booking waiting for its deposit is not a request yet: the store
        // hears of it when it is paid (as `Created`), or never.
        Happening::DepositHeld | Happening::HoldReleased => {}
        // Integrations are the admins' business.
        Happening::WebhookEndpointDisabled { .. } => {
            for s in staff.iter().filter(|s| s.is_admin) {
                tell(s.id, NotificationKind::WebhookDisabled, Reason::AdminIntegrations);
            }
        }
    }
    // Rule 1 of the spec: nobody is notified of their own action.
    if let Some(me) = actor.staff_id() {
        out.retain(|r| r.staff_id != me);
    }
    out
}

/// The alerts about an appointment that this happening settles for everyone
/// who got them: a request that someone took, approved or that is gone no
/// longer asks anyone to act. (An approved request with nobody assigned
/// still needs an associate, so its "awaiting assignment" alerts stay.)
pub fn resolved_by(happening: &Happening) -> &'static [NotificationKind] {
    use NotificationKind::{AwaitingAssignment, NewRequest};
    match happening {
        Happening::Assigned { .. } | Happening::Cancelled { .. } => &[NewRequest, AwaitingAssignment],
        // Approved with its associate: nothing left to do. Approved with
        // nobody assigned: it still needs an associate.
        Happening::Approved { associate_id: Some(_) } => &[NewRequest, AwaitingAssignment],
        Happening::Approved { associate_id: None } => &[NewRequest],
        Happening::Created { .. }
        | Happening::Updated { .. }
        | Happening::NoShow { .. }
        | Happening::Completed { .. }
        | Happening::AwaitingAssignment
        | Happening::MessageReceived { .. }
        | Happening::ConversationOverdue { .. }
        | Happening::Reminder { .. }
        | Happening::Recall
        | Happening::StaffReplied
        | Happening::DuringTimeOff { .. }
        | Happening::WebhookEndpointDisabled { .. }
        | Happening::PaymentRequested { .. }
        | Happening::PaymentReceived { .. }
        | Happening::PaymentRefunded { .. }
        | Happening::DepositHeld
        | Happening::HoldReleased => &[],
    }
}

/// What the bell text is about.
pub struct Story<'a> {
    pub client: &'a str,
    pub service: &'a str,
    pub when: &'a str,
    pub associate: Option<&'a str>,
    pub changes: &'a [FieldChange],
    /// Who made the change, in words: "the client", "Maya Manager".
    pub by: &'a str,
    /// The start of a client's message.
    pub preview: &'a str,
    /// For payments: the amount, "£45.00".
    pub amount: &'a str,
}

/// The bell text for one recipient: (title, body), in the fallback language
/// like the rest of the staff app.
pub fn render(kind: NotificationKind, s: &Story) -> (String, String) {
    let lang = Language::fallback();
    let (title, body) = match kind {
        NotificationKind::NewRequest => ("bell-new-request-title", "bell-new-request-body"),
        NotificationKind::NewAppointment => ("bell-new-appointment-title", "bell-new-appointment-body"),
        NotificationKind::AssignedToYou => ("bell-assigned-title", "bell-assigned-body"),
        NotificationKind::MovedAway => ("bell-moved-away-title", "bell-moved-away-body"),
        NotificationKind::Updated => ("bell-updated-title", "bell-updated-body"),
        NotificationKind::Approved => ("bell-approved-title", "bell-approved-body"),
        NotificationKind::Cancelled => ("bell-cancelled-title", "bell-cancelled-body"),
        NotificationKind::MessageReceived => ("bell-message-received-title", "bell-message-received-body"),
        NotificationKind::ConversationOverdue => ("bell-conversation-overdue-title", "bell-conversation-overdue-body"),
        // A request with a chosen associate escalates while it waits for approval.
        NotificationKind::AwaitingAssignment if s.associate.is_some() => ("bell-awaiting-approval-title", "bell-awaiting-approval-body"),
        NotificationKind::AwaitingAssignment => ("bell-awaiting-assignment-title", "bell-awaiting-assignment-body"),
        NotificationKind::WebhookDisabled => ("bell-webhook-disabled-title", "bell-webhook-disabled-body"),
        NotificationKind::UpcomingVisit => ("bell-upcoming-visit-title", "bell-upcoming-visit-body"),
        NotificationKind::DuringTimeOff => ("bell-during-time-off-title", "bell-during-time-off-body"),
        NotificationKind::PaymentReceived => ("bell-payment-received-title", "bell-payment-received-body"),
    };
    let changes: Vec<String> = s
        .changes
        .iter()
        .map(|c| {
            let change = Args::new()
                .with("field", c.field.as_str())
                .with("from", c.from.as_str())
                .with("to", c.to.as_str());
            tr(lang, "bell-change", &change)
        })
        .collect();
    let args = Args::new()
        .with("client", s.client)
        .with("service", s.service)
        .with("when", s.when)
        .with("associate", s.associate.unwrap_or_default())
        .with_flag("has-associate", s.associate.is_some())
        .with("changes", changes.join("; "))
        .with("by", s.by)
        .with("preview", s.preview)
        .with("amount", s.amount);
    (text(lang, title), tr(lang, body, &args))
}

#[cfg(test)]
mod tests {
    use super::*;
    use NotificationKind::*;
    use Reason::*;

    const ADMIN: StaffId = StaffId(1);
    const M1: StaffId = StaffId(2);
    const M2: StaffId = StaffId(3);
    const A1: StaffId = StaffId(4);
    const A2: StaffId = StaffId(5);
    const OTHER_STORE_ASSOCIATE: StaffId = StaffId(9);

    fn staff() -> Vec<StaffMember> {
        vec![
            StaffMember {
                id: ADMIN,
                is_admin: true,
                role: None,
            },
            StaffMember {
                id: M1,
                is_admin: false,
                role: Some(StoreRole::Manager),
            },
            StaffMember {
                id: M2,
                is_admin: false,
                role: Some(StoreRole::Manager),
            },
            StaffMember {
                id: A1,
                is_admin: false,
                role: Some(StoreRole::Associate),
            },
            StaffMember {
                id: A2,
                is_admin: false,
                role: Some(StoreRole::Associate),
            },
        ]
    }

    fn all() -> StoreSettings {
        StoreSettings {
            notify_all_managers: true,
            notified_managers: vec![],
            notify_unassigned_messages: true,
            notify_overdue_conversations: true,
        }
    }
    fn only_m2() -> StoreSettings {
        StoreSettings {
            notify_all_managers: false,
            notified_managers: vec![M2],
            ..all()
        }
    }
    fn quiet() -> StoreSettings {
        StoreSettings {
            notify_unassigned_messages: false,
            notify_overdue_conversations: false,
            ..all()
        }
    }

    fn online(associate_id: Option<StaffId>) -> Happening {
        Happening::Created {
            source: Source::Online,
            associate_id,
            awaiting_approval: false,
        }
    }
    fn online_awaiting_approval(associate_id: Option<StaffId>) -> Happening {
        Happening::Created {
            source: Source::Online,
            associate_id,
            awaiting_approval: true,
        }
    }
    fn by_staff(associate_id: Option<StaffId>) -> Happening {
        Happening::Created {
            source: Source::Staff,
            associate_id,
            awaiting_approval: false,
        }
    }
    fn assigned(previous: Option<StaffId>, new: StaffId) -> Happening {
        Happening::Assigned { previous, new }
    }
    fn updated(associate_id: Option<StaffId>) -> Happening {
        Happening::Updated {
            associate_id,
            changes: vec![FieldChange {
                field: "When".into(),
                from: "Tue 4 Mar 14:00".into(),
                to: "Wed 5 Mar 10:30".into(),
            }],
        }
    }

    #[test]
    #[allow(clippy::type_complexity)] // a table row: one tuple per case
    fn who_is_told_what() {
        #[rustfmt::skip]
        let rows: Vec<(&str, Happening, Actor, StoreSettings, Vec<(StaffId, NotificationKind, Reason)>)> = vec![
            ("online request, nobody chosen: all managers and admins",
                online(None), Actor::Client, all(),
                vec![(ADMIN, NewRequest, Admin), (M1, NewRequest, ManagerAllNotified), (M2, NewRequest, ManagerAllNotified)]),
            ("online request, only selected managers",
                online(None), Actor::Client, only_m2(),
                vec![(ADMIN, NewRequest, Admin), (M2, NewRequest, ManagerSelected)]),
            ("online booking naming an associate, approved at once: that associate only",
                online(Some(A1)), Actor::Client, all(),
                vec![(A1, NewAppointment, ChosenAssociate)]),
            ("online request naming an associate, store approves by hand: the associate and the managers",
                online_awaiting_approval(Some(A1)), Actor::Client, all(),
                vec![(A1, NewAppointment, ChosenAssociate), (ADMIN, NewRequest, Admin), (M1, NewRequest, ManagerAllNotified), (M2, NewRequest, ManagerAllNotified)]),
            ("online request awaiting approval, nobody chosen: the managers, as any request",
                online_awaiting_approval(None), Actor::Client, only_m2(),
                vec![(ADMIN, NewRequest, Admin), (M2, NewRequest, ManagerSelected)]),
            ("staff creates for another associate",
                by_staff(Some(A2)), Actor::Staff(M1), all(),
                vec![(A2, NewAppointment, AssignedAssociate)]),
            ("associate creates for themselves: nobody",
                by_staff(Some(A1)), Actor::Staff(A1), all(),
                vec![]),
            ("manager assigns: the new associate, not the manager",
                assigned(None, A1), Actor::Staff(M1), all(),
                vec![(A1, AssignedToYou, AssignedAssociate)]),
            ("manager reassigns: new associate assigned, previous told it moved",
                assigned(Some(A1), A2), Actor::Staff(M2), all(),
                vec![(A2, AssignedToYou, AssignedAssociate), (A1, MovedAway, PreviousAssociate)]),
            ("associate hands their appointment to a colleague: only the colleague",
                assigned(Some(A1), A2), Actor::Staff(A1), all(),
                vec![(A2, AssignedToYou, AssignedAssociate)]),
            ("manager assigns to themselves-as-associate: nobody",
                assigned(None, M1), Actor::Staff(M1), all(),
                vec![]),
            ("system assignment tells the associate",
                assigned(None, A2), Actor::System, all(),
                vec![(A2, AssignedToYou, AssignedAssociate)]),
            ("update of an assigned appointment: its associate",
                updated(Some(A1)), Actor::Staff(M1), all(),
                vec![(A1, Updated, AssignedAssociate)]),
            ("update of an unassigned request by the client: managers and admins",
                updated(None), Actor::Client, all(),
                vec![(ADMIN, Updated, UnassignedWatcherAdmin), (M1, Updated, UnassignedWatcherManager), (M2, Updated, UnassignedWatcherManager)]),
            ("associate updates their own appointment: nobody",
                updated(Some(A1)), Actor::Staff(A1), all(),
                vec![]),
            ("approved: the assigned associate",
                Happening::Approved { associate_id: Some(A2) }, Actor::Staff(M1), all(),
                vec![(A2, Approved, AssignedAssociate)]),
            ("approved while unassigned: nobody",
                Happening::Approved { associate_id: None }, Actor::Staff(M1), all(),
                vec![]),
            ("cancelled by the client: the assigned associate",
                Happening::Cancelled { associate_id: Some(A1) }, Actor::Client, all(),
                vec![(A1, Cancelled, AssignedAssociate)]),
            ("cancelled by a manager: the assigned associate",
                Happening::Cancelled { associate_id: Some(A1) }, Actor::Staff(M2), all(),
                vec![(A1, Cancelled, AssignedAssociate)]),
            ("cancelled by the associate: nobody",
                Happening::Cancelled { associate_id: Some(A1) }, Actor::Staff(A1), all(),
                vec![]),
            ("no-show: no staff",
                Happening::NoShow { associate_id: Some(A1) }, Actor::Staff(M1), all(),
                vec![]),
            ("completed: no staff",
                Happening::Completed { associate_id: Some(A1) }, Actor::Staff(M1), all(),
                vec![]),
            ("awaiting assignment: all managers and admins again",
                Happening::AwaitingAssignment, Actor::System, all(),
                vec![(ADMIN, AwaitingAssignment, Admin), (M1, AwaitingAssignment, ManagerAllNotified), (M2, AwaitingAssignment, ManagerAllNotified)]),
            ("awaiting assignment: only the selected managers",
                Happening::AwaitingAssignment, Actor::System, only_m2(),
                vec![(ADMIN, AwaitingAssignment, Admin), (M2, AwaitingAssignment, ManagerSelected)]),
            ("client message, conversation has an associate: that associate",
                Happening::MessageReceived { associate_id: Some(A1) }, Actor::Client, all(),
                vec![(A1, MessageReceived, ConversationAssociate)]),
            ("client message, nobody assigned, setting on: the managers (not admins)",
                Happening::MessageReceived { associate_id: None }, Actor::Client, all(),
                vec![(M1, MessageReceived, UnassignedMessagesManager), (M2, MessageReceived, UnassignedMessagesManager)]),
            ("client message, nobody assigned, only selected managers",
                Happening::MessageReceived { associate_id: None }, Actor::Client, only_m2(),
                vec![(M2, MessageReceived, UnassignedMessagesManager)]),
            ("client message, nobody assigned, setting off: nobody",
                Happening::MessageReceived { associate_id: None }, Actor::Client, quiet(),
                vec![]),
            ("client message, associate assigned, setting off: the associate still",
                Happening::MessageReceived { associate_id: Some(A2) }, Actor::Client, quiet(),
                vec![(A2, MessageReceived, ConversationAssociate)]),
            ("conversation overdue: its associate",
                Happening::ConversationOverdue { associate_id: Some(A1) }, Actor::System, all(),
                vec![(A1, ConversationOverdue, OverdueConversations)]),
            ("conversation overdue, setting off: nobody",
                Happening::ConversationOverdue { associate_id: Some(A1) }, Actor::System, quiet(),
                vec![]),
            ("conversation overdue, nobody assigned: nobody",
                Happening::ConversationOverdue { associate_id: None }, Actor::System, all(),
                vec![]),
            ("reminder time: the assigned associate, of an upcoming visit",
                Happening::Reminder { associate_id: Some(A1) }, Actor::System, all(),
                vec![(A1, UpcomingVisit, AssignedAssociate)]),
            ("an appointment inside new time off: the managers and admins, not the associate who took it",
                Happening::DuringTimeOff { associate_id: A1 }, Actor::Staff(A1), all(),
                vec![(ADMIN, DuringTimeOff, Admin), (M1, DuringTimeOff, ManagerAllNotified), (M2, DuringTimeOff, ManagerAllNotified)]),
            ("reminder time, nobody assigned: nobody",
                Happening::Reminder { associate_id: None }, Actor::System, all(),
                vec![]),
            ("payment from the client: the assigned associate and every manager, not admins",
                Happening::PaymentReceived { associate_id: Some(A1) }, Actor::Client, only_m2(),
                vec![(A1, PaymentReceived, AssignedAssociate), (M1, PaymentReceived, ManagerPayments), (M2, PaymentReceived, ManagerPayments)]),
            ("payment for an unassigned appointment: the managers",
                Happening::PaymentReceived { associate_id: None }, Actor::Client, all(),
                vec![(M1, PaymentReceived, ManagerPayments), (M2, PaymentReceived, ManagerPayments)]),
            ("a payment link or a refund staff made themselves: nobody on the staff side",
                Happening::PaymentRequested { associate_id: Some(A1) }, Actor::Staff(M1), all(),
                vec![]),
            ("refund: nobody on the staff side",
                Happening::PaymentRefunded { associate_id: Some(A1) }, Actor::Staff(M1), all(),
                vec![]),
            ("a booking held for its deposit: nobody yet",
                Happening::DepositHeld, Actor::Client, all(),
                vec![]),
            ("a hold released unpaid: nobody (they never heard of it)",
                Happening::HoldReleased, Actor::System, all(),
                vec![]),
            ("assignment to an associate outside the store list still reaches them",
                assigned(None, OTHER_STORE_ASSOCIATE), Actor::Staff(M1), all(),
                vec![(OTHER_STORE_ASSOCIATE, AssignedToYou, AssignedAssociate)]),
        ];
        for (name, happening, actor, settings, want) in rows {
            let got: Vec<_> = who_is_told(&happening, actor, &settings, &staff())
                .into_iter()
                .map(|r| (r.staff_id, r.kind, r.reason))
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    /// One of each kind of happening (and each shape: with and without an
    /// associate), naming `a` wherever a staff member goes and `b` as the
    /// previous associate.
    fn every_happening(a: StaffId, b: StaffId) -> Vec<Happening> {
        vec![
            online(None),
            online(Some(a)),
            by_staff(None),
            by_staff(Some(a)),
            assigned(None, a),
            assigned(Some(b), a),
            assigned(Some(a), b),
            updated(None),
            updated(Some(a)),
            Happening::Approved { associate_id: None },
            Happening::Approved { associate_id: Some(a) },
            Happening::Cancelled { associate_id: None },
            Happening::Cancelled { associate_id: Some(a) },
            Happening::NoShow { associate_id: Some(a) },
            Happening::Completed { associate_id: Some(a) },
            Happening::AwaitingAssignment,
            Happening::MessageReceived { associate_id: None },
            Happening::MessageReceived { associate_id: Some(a) },
            Happening::ConversationOverdue { associate_id: None },
            Happening::ConversationOverdue { associate_id: Some(a) },
            Happening::Reminder { associate_id: Some(a) },
            Happening::Reminder { associate_id: None },
            Happening::Recall,
            Happening::StaffReplied,
            Happening::DuringTimeOff { associate_id: a },
            Happening::PaymentReceived { associate_id: Some(a) },
            Happening::PaymentReceived { associate_id: None },
            Happening::PaymentRequested { associate_id: Some(a) },
            Happening::PaymentRefunded { associate_id: Some(a) },
            Happening::DepositHeld,
            Happening::HoldReleased,
            Happening::WebhookEndpointDisabled {
                endpoint_id: crate::domain::ids::EndpointId(1),
            },
        ]
    }

    #[test]
    fn a_handled_request_settles_the_alerts_that_asked_for_it() {
        use NotificationKind::{AwaitingAssignment, NewRequest};
        let rows: Vec<(&str, Happening, &[NotificationKind])> = vec![
            (
                "assigned: request and escalations",
                assigned(None, A1),
                &[NewRequest, AwaitingAssignment],
            ),
            ("reassigned: the same", assigned(Some(A2), A1), &[NewRequest, AwaitingAssignment]),
            (
                "approved, nobody assigned: the request; it still needs an associate",
                Happening::Approved { associate_id: None },
                &[NewRequest],
            ),
            (
                "approved with its associate: request and escalations",
                Happening::Approved { associate_id: Some(A1) },
                &[NewRequest, AwaitingAssignment],
            ),
            (
                "cancelled: request and escalations",
                Happening::Cancelled { associate_id: None },
                &[NewRequest, AwaitingAssignment],
            ),
            ("updated: still a request", updated(None), &[]),
            ("escalated: still a request", Happening::AwaitingAssignment, &[]),
        ];
        for (name, happening, want) in rows {
            assert_eq!(resolved_by(&happening), want, "{name}");
        }
    }

    #[test]
    fn nobody_is_notified_of_their_own_action_for_every_happening() {
        // Every kind is covered: `event_kind` is an exhaustive match, so a new
        // happening needs a new `EventKind`, and then this count fails until
        // the list above has it.
        let kinds: std::collections::HashSet<_> = every_happening(A1, A2).iter().map(|h| h.event_kind()).collect();
        assert_eq!(
            kinds.len(),
            crate::domain::event::EventKind::ALL.len(),
            "a happening is missing from the list"
        );
        for me in [ADMIN, M1, M2, A1, A2, OTHER_STORE_ASSOCIATE] {
            for other in [A1, A2, M1] {
                for h in every_happening(me, other).into_iter().chain(every_happening(other, me)) {
                    for settings in [all(), only_m2(), quiet()] {
                        let told = who_is_told(&h, Actor::Staff(me), &settings, &staff());
                        assert!(told.iter().all(|r| r.staff_id != me), "{h:?} by {me} notified the actor");
                    }
                }
            }
        }
    }

    #[test]
    fn an_update_says_what_changed_and_a_cancellation_says_who() {
        let changes = [FieldChange {
            field: "When".into(),
            from: "Tue 4 Mar 14:00".into(),
            to: "Wed 5 Mar 10:30".into(),
        }];
        let story = Story {
            client: "Ann",
            service: "Haircut",
            when: "Wed 5 Mar 10:30",
            associate: None,
            changes: &changes,
            by: "Maya Manager",
            preview: "",
            amount: "",
        };
        let (title, body) = render(Updated, &story);
        assert_eq!(title, "Appointment updated");
        assert!(body.contains("Tue 4 Mar 14:00 → Wed 5 Mar 10:30"), "{body}");
        let story = Story { by: "the client", ..story };
        assert!(render(Cancelled, &story).1.ends_with("was cancelled by the client"));
        assert_eq!(
            render(MovedAway, &story).1,
            "Haircut with Ann on Wed 5 Mar 10:30 is no longer yours"
        );
        let story = Story {
            associate: Some("Sam"),
            ..story
        };
        assert_eq!(render(MovedAway, &story).1, "Haircut with Ann on Wed 5 Mar 10:30 is now with Sam");
        let paid = Story {
            client: "Bob Smith",
            amount: "£45.00",
            ..story
        };
        // The spec's words: "Payment received — £45.00 from Bob Smith".
        let (title, body) = render(PaymentReceived, &paid);
        assert_eq!(format!("{title} — {body}"), "Payment received — £45.00 from Bob Smith");
        assert_eq!(
            ManagerPayments.explain("Downtown"),
            "You manage Downtown, and its managers hear of every payment."
        );
        assert_eq!(
            ManagerSelected.explain("Downtown"),
            "You are one of the managers Downtown selected to be notified of new requests."
        );
    }

    #[test]
    fn an_admin_who_also_manages_the_store_is_told_once() {
        let mut s = staff();
        s[1].is_admin = true;
        let told = who_is_told(&online(None), Actor::Client, &all(), &s);
        assert_eq!(told.iter().filter(|r| r.staff_id == M1).count(), 1);
    }
}
