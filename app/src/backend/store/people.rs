//! Invitations, roles and deactivation: how people join, change and leave.

use super::{Conn, Tx};
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::staff::StoreRole;
use crate::domain::time::UnixTime;
use crate::error::AppError;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub email: String,
    pub is_admin: bool,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
    pub accepted_at: Option<UnixTime>,
    pub revoked_at: Option<UnixTime>,
}

const INVITATION: &str = "id, email, is_admin, created_at, expires_at, accepted_at, revoked_at";

/// An invitation as it is written.
pub struct NewInvitation<'a> {
    pub email: &'a str,
    pub is_admin: bool,
    pub roles: &'a [(StoreId, StoreRole)],
    pub token_hash: &'a str,
    pub invited_by: StaffId,
    pub expires_at: UnixTime,
}

pub async fn invite(tx: &mut Tx, n: NewInvitation<'_>, now: UnixTime) -> Result<i64, AppError> {
    let NewInvitation {
        email,
        is_admin,
        roles,
        token_hash,
        invited_by,
        expires_at,
    } = n;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO invitations (email, is_admin, token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(email)
    .bind(is_admin)
    .bind(token_hash)
    .bind(invited_by)
    .bind(now)
    .bind(expires_at)
    .fetch_one(tx.conn())
    .await?;
    for (store, role) in roles {
        sqlx::query("INSERT INTO invitation_roles (invitation_id, store_id, role) VALUES (?, ?, ?)")
            .bind(id)
            .bind(store)
            .bind(role)
            .execute(tx.conn())
            .await?;
    }
    Ok(id)
}

/// A fresh link for an open invitation (the old one stops working); whether it was open.
pub async fn renew(tx: &mut Tx, id: i64, token_hash: &str, now: UnixTime, expires_at: UnixTime) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE invitations SET token_hash = ?, created_at = ?, expires_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn revoke(tx: &mut Tx, id: i64, now: UnixTime) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE invitations SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn invitation(conn: &mut Conn, id: i64) -> Result<Option<InvitationRow>, AppError> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {INVITATION} FROM invitations WHERE id = ?")))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn by_token(conn: &mut Conn, token_hash: &str) -> Result<Option<InvitationRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INVITATION} FROM invitations WHERE token_hash = ?"
    )))
    .bind(token_hash)
    .fetch_optional(conn)
    .await?)
}

/// Open invitations, newest first.
pub async fn open_invitations(conn: &mut Conn, now: UnixTime) -> Result<Vec<InvitationRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INVITATION} FROM invitations WHERE accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY id DESC"
    )))
    .bind(now)
    .fetch_all(conn)
    .await?)
}

pub async fn invitation_roles(conn: &mut Conn, id: i64) -> Result<Vec<(StoreId, StoreRole)>, AppError> {
    Ok(
        sqlx::query_as("SELECT store_id, role FROM invitation_roles WHERE invitation_id = ? ORDER BY store_id")
            .bind(id)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn mark_accepted(tx: &mut Tx, id: i64, now: UnixTime) -> Result<(), AppError> {
    sqlx::query("UPDATE invitations SET accepted_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Whether an account (active or not) has this email.
pub async fn email_taken(conn: &mut Conn, email: &str) -> Result<bool, AppError> {
    let (taken,): (bool,) = sqlx::query_as("SELECT EXISTS(SELECT 1 FROM staff WHERE email = ?)")
        .bind(email)
        .fetch_one(conn)
        .await?;
    Ok(taken)
}

/// A person as Setup → Staff lists them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PersonRow {
    pub id: StaffId,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
}

/// Every active person, by name.
pub async fn active(conn: &mut Conn) -> Result<Vec<PersonRow>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name, email, is_admin FROM staff WHERE deactivated_at IS NULL ORDER BY name, id")
            .fetch_all(conn)
            .await?,
    )
}

/// Every `(person, store, role)` membership.
pub async fn all_roles(conn: &mut Conn) -> Result<Vec<(StaffId, StoreId, StoreRole)>, AppError> {
    Ok(
        sqlx::query_as("SELECT staff_id, store_id, role FROM store_members ORDER BY store_id")
            .fetch_all(conn)
            .await?,
    )
}

pub async fn roles_of(conn: &mut Conn, staff: StaffId) -> Result<Vec<(StoreId, StoreRole)>, AppError> {
    Ok(
        sqlx::query_as("SELECT store_id, role FROM store_members WHERE staff_id = ? ORDER BY store_id")
            .bind(staff)
            .fetch_all(conn)
            .await?,
    )
}

/// Sets (or with `None` removes) a person's role in a store.
pub async fn set_role(tx: &mut Tx, staff: StaffId, store: StoreId, role: Option<StoreRole>) -> Result<(), AppError> {
    match role {
        Some(role) => {
            sqlx::query(
                "INSERT INTO store_members (store_id, staff_id, role) VALUES (?, ?, ?)
                 ON CONFLICT (store_id, staff_id) DO UPDATE SET role = excluded.role",
            )
            .bind(store)
            .bind(staff)
            .bind(role)
            .execute(tx.conn())
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM store_members WHERE store_id = ? AND staff_id = ?")
                .bind(store)
                .bind(staff)
                .execute(tx.conn())
                .await?;
            sqlx::query("DELETE FROM store_notified_managers WHERE store_id = ? AND staff_id = ?")
                .bind(store)
                .bind(staff)
                .execute(tx.conn())
                .await?;
        }
    }
    Ok(())
}

pub async fn set_admin(tx: &mut Tx, staff: StaffId, is_admin: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE staff SET is_admin = ? WHERE id = ?")
        .bind(is_admin)
        .bind(staff)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Active admins.
pub async fn admin_count(conn: &mut Conn) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff WHERE is_admin = 1 AND deactivated_at IS NULL")
        .fetch_one(conn)
        .await?;
    Ok(n)
}

/// The person can no longer sign in, has no session and belongs to no store.
pub async fn deactivate(tx: &mut Tx, staff: StaffId, now: UnixTime) -> Result<(), AppError> {
    sqlx::query("UPDATE staff SET deactivated_at = ?, is_admin = 0 WHERE id = ?")
        .bind(now)
        .bind(staff)
        .execute(tx.conn())
        .await?;
    for sql in [
        "DELETE FROM sessions WHERE staff_id = ?",
        "DELETE FROM store_members WHERE staff_id = ?",
        "DELETE FROM store_notified_managers WHERE staff_id = ?",
        "DELETE FROM service_associates WHERE staff_id = ?",
    ] {
        sqlx::query(sql).bind(staff).execute(tx.conn()).await?;
    }
    Ok(())
}

/// The open appointments of `staff` that start after `now`.
pub async fn future_appointments(
    conn: &mut Conn,
    staff: StaffId,
    now: UnixTime,
) -> Result<Vec<crate::domain::ids::AppointmentId>, AppError> {
    let rows: Vec<(crate::domain::ids::AppointmentId,)> = sqlx::query_as(
        "SELECT id FROM appointments WHERE associate_id = ? AND starts_at > ? AND status <> 'Cancelled' AND completed = 0 ORDER BY starts_at",
    )
    .bind(staff)
    .bind(now)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The active account with this email, if any.
pub async fn active_by_email(conn: &mut Conn, email: &str) -> Result<Option<(StaffId, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name FROM staff WHERE email = ? AND deactivated_at IS NULL")
            .bind(email)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn add_password_reset(
    tx: &mut Tx,
    token_hash: &str,
    staff: StaffId,
    now: UnixTime,
    expires_at: UnixTime,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO password_resets (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(token_hash)
        .bind(staff)
        .bind(now)
        .bind(expires_at)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Uses a reset link: its person, if the link is unused, unexpired and the person active.
pub async fn use_password_reset(tx: &mut Tx, token_hash: &str, now: UnixTime) -> Result<Option<StaffId>, AppError> {
    let row: Option<(StaffId,)> = sqlx::query_as(
        "UPDATE password_resets SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1
           AND staff_id IN (SELECT id FROM staff WHERE deactivated_at IS NULL)
         RETURNING staff_id",
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(tx.conn())
    .await?;
    Ok(row.map(|r| r.0))
}

/// Whether a reset link would still work (for its page).
pub async fn password_reset_open(conn: &mut Conn, token_hash: &str, now: UnixTime) -> Result<bool, AppError> {
    let (open,): (bool,) =
        sqlx::query_as("SELECT EXISTS(SELECT 1 FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?)")
            .bind(token_hash)
            .bind(now)
            .fetch_one(conn)
            .await?;
    Ok(open)
}

/// Every session of a person ends.
pub async fn end_all_sessions(tx: &mut Tx, staff: StaffId) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE staff_id = ?")
        .bind(staff)
        .execute(tx.conn())
        .await?;
    Ok(())
}
