//! From the event log to deliveries: for each committed event, each webhook
//! type it is published as, and each enabled endpoint of its store that
//! takes that type, one message (rendered once) and one delivery. Reads
//! happen outside the writer; the rows and the cursor are written together.

use super::payload::{self, BookingFacts, ClientFacts, Envelope, Tracking};
use super::signing::new_message_id;
use crate::backend::db::Tx;
use crate::backend::tracking;
use crate::backend::AppState;
use crate::domain::event::{EventPayload, Happening};
use crate::error::AppError;
use crate::model::AppointmentStatus;
use crate::rules::client::BookingState;
use crate::rules::webhook::types_for;
use std::collections::HashMap;

const CURSOR: &str = "webhooks";
const BATCH: i64 = 200;

pub async fn run(state: AppState) {
    crate::backend::db::follow_events(
        &state.db,
        "webhook dispatcher",
        || dispatch_batch(&state),
        || state.webhooks.due.notify_one(),
    )
    .await
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    store_id: i64,
    appointment_id: Option<i64>,
    conversation_id: Option<i64>,
    actor_kind: String,
    payload: String,
    created_at: i64,
}

/// The appointment now: its client, its store, its tracking link.
#[derive(sqlx::FromRow)]
struct Current {
    id: i64,
    remind_by_email: bool,
    remind_by_sms: bool,
    tracking_generation: i64,
    client_id: i64,
    client_name: String,
    client_email: Option<String>,
    client_mobile: Option<String>,
    client_language: String,
    store_name: String,
    store_address: String,
    time_zone: String,
    client_cutoff_hours: i64,
}

/// One message about to be written, with the endpoints it goes to.
#[derive(serde::Serialize)]
struct Outgoing {
    msg_id: String,
    event_id: i64,
    store_id: i64,
    event_type: &'static str,
    payload: String,
    endpoints: Vec<i64>,
}

async fn dispatch_batch(state: &AppState) -> Result<usize, AppError> {
    let read = &state.db.read;
    let after = crate::backend::db::cursor(read, CURSOR).await?;
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT id, store_id, appointment_id, conversation_id, actor_kind, payload, created_at FROM events WHERE id > ? ORDER BY id LIMIT ?",
    )
    .bind(after)
    .bind(BATCH)
    .fetch_all(read)
    .await?;
    let Some(last) = events.last().map(|e| e.id) else {
        return Ok(0);
    };
    // (store, type) -> endpoints; usually a handful of rows.
    let endpoint_rows: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, store_id, event_types FROM webhook_endpoints WHERE enabled = 1")
            .fetch_all(read)
            .await?;
    let mut takers: HashMap<(i64, String), Vec<i64>> = HashMap::new();
    for (id, store_id, types) in endpoint_rows {
        for t in serde_json::from_str::<Vec<String>>(&types).unwrap_or_default() {
            takers.entry((store_id, t)).or_default().push(id);
        }
    }
    let wanted: Vec<(&EventRow, EventPayload, &'static str, Vec<i64>)> = events
        .iter()
        .filter_map(|ev| serde_json::from_str::<EventPayload>(&ev.payload).ok().map(|p| (ev, p)))
        .flat_map(|(ev, p)| {
            types_for(&p.happening)
                .iter()
                .filter_map(|t| takers.get(&(ev.store_id, t.to_string())).map(|e| (*t, e.clone())))
                .collect::<Vec<_>>()
                .into_iter()
                .map(move |(t, e)| (ev, p.clone(), t, e))
        })
        .filter(|(ev, ..)| ev.appointment_id.is_some())
        .collect();

    let mut out = Vec::new();
    if !wanted.is_empty() {
        let facts = Facts::load(
            state,
            &wanted
                .iter()
                .map(|w| (w.0.appointment_id.unwrap_or(0), w.1.appointment.version))
                .collect::<Vec<_>>(),
        )
        .await?;
        for (ev, p, event_type, endpoints) in wanted {
            let appointment_id = ev.appointment_id.unwrap_or(0);
            let (Some(cur), Some(booking)) = (
                facts.current.get(&appointment_id),
                facts.booking(appointment_id, p.appointment.version),
            ) else {
                continue;
            };
            // Reminders, recalls and messages change nothing: there is no "before".
            let changes_booking = !matches!(
                p.happening,
                Happening::Reminder | Happening::Recall | Happening::MessageReceived { .. }
            );
            let previous = facts.booking(appointment_id, p.appointment.version - 1).filter(|_| changes_booking);
            // What the client could do right after this change (not whenever the dispatcher ran).
            let actions = BookingState {
                status: AppointmentStatus::parse(&booking.status).unwrap_or(AppointmentStatus::Cancelled),
                no_show: booking.presence == "NoShow",
                completed: booking.completed,
                starts_at: booking.starts_at,
                cutoff_hours: cur.client_cutoff_hours,
            }
            .actions(ev.created_at);
            let view_url = tracking::url(&state.config.public_url, &state.tracking.token(cur.id, cur.tracking_generation));
            let msg_id = new_message_id();
            let client = ClientFacts {
                id: cur.client_id,
                name: cur.client_name.clone(),
                email: cur.client_email.clone(),
                mobile: cur.client_mobile.clone(),
                language: cur.client_language.clone(),
                remind_by_email: cur.remind_by_email,
                remind_by_sms: cur.remind_by_sms,
            };
            let body = payload::render(
                &Envelope {
                    msg_id: &msg_id,
                    event_type,
                    timestamp: ev.created_at,
                    modified_by: &ev.actor_kind,
                    changed_fields: &p.appointment.changed_fields,
                    message: ev.conversation_id.map(|c| (c, p.preview.as_str())),
                    attendees: facts.attendees.get(&appointment_id).map(Vec::as_slice).unwrap_or_default(),
                },
                &client,
                &booking,
                previous.as_ref(),
                &Tracking {
                    view_url: &view_url,
                    actions,
                },
            );
            out.push(Outgoing {
                msg_id,
                event_id: ev.id,
                store_id: ev.store_id,
                event_type,
                payload: body.to_string(),
                endpoints,
            });
        }
    }
    let json = serde_json::to_string(&out).map_err(|_| AppError::Internal)?;
    let now = state.clock.now();
    state
        .db
        .write(move |tx| Box::pin(async move { record(tx, &json, last, now).await }))
        .await?;
    Ok(events.len())
}

/// Versions, names, attendees and current state for a batch, in six queries whatever its size.
struct Facts {
    snapshots: HashMap<(i64, i64), serde_json::Value>,
    current: HashMap<i64, Current>,
    services: HashMap<i64, String>,
    staff: HashMap<i64, String>,
    attendees: HashMap<i64, Vec<(String, String)>>,
}

impl Facts {
    async fn load(state: &AppState, versions: &[(i64, i64)]) -> Result<Self, AppError> {
        let read = &state.db.read;
        let pairs = serde_json::to_string(versions).map_err(|_| AppError::Internal)?;
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT v.appointment_id, v.version, v.snapshot FROM appointment_versions v
             JOIN json_each(?) j ON v.appointment_id = j.value ->> 0 AND v.version IN (j.value ->> 1, (j.value ->> 1) - 1)",
        )
        .bind(&pairs)
        .fetch_all(read)
        .await?;
        let snapshots: HashMap<(i64, i64), serde_json::Value> = rows
            .into_iter()
            .filter_map(|(a, v, s)| serde_json::from_str(&s).ok().map(|s| ((a, v), s)))
            .collect();
        let ids: Vec<i64> = versions.iter().map(|v| v.0).collect();
        let ids = serde_json::to_string(&ids).map_err(|_| AppError::Internal)?;
        let current: Vec<Current> = sqlx::query_as(
            "SELECT a.id, a.remind_by_email, a.remind_by_sms, a.tracking_generation,
                    c.id AS client_id, c.name AS client_name, c.email AS client_email, c.mobile AS client_mobile,
                    c.language AS client_language, s.name AS store_name, s.address AS store_address, s.time_zone, s.client_cutoff_hours
             FROM appointments a JOIN clients c ON c.id = a.client_id JOIN stores s ON s.id = a.store_id
             WHERE a.id IN (SELECT value FROM json_each(?))",
        )
        .bind(&ids)
        .fetch_all(read)
        .await?;
        let int = |key: &str| -> Vec<i64> { snapshots.values().filter_map(|s| s.get(key).and_then(|v| v.as_i64())).collect() };
        let service_ids = serde_json::to_string(&int("service_id")).map_err(|_| AppError::Internal)?;
        let staff_ids = serde_json::to_string(&int("associate_id")).map_err(|_| AppError::Internal)?;
        let services = sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM services WHERE id IN (SELECT value FROM json_each(?))")
            .bind(service_ids)
            .fetch_all(read)
            .await?
            .into_iter()
            .collect();
        let staff = sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM staff WHERE id IN (SELECT value FROM json_each(?))")
            .bind(staff_ids)
            .fetch_all(read)
            .await?
            .into_iter()
            .collect();
        let mut attendees: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT appointment_id, name, email FROM attendees WHERE appointment_id IN (SELECT value FROM json_each(?)) ORDER BY id",
        )
        .bind(&ids)
        .fetch_all(read)
        .await?;
        for (a, name, email) in rows {
            attendees.entry(a).or_default().push((name, email));
        }
        Ok(Self {
            attendees,
            snapshots,
            current: current.into_iter().map(|c| (c.id, c)).collect(),
            services,
            staff,
        })
    }

    /// The appointment as `version` recorded it.
    fn booking(&self, appointment_id: i64, version: i64) -> Option<BookingFacts> {
        let s = self.snapshots.get(&(appointment_id, version))?;
        let cur = self.current.get(&appointment_id)?;
        let int = |k: &str| s.get(k).and_then(|v| v.as_i64());
        let text = |k: &str| s.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let staff_id = int("associate_id");
        let service_id = int("service_id").unwrap_or_default();
        Some(BookingFacts {
            id: appointment_id,
            version,
            status: text("status"),
            presence: text("presence"),
            completed: int("completed").unwrap_or_default() != 0,
            client_communication: text("client_communication"),
            starts_at: int("starts_at").unwrap_or_default(),
            ends_at: int("ends_at").unwrap_or_default(),
            service_id,
            service_name: self.services.get(&service_id).cloned().unwrap_or_default(),
            staff_id,
            staff_name: staff_id.and_then(|id| self.staff.get(&id).cloned()),
            store_id: int("store_id").unwrap_or_default(),
            store_name: cur.store_name.clone(),
            store_address: cur.store_address.clone(),
            time_zone: cur.time_zone.clone(),
            notes: text("notes"),
            source: text("source"),
        })
    }
}

async fn record(tx: &mut Tx, json: &str, last_event_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT OR IGNORE INTO webhook_messages (msg_id, event_id, store_id, event_type, payload, created_at)
         SELECT value ->> 'msg_id', value ->> 'event_id', value ->> 'store_id', value ->> 'event_type', value ->> 'payload', ?1
         FROM json_each(?2)",
    )
    .bind(now)
    .bind(json)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "INSERT OR IGNORE INTO webhook_deliveries (message_id, endpoint_id, status, next_attempt_at, created_at, updated_at)
         SELECT m.id, e.value, 'pending', ?1, ?1, ?1
         FROM json_each(?2) j JOIN webhook_messages m ON m.msg_id = j.value ->> 'msg_id', json_each(j.value -> 'endpoints') e",
    )
    .bind(now)
    .bind(json)
    .execute(tx.conn())
    .await?;
    crate::backend::db::advance_cursor(tx, CURSOR, last_event_id).await
}
