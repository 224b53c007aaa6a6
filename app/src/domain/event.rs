//! What the event log records: who acted, what happened, and the facts every
//! consumer of the log needs, so no dispatcher has to look the appointment up
//! again (and each sees it as it was, not as it is).

use crate::model::{AppointmentStatus, ClientCommunication};
use serde::{Deserialize, Serialize};

/// Who made a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "staff_id", rename_all = "snake_case")]
pub enum Actor {
    Staff(i64),
    Client,
    System,
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::Staff(_) => "staff",
            Actor::Client => "client",
            Actor::System => "system",
        }
    }
    /// The actor of an `events` row (`actor_kind`, `actor_staff_id`).
    pub fn from_columns(kind: &str, staff_id: Option<i64>) -> Self {
        match (kind, staff_id) {
            ("staff", Some(id)) => Actor::Staff(id),
            ("client", _) => Actor::Client,
            _ => Actor::System,
        }
    }
    pub fn staff_id(&self) -> Option<i64> {
        match self {
            Actor::Staff(id) => Some(*id),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Online,
    Staff,
}

/// What happened to an appointment, as far as staff notifications care.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "happening", rename_all = "snake_case")]
pub enum Happening {
    Created {
        source: Source,
        associate_id: Option<i64>,
    },
    /// The associate changed (from none, or from someone else).
    Assigned {
        previous: Option<i64>,
        new: i64,
    },
    /// Date, time, service or details changed; the associate did not.
    Updated {
        associate_id: Option<i64>,
        changes: Vec<FieldChange>,
    },
    Approved {
        associate_id: Option<i64>,
    },
    Cancelled {
        associate_id: Option<i64>,
    },
    NoShow {
        associate_id: Option<i64>,
    },
    Completed {
        associate_id: Option<i64>,
    },
    /// Still unassigned after the store's escalation threshold (the scheduler, as `Actor::System`).
    AwaitingAssignment,
    /// A client wrote to the store; `associate_id` is the conversation's associate.
    MessageReceived {
        associate_id: Option<i64>,
    },
    /// A client's message is still unread after the store's threshold.
    ConversationOverdue {
        associate_id: Option<i64>,
    },
    /// The store's lead time before an approved appointment (the scheduler).
    Reminder,
    /// The store's delay after a completed appointment: time to book again (the scheduler).
    Recall,
    /// A staff member answered a client's conversation (the client is written to).
    StaffReplied,
    /// A webhook endpoint was turned off after failing (410, or five days of failures).
    WebhookEndpointDisabled {
        endpoint_id: i64,
    },
}

/// One changed field, in words: "Tue 4 Mar 14:00" -> "Wed 5 Mar 10:30".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub from: String,
    pub to: String,
}

impl Happening {
    /// The event-log kind (also the webhook family it maps to).
    pub fn event_kind(&self) -> &'static str {
        match self {
            Happening::Created { .. } => "appointment.created",
            Happening::Assigned { .. } => "appointment.assigned",
            Happening::Updated { .. } => "appointment.updated",
            Happening::Approved { .. } => "appointment.approved",
            Happening::Cancelled { .. } => "appointment.cancelled",
            Happening::NoShow { .. } => "appointment.no_show",
            Happening::Completed { .. } => "appointment.completed",
            Happening::AwaitingAssignment => "appointment.awaiting_assignment",
            Happening::MessageReceived { .. } => "message.received",
            Happening::ConversationOverdue { .. } => "conversation.overdue",
            Happening::Reminder => "appointment.remind",
            Happening::Recall => "appointment.recall",
            Happening::WebhookEndpointDisabled { .. } => "webhook.endpoint_disabled",
            Happening::StaffReplied => "conversation.staff_replied",
        }
    }
}

/// The facts every event about an appointment carries, so dispatchers never
/// need to look the appointment up again (and see it as it was, not as it is).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppointmentFacts {
    pub store: String,
    pub client: String,
    pub service: String,
    pub when: String,
    pub starts_at: i64,
    pub associate_id: Option<i64>,
    pub associate: Option<String>,
    pub status: AppointmentStatus,
    pub version: i64,
    pub changed_fields: Vec<String>,
    /// What changed, in words, for "Appointment updated" texts.
    #[serde(default)]
    pub changes: Vec<FieldChange>,
    /// Who made the change, in words ("the client", "Maya Manager").
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub ends_at: i64,
    /// Whom client messages about this change may go to, as set at the time.
    #[serde(default)]
    pub client_communication: ClientCommunication,
    /// The state before the change (for "was ..." in client messages and previousBooking).
    #[serde(default)]
    pub previous_starts_at: Option<i64>,
    #[serde(default)]
    pub previous_associate_id: Option<i64>,
    #[serde(default)]
    pub previous_associate: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPayload {
    pub happening: Happening,
    pub appointment: AppointmentFacts,
    /// For message events: the conversation, and the start of the message.
    #[serde(default)]
    pub conversation_id: Option<i64>,
    #[serde(default)]
    pub preview: String,
}
