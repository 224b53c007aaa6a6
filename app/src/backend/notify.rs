//! The bell dispatcher: reads committed events in order, asks the pure
//! `rules::who_is_told` who hears about each, and writes their notifications
//! (with each person's next sequence number) in the same transaction that
//! advances its cursor. A crash between events loses nothing and repeats
//! nothing; live messages go out only after that transaction commits.

use super::db::Tx;
use super::AppState;
use crate::domain::event::{Actor, EventPayload, Happening};
use crate::error::AppError;
use crate::model::{LiveMsg, NotificationView, StoreRole};
use crate::rules::bell::{self as rules, StaffMember, StoreSettings};
use std::collections::HashMap;

const CURSOR: &str = "bell";
/// Events handled per transaction: keeps each commit short under load.
const BATCH: i64 = 200;

pub async fn run(state: AppState) {
    let mut woken = state.db.events_committed.clone();
    loop {
        loop {
            match state.db.write(|tx| Box::pin(dispatch_batch(tx))).await {
                Ok(0) => break,
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("bell dispatcher: {e:?}; retrying shortly");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
        if woken.changed().await.is_err() {
            return; // the writer is gone: shutting down
        }
    }
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    store_id: i64,
    appointment_id: Option<i64>,
    conversation_id: Option<i64>,
    actor_kind: String,
    actor_staff_id: Option<i64>,
    payload: String,
    created_at: i64,
}

struct StoreAudience {
    settings: StoreSettings,
    staff: Vec<StaffMember>,
    name: String,
}

async fn audience(tx: &mut Tx, store_id: i64) -> Result<StoreAudience, AppError> {
    let (name, notify_all, unassigned_messages, overdue): (String, bool, bool, bool) = sqlx::query_as(
        "SELECT name, notify_all_managers, notify_unassigned_messages, notify_overdue_conversations FROM stores WHERE id = ?",
    )
    .bind(store_id)
    .fetch_one(tx.conn())
    .await?;
    let selected: Vec<(i64,)> = sqlx::query_as("SELECT staff_id FROM store_notified_managers WHERE store_id = ?")
        .bind(store_id)
        .fetch_all(tx.conn())
        .await?;
    // Members of the store and every admin, in one query.
    let rows: Vec<(i64, bool, Option<String>)> = sqlx::query_as(
        "SELECT s.id, s.is_admin, m.role FROM staff s LEFT JOIN store_members m ON m.staff_id = s.id AND m.store_id = ?
         WHERE s.is_admin = 1 OR m.role IS NOT NULL ORDER BY s.id",
    )
    .bind(store_id)
    .fetch_all(tx.conn())
    .await?;
    Ok(StoreAudience {
        settings: StoreSettings {
            notify_all_managers: notify_all,
            notified_managers: selected.into_iter().map(|r| r.0).collect(),
            notify_unassigned_messages: unassigned_messages,
            notify_overdue_conversations: overdue,
        },
        staff: rows
            .into_iter()
            .map(|(id, is_admin, role)| StaffMember {
                id,
                is_admin,
                role: role.as_deref().and_then(StoreRole::parse),
            })
            .collect(),
        name,
    })
}

/// One notification about to be written.
#[derive(serde::Serialize)]
struct Outgoing {
    staff_id: i64,
    kind: &'static str,
    title: String,
    body: String,
    reason: String,
}

/// Writes one event's notifications with two statements whatever the number
/// of recipients: bump every recipient's sequence and unread count, then
/// insert all rows from the same JSON array. (Per-row statements capped the
/// fan-out at a few thousand notifications a second; see the load benchmark.)
async fn write_notifications(tx: &mut Tx, ev: &EventRow, url: &str, outs: Vec<Outgoing>) -> Result<(), AppError> {
    let json = serde_json::to_string(&outs).map_err(|_| AppError::Internal)?;
    let counters: Vec<(i64, i64)> = sqlx::query_as(
        "UPDATE staff SET notif_seq = notif_seq + 1, unread_count = unread_count + 1
         WHERE id IN (SELECT value ->> 'staff_id' FROM json_each(?)) RETURNING id, unread_count",
    )
    .bind(&json)
    .fetch_all(tx.conn())
    .await?;
    let unread: HashMap<i64, i64> = counters.into_iter().collect();
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "INSERT INTO notifications (staff_id, seq, event_id, store_id, appointment_id, conversation_id, kind, title, body, url, reason, created_at)
         SELECT s.id, s.notif_seq, ?1, ?2, ?3, ?7, j.value ->> 'kind', j.value ->> 'title', j.value ->> 'body', ?4, j.value ->> 'reason', ?5
         FROM json_each(?6) j JOIN staff s ON s.id = j.value ->> 'staff_id'
         RETURNING id, staff_id, seq",
    )
    .bind(ev.id)
    .bind(ev.store_id)
    .bind(ev.appointment_id)
    .bind(url)
    .bind(ev.created_at)
    .bind(&json)
    .bind(ev.conversation_id)
    .fetch_all(tx.conn())
    .await?;
    let by_staff: HashMap<i64, (i64, i64)> = rows.into_iter().map(|(id, staff, seq)| (staff, (id, seq))).collect();
    // New notifications are what the push dispatcher reads: wake it after commit.
    tx.events_appended();
    for out in outs {
        let Some(&(id, seq)) = by_staff.get(&out.staff_id) else {
            continue;
        };
        let item = NotificationView {
            id,
            seq,
            kind: out.kind.into(),
            title: out.title,
            body: out.body,
            url: url.to_string(),
            reason: out.reason,
            created_at: ev.created_at,
            read: false,
            resolved: false,
        };
        let unread = unread.get(&out.staff_id).copied().unwrap_or(0);
        tx.publish(out.staff_id, LiveMsg::Notification { item, unread });
    }
    Ok(())
}

/// Handles up to `BATCH` events; returns how many.
async fn dispatch_batch(tx: &mut Tx) -> Result<usize, AppError> {
    let after = super::db::cursor(tx.conn(), CURSOR).await?;
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT id, store_id, appointment_id, conversation_id, actor_kind, actor_staff_id, payload, created_at FROM events WHERE id > ? ORDER BY id LIMIT ?",
    )
    .bind(after)
    .bind(BATCH)
    .fetch_all(tx.conn())
    .await?;
    let Some(last) = events.last().map(|e| e.id) else {
        return Ok(0);
    };
    let mut audiences: HashMap<i64, StoreAudience> = HashMap::new();
    for ev in &events {
        if let std::collections::hash_map::Entry::Vacant(slot) = audiences.entry(ev.store_id) {
            slot.insert(audience(tx, ev.store_id).await?);
        }
        let aud = &audiences[&ev.store_id];
        let payload: EventPayload = match serde_json::from_str(&ev.payload) {
            Ok(p) => p,
            Err(e) => {
                // A payload this version cannot read is skipped, not retried forever.
                tracing::error!("event {} has an unreadable payload: {e}", ev.id);
                continue;
            }
        };
        let actor = Actor::from_columns(&ev.actor_kind, ev.actor_staff_id);
        let facts = &payload.appointment;
        // Message notifications open the conversation; the rest, the appointment.
        let url = match (ev.conversation_id, ev.appointment_id) {
            _ if matches!(payload.happening, Happening::WebhookEndpointDisabled { .. }) => "/staff/integrations".into(),
            (Some(c), _) => format!("/staff/conversations/{c}"),
            (None, Some(a)) => format!("/staff/appointments/{a}"),
            (None, None) => "/staff".into(),
        };
        let recipients = rules::who_is_told(&payload.happening, actor, &aud.settings, &aud.staff);
        if !recipients.is_empty() {
            let outs: Vec<Outgoing> = recipients
                .iter()
                .map(|r| {
                    let story = rules::Story {
                        client: &facts.client,
                        service: &facts.service,
                        when: &facts.when,
                        associate: facts.associate.as_deref(),
                        changes: &facts.changes,
                        by: &facts.by,
                        preview: &payload.preview,
                    };
                    let (title, body) = rules::render(r.kind, &story);
                    Outgoing {
                        staff_id: r.staff_id,
                        kind: r.kind.as_str(),
                        title,
                        body,
                        reason: r.reason.explain(&aud.name),
                    }
                })
                .collect();
            write_notifications(tx, ev, &url, outs).await?;
        }
        // Once someone has the appointment, the "awaiting assignment" alerts
        // about it are resolved for everyone, and their badges drop live.
        if let (Happening::Assigned { .. }, Some(appointment_id)) = (&payload.happening, ev.appointment_id) {
            resolve_awaiting_assignment(tx, appointment_id, ev.created_at).await?;
        }
        // Lists and pages of everyone who can see this appointment refresh live.
        if let Some(appointment_id) = ev.appointment_id {
            let previous = match &payload.happening {
                Happening::Assigned { previous, .. } => *previous,
                _ => None,
            };
            for s in &aud.staff {
                let sees = s.is_admin || s.role == Some(StoreRole::Manager) || Some(s.id) == facts.associate_id || Some(s.id) == previous;
                if sees {
                    tx.publish(
                        s.id,
                        LiveMsg::AppointmentChanged {
                            appointment_id,
                            store_id: ev.store_id,
                        },
                    );
                }
            }
        }
    }
    super::db::advance_cursor(tx, CURSOR, last).await?;
    Ok(events.len())
}

async fn resolve_awaiting_assignment(tx: &mut Tx, appointment_id: i64, now: i64) -> Result<(), AppError> {
    const PENDING: &str = "appointment_id = ? AND kind = 'awaiting_assignment' AND resolved_at IS NULL";
    let resolved: Vec<(i64, i64, bool)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, staff_id, read_at IS NULL FROM notifications WHERE {PENDING}"
    )))
    .bind(appointment_id)
    .fetch_all(tx.conn())
    .await?;
    if resolved.is_empty() {
        return Ok(());
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE notifications SET resolved_at = ?, read_at = COALESCE(read_at, ?) WHERE {PENDING}"
    )))
    .bind(now)
    .bind(now)
    .bind(appointment_id)
    .execute(tx.conn())
    .await?;
    let mut by_staff: HashMap<i64, (Vec<i64>, i64)> = HashMap::new();
    for (id, staff_id, was_unread) in resolved {
        let e = by_staff.entry(staff_id).or_default();
        e.0.push(id);
        e.1 += was_unread as i64;
    }
    for (staff_id, (ids, newly_read)) in by_staff {
        let (unread,): (i64,) = sqlx::query_as("UPDATE staff SET unread_count = unread_count - ? WHERE id = ? RETURNING unread_count")
            .bind(newly_read)
            .bind(staff_id)
            .fetch_one(tx.conn())
            .await?;
        record_read(tx, staff_id, Some(&ids), unread, now).await?;
        tx.publish(staff_id, LiveMsg::Read { ids, unread });
    }
    Ok(())
}

/// Notes, in the caller's transaction, that `staff_id` read these
/// notifications (`None`: all of them), so their other devices can close the
/// matching OS notifications. The push dispatcher picks it up after commit.
async fn record_read(tx: &mut Tx, staff_id: i64, ids: Option<&[i64]>, unread: i64, now: i64) -> Result<(), AppError> {
    let tags: Vec<(String,)> = match ids {
        Some(ids) => {
            sqlx::query_as(
                "SELECT DISTINCT CASE WHEN conversation_id IS NOT NULL THEN 'conversation-' || conversation_id
                                      WHEN appointment_id IS NOT NULL THEN 'appointment-' || appointment_id
                                      ELSE 'notification-' || id END
                 FROM notifications WHERE id IN (SELECT value FROM json_each(?))",
            )
            .bind(serde_json::to_string(ids).map_err(|_| AppError::Internal)?)
            .fetch_all(tx.conn())
            .await?
        }
        None => vec![],
    };
    let tags: Vec<String> = tags.into_iter().map(|t| t.0).collect();
    sqlx::query("INSERT INTO read_receipts (staff_id, tags, all_read, unread, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(staff_id)
        .bind(serde_json::to_string(&tags).map_err(|_| AppError::Internal)?)
        .bind(ids.is_none())
        .bind(unread)
        .bind(now)
        .execute(tx.conn())
        .await?;
    tx.events_appended(); // wakes the push dispatcher after commit
    Ok(())
}

/// Mark some of `staff_id`'s notifications read; every tab hears of it.
pub async fn mark_read(state: &AppState, staff_id: i64, ids: Vec<i64>) -> Result<i64, AppError> {
    if ids.is_empty() || ids.len() > 500 {
        return Err(AppError::BadRequest("Give between 1 and 500 notification ids.".into()));
    }
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let ids_json = serde_json::to_string(&ids).map_err(|_| AppError::Internal)?;
                let changed: Vec<(i64,)> = sqlx::query_as(
                    "UPDATE notifications SET read_at = ? WHERE staff_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?)) RETURNING id",
                )
                .bind(now)
                .bind(staff_id)
                .bind(ids_json)
                .fetch_all(tx.conn())
                .await?;
                let (unread,): (i64,) = sqlx::query_as("UPDATE staff SET unread_count = unread_count - ? WHERE id = ? RETURNING unread_count")
                    .bind(changed.len() as i64)
                    .bind(staff_id)
                    .fetch_one(tx.conn())
                    .await?;
                if !changed.is_empty() {
                    let ids: Vec<i64> = changed.into_iter().map(|r| r.0).collect();
                    record_read(tx, staff_id, Some(&ids), unread, now).await?;
                    tx.publish(staff_id, LiveMsg::Read { ids, unread });
                }
                Ok(unread)
            })
        })
        .await
}

pub async fn mark_all_read(state: &AppState, staff_id: i64) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                sqlx::query("UPDATE notifications SET read_at = ? WHERE staff_id = ? AND read_at IS NULL")
                    .bind(now)
                    .bind(staff_id)
                    .execute(tx.conn())
                    .await?;
                sqlx::query("UPDATE staff SET unread_count = 0 WHERE id = ?")
                    .bind(staff_id)
                    .execute(tx.conn())
                    .await?;
                record_read(tx, staff_id, None, 0, now).await?;
                tx.publish(staff_id, LiveMsg::AllRead { unread: 0 });
                Ok(())
            })
        })
        .await
}
