//! The durable scheduler's rows: future actions, written with the change that calls for them.

use super::{Conn, Tx};
use crate::domain::ids::{AppointmentId, ConversationId, JobId};
use crate::domain::jobs::JobKind;
use crate::domain::time::UnixTime;
use crate::error::AppError;

/// At most one pending job of a kind per appointment: scheduling again moves it.
pub async fn schedule(tx: &mut Tx, kind: JobKind, appointment_id: AppointmentId, due_at: UnixTime, now: UnixTime) -> Result<(), AppError> {
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

/// Schedules a job unless one of the kind is already pending (which keeps its due time).
pub async fn schedule_unless_pending(
    tx: &mut Tx,
    kind: JobKind,
    appointment_id: AppointmentId,
    due_at: UnixTime,
    now: UnixTime,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO jobs (kind, appointment_id, due_at, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind, appointment_id) WHERE done_at IS NULL DO NOTHING",
    )
    .bind(kind)
    .bind(appointment_id)
    .bind(due_at)
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.events_appended();
    Ok(())
}

/// A conversation's job, counted from the first time it was asked for: later asks do not push it back.
pub async fn schedule_for_conversation(
    tx: &mut Tx,
    kind: JobKind,
    conversation_id: ConversationId,
    due_at: UnixTime,
    now: UnixTime,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO jobs (kind, conversation_id, due_at, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind, conversation_id) WHERE done_at IS NULL AND conversation_id IS NOT NULL DO NOTHING",
    )
    .bind(kind)
    .bind(conversation_id)
    .bind(due_at)
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.events_appended();
    Ok(())
}

pub async fn unschedule(tx: &mut Tx, kind: JobKind, appointment_id: AppointmentId) -> Result<(), AppError> {
    sqlx::query("DELETE FROM jobs WHERE kind = ? AND appointment_id = ? AND done_at IS NULL")
        .bind(kind)
        .bind(appointment_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Whether a job of `kind` for the appointment, due at exactly `due_at`, exists (run or pending).
pub async fn exists_due_at(conn: &mut Conn, kind: JobKind, appointment_id: AppointmentId, due_at: UnixTime) -> Result<bool, AppError> {
    let (found,): (bool,) = sqlx::query_as("SELECT EXISTS(SELECT 1 FROM jobs WHERE kind = ? AND appointment_id = ? AND due_at = ?)")
        .bind(kind)
        .bind(appointment_id)
        .bind(due_at)
        .fetch_one(conn)
        .await?;
    Ok(found)
}

pub struct Due {
    pub id: JobId,
    pub kind: JobKind,
    pub appointment_id: Option<AppointmentId>,
    pub conversation_id: Option<ConversationId>,
}

#[derive(sqlx::FromRow)]
struct DueRow {
    id: JobId,
    due_at: UnixTime,
    kind: String,
    appointment_id: Option<AppointmentId>,
    conversation_id: Option<ConversationId>,
}

/// Claims up to `limit` due jobs, earliest first: they are done once this
/// transaction commits. A job of a kind this version does not know is logged
/// and left done (once), rather than failing every round after.
pub async fn claim_due(tx: &mut Tx, now: UnixTime, limit: i64) -> Result<Vec<Due>, AppError> {
    let mut rows: Vec<DueRow> = sqlx::query_as(
        "UPDATE jobs SET done_at = ?1 WHERE id IN
             (SELECT id FROM jobs WHERE done_at IS NULL AND due_at <= ?1 ORDER BY due_at, id LIMIT ?2)
         RETURNING id, due_at, kind, appointment_id, conversation_id",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(tx.conn())
    .await?;
    // RETURNING gives no order; jobs run in the order they fell due.
    rows.sort_by_key(|d| (d.due_at, d.id));
    Ok(rows
        .into_iter()
        .filter_map(|r| match JobKind::parse(&r.kind) {
            Some(kind) => Some(Due {
                id: r.id,
                kind,
                appointment_id: r.appointment_id,
                conversation_id: r.conversation_id,
            }),
            None => {
                tracing::error!("job {} has an unknown kind {:?}; not run", r.id, r.kind);
                None
            }
        })
        .collect())
}

/// When the next pending job falls due.
pub async fn next_due(conn: &mut Conn) -> Result<Option<UnixTime>, AppError> {
    let (next,): (Option<UnixTime>,) = sqlx::query_as("SELECT MIN(due_at) FROM jobs WHERE done_at IS NULL")
        .fetch_one(conn)
        .await?;
    Ok(next)
}
