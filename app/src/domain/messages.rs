//! What people are sent: bell items for staff, email and SMS for clients, and
//! the messages of a client's conversation with a store.

text_enum! {
    /// One kind of bell item.
    pub enum NotificationKind {
        /// An online request with nobody assigned yet.
        NewRequest = "new_request",
        /// A booking that names this associate from the start.
        NewAppointment = "new_appointment",
        AssignedToYou = "assigned",
        MovedAway = "moved_away",
        Updated = "updated",
        Approved = "approved",
        Cancelled = "cancelled",
        AwaitingAssignment = "awaiting_assignment",
        MessageReceived = "message_received",
        ConversationOverdue = "conversation_overdue",
        WebhookDisabled = "webhook_disabled",
        /// The reminder time of an associate's appointment: an upcoming visit.
        UpcomingVisit = "upcoming_visit",
        /// An appointment falls inside its associate's new time off.
        DuringTimeOff = "during_time_off",
        /// The client paid (through a payment link).
        PaymentReceived = "payment_received",
    }
}

text_enum! {
    /// How a client message travels.
    pub enum Channel {
        Email = "email",
        Sms = "sms",
    }
}

text_enum! {
    /// Who sends a store's client messages (a store setting).
    #[derive(Default)]
    pub enum SentBy {
        /// Frontdesk sends them by email and SMS.
        #[default]
        Frontdesk = "frontdesk",
        /// The store's own tools send them, from webhooks (Booxi's "completely
        /// replace the built-in notifications"): Frontdesk sends none.
        Integration = "integration",
    }
}

text_enum! {
    /// Where a client message stands.
    pub enum ClientMessageStatus {
        /// Waiting for the sender (or for its next attempt).
        Queued = "queued",
        Sent = "sent",
        /// Given up, or failed and waiting to be retried (`next_attempt_at` says which).
        Failed = "failed",
        /// Not sent on purpose; `status_reason` says why.
        Skipped = "skipped",
    }
}

text_enum! {
    /// Why an email about a staff account was sent.
    pub enum AccountEmailKind {
        Invitation = "invitation",
        PasswordReset = "password_reset",
        /// A bell item, for someone who chose email for its topic.
        Notification = "notification",
    }
}

text_enum! {
    /// Who wrote a message of a conversation.
    pub enum SenderKind {
        Client = "client",
        Staff = "staff",
    }
}

use super::ids::{AppointmentId, ConversationId, NotificationId};

/// The tag a bell item's push carries: pushes about the same conversation or
/// appointment replace each other on a device, and reading one closes it on
/// every device (the read receipt names the same tags).
pub fn push_tag(id: NotificationId, appointment: Option<AppointmentId>, conversation: Option<ConversationId>) -> String {
    match (conversation, appointment) {
        (Some(c), _) => format!("conversation-{c}"),
        (None, Some(a)) => format!("appointment-{a}"),
        (None, None) => format!("notification-{id}"),
    }
}
