//! People a client brings along.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{AppointmentId, AttendeeId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use std::collections::HashMap;

pub async fn insert(tx: &mut Tx, appointment_id: AppointmentId, name: &str, email: &str, now: UnixTime) -> Result<AttendeeId, AppError> {
    let (id,): (AttendeeId,) =
        sqlx::query_as("INSERT INTO attendees (appointment_id, name, email, created_at) VALUES (?, ?, ?, ?) RETURNING id")
            .bind(appointment_id)
            .bind(name)
            .bind(email)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
    Ok(id)
}

pub async fn set_link(tx: &mut Tx, id: AttendeeId, generation: i64, hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE attendees SET link_generation = ?, link_hash = ? WHERE id = ?")
        .bind(generation)
        .bind(hash)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Attendees added before their own links existed.
pub async fn without_link(tx: &mut Tx) -> Result<Vec<AttendeeId>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM attendees WHERE link_generation = 0")
        .fetch_all(tx.conn())
        .await?)
}

/// Whose link has this hash: the attendee, their appointment, and whether they left.
#[derive(sqlx::FromRow)]
pub struct GuestLink {
    pub id: AttendeeId,
    pub appointment_id: AppointmentId,
    pub name: String,
    pub left_at: Option<UnixTime>,
}

pub async fn by_link_hash(conn: &mut Conn, hash: &str) -> Result<Option<GuestLink>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, appointment_id, name, left_at FROM attendees WHERE link_hash = ?")
            .bind(hash)
            .fetch_optional(conn)
            .await?,
    )
}

/// Marks an attendee as gone; false if they had already left.
pub async fn leave(tx: &mut Tx, id: AttendeeId, now: UnixTime) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE attendees SET left_at = ? WHERE id = ? AND left_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// An attendee a message is copied to, with what signs their own link.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Guest {
    pub id: AttendeeId,
    pub name: String,
    pub email: String,
    pub link_generation: i64,
}

/// The attendees still coming to each of many appointments, in one query.
pub async fn guests_of_many(conn: &mut Conn, ids: &[AppointmentId]) -> Result<HashMap<AppointmentId, Vec<Guest>>, AppError> {
    let rows: Vec<(AppointmentId, AttendeeId, String, String, i64)> = sqlx::query_as(
        "SELECT appointment_id, id, name, email, link_generation FROM attendees
         WHERE appointment_id IN (SELECT value FROM json_each(?)) AND left_at IS NULL ORDER BY id",
    )
    .bind(json_ids(ids))
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<AppointmentId, Vec<Guest>> = HashMap::new();
    for (a, id, name, email, link_generation) in rows {
        out.entry(a).or_default().push(Guest {
            id,
            name,
            email,
            link_generation,
        });
    }
    Ok(out)
}

/// `(id, name, email)` of one appointment's attendees still coming, in the order they were added.
pub async fn of(conn: &mut Conn, appointment_id: AppointmentId) -> Result<Vec<(AttendeeId, String, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name, email FROM attendees WHERE appointment_id = ? AND left_at IS NULL ORDER BY id")
            .bind(appointment_id)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn count(conn: &mut Conn, appointment_id: AppointmentId) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attendees WHERE appointment_id = ? AND left_at IS NULL")
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
