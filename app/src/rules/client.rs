//! What the client is told, and what the client may do: pure functions of an
//! appointment's state, shared by the message dispatcher, the tracking page
//! and (later) the webhook payload, so all three always agree.

use crate::i18n::Language;
use serde::{Deserialize, Serialize};

use crate::domain::appointment::{AppointmentStatus, Presence};
use crate::domain::time::{Seconds, UnixTime};

crate::domain::text_enum! {
    /// One kind of message to a client (and their attendees).
    pub enum MessageKind {
        /// An online request the store will approve later.
        RequestReceived = "request_received",
        /// The booking is confirmed (created approved, approved, or a proposed change confirmed).
        Confirmation = "confirmation",
        /// The date/time or the associate changed.
        Changed = "changed",
        /// The store changed the booking and asks the client to confirm.
        PleaseConfirm = "please_confirm",
        CancelledByStore = "cancelled_by_store",
        /// The client cancelled: confirmation of their own cancellation.
        CancellationConfirmed = "cancellation_confirmed",
        /// The client did not come: invite them to book again.
        NoShow = "no_show",
        /// After completion, when the store has thank-yous on.
        ThankYou = "thank_you",
        Reminder = "reminder",
        /// Some time after completion: time to book again.
        Recall = "recall",
        /// Sent by staff from the settings page to check the channels work.
        Test = "test",
        /// A staff member answered the client's message from the tracking page.
        StoreReply = "store_reply",
        /// Staff ask the client to pay: the payment link.
        PaymentRequest = "payment_request",
        /// The client paid: their receipt.
        PaymentReceipt = "payment_receipt",
        /// Money was given back on a payment.
        RefundIssued = "refund_issued",
        /// An online booking is held until its deposit is paid: the link to pay it.
        DepositRequest = "deposit_request",
        /// The deposit was not paid in time and the held time was released.
        HoldReleased = "hold_released",
    }
}

impl MessageKind {
    /// For staff screens (in the fallback language, like the rest of the staff app).
    pub fn label(self) -> &'static str {
        crate::i18n::fallback_text(match self {
            MessageKind::RequestReceived => "message-kind-request-received",
            MessageKind::Confirmation => "message-kind-confirmation",
            MessageKind::Changed => "message-kind-changed",
            MessageKind::PleaseConfirm => "message-kind-please-confirm",
            MessageKind::CancelledByStore => "message-kind-cancelled-by-store",
            MessageKind::CancellationConfirmed => "message-kind-cancellation-confirmed",
            MessageKind::NoShow => "message-kind-no-show",
            MessageKind::ThankYou => "message-kind-thank-you",
            MessageKind::Reminder => "message-kind-reminder",
            MessageKind::Recall => "message-kind-recall",
            MessageKind::Test => "message-kind-test",
            MessageKind::StoreReply => "message-kind-store-reply",
            MessageKind::PaymentRequest => "message-kind-payment-request",
            MessageKind::PaymentReceipt => "message-kind-payment-receipt",
            MessageKind::RefundIssued => "message-kind-refund-issued",
            MessageKind::DepositRequest => "message-kind-deposit-request",
            MessageKind::HoldReleased => "message-kind-hold-released",
        })
    }

    /// Written to the client about their own money or by a person: it goes to
    /// them alone, whatever the booking's update setting says.
    pub fn to_client_alone(self) -> bool {
        matches!(
            self,
            MessageKind::StoreReply
                | MessageKind::PaymentRequest
                | MessageKind::PaymentReceipt
                | MessageKind::RefundIssued
                | MessageKind::DepositRequest
                | MessageKind::HoldReleased
        )
    }
}

/// What the client may do on the tracking page right now. The same three
/// flags go into messages (which buttons) and webhook payloads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientActions {
    pub can_modify: bool,
    pub can_cancel: bool,
    pub can_confirm: bool,
}

/// The parts of an appointment's state the client's actions depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BookingState {
    pub status: AppointmentStatus,
    pub presence: Presence,
    pub completed: bool,
    pub starts_at: UnixTime,
    /// The store's cut-off: no online changes this many hours before the start.
    pub cutoff_hours: i64,
    /// Held for its deposit: nothing to change until it is paid (the store has not seen it).
    pub held: bool,
}

/// A client action on the tracking page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAction {
    Modify,
    Cancel,
    Confirm,
}

impl ClientAction {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "modify" => Some(Self::Modify),
            "cancel" => Some(Self::Cancel),
            "confirm" => Some(Self::Confirm),
            _ => None,
        }
    }

    /// As `parse` reads it (the tracking page's `?action=`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Modify => "modify",
            Self::Cancel => "cancel",
            Self::Confirm => "confirm",
        }
    }
}

/// Why an action is not offered, as a reason a client can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Cancelled,
    Completed,
    NoShow,
    Started,
    PastCutoff,
    /// Modify while the store has not approved the request yet.
    AwaitingStore,
    /// Confirm when nothing awaits the client's confirmation.
    NothingToConfirm,
    /// The booking waits for its deposit.
    AwaitingDeposit,
}

impl BookingState {
    /// The booking as one version recorded it: what the client could do right
    /// after that change. Client messages and webhook payloads both use it, so
    /// what they advertise for one event agrees.
    pub fn after(snapshot: &crate::domain::appointment::AppointmentSnapshot, cutoff_hours: i64) -> Self {
        BookingState {
            status: snapshot.status,
            presence: snapshot.presence,
            completed: snapshot.completed,
            starts_at: snapshot.starts_at,
            cutoff_hours,
            held: false,
        }
    }

    fn closed(&self, now: UnixTime) -> Option<Refusal> {
        use AppointmentStatus as S;
        if self.status == S::Cancelled {
            Some(Refusal::Cancelled)
        } else if self.completed {
            Some(Refusal::Completed)
        } else if self.presence == Presence::NoShow {
            Some(Refusal::NoShow)
        } else if self.starts_at <= now {
            Some(Refusal::Started)
        } else if self.held {
            Some(Refusal::AwaitingDeposit)
        } else {
            None
        }
    }

    /// `Ok` when the client may take `action` now, else why not.
    pub fn check(&self, action: ClientAction, now: UnixTime) -> Result<(), Refusal> {
        use AppointmentStatus as S;
        if let Some(r) = self.closed(now) {
            return Err(r);
        }
        let past_cutoff = self.starts_at - Seconds::hours(self.cutoff_hours) <= now;
        match action {
            // Confirming what the store proposed is always welcome before the start.
            ClientAction::Confirm if self.status == S::PendingClientApproval => Ok(()),
            ClientAction::Confirm => Err(Refusal::NothingToConfirm),
            _ if past_cutoff => Err(Refusal::PastCutoff),
            ClientAction::Modify if self.status == S::PendingStaffApproval => Err(Refusal::AwaitingStore),
            ClientAction::Modify | ClientAction::Cancel => Ok(()),
        }
    }

    pub fn actions(&self, now: UnixTime) -> ClientActions {
        ClientActions {
            can_modify: self.check(ClientAction::Modify, now).is_ok(),
            can_cancel: self.check(ClientAction::Cancel, now).is_ok(),
            can_confirm: self.check(ClientAction::Confirm, now).is_ok(),
        }
    }
}

impl Refusal {
    /// In the client's language (a language code; one we do not have reads
    /// in the fallback language).
    pub fn message(self, lang: &str, cutoff_hours: i64) -> String {
        use crate::i18n::{text, tr, Args};
        let lang = Language::parse(lang).unwrap_or_else(|_| Language::fallback());
        match self {
            Refusal::Cancelled => text(lang, "refusal-cancelled"),
            Refusal::Completed => text(lang, "refusal-completed"),
            Refusal::NoShow => text(lang, "refusal-no-show"),
            Refusal::Started => text(lang, "refusal-started"),
            Refusal::PastCutoff => tr(lang, "refusal-past-cutoff", &Args::new().with("hours", cutoff_hours)),
            Refusal::AwaitingStore => text(lang, "refusal-awaiting-store"),
            Refusal::NothingToConfirm => text(lang, "refusal-nothing-to-confirm"),
            Refusal::AwaitingDeposit => text(lang, "refusal-awaiting-deposit"),
        }
    }
}

#[cfg(any(feature = "ssr", test))]
pub use decide::*;

#[cfg(any(feature = "ssr", test))]
mod decide {
    use super::MessageKind;
    use crate::domain::appointment::{AppointmentStatus, ChangedField, ClientCommunication};
    use crate::domain::event::{Actor, Happening};
    use crate::domain::ids::StaffId;
    use crate::domain::messages::{Channel, SentBy};

    /// What a committed event says about the booking, as far as the client's message goes.
    pub struct ClientEvent<'a> {
        pub happening: &'a Happening,
        pub actor: Actor,
        /// The status after the change.
        pub status: AppointmentStatus,
        pub changed_fields: &'a [ChangedField],
        /// The associate the client was shown before the change, if any.
        pub previous_associate: Option<StaffId>,
        pub thank_you_enabled: bool,
    }

    /// Which client message an event calls for (the Booxi list of "which
    /// message for which event"), before `clientCommunication` is applied.
    pub fn message_for(e: &ClientEvent) -> Option<MessageKind> {
        use AppointmentStatus as S;
        let changed = |f: ChangedField| e.changed_fields.contains(&f);
        match e.happening {
            Happening::Created { .. } => Some(match e.status {
                S::Approved => MessageKind::Confirmation,
                S::PendingStaffApproval => MessageKind::RequestReceived,
                S::PendingClientApproval => MessageKind::PleaseConfirm,
                S::Cancelled => return None,
            }),
            Happening::Approved { .. } => Some(MessageKind::Confirmation),
            Happening::Updated { .. } | Happening::Assigned { .. } => {
                if changed(ChangedField::Status) && e.status == S::PendingClientApproval {
                    return Some(MessageKind::PleaseConfirm);
                }
                if changed(ChangedField::Status) && e.status == S::Approved {
                    // A change that also confirmed the booking (the client picked a new time for a proposed change).
                    return Some(MessageKind::Confirmation);
                }
                // Only what the client would act on: the time, or the person
                // they were expecting. Routing a request that named nobody, a
                // new service or notes alone say nothing to them. (A store has
                // one address; when appointments can move between locations,
                // a location field joins `ChangedField` and this rule.)
                let staff_they_expected = changed(ChangedField::Staff) && e.previous_associate.is_some();
                let matters = changed(ChangedField::Start) || staff_they_expected;
                (matters && e.status != S::Cancelled).then_some(MessageKind::Changed)
            }
            Happening::Cancelled { .. } => Some(match e.actor {
                Actor::Client => MessageKind::CancellationConfirmed,
                _ => MessageKind::CancelledByStore,
            }),
            Happening::NoShow { .. } => Some(MessageKind::NoShow),
            Happening::Completed { .. } => e.thank_you_enabled.then_some(MessageKind::ThankYou),
            Happening::Reminder { .. } => Some(MessageKind::Reminder),
            Happening::StaffReplied => Some(MessageKind::StoreReply),
            Happening::Recall => Some(MessageKind::Recall),
            Happening::PaymentRequested { .. } => Some(MessageKind::PaymentRequest),
            Happening::PaymentReceived { .. } => Some(MessageKind::PaymentReceipt),
            Happening::PaymentRefunded { .. } => Some(MessageKind::RefundIssued),
            Happening::DepositHeld => Some(MessageKind::DepositRequest),
            Happening::HoldReleased => Some(MessageKind::HoldReleased),
            Happening::AwaitingAssignment
            | Happening::MessageReceived { .. }
            | Happening::ConversationOverdue { .. }
            | Happening::WebhookEndpointDisabled { .. }
            | Happening::DuringTimeOff { .. } => None,
        }
    }

    /// The client's ways to be reached and their reminder choices.
    pub struct ClientContact<'a> {
        pub email: Option<&'a str>,
        pub mobile: Option<&'a str>,
        pub remind_by_email: bool,
        pub remind_by_sms: bool,
    }

    /// Who gets a copy, on which channel.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Addressee {
        Client(Channel),
        /// Index into the booking's attendees.
        Attendee(usize),
        /// Recorded as skipped, with why.
        Skipped(&'static str),
    }

    pub const SENT_BY_INTEGRATION: &str = "This store sends its client messages with its own tools, from webhooks.";

    /// Applies who sends, `clientCommunication` and the client's channels.
    pub fn copies(
        kind: MessageKind,
        sender: SentBy,
        comm: ClientCommunication,
        client: &ClientContact,
        attendees: usize,
    ) -> Vec<Addressee> {
        if sender == SentBy::Integration {
            return vec![Addressee::Skipped(SENT_BY_INTEGRATION)];
        }
        if kind.to_client_alone() {
            // About their own money, or written to them by a person: it goes
            // to them whatever the booking's update setting says, and to nobody else.
            return match (client.email, client.mobile) {
                (Some(_), _) => vec![Addressee::Client(Channel::Email)],
                (None, Some(_)) => vec![Addressee::Client(Channel::Sms)],
                (None, None) => vec![Addressee::Skipped("The client has neither an email address nor a mobile number.")],
            };
        }
        if comm == ClientCommunication::DoNotSend {
            return vec![Addressee::Skipped("The booking is set to not send messages to the client.")];
        }
        let mut out = Vec::new();
        if kind == MessageKind::Reminder {
            // Reminders go the way the client asked for, and only then.
            if client.remind_by_email && client.email.is_some() {
                out.push(Addressee::Client(Channel::Email));
            }
            if client.remind_by_sms && client.mobile.is_some() {
                out.push(Addressee::Client(Channel::Sms));
            }
            if out.is_empty() {
                out.push(Addressee::Skipped("The client did not ask for reminders."));
            }
        } else if client.email.is_some() {
            out.push(Addressee::Client(Channel::Email));
        } else if client.mobile.is_some() {
            out.push(Addressee::Client(Channel::Sms));
        } else {
            out.push(Addressee::Skipped("The client has neither an email address nor a mobile number."));
        }
        if comm == ClientCommunication::ClientAndAttendees {
            out.extend((0..attendees).map(Addressee::Attendee));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appointment::{AppointmentStatus as S, ChangedField, ClientCommunication as C, Presence, Source};
    use crate::domain::event::{Actor, Happening};
    use crate::domain::ids::StaffId;
    use crate::domain::messages::{Channel, SentBy};
    use crate::domain::time::UnixTime;

    fn fields(f: &[ChangedField]) -> Vec<ChangedField> {
        f.to_vec()
    }

    /// The Booxi document's "which message for which event" list, one row each.
    #[test]
    #[allow(clippy::type_complexity)] // a table row: one tuple per case
    fn each_booking_change_calls_for_its_client_message() {
        let created = Happening::Created {
            source: Source::Online,
            associate_id: None,
            awaiting_approval: true,
        };
        let updated = Happening::Updated {
            associate_id: Some(StaffId(7)),
            changes: vec![],
        };
        let assigned_from_nobody = Happening::Assigned {
            previous: None,
            new: StaffId(7),
        };
        let reassigned = Happening::Assigned {
            previous: Some(StaffId(6)),
            new: StaffId(7),
        };
        let staff = Actor::Staff(StaffId(1));
        #[rustfmt::skip]
        let table: Vec<(&str, Happening, Actor, S, Vec<ChangedField>, Option<StaffId>, bool, Option<MessageKind>)> = vec![
            ("created approved -> confirmation", created.clone(), Actor::Client, S::Approved, vec![], None, true, Some(MessageKind::Confirmation)),
            ("created pending staff -> request received", created.clone(), Actor::Client, S::PendingStaffApproval, vec![], None, true, Some(MessageKind::RequestReceived)),
            ("created pending client -> please confirm", created.clone(), staff, S::PendingClientApproval, vec![], None, true, Some(MessageKind::PleaseConfirm)),
            ("approved by staff -> confirmation", Happening::Approved { associate_id: None }, staff, S::Approved, fields(&[ChangedField::Status]), None, true, Some(MessageKind::Confirmation)),
            ("client confirms a proposed change -> confirmation", Happening::Approved { associate_id: Some(StaffId(7)) }, Actor::Client, S::Approved, fields(&[ChangedField::Status]), None, true, Some(MessageKind::Confirmation)),
            ("update asks the client -> please confirm", updated.clone(), staff, S::PendingClientApproval, fields(&[ChangedField::Start, ChangedField::Status]), Some(StaffId(7)), true, Some(MessageKind::PleaseConfirm)),
            ("time changed -> changed", updated.clone(), staff, S::Approved, fields(&[ChangedField::Start]), Some(StaffId(7)), true, Some(MessageKind::Changed)),
            ("client moves their own booking -> changed", updated.clone(), Actor::Client, S::Approved, fields(&[ChangedField::Start]), Some(StaffId(7)), true, Some(MessageKind::Changed)),
            ("client picks a new time for a proposed change -> confirmation", updated.clone(), Actor::Client, S::Approved, fields(&[ChangedField::Start, ChangedField::Status]), Some(StaffId(7)), true, Some(MessageKind::Confirmation)),
            ("notes only -> nothing", updated.clone(), staff, S::Approved, fields(&[ChangedField::Details]), Some(StaffId(7)), true, None),
            ("service only -> nothing", updated.clone(), staff, S::Approved, fields(&[ChangedField::Service]), Some(StaffId(7)), true, None),
            ("requested associate replaced -> changed", reassigned, staff, S::Approved, fields(&[ChangedField::Staff]), Some(StaffId(6)), true, Some(MessageKind::Changed)),
            ("request routed to an associate -> nothing", assigned_from_nobody, staff, S::PendingStaffApproval, fields(&[ChangedField::Staff]), None, true, None),
            ("cancelled by the store -> cancelled by store", Happening::Cancelled { associate_id: Some(StaffId(7)) }, staff, S::Cancelled, fields(&[ChangedField::Status]), Some(StaffId(7)), true, Some(MessageKind::CancelledByStore)),
            ("cancelled by the client -> cancellation confirmed", Happening::Cancelled { associate_id: Some(StaffId(7)) }, Actor::Client, S::Cancelled, fields(&[ChangedField::Status]), Some(StaffId(7)), true, Some(MessageKind::CancellationConfirmed)),
            ("no-show -> no-show", Happening::NoShow { associate_id: Some(StaffId(7)) }, staff, S::Approved, fields(&[ChangedField::Presence]), Some(StaffId(7)), true, Some(MessageKind::NoShow)),
            ("completed, thank-yous on -> thank you", Happening::Completed { associate_id: Some(StaffId(7)) }, staff, S::Approved, fields(&[ChangedField::Completed]), Some(StaffId(7)), true, Some(MessageKind::ThankYou)),
            ("completed, thank-yous off -> nothing", Happening::Completed { associate_id: Some(StaffId(7)) }, staff, S::Approved, fields(&[ChangedField::Completed]), Some(StaffId(7)), false, None),
            ("reminder -> reminder", Happening::Reminder { associate_id: Some(StaffId(7)) }, Actor::System, S::Approved, vec![], Some(StaffId(7)), true, Some(MessageKind::Reminder)),
            ("recall -> recall", Happening::Recall, Actor::System, S::Approved, vec![], Some(StaffId(7)), true, Some(MessageKind::Recall)),
            ("staff reply -> store reply", Happening::StaffReplied, staff, S::Approved, vec![], Some(StaffId(7)), true, Some(MessageKind::StoreReply)),
            ("payment link -> payment request", Happening::PaymentRequested { associate_id: Some(StaffId(7)) }, staff, S::Approved, vec![], Some(StaffId(7)), true, Some(MessageKind::PaymentRequest)),
            ("paid -> receipt", Happening::PaymentReceived { associate_id: None }, Actor::Client, S::PendingStaffApproval, vec![], None, true, Some(MessageKind::PaymentReceipt)),
            ("refunded -> refund notice", Happening::PaymentRefunded { associate_id: Some(StaffId(7)) }, staff, S::Cancelled, vec![], Some(StaffId(7)), true, Some(MessageKind::RefundIssued)),
            ("deposit held -> the link to pay it", Happening::DepositHeld, Actor::Client, S::PendingStaffApproval, vec![], None, true, Some(MessageKind::DepositRequest)),
            ("hold released -> released", Happening::HoldReleased, Actor::System, S::Cancelled, fields(&[ChangedField::Status]), None, true, Some(MessageKind::HoldReleased)),
            ("unassigned escalation -> nothing", Happening::AwaitingAssignment, Actor::System, S::PendingStaffApproval, vec![], None, true, None),
        ];
        for (name, happening, actor, status, changed_fields, previous_associate, thank_you_enabled, want) in table {
            let got = message_for(&ClientEvent {
                happening: &happening,
                actor,
                status,
                changed_fields: &changed_fields,
                previous_associate,
                thank_you_enabled,
            });
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    #[allow(clippy::type_complexity)] // a table row: one tuple per case
    fn client_communication_decides_who_gets_a_copy() {
        let both = ClientContact {
            email: Some("a@b.c"),
            mobile: Some("+15550001111"),
            remind_by_email: false,
            remind_by_sms: true,
        };
        let sms_only = ClientContact {
            email: None,
            mobile: Some("+15550001111"),
            remind_by_email: false,
            remind_by_sms: false,
        };
        use Channel::*;
        #[rustfmt::skip]
        let table: Vec<(&str, MessageKind, C, &ClientContact, usize, Vec<Addressee>)> = vec![
            ("do not send -> skipped", MessageKind::Confirmation, C::DoNotSend, &both, 2, vec![Addressee::Skipped("The booking is set to not send messages to the client.")]),
            ("client only -> email", MessageKind::Confirmation, C::ClientOnly, &both, 2, vec![Addressee::Client(Email)]),
            ("client and attendees -> each", MessageKind::Changed, C::ClientAndAttendees, &both, 2, vec![Addressee::Client(Email), Addressee::Attendee(0), Addressee::Attendee(1)]),
            ("no email -> sms", MessageKind::Confirmation, C::ClientOnly, &sms_only, 0, vec![Addressee::Client(Sms)]),
            ("reminder by the chosen channel", MessageKind::Reminder, C::ClientOnly, &both, 0, vec![Addressee::Client(Sms)]),
            ("reminder not asked for -> skipped", MessageKind::Reminder, C::ClientOnly, &sms_only, 0, vec![Addressee::Skipped("The client did not ask for reminders.")]),
            ("a staff reply reaches the client even with do not send", MessageKind::StoreReply, C::DoNotSend, &both, 2, vec![Addressee::Client(Email)]),
            ("a payment link goes to the client alone", MessageKind::PaymentRequest, C::ClientAndAttendees, &both, 2, vec![Addressee::Client(Email)]),
            ("a receipt reaches the client even with do not send", MessageKind::PaymentReceipt, C::DoNotSend, &sms_only, 1, vec![Addressee::Client(Sms)]),
            ("a refund notice goes to the client alone", MessageKind::RefundIssued, C::ClientAndAttendees, &both, 2, vec![Addressee::Client(Email)]),
        ];
        for (name, kind, comm, contact, attendees, want) in table {
            assert_eq!(copies(kind, SentBy::Frontdesk, comm, contact, attendees), want, "{name}");
        }
        // A store whose own tools send its client messages: Frontdesk sends none, and says why.
        for kind in MessageKind::ALL {
            assert_eq!(
                copies(kind, SentBy::Integration, C::ClientAndAttendees, &both, 2),
                vec![Addressee::Skipped(SENT_BY_INTEGRATION)],
                "{kind:?}"
            );
        }
    }

    #[test]
    fn client_actions_follow_the_booking_rules() {
        let now = UnixTime(1_000_000);
        let hour = crate::domain::time::Seconds::hours(1);
        let base = BookingState {
            status: S::Approved,
            presence: Presence::Expecting,
            completed: false,
            starts_at: now + crate::domain::time::Seconds::hours(48),
            cutoff_hours: 2,
            held: false,
        };
        let all = |m, c, f| ClientActions {
            can_modify: m,
            can_cancel: c,
            can_confirm: f,
        };
        #[rustfmt::skip]
        let table: Vec<(&str, BookingState, ClientActions)> = vec![
            ("approved, days ahead", base, all(true, true, false)),
            ("awaiting the store: cancel only", BookingState { status: S::PendingStaffApproval, ..base }, all(false, true, false)),
            ("awaiting the client: all three", BookingState { status: S::PendingClientApproval, ..base }, all(true, true, true)),
            ("inside the cut-off: confirm only", BookingState { status: S::PendingClientApproval, starts_at: now + hour, ..base }, all(false, false, true)),
            ("cancelled: nothing", BookingState { status: S::Cancelled, ..base }, all(false, false, false)),
            ("completed: nothing", BookingState { completed: true, ..base }, all(false, false, false)),
            ("no-show: nothing", BookingState { presence: Presence::NoShow, ..base }, all(false, false, false)),
            ("started: nothing", BookingState { status: S::PendingClientApproval, starts_at: now, ..base }, all(false, false, false)),
            ("held for its deposit: nothing until it is paid", BookingState { status: S::PendingStaffApproval, held: true, ..base }, all(false, false, false)),
        ];
        for (name, state, want) in table {
            assert_eq!(state.actions(now), want, "{name}");
        }
        let late = BookingState {
            starts_at: now + hour,
            ..base
        };
        assert_eq!(late.check(ClientAction::Cancel, now), Err(Refusal::PastCutoff));
        assert!(Refusal::PastCutoff.message("fr", 2).contains("2 h"));
        assert!(Refusal::PastCutoff.message("en", 1).contains("close 1 hour before"));
        assert!(Refusal::PastCutoff.message("en", 24).contains("close 24 hours before"));
        assert_eq!(Refusal::Cancelled.message("xx", 2), "This booking is cancelled.");
        assert_eq!(MessageKind::NoShow.label(), "Missed appointment");
    }
}
