//! People a client brings along.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{AppointmentId, AttendeeId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use std::collections::HashMap;

pub async fn insert(tx: &mut Tx, appointment_id: AppointmentId, name: &str, email: &str, now: UnixTime) -> Result<(), AppError> {
    sqlx::query("INSERT INTO attendees (appointment_id, name, email, created_at) VALUES (?, ?, ?, ?)")
        .bind(appointment_id)
        .bind(name)
        .bind(email)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// `(id, name, email)` of one appointment's attendees, in the order they were added.
pub async fn of(conn: &mut Conn, appointment_id: AppointmentId) -> Result<Vec<(AttendeeId, String, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name, email FROM attendees WHERE appointment_id = ? ORDER BY id")
            .bind(appointment_id)
            .fetch_all(conn)
            .await?,
    )
}

/// `(name, email)` of the attendees of many appointments, in one query.
pub async fn of_many(conn: &mut Conn, ids: &[AppointmentId]) -> Result<HashMap<AppointmentId, Vec<(String, String)>>, AppError> {
    let rows: Vec<(AppointmentId, String, String)> = sqlx::query_as(
        "SELECT appointment_id, name, email FROM attendees WHERE appointment_id IN (SELECT value FROM json_each(?)) ORDER BY id",
    )
    .bind(json_ids(ids))
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<AppointmentId, Vec<(String, String)>> = HashMap::new();
    for (a, name, email) in rows {
        out.entry(a).or_default().push((name, email));
    }
    Ok(out)
}

pub async fn count(conn: &mut Conn, appointment_id: AppointmentId) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attendees WHERE appointment_id = ?")
        .bind(appointment_id)
        .fetch_one(conn)
        .await?;
    Ok(n)
}

/// Whether one was removed.
pub async fn delete(tx: &mut Tx, appointment_id: AppointmentId, id: AttendeeId) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM attendees WHERE id = ? AND appointment_id = ?")
        .bind(id)
        .bind(appointment_id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}
