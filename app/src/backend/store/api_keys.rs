//! Integration API keys (only their SHA-256 is stored).

use super::{Conn, Tx};
use crate::domain::ids::{ApiKeyId, StaffId};
use crate::domain::time::UnixTime;
use crate::error::AppError;

#[derive(sqlx::FromRow)]
pub struct KeyRow {
    pub id: ApiKeyId,
    pub name: String,
    pub prefix: String,
    pub created_by: String,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
    pub revoked_at: Option<UnixTime>,
}

/// Every key, newest first.
pub async fn list(conn: &mut Conn) -> Result<Vec<KeyRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT k.id, k.name, k.prefix, s.name AS created_by, k.created_at, k.last_used_at, k.revoked_at
         FROM api_keys k JOIN staff s ON s.id = k.staff_id ORDER BY k.id DESC",
    )
    .fetch_all(conn)
    .await?)
}

pub async fn insert(tx: &mut Tx, name: &str, prefix: &str, key_hash: &str, staff_id: StaffId, now: UnixTime) -> Result<ApiKeyId, AppError> {
    let (id,): (ApiKeyId,) =
        sqlx::query_as("INSERT INTO api_keys (name, prefix, key_hash, staff_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
            .bind(name)
            .bind(prefix)
            .bind(key_hash)
            .bind(staff_id)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
    Ok(id)
}

/// Whether the key exists (revoking twice keeps the first time).
pub async fn revoke(tx: &mut Tx, id: ApiKeyId, now: UnixTime) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// A live key by hash: `(key, its maker, last used, maker still an admin)`.
pub async fn live(conn: &mut Conn, key_hash: &str) -> Result<Option<(ApiKeyId, StaffId, Option<UnixTime>, bool)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT k.id, k.staff_id, k.last_used_at, s.is_admin FROM api_keys k JOIN staff s ON s.id = k.staff_id
         WHERE k.key_hash = ? AND k.revoked_at IS NULL",
    )
    .bind(key_hash)
    .fetch_optional(conn)
    .await?)
}

pub async fn touch(tx: &mut Tx, id: ApiKeyId, now: UnixTime) -> Result<(), AppError> {
    sqlx::query("UPDATE api_keys SET last_used_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}
