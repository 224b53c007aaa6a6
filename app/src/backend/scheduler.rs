//! The durable scheduler: future actions are rows in `jobs`, written in the
//! same transaction as the change that calls for them. A due job is claimed
//! and its effect (usually an event) written in one writer transaction, so it
//! runs exactly once; one that fell due while the server was down runs when
//! it comes back. Time is read from the injectable `Clock`: tests move it.

use super::booking::append_event;
use super::change::{facts_for, load_current};
use super::db::Tx;
use super::AppState;
use crate::domain::event::{Actor, EventPayload, Happening};
use crate::error::AppError;
use crate::model::AppointmentStatus;
use std::time::Duration;

pub const ESCALATE: &str = "escalate";
/// The client's reminder, the store's lead time before the start.
pub const REMIND: &str = "remind";
/// "Time to book again", the store's delay after a completed appointment.
pub const RECALL: &str = "recall";
/// Jobs run per transaction.
const BATCH: i64 = 100;

/// Remind the store's managers if `appointment_id` is still unassigned after the store's threshold.
pub async fn schedule_escalation(tx: &mut Tx, store_id: i64, appointment_id: i64, now: i64) -> Result<(), AppError> {
    let (minutes,): (i64,) = sqlx::query_as("SELECT escalation_minutes FROM stores WHERE id = ?")
        .bind(store_id)
        .fetch_one(tx.conn())
        .await?;
    schedule(tx, ESCALATE, appointment_id, now + minutes * 60, now).await
}

/// At most one pending job of a kind per appointment: scheduling again moves it.
pub async fn schedule(tx: &mut Tx, kind: &str, appointment_id: i64, due_at: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO jobs (kind, appointment_id, due_at, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind, appointment_id) WHERE done_at IS NULL DO UPDATE SET due_at = excluded.due_at",
    )
    .bind(kind)
    .bind(appointment_id)
    .bind(due_at)
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.events_appended(); // wakes the scheduler after commit to look at the new due time
    Ok(())
}

/// Keeps the client's reminder in step with the appointment: one pending
/// reminder at (start - lead time) while it is approved and still to come,
/// none otherwise. Called after every change, so rescheduling moves it and
/// cancelling removes it. A reminder already sent for this very start time
/// is not sent again, whatever else changes.
pub async fn plan_client_jobs(tx: &mut Tx, appointment_id: i64, now: i64) -> Result<(), AppError> {
    let (status, presence, completed, starts_at, lead_hours): (String, String, bool, i64, i64) = sqlx::query_as(
        "SELECT a.status, a.presence, a.completed, a.starts_at, s.reminder_lead_hours
         FROM appointments a JOIN stores s ON s.id = a.store_id WHERE a.id = ?",
    )
    .bind(appointment_id)
    .fetch_one(tx.conn())
    .await?;
    let due = starts_at - lead_hours * 3600;
    // Booked inside the lead time: the confirmation is the reminder.
    let wanted = status == AppointmentStatus::Approved.as_str() && presence == "Expecting" && !completed && lead_hours > 0 && due > now;
    if !wanted {
        return unschedule(tx, REMIND, appointment_id).await;
    }
    let (already,): (bool,) = sqlx::query_as("SELECT EXISTS(SELECT 1 FROM jobs WHERE kind = ? AND appointment_id = ? AND due_at = ?)")
        .bind(REMIND)
        .bind(appointment_id)
        .bind(due)
        .fetch_one(tx.conn())
        .await?;
    if already {
        return Ok(());
    }
    schedule(tx, REMIND, appointment_id, due, now).await
}

/// After completion, when the store recalls clients (`recall_days` > 0).
pub async fn schedule_recall(tx: &mut Tx, appointment_id: i64, now: i64) -> Result<(), AppError> {
    let (days,): (i64,) = sqlx::query_as("SELECT s.recall_days FROM appointments a JOIN stores s ON s.id = a.store_id WHERE a.id = ?")
        .bind(appointment_id)
        .fetch_one(tx.conn())
        .await?;
    if days > 0 {
        schedule(tx, RECALL, appointment_id, now + days * 86_400, now).await?;
    }
    Ok(())
}

pub async fn unschedule(tx: &mut Tx, kind: &str, appointment_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM jobs WHERE kind = ? AND appointment_id = ? AND done_at IS NULL")
        .bind(kind)
        .bind(appointment_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn run(state: AppState) {
    let mut committed = state.db.events_committed.clone();
    let mut moves = state.clock.moves();
    loop {
        loop {
            let now = state.clock.now();
            match state.db.write(move |tx| Box::pin(run_due(tx, now))).await {
                Ok(n) if n < BATCH as usize => break,
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("scheduler: {e:?}; retrying shortly");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    break;
                }
            }
        }
        let next: Option<(Option<i64>,)> = sqlx::query_as("SELECT MIN(due_at) FROM jobs WHERE done_at IS NULL")
            .fetch_one(&state.db.read)
            .await
            .ok();
        let wait = match next.and_then(|n| n.0) {
            Some(due) => Duration::from_secs((due - state.clock.now()).clamp(0, 3600) as u64),
            None => Duration::from_secs(3600),
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            changed = committed.changed() => if changed.is_err() { return },
            _ = moves.changed() => {}
        }
    }
}

/// Claims and runs every due job; returns how many.
async fn run_due(tx: &mut Tx, now: i64) -> Result<usize, AppError> {
    let due: Vec<(i64, String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT id, kind, appointment_id, conversation_id FROM jobs WHERE done_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?",
    )
    .bind(now)
    .bind(BATCH)
    .fetch_all(tx.conn())
    .await?;
    for (id, kind, appointment_id, conversation_id) in &due {
        sqlx::query("UPDATE jobs SET done_at = ? WHERE id = ?")
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
        match (kind.as_str(), appointment_id) {
            (ESCALATE, Some(a)) => escalate(tx, *a, now).await?,
            (REMIND, Some(a)) => remind(tx, *a, now).await?,
            (RECALL, Some(a)) => recall(tx, *a, now).await?,
            (super::conversations::OVERDUE, _) if conversation_id.is_some() => {
                super::conversations::overdue(tx, conversation_id.unwrap_or_default(), now).await?
            }
            _ => tracing::warn!("job {id} of unknown kind {kind:?} skipped"),
        }
    }
    Ok(due.len())
}

async fn escalate(tx: &mut Tx, appointment_id: i64, now: i64) -> Result<(), AppError> {
    let current = load_current(tx, appointment_id).await?;
    if current.associate_id.is_some() || current.status == AppointmentStatus::Cancelled.as_str() {
        return Ok(()); // someone took it, or it is gone: nothing to chase
    }
    let payload = EventPayload {
        conversation_id: None,
        preview: String::new(),
        happening: Happening::AwaitingAssignment,
        appointment: facts_for(tx, &current, vec![], vec![], "Frontdesk".into()).await?,
    };
    append_event(tx, current.store_id, appointment_id, Actor::System, &payload, now).await?;
    // Repeats at the threshold until someone assigns it.
    schedule_escalation(tx, current.store_id, appointment_id, now).await
}

/// The reminder falls due: one `appointment.remind` event, if the
/// appointment is still on (a change after the job was written may have
/// made it moot).
async fn remind(tx: &mut Tx, appointment_id: i64, now: i64) -> Result<(), AppError> {
    let current = load_current(tx, appointment_id).await?;
    let on = current.status == AppointmentStatus::Approved.as_str() && current.presence == "Expecting" && !current.completed;
    if !on || current.starts_at <= now {
        return Ok(());
    }
    client_event(tx, &current, Happening::Reminder, now).await
}

/// Time to book again, unless the client already has something booked at the store.
async fn recall(tx: &mut Tx, appointment_id: i64, now: i64) -> Result<(), AppError> {
    let current = load_current(tx, appointment_id).await?;
    let (booked_again,): (bool,) = sqlx::query_as(
        "SELECT EXISTS(SELECT 1 FROM appointments WHERE client_id = ? AND store_id = ? AND id <> ? AND status <> 'Cancelled' AND starts_at > ?)",
    )
    .bind(current.client_id)
    .bind(current.store_id)
    .bind(appointment_id)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    if booked_again {
        return Ok(());
    }
    client_event(tx, &current, Happening::Recall, now).await
}

async fn client_event(tx: &mut Tx, current: &super::change::Current, happening: Happening, now: i64) -> Result<(), AppError> {
    let payload = EventPayload {
        conversation_id: None,
        preview: String::new(),
        happening,
        appointment: facts_for(tx, current, vec![], vec![], "Frontdesk".into()).await?,
    };
    append_event(tx, current.store_id, current.id, Actor::System, &payload, now).await?;
    Ok(())
}
