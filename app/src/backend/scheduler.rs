//! The durable scheduler: future actions are rows in `jobs`, written in the
//! same transaction as the change that calls for them. A due job is claimed
//! and its effect (usually an event) written in one writer transaction, so it
//! runs exactly once; one that fell due while the server was down runs when
//! it comes back. Time is read from the injectable `Clock`: tests move it.

use super::booking::{append_event, EventPayload};
use super::change::{facts_for, load_current};
use super::db::Tx;
use super::AppState;
use crate::error::AppError;
use crate::model::AppointmentStatus;
use crate::rules::{Actor, Happening};
use std::time::Duration;

pub const ESCALATE: &str = "escalate";
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
            _ = state.clock.moved() => {}
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
