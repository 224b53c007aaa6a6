//! Staff members, their roles per store, and their sessions.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::staff::StoreRole;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use std::collections::HashMap;

pub async fn count(conn: &mut Conn) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff").fetch_one(conn).await?;
    Ok(n)
}

pub async fn name(conn: &mut Conn, id: StaffId) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM staff WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.0))
}

/// The person behind a session, with their badge state.
#[derive(sqlx::FromRow)]
pub struct Person {
    pub id: StaffId,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    pub unread_count: i64,
    pub notif_seq: i64,
}

pub async fn person(conn: &mut Conn, id: StaffId) -> Result<Option<Person>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name, email, is_admin, unread_count, notif_seq FROM staff WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// A store as seen by one person: their role there, `None` for an admin who is not a member.
#[derive(sqlx::FromRow)]
pub struct Membership {
    pub store_id: StoreId,
    pub slug: String,
    pub name: String,
    pub role: Option<StoreRole>,
}

/// The stores a person works in; every store for an admin.
pub async fn memberships(conn: &mut Conn, id: StaffId, is_admin: bool) -> Result<Vec<Membership>, AppError> {
    let sql = if is_admin {
        "SELECT s.id AS store_id, s.slug, s.name, m.role FROM stores s
         LEFT JOIN store_members m ON m.store_id = s.id AND m.staff_id = ? ORDER BY s.name"
    } else {
        "SELECT s.id AS store_id, s.slug, s.name, m.role FROM store_members m JOIN stores s ON s.id = m.store_id
         WHERE m.staff_id = ? ORDER BY s.name"
    };
    Ok(sqlx::query_as(sql).bind(id).fetch_all(conn).await?)
}

/// `(unread, last sequence number)` of a person's bell.
pub async fn badge(conn: &mut Conn, id: StaffId) -> Result<Option<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("SELECT unread_count, notif_seq FROM staff WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// `(id, password hash)` of the account with this email.
pub async fn credentials(conn: &mut Conn, email: &str) -> Result<Option<(StaffId, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, password_hash FROM staff WHERE email = ? AND deactivated_at IS NULL")
            .bind(email)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn insert(tx: &mut Tx, email: &str, name: &str, password_hash: &str, is_admin: bool, now: UnixTime) -> Result<StaffId, AppError> {
    let (id,): (StaffId,) =
        sqlx::query_as("INSERT INTO staff (email, name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
            .bind(email)
            .bind(name)
            .bind(password_hash)
            .bind(is_admin)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
    Ok(id)
}

pub async fn add_member(tx: &mut Tx, store_id: StoreId, staff_id: StaffId, role: StoreRole) -> Result<(), AppError> {
    sqlx::query("INSERT INTO store_members (store_id, staff_id, role) VALUES (?, ?, ?)")
        .bind(store_id)
        .bind(staff_id)
        .bind(role)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// `(id, name)` of a store's members with `role`, by name.
pub async fn with_role(conn: &mut Conn, store_id: StoreId, role: StoreRole) -> Result<Vec<(StaffId, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.name FROM store_members m JOIN staff s ON s.id = m.staff_id
         WHERE m.store_id = ? AND m.role = ? ORDER BY s.name",
    )
    .bind(store_id)
    .bind(role)
    .fetch_all(conn)
    .await?)
}

/// `(store, id, name)` of the associates of several stores, by name.
pub async fn associates_of(conn: &mut Conn, stores: &[StoreId]) -> Result<Vec<(StoreId, StaffId, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.store_id, s.id, s.name FROM store_members m JOIN staff s ON s.id = m.staff_id
         WHERE m.role = ? AND m.store_id IN (SELECT value FROM json_each(?)) ORDER BY s.name",
    )
    .bind(StoreRole::Associate)
    .bind(json_ids(stores))
    .fetch_all(conn)
    .await?)
}

/// The name of `staff_id` if they are an associate of `store_id`.
pub async fn associate_name(conn: &mut Conn, store_id: StoreId, staff_id: StaffId) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT s.name FROM store_members m JOIN staff s ON s.id = m.staff_id WHERE m.store_id = ? AND m.staff_id = ? AND m.role = ?",
    )
    .bind(store_id)
    .bind(staff_id)
    .bind(StoreRole::Associate)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Names of a store's members.
pub async fn names_in_store(conn: &mut Conn, store_id: StoreId) -> Result<HashMap<StaffId, String>, AppError> {
    let rows: Vec<(StaffId, String)> =
        sqlx::query_as("SELECT s.id, s.name FROM store_members m JOIN staff s ON s.id = m.staff_id WHERE m.store_id = ?")
            .bind(store_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Names of these people.
/// The email addresses of many staff members.
pub async fn emails(conn: &mut Conn, ids: &[StaffId]) -> Result<HashMap<StaffId, String>, AppError> {
    let rows: Vec<(StaffId, String)> =
        sqlx::query_as("SELECT id, email FROM staff WHERE id IN (SELECT value FROM json_each(?)) AND deactivated_at IS NULL")
            .bind(super::json_ids(ids))
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

pub async fn names(conn: &mut Conn, ids: &[StaffId]) -> Result<HashMap<StaffId, String>, AppError> {
    let rows: Vec<(StaffId, String)> = sqlx::query_as("SELECT id, name FROM staff WHERE id IN (SELECT value FROM json_each(?))")
        .bind(json_ids(ids))
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Everyone who may hear of a store's events: its members with their role, and every admin.
pub async fn audience(conn: &mut Conn, store_id: StoreId) -> Result<Vec<(StaffId, bool, Option<StoreRole>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.is_admin, m.role FROM staff s LEFT JOIN store_members m ON m.staff_id = s.id AND m.store_id = ?
         WHERE s.is_admin = 1 OR m.role IS NOT NULL ORDER BY s.id",
    )
    .bind(store_id)
    .fetch_all(conn)
    .await?)
}

// ------------------------------------------------------------ sessions

/// A session is live until `expires_at`, and while it was used within this.
pub const SESSION_IDLE: Seconds = Seconds::days(14);

/// The person a live session (by token hash) belongs to, and when it was last used.
pub async fn live_session(conn: &mut Conn, token_hash: &str, now: UnixTime) -> Result<Option<(StaffId, UnixTime)>, AppError> {
    Ok(
        sqlx::query_as("SELECT staff_id, seen_at FROM sessions WHERE token_hash = ? AND expires_at > ? AND seen_at > ?")
            .bind(token_hash)
            .bind(now)
            .bind(now - SESSION_IDLE)
            .fetch_optional(conn)
            .await?,
    )
}

/// The person a live session (by token hash) belongs to.
pub async fn session_owner(conn: &mut Conn, token_hash: &str, now: UnixTime) -> Result<Option<StaffId>, AppError> {
    Ok(live_session(conn, token_hash, now).await?.map(|s| s.0))
}

/// The session was used now.
pub async fn touch_session(tx: &mut Tx, token_hash: &str, now: UnixTime) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET seen_at = ? WHERE token_hash = ?")
        .bind(now)
        .bind(token_hash)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Opens a session, and forgets every session that has ended (expired or idle).
pub async fn open_session(tx: &mut Tx, token_hash: &str, staff_id: StaffId, now: UnixTime, expires_at: UnixTime) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= ? OR seen_at <= ?")
        .bind(now)
        .bind(now - SESSION_IDLE)
        .execute(tx.conn())
        .await?;
    sqlx::query("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at, seen_at) VALUES (?, ?, ?, ?, ?)")
        .bind(token_hash)
        .bind(staff_id)
        .bind(now)
        .bind(expires_at)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn close_session(tx: &mut Tx, token_hash: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A person's live sessions: `(id, created_at, token_hash)`, newest first.
pub async fn sessions(conn: &mut Conn, staff_id: StaffId, now: UnixTime) -> Result<Vec<(i64, UnixTime, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT rowid, created_at, token_hash FROM sessions WHERE staff_id = ? AND expires_at > ? AND seen_at > ?
         ORDER BY created_at DESC, rowid DESC",
    )
    .bind(staff_id)
    .bind(now)
    .bind(now - SESSION_IDLE)
    .fetch_all(conn)
    .await?)
}

/// Ends one of a person's sessions; whether it was theirs.
pub async fn end_session(tx: &mut Tx, staff_id: StaffId, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE staff_id = ? AND rowid = ?")
        .bind(staff_id)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of a person but `keep` (a token hash).
pub async fn end_other_sessions(tx: &mut Tx, staff_id: StaffId, keep: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE staff_id = ? AND token_hash <> ?")
        .bind(staff_id)
        .bind(keep)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn set_name(tx: &mut Tx, id: StaffId, name: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE staff SET name = ? WHERE id = ?")
        .bind(name)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn set_password_hash(tx: &mut Tx, id: StaffId, hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE staff SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A person's password hash, by id.
pub async fn password_hash(conn: &mut Conn, id: StaffId) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT password_hash FROM staff WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.0))
}
