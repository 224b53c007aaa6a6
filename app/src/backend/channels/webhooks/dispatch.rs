//! From the event log to deliveries: for each committed event, each webhook
//! type it is published as (`rules::webhook::types_for`), and each enabled
//! endpoint of its store that takes that type, one message (rendered once)
//! and one delivery. Reads happen outside the writer; the rows and the
//! cursor are written together.

use super::payload::{self, AttendeeFacts, BookingFacts, ClientFacts, Envelope, Names, Tracking};
use super::signing::new_message_id;
use crate::backend::events::{read_events, Follower, Page};
use crate::backend::store::cursors::Log;
use crate::backend::store::events::Event;
use crate::backend::store::webhooks::NewMessage;
use crate::backend::store::{self, BoxFut, Conn, Tx};
use crate::backend::{tracking, AppState};
use crate::domain::appointment::AppointmentSnapshot;
use crate::domain::ids::{AppointmentId, EndpointId, StoreId};
use crate::domain::video::Role;
use crate::domain::webhooks::WebhookEventType;
use crate::error::AppError;
use crate::i18n::Language;
use crate::rules::client::BookingState;
use crate::rules::webhook::types_for;
use std::collections::BTreeMap;
use std::collections::HashMap;

pub struct Dispatch;

impl Follower for Dispatch {
    const NAME: &'static str = "webhooks";
    const LOG: Log = Log::Events;
    type Item = Event;
    type Output = Vec<NewMessage>;

    async fn read(conn: &mut Conn, after: i64, limit: i64) -> Result<Page<Event>, AppError> {
        read_events(conn, after, limit).await
    }

    async fn handle(&self, state: &AppState, conn: &mut Conn, events: Vec<Event>) -> Result<Vec<NewMessage>, AppError> {
        // (store, type) -> endpoints; usually a handful of rows.
        let mut takers: HashMap<(StoreId, WebhookEventType), Vec<EndpointId>> = HashMap::new();
        for (id, store_id, types) in store::webhooks::takers(conn).await? {
            for t in types {
                takers.entry((store_id, t)).or_default().push(id);
            }
        }
        let wanted: Vec<(&Event, AppointmentId, WebhookEventType, &Vec<EndpointId>)> = events
            .iter()
            .filter_map(|ev| ev.appointment_id.map(|a| (ev, a)))
            .flat_map(|(ev, a)| {
                types_for(&ev.payload.happening)
                    .iter()
                    .filter_map(|t| takers.get(&(ev.store_id, *t)).map(|e| (*t, e)))
                    .map(move |(t, e)| (ev, a, t, e))
            })
            .collect();
        if wanted.is_empty() {
            return Ok(vec![]);
        }
        let facts = Facts::load(
            conn,
            &wanted.iter().map(|w| (w.1, w.0.payload.appointment.version)).collect::<Vec<_>>(),
        )
        .await?;
        let mut out = Vec::new();
        for (ev, appointment_id, event_type, endpoints) in wanted {
            let version = ev.payload.appointment.version;
            let (Some(audience), Some(snapshot)) = (facts.audiences.get(&appointment_id), facts.snapshot(appointment_id, version)) else {
                tracing::error!(
                    "event {} names version {version} of appointment {appointment_id}, which is not recorded",
                    ev.id
                );
                continue;
            };
            let booking = facts.booking(appointment_id, version, snapshot, audience);
            // Reminders, recalls and messages change nothing: there is no "before".
            let previous = ev
                .payload
                .happening
                .changes_booking()
                .then(|| {
                    facts
                        .snapshot(appointment_id, version - 1)
                        .map(|s| facts.booking(appointment_id, version - 1, s, audience))
                })
                .flatten();
            // What the client could do right after this change (not whenever
            // the dispatcher ran): the same rule and snapshot the client's
            // message about this event uses.
            let actions = BookingState::after(snapshot, audience.client_cutoff_hours).actions(ev.created_at);
            // With a query string, as integrators are told to append
            // `&lang=…` or `&action=…` to it; a later `lang` wins.
            let page = tracking::url(
                &state.config.public_url,
                &state.tracking.token(appointment_id, audience.tracking_generation),
            );
            let view_url = format!("{page}?lang={}", audience.client_language.code());
            let qr_url = format!("{page}/qr.png");
            let room = || state.tracking.video_room(appointment_id);
            let guest_video = audience.video_url(room, Role::Guest);
            let staff_video = audience.video_url(room, Role::Host);
            let attendees: Vec<AttendeeFacts> = facts
                .attendees
                .get(&appointment_id)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|g| AttendeeFacts {
                    name: g.name.clone(),
                    email: g.email.clone(),
                    tracking_qr_url: format!(
                        "{}/qr.png",
                        tracking::url(&state.config.public_url, &state.tracking.guest_token(g.id, g.link_generation))
                    ),
                    video_url: guest_video.clone(),
                })
                .collect();
            let msg_id = new_message_id();
            let client = ClientFacts {
                id: audience.client_id,
                name: audience.client_name.clone(),
                email: audience.client_email.clone(),
                mobile: audience.client_mobile.clone(),
                language: audience.client_language,
                remind_by_email: audience.remind_by_email,
                remind_by_sms: audience.remind_by_sms,
                video_url: guest_video.clone(),
            };
            let body = payload::render(
                &Envelope {
                    msg_id: &msg_id,
                    event_type,
                    timestamp: ev.created_at,
                    modified_by: ev.actor.kind(),
                    changed_fields: &ev.payload.appointment.changed_fields,
                    // The whole message; events written before it was kept have its start.
                    message: ev.conversation_id.map(|c| {
                        let whole = &ev.payload.message;
                        (
                            c,
                            if whole.is_empty() {
                                ev.payload.preview.as_str()
                            } else {
                                whole.as_str()
                            },
                        )
                    }),
                    payment: ev.payload.payment.as_ref(),
                    attendees: &attendees,
                    staff_video_url: staff_video.as_deref(),
                },
                &client,
                &booking,
                previous.as_ref(),
                &Tracking {
                    view_url: &view_url,
                    qr_url: &qr_url,
                    actions,
                },
            );
            out.push(NewMessage {
                msg_id,
                event_id: ev.id,
                store_id: ev.store_id,
                event_type,
                payload: body.to_string(),
                endpoints: endpoints.clone(),
            });
        }
        Ok(out)
    }

    fn record<'t>(tx: &'t mut Tx, messages: Vec<NewMessage>, state: &'t AppState) -> BoxFut<'t, Result<(), AppError>> {
        Box::pin(async move { store::webhooks::record_messages(tx, &messages, state.clock.now()).await })
    }

    fn committed(&self, state: &AppState) {
        state.webhooks.due.notify_one();
    }
}

/// Versions, names, attendees and the appointments' audiences for a batch,
/// in six queries whatever its size.
struct Facts {
    snapshots: HashMap<(AppointmentId, i64), AppointmentSnapshot>,
    audiences: HashMap<AppointmentId, store::appointments::Audience>,
    services: HashMap<crate::domain::ids::ServiceId, String>,
    staff: HashMap<crate::domain::ids::StaffId, String>,
    attendees: HashMap<AppointmentId, Vec<store::attendees::Guest>>,
    translations: HashMap<crate::domain::ids::ServiceId, BTreeMap<Language, String>>,
}

impl Facts {
    async fn load(conn: &mut Conn, versions: &[(AppointmentId, i64)]) -> Result<Self, AppError> {
        // Each version and the one before it (for `previousBooking`).
        let wanted: Vec<(AppointmentId, i64)> = versions.iter().flat_map(|&(a, v)| [(a, v), (a, v - 1)]).collect();
        let snapshots = store::appointments::snapshots(conn, &wanted).await?;
        let ids: Vec<AppointmentId> = versions.iter().map(|v| v.0).collect();
        let audiences = store::appointments::audiences(conn, &ids).await?;
        let service_ids: Vec<_> = snapshots.values().map(|s| s.service_id).collect();
        let staff_ids: Vec<_> = snapshots.values().filter_map(|s| s.associate_id).collect();
        let services = store::services::names(conn, &service_ids).await?;
        let staff = store::staff::names(conn, &staff_ids).await?;
        let attendees = store::attendees::guests_of_many(conn, &ids).await?;
        let translations = store::services::translations(conn, &service_ids).await?;
        Ok(Self {
            snapshots,
            audiences,
            services,
            staff,
            attendees,
            translations,
        })
    }

    fn snapshot(&self, id: AppointmentId, version: i64) -> Option<&AppointmentSnapshot> {
        self.snapshots.get(&(id, version))
    }

    /// The appointment as `version` recorded it, with the names its ids stand for.
    fn booking(&self, id: AppointmentId, version: i64, s: &AppointmentSnapshot, a: &store::appointments::Audience) -> BookingFacts {
        let names = Names {
            service: self.services.get(&s.service_id).map(String::as_str).unwrap_or_default(),
            service_translations: self.translations.get(&s.service_id),
            staff: s.associate_id.and_then(|id| self.staff.get(&id)).map(String::as_str),
            store: &a.store_name,
            store_address: &a.store_address,
            time_zone: &a.time_zone,
            default_language: a.default_language,
        };
        BookingFacts::from_snapshot(id, version, s, names)
    }
}
