//! An appointment's lifecycle, as stored and as sent.

text_enum! {
    /// Where a booking stands (the Booxi statuses).
    #[derive(Default)]
    pub enum AppointmentStatus {
        #[default]
        PendingStaffApproval = "PendingStaffApproval",
        Approved = "Approved",
        PendingClientApproval = "PendingClientApproval",
        Cancelled = "Cancelled",
    }
}

impl AppointmentStatus {
    /// Words a person reads (staff screens: the fallback language).
    pub fn label(self) -> &'static str {
        crate::i18n::fallback_text(match self {
            Self::PendingStaffApproval => "status-pending-staff-approval",
            Self::Approved => "status-approved",
            Self::PendingClientApproval => "status-pending-client-approval",
            Self::Cancelled => "status-cancelled",
        })
    }
}

text_enum! {
    /// Whether the client came; apart from the status, as in Booxi.
    #[derive(Default)]
    pub enum Presence {
        #[default]
        Expecting = "Expecting",
        NoShow = "NoShow",
    }
}

text_enum! {
    /// Whom messages about a change may go to, set by whoever makes it.
    #[derive(Default)]
    pub enum ClientCommunication {
        DoNotSend = "DoNotSend",
        #[default]
        ClientOnly = "ClientOnly",
        ClientAndAttendees = "ClientAndAttendees",
    }
}

text_enum! {
    /// How an appointment came to be.
    pub enum Source {
        /// The client booked on the public booking page.
        Online = "online",
        /// A staff member booked it for a client.
        Staff = "staff",
    }
}

text_enum! {
    /// What a change touched: the event's `changed_fields` and the webhook's `changedFields`.
    pub enum ChangedField {
        /// The date and time.
        Start = "start",
        Service = "service",
        /// The associate.
        Staff = "staff",
        /// The notes.
        Details = "details",
        Status = "status",
        Presence = "presence",
        Completed = "completed",
    }
}

use super::ids::{ClientId, ServiceId, StaffId, StoreId};
use super::time::UnixTime;

/// An appointment as one version recorded it (`appointment_versions.snapshot`):
/// what `previousBooking` shows and what the client could do right after that change.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AppointmentSnapshot {
    pub store_id: StoreId,
    pub client_id: ClientId,
    pub service_id: ServiceId,
    pub associate_id: Option<StaffId>,
    pub starts_at: UnixTime,
    pub ends_at: UnixTime,
    pub status: AppointmentStatus,
    pub presence: Presence,
    /// Stored as SQLite's 0/1.
    #[serde(deserialize_with = "bool_from_int_or_bool")]
    pub completed: bool,
    pub client_communication: ClientCommunication,
    pub source: Source,
    pub notes: String,
}

fn bool_from_int_or_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum IntOrBool {
        Int(i64),
        Bool(bool),
    }
    match <IntOrBool as serde::Deserialize>::deserialize(d)? {
        IntOrBool::Int(0) => Ok(false),
        IntOrBool::Int(1) => Ok(true),
        IntOrBool::Int(n) => Err(serde::de::Error::custom(format!("expected 0 or 1, found {n}"))),
        IntOrBool::Bool(b) => Ok(b),
    }
}
