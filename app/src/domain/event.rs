//! What the event log records: who acted, what happened, and the facts every
//! consumer of the log needs, so no dispatcher has to look the appointment up
//! again (and each sees it as it was, not as it is).

use super::appointment::{AppointmentStatus, ChangedField, ClientCommunication, Source};
use super::ids::{ConversationId, EndpointId, StaffId};
use super::payments::PaymentFacts;
use super::time::UnixTime;
use crate::i18n::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

text_enum! {
    /// Who made a change, as stored (`events.actor_kind`, `appointments.modified_by_kind`)
    /// and as the webhook's `modifiedBy`.
    pub enum ActorKind {
        Staff = "staff",
        Client = "client",
        System = "system",
    }
}

/// Who made a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "staff_id", rename_all = "snake_case")]
pub enum Actor {
    Staff(StaffId),
    Client,
    System,
}

/// A stored actor that cannot be: a staff actor without the staff member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaffActorWithoutStaff;

impl std::fmt::Display for StaffActorWithoutStaff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a staff actor without a staff id")
    }
}

impl std::error::Error for StaffActorWithoutStaff {}

impl Actor {
    pub fn kind(&self) -> ActorKind {
        match self {
            Actor::Staff(_) => ActorKind::Staff,
            Actor::Client => ActorKind::Client,
            Actor::System => ActorKind::System,
        }
    }
    /// The actor of a stored row (`actor_kind`, `actor_staff_id`).
    pub fn from_columns(kind: ActorKind, staff_id: Option<StaffId>) -> Result<Self, StaffActorWithoutStaff> {
        match (kind, staff_id) {
            (ActorKind::Staff, Some(id)) => Ok(Actor::Staff(id)),
            (ActorKind::Staff, None) => Err(StaffActorWithoutStaff),
            (ActorKind::Client, _) => Ok(Actor::Client),
            (ActorKind::System, _) => Ok(Actor::System),
        }
    }
    pub fn staff_id(&self) -> Option<StaffId> {
        match self {
            Actor::Staff(id) => Some(*id),
            _ => None,
        }
    }
}

/// What happened, as far as the channels care. The associate fields say who
/// has the appointment (or conversation) after the change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "happening", rename_all = "snake_case")]
pub enum Happening {
    Created {
        source: Source,
        associate_id: Option<StaffId>,
        /// The store approves requests by hand and this one waits for it
        /// (absent in events written before it was recorded: read as no).
        #[serde(default)]
        awaiting_approval: bool,
    },
    /// The associate changed (from none, or from someone else).
    Assigned {
        previous: Option<StaffId>,
        new: StaffId,
    },
    /// Date, time, service or details changed; the associate did not.
    Updated {
        associate_id: Option<StaffId>,
        changes: Vec<FieldChange>,
    },
    Approved {
        associate_id: Option<StaffId>,
    },
    Cancelled {
        associate_id: Option<StaffId>,
    },
    NoShow {
        associate_id: Option<StaffId>,
    },
    Completed {
        associate_id: Option<StaffId>,
    },
    /// Still unassigned after the store's escalation threshold (the scheduler, as `Actor::System`).
    AwaitingAssignment,
    /// A client wrote to the store; `associate_id` is the conversation's associate.
    MessageReceived {
        associate_id: Option<StaffId>,
    },
    /// A client's message is still unread after the store's threshold.
    ConversationOverdue {
        associate_id: Option<StaffId>,
    },
    /// The store's lead time before an approved appointment (the scheduler).
    /// Events written before the associate was recorded read back as `None`.
    Reminder {
        #[serde(default)]
        associate_id: Option<StaffId>,
    },
    /// The store's delay after a completed appointment: time to book again (the scheduler).
    Recall,
    /// A staff member answered a client's conversation (the client is written to).
    StaffReplied,
    /// Time off was added that covers this appointment of its associate: it
    /// stays booked, and the managers decide (reassign, move, cancel).
    DuringTimeOff {
        associate_id: StaffId,
    },
    /// A webhook endpoint was turned off after failing (410, or five days of failures).
    WebhookEndpointDisabled {
        endpoint_id: EndpointId,
    },
    /// Staff asked the client to pay (a payment link went out); `EventPayload::payment` says what.
    PaymentRequested {
        associate_id: Option<StaffId>,
    },
    /// The provider reported the client's payment.
    PaymentReceived {
        associate_id: Option<StaffId>,
    },
    /// The provider reported money given back on a payment.
    PaymentRefunded {
        associate_id: Option<StaffId>,
    },
    /// An online booking waits for its deposit (`EventPayload::payment`):
    /// its time is held, nobody at the store has been told yet. Paid, it is
    /// `Created`; not paid in time, `HoldReleased`.
    DepositHeld,
    /// The deposit was not paid in time: the held booking was cancelled and its time freed.
    HoldReleased,
}

text_enum! {
    /// The event log's `kind` column: one per `Happening` variant, for reading the log by eye and by SQL.
    pub enum EventKind {
        AppointmentCreated = "appointment.created",
        AppointmentAssigned = "appointment.assigned",
        AppointmentUpdated = "appointment.updated",
        AppointmentApproved = "appointment.approved",
        AppointmentCancelled = "appointment.cancelled",
        AppointmentNoShow = "appointment.no_show",
        AppointmentCompleted = "appointment.completed",
        AwaitingAssignment = "appointment.awaiting_assignment",
        MessageReceived = "message.received",
        ConversationOverdue = "conversation.overdue",
        Reminder = "appointment.remind",
        Recall = "appointment.recall",
        StaffReplied = "conversation.staff_replied",
        DuringTimeOff = "appointment.during_time_off",
        WebhookEndpointDisabled = "webhook.endpoint_disabled",
        PaymentRequested = "payment.requested",
        PaymentReceived = "payment.received",
        PaymentRefunded = "payment.refunded",
        DepositHeld = "appointment.deposit_held",
        HoldReleased = "appointment.hold_released",
    }
}

/// One changed field, in words: "Tue 4 Mar 14:00" -> "Wed 5 Mar 10:30".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field's name as staff read it ("When", "Associate").
    pub field: String,
    pub from: String,
    pub to: String,
}

impl Happening {
    pub fn event_kind(&self) -> EventKind {
        match self {
            Happening::Created { .. } => EventKind::AppointmentCreated,
            Happening::Assigned { .. } => EventKind::AppointmentAssigned,
            Happening::Updated { .. } => EventKind::AppointmentUpdated,
            Happening::Approved { .. } => EventKind::AppointmentApproved,
            Happening::Cancelled { .. } => EventKind::AppointmentCancelled,
            Happening::NoShow { .. } => EventKind::AppointmentNoShow,
            Happening::Completed { .. } => EventKind::AppointmentCompleted,
            Happening::AwaitingAssignment => EventKind::AwaitingAssignment,
            Happening::MessageReceived { .. } => EventKind::MessageReceived,
            Happening::ConversationOverdue { .. } => EventKind::ConversationOverdue,
            Happening::Reminder { .. } => EventKind::Reminder,
            Happening::Recall => EventKind::Recall,
            Happening::StaffReplied => EventKind::StaffReplied,
            Happening::DuringTimeOff { .. } => EventKind::DuringTimeOff,
            Happening::WebhookEndpointDisabled { .. } => EventKind::WebhookEndpointDisabled,
            Happening::PaymentRequested { .. } => EventKind::PaymentRequested,
            Happening::PaymentReceived { .. } => EventKind::PaymentReceived,
            Happening::PaymentRefunded { .. } => EventKind::PaymentRefunded,
            Happening::DepositHeld => EventKind::DepositHeld,
            Happening::HoldReleased => EventKind::HoldReleased,
        }
    }

    /// Whether this is a change to the booking itself (versus a reminder,
    /// recall, message or notice about it): only those have a "before".
    pub fn changes_booking(&self) -> bool {
        match self {
            Happening::Created { .. }
            | Happening::Assigned { .. }
            | Happening::Updated { .. }
            | Happening::Approved { .. }
            | Happening::Cancelled { .. }
            | Happening::NoShow { .. }
            | Happening::Completed { .. }
            | Happening::HoldReleased => true,
            Happening::AwaitingAssignment
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
            | Happening::DepositHeld => false,
        }
    }
}

/// The facts every event about an appointment carries, so dispatchers never
/// need to look the appointment up again (and see it as it was, not as it is).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppointmentFacts {
    pub store: String,
    pub client: String,
    /// In the store's default language.
    pub service: String,
    /// The service's name in the store's other languages, for the client's messages.
    #[serde(default)]
    pub service_translations: BTreeMap<Language, String>,
    /// The start in words, in the store's time zone ("Tue 24 Nov 2026, 10:30").
    pub when: String,
    pub starts_at: UnixTime,
    pub associate_id: Option<StaffId>,
    pub associate: Option<String>,
    pub status: AppointmentStatus,
    pub version: i64,
    pub changed_fields: Vec<ChangedField>,
    /// What changed, in words, for "Appointment updated" texts.
    #[serde(default)]
    pub changes: Vec<FieldChange>,
    /// Who made the change, in words ("the client", "Maya Manager").
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub ends_at: UnixTime,
    /// Whom client messages about this change may go to, as set at the time.
    #[serde(default)]
    pub client_communication: ClientCommunication,
    /// The state before the change (for "was ..." in client messages and previousBooking).
    #[serde(default)]
    pub previous_starts_at: Option<UnixTime>,
    #[serde(default)]
    pub previous_associate_id: Option<StaffId>,
    #[serde(default)]
    pub previous_associate: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPayload {
    pub happening: Happening,
    pub appointment: AppointmentFacts,
    /// For message events: the conversation, and the start of the message.
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
    #[serde(default)]
    pub preview: String,
    /// For a client's message: all of it (the webhook carries it whole; the
    /// bell shows the preview). Empty in events written before it was kept.
    #[serde(default)]
    pub message: String,
    /// For payment events: the payment.
    #[serde(default)]
    pub payment: Option<PaymentFacts>,
}
