//! The webhook body, in the shape of the Booxi contract integrators already
//! code against (`content.client`, `content.booking`, `previousBooking`,
//! `additionalRequest`, `modifiedBy`), plus what it leaves out:
//! `changedFields` and a per-appointment `version` to order events by.
//! Pure: built from facts read in one batch by the dispatcher.

use crate::domain::appointment::{AppointmentSnapshot, AppointmentStatus, ChangedField, ClientCommunication, Presence, Source};
use crate::domain::event::ActorKind;
use crate::domain::ids::{AppointmentId, ClientId, ConversationId, ServiceId, StaffId, StoreId};
use crate::domain::payments::{PaymentFacts, Provider};
use crate::domain::time::UnixTime;
use crate::domain::webhooks::WebhookEventType;
use crate::i18n::Language;
use crate::rules::client::ClientActions;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};
use std::collections::BTreeMap;

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
    /// The service's name in the store's other languages (where it has one).
    pub service_translations: BTreeMap<Language, String>,
    pub staff_id: Option<StaffId>,
    pub staff_name: Option<String>,
    pub store_id: StoreId,
    pub store_name: String,
    pub store_address: String,
    pub time_zone: String,
    /// The store's default language: the names above are in it.
    pub default_language: Language,
    pub notes: String,
    pub source: Source,
}

/// Where a booking is, by name: what a snapshot's ids stand for.
pub struct Names<'a> {
    pub service: &'a str,
    pub service_translations: Option<&'a BTreeMap<Language, String>>,
    pub staff: Option<&'a str>,
    pub store: &'a str,
    pub store_address: &'a str,
    pub time_zone: &'a str,
    pub default_language: Language,
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
            service_translations: names.service_translations.cloned().unwrap_or_default(),
            staff_id: s.associate_id,
            staff_name: names.staff.map(str::to_string),
            store_id: s.store_id,
            store_name: names.store.to_string(),
            store_address: names.store_address.to_string(),
            time_zone: names.time_zone.to_string(),
            default_language: names.default_language,
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
    /// Their link to join, for an appointment held by video.
    pub video_url: Option<String>,
}

/// The tracking page of the booking, as of when the message was made.
pub struct Tracking<'a> {
    pub view_url: &'a str,
    /// An image of the QR code of the client's link.
    pub qr_url: &'a str,
    pub actions: ClientActions,
}

/// Someone coming along, with their own link's QR code.
#[derive(Clone, Debug)]
pub struct AttendeeFacts {
    pub name: String,
    pub email: String,
    pub tracking_qr_url: String,
    pub video_url: Option<String>,
}

/// What a message says besides the booking.
pub struct Envelope<'a> {
    pub msg_id: &'a str,
    pub event_type: WebhookEventType,
    pub timestamp: UnixTime,
    pub modified_by: ActorKind,
    pub changed_fields: &'a [ChangedField],
    /// For `message.received`: the conversation and the whole message.
    pub message: Option<(ConversationId, &'a str)>,
    /// For `payment.received`: the payment.
    pub payment: Option<&'a PaymentFacts>,
    /// People coming along. They are told too when clientCommunication is ClientAndAttendees.
    pub attendees: &'a [AttendeeFacts],
    /// Staff's link to join, for an appointment held by video.
    pub staff_video_url: Option<&'a str>,
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

/// `translations` of an object: for every language Frontdesk writes other
/// than the store's default, the object's texts in it (Booxi's shape: the
/// data in the default language, the others here).
fn translations(default: Language, texts: impl Fn(Language) -> Value) -> Value {
    Value::Object(
        Language::all()
            .into_iter()
            .filter(|l| *l != default)
            .map(|l| (l.code().to_string(), texts(l)))
            .collect(),
    )
}

pub fn booking(b: &BookingFacts, tracking: Option<&Tracking>) -> Value {
    let tz: Tz = crate::backend::time::zone(&b.time_zone);
    let service = json!({
        "id": b.service_id,
        "name": b.service_name,
        "translations": translations(b.default_language, |l| json!({"name": b.service_translations.get(&l).unwrap_or(&b.service_name)})),
    });
    let staff = b.staff_id.map(|id| {
        let name = b.staff_name.clone().unwrap_or_default();
        json!({"id": id, "name": name, "translations": translations(b.default_language, |_| json!({"name": name}))})
    });
    let location = json!({
        "storeId": b.store_id,
        "name": b.store_name,
        "address": b.store_address,
        "defaultLanguage": b.default_language,
        "translations": translations(b.default_language, |_| json!({"name": b.store_name, "address": b.store_address})),
    });
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
        "service": service,
        "staff": staff,
        "location": location,
    });
    if let Some(t) = tracking {
        v["trackingQRCodeUrl"] = json!(t.qr_url);
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
            "videoConferenceUrl": client.video_url,
        },
        "booking": booking(current, Some(tracking)),
        "previousBooking": previous.map(|p| booking(p, None)),
        "additionalRequest": current.notes,
        "attendees": env.attendees.iter().map(|a| json!({
            "name": a.name,
            "email": a.email,
            "trackingQRCodeUrl": a.tracking_qr_url,
            "videoConferenceUrl": a.video_url,
        })).collect::<Vec<_>>(),
        "modifiedBy": env.modified_by,
        "changedFields": env.changed_fields,
        "version": current.version,
    });
    content["booking"]["staffVideoConferenceUrl"] = json!(env.staff_video_url);
    if let Some((conversation_id, body)) = env.message {
        content["message"] = json!({"conversationId": conversation_id, "body": body});
    }
    if let Some(p) = env.payment {
        content["payment"] = json!({
            "id": p.id,
            "amount": p.amount,
            "currency": p.currency,
            "formattedAmount": p.amount_words(),
            "note": p.note,
            "provider": Provider::Stripe,
            "providerReference": p.provider_reference,
        });
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
            service_translations: [(Language::parse("fr").unwrap(), "Coupe".to_string())].into(),
            staff_id: staff.map(|s| StaffId(s.0)),
            staff_name: staff.map(|s| s.1.to_string()),
            store_id: StoreId(1),
            store_name: "Downtown".into(),
            store_address: "12 High Street".into(),
            time_zone: "Europe/Paris".into(),
            default_language: Language::fallback(),
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
            video_url: Some("https://meet.example.com/room42?role=guest".into()),
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
                payment: None,
                attendees: &[AttendeeFacts {
                    name: "Bo Lee".into(),
                    email: "bo@example.com".into(),
                    tracking_qr_url: "https://x/t/guest/qr.png".into(),
                    video_url: Some("https://meet.example.com/room42?role=guest".into()),
                }],
                staff_video_url: Some("https://meet.example.com/room42?role=host"),
            },
            &client,
            &facts(3, 1_800_003_600, Some((5, "Ben"))),
            Some(&facts(2, 1_800_000_000, None)),
            &Tracking {
                view_url: "https://x/t/abc?lang=fr",
                qr_url: "https://x/t/abc/qr.png",
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
        assert_eq!(
            c["attendees"],
            json!([{"name": "Bo Lee", "email": "bo@example.com", "trackingQRCodeUrl": "https://x/t/guest/qr.png",
                    "videoConferenceUrl": "https://meet.example.com/room42?role=guest"}])
        );
        assert_eq!(c["booking"]["trackingQRCodeUrl"], "https://x/t/abc/qr.png");
        assert_eq!(c["booking"]["staffVideoConferenceUrl"], "https://meet.example.com/room42?role=host");
        assert_eq!(c["client"]["videoConferenceUrl"], "https://meet.example.com/room42?role=guest");
        assert_eq!(
            c["attendees"][0]["videoConferenceUrl"],
            "https://meet.example.com/room42?role=guest"
        );
        // Booxi's translations: the default language's data, the others under `translations`.
        assert_eq!(c["booking"]["service"]["translations"], json!({"fr": {"name": "Coupe"}}));
        assert_eq!(c["booking"]["staff"]["translations"], json!({"fr": {"name": "Ben"}}));
        assert_eq!(c["booking"]["location"]["defaultLanguage"], "en");
        assert_eq!(c["booking"]["location"]["translations"]["fr"]["address"], "12 High Street");
        assert_eq!(
            (c["version"].as_i64(), c["additionalRequest"].as_str()),
            (Some(3), Some("Window seat"))
        );
    }
}
