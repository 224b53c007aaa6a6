//! Who may see and do what: one pure policy, read from the spec's roles
//! table. Admins act as managers of every store; managers do everything in
//! their stores; an associate works on what is theirs. Whatever belongs to a
//! store the person does not work in is invisible (404, not 403), so nobody
//! learns what another store holds.

use crate::domain::ids::{StaffId, StoreId};
use crate::domain::staff::StoreRole;
use crate::model::Me;

/// A person as the policy sees them, in one store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub id: StaffId,
    pub is_admin: bool,
    /// Their role in the store, if they work there.
    pub role: Option<StoreRole>,
}

impl Standing {
    pub fn of(me: &Me, store: StoreId) -> Self {
        Standing {
            id: me.id,
            is_admin: me.is_admin,
            role: me.stores.iter().find(|s| s.id == store).map(|s| s.role),
        }
    }
    fn manages(&self) -> bool {
        self.is_admin || self.role == Some(StoreRole::Manager)
    }
    fn works_here(&self) -> bool {
        self.is_admin || self.role.is_some()
    }
}

/// What someone wants to do with an appointment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppointmentAction {
    See,
    /// Time, service, notes, client communication.
    Change,
    Cancel,
    MarkNoShow,
    Complete,
    Approve,
    /// Give it to an associate (from the queue, or away from its associate).
    Assign,
    /// Add or remove people coming along.
    EditAttendees,
    /// Send the client a payment link.
    RequestPayment,
    /// Give money back on a payment.
    Refund,
}

/// Something a person asks to do, with what it is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Appointment {
        action: AppointmentAction,
        store: StoreId,
        /// Its associate now.
        associate: Option<StaffId>,
    },
    /// Book an appointment for a client of `store`, with `associate`.
    BookFor { store: StoreId, associate: Option<StaffId> },
    /// Read or answer a client's conversation.
    Conversation { store: StoreId, associate: Option<StaffId> },
    /// Find, open or add the store's clients.
    Clients { store: StoreId },
    /// The store's notification settings.
    StoreSettings { store: StoreId },
    /// Send a test email or SMS from the store (managers only; for anyone
    /// else the store's channels do not exist).
    TestChannels { store: StoreId },
    /// The assignment queue (of every store the person manages).
    Queue,
    /// Webhook endpoints and API keys.
    Integrations,
    /// Create stores; edit a store's profile, opening hours and closures (admins).
    Stores,
    /// A store's services: create, edit, reorder, deactivate.
    Services { store: StoreId },
    /// A person's working hours at `store` and their time off: their own, or
    /// (for the store's managers) their staff's.
    Schedule { store: StoreId, person: StaffId },
    /// Invite people into `store`, change or remove their role there.
    People { store: StoreId },
    /// Make or unmake admins, invite admins, deactivate admins.
    Admins,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// The person works in the store but may not do this: 403, with why.
    Forbidden(&'static str),
    /// It is not theirs to know about: 404.
    Hidden,
}

/// The policy. `me` is the person asking (their stores and admin flag).
pub fn decide(me: &Me, action: Action) -> Decision {
    use AppointmentAction as A;
    use Decision::*;
    let unless_member = |s: Standing, why: &'static str| if s.works_here() { Forbidden(why) } else { Hidden };
    match action {
        Action::Appointment { action, store, associate } => {
            let s = Standing::of(me, store);
            let theirs = associate == Some(me.id);
            match action {
                _ if s.manages() => Allowed,
                A::See | A::EditAttendees if theirs => Allowed,
                A::See | A::EditAttendees => Hidden,
                // The chosen associate may approve the request that names them.
                A::Change | A::Cancel | A::MarkNoShow | A::Complete | A::Approve if theirs => Allowed,
                A::Change => unless_member(s, "Only managers of this store or the appointment's associate can change it."),
                A::Cancel => unless_member(s, "Only managers of this store or the appointment's associate can cancel it."),
                A::MarkNoShow => unless_member(s, "Only managers of this store or the appointment's associate can mark no-shows."),
                A::Complete => unless_member(s, "Only managers of this store or the appointment's associate can complete it."),
                A::Approve => unless_member(s, "Only managers of this store can approve requests."),
                A::Assign => unless_member(s, "Only managers of this store can give an appointment to an associate."),
                // Asking for payment is part of serving the client; giving money back is the store's call.
                A::RequestPayment if theirs => Allowed,
                A::RequestPayment => unless_member(
                    s,
                    "Only managers of this store or the appointment's associate can ask for a payment.",
                ),
                A::Refund if theirs => Forbidden("Only managers of this store can refund a payment."),
                A::Refund => unless_member(s, "Only managers of this store can refund a payment."),
            }
        }
        Action::BookFor { store, associate } => {
            let s = Standing::of(me, store);
            if s.manages() || (s.works_here() && associate == Some(me.id)) {
                Allowed
            } else {
                unless_member(s, "Associates can only book appointments with themselves.")
            }
        }
        Action::Conversation { store, associate } => {
            if Standing::of(me, store).manages() || associate == Some(me.id) {
                Allowed
            } else {
                Hidden
            }
        }
        Action::Clients { store } => {
            if Standing::of(me, store).works_here() {
                Allowed
            } else {
                Hidden
            }
        }
        Action::StoreSettings { store } => {
            let s = Standing::of(me, store);
            if s.manages() {
                Allowed
            } else {
                unless_member(s, "Only managers of this store and admins can change its settings.")
            }
        }
        Action::TestChannels { store } => {
            if Standing::of(me, store).manages() {
                Allowed
            } else {
                Hidden
            }
        }
        Action::Queue => {
            if me.is_admin || me.stores.iter().any(|s| s.role == StoreRole::Manager) {
                Allowed
            } else {
                Forbidden("Only managers see the assignment queue.")
            }
        }
        Action::Integrations => {
            if me.is_admin {
                Allowed
            } else {
                Forbidden("Only administrators manage integrations.")
            }
        }
        Action::Stores => {
            if me.is_admin {
                Allowed
            } else {
                Forbidden("Only administrators create stores and change their hours.")
            }
        }
        Action::Services { store } => {
            let s = Standing::of(me, store);
            if s.manages() {
                Allowed
            } else {
                unless_member(s, "Only managers of this store and admins change its services.")
            }
        }
        Action::People { store } => {
            let s = Standing::of(me, store);
            if s.manages() {
                Allowed
            } else {
                unless_member(s, "Only managers of this store and admins manage its staff.")
            }
        }
        Action::Admins => {
            if me.is_admin {
                Allowed
            } else {
                Forbidden("Only administrators manage administrators.")
            }
        }
        Action::Schedule { store, person } => {
            let s = Standing::of(me, store);
            if s.manages() || (person == me.id && s.works_here()) {
                Allowed
            } else {
                unless_member(s, "Only the person and the store's managers change their hours and time off.")
            }
        }
    }
}

/// The stores whose every appointment, conversation and client message `me`
/// sees in lists (besides what is assigned to them): those they manage.
pub fn managed_stores(me: &Me) -> Vec<StoreId> {
    me.stores
        .iter()
        .filter(|s| me.is_admin || s.role == StoreRole::Manager)
        .map(|s| s.id)
        .collect()
}

/// The stores `me` works in.
pub fn member_stores(me: &Me) -> Vec<StoreId> {
    me.stores.iter().map(|s| s.id).collect()
}

/// Whose open pages refresh when an appointment changes: whoever may see it
/// (its associate, before and after the change, and the store's managers and admins).
pub fn sees_appointment_change(s: Standing, associate: Option<StaffId>, previous_associate: Option<StaffId>) -> bool {
    s.manages() || Some(s.id) == associate || Some(s.id) == previous_associate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MyStore;
    use AppointmentAction as A;
    use Decision::*;

    const HERE: StoreId = StoreId(1);
    const ELSEWHERE: StoreId = StoreId(2);
    const ADMIN: StaffId = StaffId(1);
    const MANAGER: StaffId = StaffId(2);
    const ASSOCIATE: StaffId = StaffId(3);
    const COLLEAGUE: StaffId = StaffId(4);

    fn person(id: StaffId, is_admin: bool, role: Option<StoreRole>) -> Me {
        // As `auth::load_me` builds it: admins are managers of every store.
        let mut stores: Vec<MyStore> = role
            .map(|role| MyStore {
                id: HERE,
                slug: "here".into(),
                name: "Here".into(),
                role,
            })
            .into_iter()
            .collect();
        if is_admin {
            stores = [HERE, ELSEWHERE]
                .into_iter()
                .map(|id| MyStore {
                    id,
                    slug: String::new(),
                    name: String::new(),
                    role: StoreRole::Manager,
                })
                .collect();
        }
        Me {
            id,
            name: String::new(),
            email: String::new(),
            is_admin,
            stores,
            unread: 0,
            last_seq: 0,
        }
    }

    fn appt(action: AppointmentAction, store: StoreId, associate: Option<StaffId>) -> Action {
        Action::Appointment { action, store, associate }
    }

    #[test]
    #[allow(clippy::type_complexity)] // a table row: one tuple per case
    fn who_may_see_and_do_what() {
        let admin = person(ADMIN, true, None);
        let manager = person(MANAGER, false, Some(StoreRole::Manager));
        let associate = person(ASSOCIATE, false, Some(StoreRole::Associate));
        let mine = Some(ASSOCIATE);
        let colleagues = Some(COLLEAGUE);
        let forbidden = |d: &Decision| matches!(d, Forbidden(_));
        #[rustfmt::skip]
        let table: Vec<(&str, &Me, Action, fn(&Decision) -> bool)> = vec![
            ("an admin sees every store's appointments", &admin, appt(A::See, ELSEWHERE, None), |d| *d == Allowed),
            ("an admin approves anywhere", &admin, appt(A::Approve, ELSEWHERE, colleagues), |d| *d == Allowed),
            ("a manager assigns in their store", &manager, appt(A::Assign, HERE, None), |d| *d == Allowed),
            ("a manager changes any appointment of their store", &manager, appt(A::Change, HERE, colleagues), |d| *d == Allowed),
            ("a manager sees nothing of another store", &manager, appt(A::See, ELSEWHERE, None), |d| *d == Hidden),
            ("a manager cannot cancel in another store, and does not learn it exists", &manager, appt(A::Cancel, ELSEWHERE, None), |d| *d == Hidden),
            ("an associate sees their own appointment", &associate, appt(A::See, HERE, mine), |d| *d == Allowed),
            ("an associate changes their own appointment", &associate, appt(A::Change, HERE, mine), |d| *d == Allowed),
            ("an associate cancels, marks no-show and completes their own", &associate, appt(A::Complete, HERE, mine), |d| *d == Allowed),
            ("an associate does not see a colleague's appointment", &associate, appt(A::See, HERE, colleagues), |d| *d == Hidden),
            ("an associate may not cancel a colleague's appointment (403: same store)", &associate, appt(A::Cancel, HERE, colleagues), forbidden),
            ("an associate approves a request that names them", &associate, appt(A::Approve, HERE, mine), |d| *d == Allowed),
            ("an associate may not approve someone else's", &associate, appt(A::Approve, HERE, colleagues), forbidden),
            ("an associate may not assign", &associate, appt(A::Assign, HERE, None), forbidden),
            ("an associate may not hand their own appointment to someone", &associate, appt(A::Assign, HERE, mine), forbidden),
            ("an associate edits attendees of their own", &associate, appt(A::EditAttendees, HERE, mine), |d| *d == Allowed),
            ("an associate asks for payment on their own", &associate, appt(A::RequestPayment, HERE, mine), |d| *d == Allowed),
            ("an associate may not refund, even their own", &associate, appt(A::Refund, HERE, mine), forbidden),
            ("a manager refunds in their store", &manager, appt(A::Refund, HERE, mine), |d| *d == Allowed),
            ("attendees of a colleague's appointment stay invisible", &associate, appt(A::EditAttendees, HERE, colleagues), |d| *d == Hidden),
            ("an associate books with themselves", &associate, Action::BookFor { store: HERE, associate: mine }, |d| *d == Allowed),
            ("an associate may not book for a colleague", &associate, Action::BookFor { store: HERE, associate: colleagues }, forbidden),
            ("an associate may not book an unassigned request", &associate, Action::BookFor { store: HERE, associate: None }, forbidden),
            ("a manager books for anyone of their store", &manager, Action::BookFor { store: HERE, associate: colleagues }, |d| *d == Allowed),
            ("nobody books in a store they do not work in", &manager, Action::BookFor { store: ELSEWHERE, associate: None }, |d| *d == Hidden),
            ("an associate reads their conversation", &associate, Action::Conversation { store: HERE, associate: mine }, |d| *d == Allowed),
            ("an associate does not read a colleague's", &associate, Action::Conversation { store: HERE, associate: colleagues }, |d| *d == Hidden),
            ("a manager reads unassigned conversations", &manager, Action::Conversation { store: HERE, associate: None }, |d| *d == Allowed),
            ("an associate finds their store's clients", &associate, Action::Clients { store: HERE }, |d| *d == Allowed),
            ("nobody finds another store's clients", &associate, Action::Clients { store: ELSEWHERE }, |d| *d == Hidden),
            ("a manager changes the store's settings", &manager, Action::StoreSettings { store: HERE }, |d| *d == Allowed),
            ("an associate may not", &associate, Action::StoreSettings { store: HERE }, forbidden),
            ("an admin manages stores", &admin, Action::Stores, |d| *d == Allowed),
            ("a manager does not create stores", &manager, Action::Stores, forbidden),
            ("a manager edits their store's services", &manager, Action::Services { store: HERE }, |d| *d == Allowed),
            ("an associate may not", &associate, Action::Services { store: HERE }, forbidden),
            ("nobody sees another store's services", &manager, Action::Services { store: ELSEWHERE }, |d| *d == Hidden),
            ("a manager invites into their store", &manager, Action::People { store: HERE }, |d| *d == Allowed),
            ("an associate may not", &associate, Action::People { store: HERE }, forbidden),
            ("nobody manages another store's staff", &manager, Action::People { store: ELSEWHERE }, |d| *d == Hidden),
            ("only admins make admins", &manager, Action::Admins, forbidden),
            ("admins do", &admin, Action::Admins, |d| *d == Allowed),
            ("an associate sets their own hours", &associate, Action::Schedule { store: HERE, person: ASSOCIATE }, |d| *d == Allowed),
            ("but not a colleague's", &associate, Action::Schedule { store: HERE, person: COLLEAGUE }, forbidden),
            ("a manager sets their staff's", &manager, Action::Schedule { store: HERE, person: ASSOCIATE }, |d| *d == Allowed),
            ("not in another store", &manager, Action::Schedule { store: ELSEWHERE, person: ASSOCIATE }, |d| *d == Hidden),
            ("another store's settings are invisible", &manager, Action::StoreSettings { store: ELSEWHERE }, |d| *d == Hidden),
            ("a manager tests the store's channels", &manager, Action::TestChannels { store: HERE }, |d| *d == Allowed),
            ("to an associate the channels do not exist", &associate, Action::TestChannels { store: HERE }, |d| *d == Hidden),
            ("managers see the queue", &manager, Action::Queue, |d| *d == Allowed),
            ("associates do not", &associate, Action::Queue, forbidden),
            ("admins run integrations", &admin, Action::Integrations, |d| *d == Allowed),
            ("managers do not", &manager, Action::Integrations, forbidden),
        ];
        for (name, me, action, expected) in table {
            let got = decide(me, action);
            assert!(expected(&got), "{name}: got {got:?}");
        }
    }

    #[test]
    fn lists_cover_what_a_person_manages() {
        assert_eq!(managed_stores(&person(ADMIN, true, None)), vec![HERE, ELSEWHERE]);
        assert_eq!(managed_stores(&person(MANAGER, false, Some(StoreRole::Manager))), vec![HERE]);
        assert!(managed_stores(&person(ASSOCIATE, false, Some(StoreRole::Associate))).is_empty());
    }

    #[test]
    fn live_refreshes_reach_whoever_may_see_the_appointment() {
        let at = |id, is_admin, role| Standing { id, is_admin, role };
        assert!(sees_appointment_change(at(MANAGER, false, Some(StoreRole::Manager)), None, None));
        assert!(sees_appointment_change(at(ADMIN, true, None), None, None));
        assert!(sees_appointment_change(
            at(ASSOCIATE, false, Some(StoreRole::Associate)),
            Some(ASSOCIATE),
            None
        ));
        assert!(sees_appointment_change(
            at(ASSOCIATE, false, Some(StoreRole::Associate)),
            Some(COLLEAGUE),
            Some(ASSOCIATE)
        ));
        assert!(!sees_appointment_change(
            at(ASSOCIATE, false, Some(StoreRole::Associate)),
            Some(COLLEAGUE),
            None
        ));
    }
}
