//! The event log: appended in the transaction of the change it records,
//! read in order by every follower. Decoding happens here, once.

use super::{Conn, Tx};
use crate::domain::event::{Actor, ActorKind, EventKind, EventPayload};
use crate::domain::ids::{AppointmentId, ConversationId, EventId, StaffId, StoreId};
use crate::domain::time::UnixTime;
use crate::error::AppError;

/// One event as the channels read it.
#[derive(Clone, Debug)]
pub struct Event {
    pub id: EventId,
    pub store_id: StoreId,
    pub appointment_id: Option<AppointmentId>,
    pub conversation_id: Option<ConversationId>,
    pub actor: Actor,
    pub payload: EventPayload,
    pub created_at: UnixTime,
}

/// Events after a cursor, and how far they reach. `last` covers rows that
/// could not be read too: they are logged once and skipped, never retried
/// forever (a newer version wrote something this one does not know).
pub struct Batch {
    pub events: Vec<Event>,
    pub last: Option<EventId>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: EventId,
    store_id: StoreId,
    appointment_id: Option<AppointmentId>,
    conversation_id: Option<ConversationId>,
    actor_kind: ActorKind,
    actor_staff_id: Option<StaffId>,
    payload: String,
    created_at: UnixTime,
}

pub async fn append(
    tx: &mut Tx,
    store_id: StoreId,
    appointment_id: Option<AppointmentId>,
    actor: Actor,
    payload: &EventPayload,
    now: UnixTime,
) -> Result<EventId, AppError> {
    let json = serde_json::to_string(payload).map_err(|e| {
        tracing::error!("an event payload did not serialise: {e}");
        AppError::Internal
    })?;
    let kind: EventKind = payload.happening.event_kind();
    let (id,): (EventId,) = sqlx::query_as(
        "INSERT INTO events (store_id, kind, appointment_id, conversation_id, actor_kind, actor_staff_id, payload, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(store_id)
    .bind(kind)
    .bind(appointment_id)
    .bind(payload.conversation_id)
    .bind(actor.kind())
    .bind(actor.staff_id())
    .bind(json)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    tx.events_appended();
    Ok(id)
}

/// Up to `limit` events after `after`, oldest first.
pub async fn after(conn: &mut Conn, after: i64, limit: i64) -> Result<Batch, AppError> {
    // The columns decode typed (the schema's CHECKs keep them known); the
    // payload is decoded per row below, so one unreadable row is skipped, not
    // the batch.
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, store_id, appointment_id, conversation_id, actor_kind, actor_staff_id, payload, created_at
         FROM events WHERE id > ? ORDER BY id LIMIT ?",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    let last = rows.last().map(|r| r.id);
    let events = rows
        .into_iter()
        .filter_map(|r| {
            let payload = serde_json::from_str::<EventPayload>(&r.payload)
                .map_err(|e| tracing::error!("event {} has an unreadable payload, skipped: {e}", r.id))
                .ok()?;
            let actor = Actor::from_columns(r.actor_kind, r.actor_staff_id)
                .map_err(|e| tracing::error!("event {} has {e}, skipped", r.id))
                .ok()?;
            Some(Event {
                id: r.id,
                store_id: r.store_id,
                appointment_id: r.appointment_id,
                conversation_id: r.conversation_id,
                actor,
                payload,
                created_at: r.created_at,
            })
        })
        .collect();
    Ok(Batch { events, last })
}
