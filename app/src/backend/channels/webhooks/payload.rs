//! The webhook body, in the shape of the Booxi contract integrators already
//! code against (`content.client`, `content.booking`, `previousBooking`,
//! `additionalRequest`, `modifiedBy`), plus what it leaves out:
//! `changedFields` and a per-appointment `version` to order events by.
//! Pure: built from facts read in one batch by the dispatcher.

use crate::domain::appointment::{AppointmentSnapshot, AppointmentStatus, ChangedField, ClientCommunication, Presence, Source};
use crate::domain::event::ActorKind;
use crate::domain::ids::{AppointmentId, ClientId, ConversationId, ServiceId, StaffId, StoreId};
use crate::domain::time::UnixTime;
use crate::domain::webhooks::WebhookEventType;
use crate::rules::client::ClientActions;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

/// An appointment as one version saw it, with the names its ids stand for.
#[derive(Clone, Debug)]
pub struct BookingFacts {
    pub id: AppointmentId,
    pub version: i64,
    pub status: AppointmentStatus,
    pub presence: Presence,
    pub completed: bool,
    pub client_communication: ClientCommunication,
    pub starts_at: UnixTime,
    pub ends_at: UnixTime,
    pub service_id: ServiceId,
    pub service_name: String,
    pub staff_id: Option<StaffId>,
    pub staff_name: Option<String>,
    pub store_id: StoreId,
    pub store_name: String,
    pub store_address: String,
    pub time_zone: String,
    pub notes: String,
    pub source: Source,
}

/// Where a booking is, by name: what a snapshot's ids stand for.
pub struct Names<'a> {
    pub service: &'a str,
    pub staff: Option<&'a str>,
    pub store: &'a str,
    pub store_address: &'a str,
    pub time_zone: &'a str,
}

impl BookingFacts {
    pub fn from_snapshot(id: AppointmentId, version: i64, s: &AppointmentSnapshot, names: Names) -> Self {
        BookingFacts {
            id,
            version,
            status: s.status,
            presence: s.presence,
            completed: s.completed,
            client_communication: s.client_communication,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            service_id: s.service_id,
            service_name: names.service.to_string(),
            staff_id: s.associate_id,
            staff_name: names.staff.map(str::to_string),
            store_id: s.store_id,
            store_name: names.store.to_string(),
            store_address: names.store_address.to_string(),
            time_zone: names.time_zone.to_string(),
            notes: s.notes.clone(),
            source: s.source,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ClientFacts {
    pub id: ClientId,
    pub name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub language: crate::i18n::Language,
    pub remind_by_email: bool,
    pub remind_by_sms: bool,
}

/// The tracking page of the booking, as of when the message was made.
pub struct Tracking<'a> {
    pub view_url: &'a str,
    pub actions: ClientActions,
}

/// What a message says besides the booking.
pub struct Envelope<'a> {
    pub msg_id: &'a str,
    pub event_type: WebhookEventType,
    pub timestamp: UnixTime,
    pub modified_by: ActorKind,
    pub changed_fields: &'a [ChangedField],
    /// For `message.received`: the conversation and the start of the message.
    pub message: Option<(ConversationId, &'a str)>,
    /// People coming along: (name, email). They are told too when clientCommunication is ClientAndAttendees.
    pub attendees: &'a [(String, String)],
}

pub fn rfc3339(t: UnixTime) -> String {
    DateTime::<Utc>::from_timestamp(t.secs(), 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A point in time three ways: UTC, the store's local time with its offset, and the zone's name.
fn instant(t: UnixTime, tz: Tz) -> Value {
    let local = DateTime::<Utc>::from_timestamp(t.secs(), 0).unwrap_or_default().with_timezone(&tz);
    json!({
        "utc": rfc3339(t),
        "local": local.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        "timeZone": tz.name(),
    })
}

pub fn booking(b: &BookingFacts, tracking: Option<&Tracking>) -> Value {
    let tz: Tz = crate::backend::time::zone(&b.time_zone);
    let mut v = json!({
        "id": b.id,
        "version": b.version,
        "status": b.status,
        "clientPresence": b.presence,
        "isCompleted": b.completed,
        "clientCommunication": b.client_communication,
        "source": b.source,
        "start": instant(b.starts_at, tz),
        "end": instant(b.ends_at, tz),
        "durationMinutes": (b.ends_at - b.starts_at).whole_minutes(),
        "service": {"id": b.service_id, "name": b.service_name},
        "staff": b.staff_id.map(|id| json!({"id": id, "name": b.staff_name.clone().unwrap_or_default()})),
        "location": {"storeId": b.store_id, "name": b.store_name, "address": b.store_address},
    });
    if let Some(t) = tracking {
        v["trackingPage"] = json!({
            "viewURL": t.view_url,
            "canConfirm": t.actions.can_confirm,
            "canModify": t.actions.can_modify,
            "canCancel": t.actions.can_cancel,
        });
    }
    v
}

pub fn render(env: &Envelope, client: &ClientFacts, current: &BookingFacts, previous: Option<&BookingFacts>, tracking: &Tracking) -> Value {
    let mut content = json!({
        "client": {
            "id": client.id,
            "name": client.name,
            "email": client.email,
            "mobile": client.mobile,
            "language": client.language,
            "remindByEmail": client.remind_by_email,
            "remindBySMS": client.remind_by_sms,
            // Booxi's documents read the presence from the client; it is also `booking.clientPresence`.
            "presence": current.presence,
        },
        "booking": booking(current, Some(tracking)),
        "previousBooking": previous.map(|p| booking(p, None)),
        "additionalRequest": current.notes,
        "attendees": env.attendees.iter().map(|(name, email)| json!({"name": name, "email": email})).collect::<Vec<_>>(),
        "modifiedBy": env.modified_by,
        "changedFields": env.changed_fields,
        "version": current.version,
    });
    if let Some((conversation_id, preview)) = env.message {
        content["message"] = json!({"conversationId": conversation_id, "preview": preview});
    }
    json!({
        "type": env.event_type,
        "id": env.msg_id,
        "timestamp": rfc3339(env.timestamp),
        "content": content,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(version: i64, starts_at: i64, staff: Option<(i64, &str)>) -> BookingFacts {
        BookingFacts {
            id: AppointmentId(42),
            version,
            status: AppointmentStatus::Approved,
            presence: Presence::Expecting,
            completed: false,
            client_communication: ClientCommunication::ClientOnly,
            starts_at: UnixTime(starts_at),
            ends_at: UnixTime(starts_at + 45 * 60),
            service_id: ServiceId(1),
            service_name: "Haircut".into(),
            staff_id: staff.map(|s| StaffId(s.0)),
            staff_name: staff.map(|s| s.1.to_string()),
            store_id: StoreId(1),
            store_name: "Downtown".into(),
            store_address: "12 High Street".into(),
            time_zone: "Europe/Paris".into(),
            notes: "Window seat".into(),
            source: Source::Online,
        }
    }

    #[test]
    fn the_payload_has_every_field_the_booxi_contract_names() {
        let client = ClientFacts {
            id: ClientId(7),
            name: "Ann Lee".into(),
            email: Some("ann@example.com".into()),
            mobile: None,
            language: crate::i18n::Language::parse("fr").expect("French is a language"),
            remind_by_email: true,
            remind_by_sms: false,
        };
        let changed = vec![ChangedField::Start, ChangedField::Staff];
        let v = render(
            &Envelope {
                msg_id: "msg_1",
                event_type: WebhookEventType::AppointmentUpdated,
                timestamp: UnixTime(1_800_000_000),
                modified_by: ActorKind::Staff,
                changed_fields: &changed,
                message: None,
                attendees: &[("Bo Lee".into(), "bo@example.com".into())],
            },
            &client,
            &facts(3, 1_800_003_600, Some((5, "Ben"))),
            Some(&facts(2, 1_800_000_000, None)),
            &Tracking {
                view_url: "https://x/t/abc",
                actions: ClientActions {
                    can_modify: true,
                    can_cancel: true,
                    can_confirm: false,
                },
            },
        );
        assert_eq!(v["type"], "appointment.updated");
        assert_eq!(v["id"], "msg_1");
        assert_eq!(v["timestamp"], "2027-01-15T08:00:00Z");
        let c = &v["content"];
        assert_eq!(c["client"]["remindBySMS"], false);
        assert_eq!(c["client"]["language"], "fr");
        assert_eq!(c["booking"]["start"]["utc"], "2027-01-15T09:00:00Z");
        assert_eq!(c["booking"]["start"]["local"], "2027-01-15T10:00:00+01:00", "the store's zone");
        assert_eq!(c["booking"]["staff"]["name"], "Ben");
        assert_eq!(c["booking"]["trackingPage"]["canModify"], true);
        assert_eq!(c["booking"]["location"]["address"], "12 High Street");
        assert_eq!(c["previousBooking"]["staff"], Value::Null);
        assert!(c["previousBooking"].get("trackingPage").is_none());
        assert_eq!(c["changedFields"], json!(["start", "staff"]));
        assert_eq!(c["attendees"], json!([{"name": "Bo Lee", "email": "bo@example.com"}]));
        assert_eq!(
            (c["version"].as_i64(), c["additionalRequest"].as_str()),
            (Some(3), Some("Window seat"))
        );
    }
}
