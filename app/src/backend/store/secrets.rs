//! Server keys kept across restarts (`app_secrets`): the VAPID key, the tracking-link key.

use super::{Conn, Tx};
use crate::domain::time::UnixTime;
use crate::error::AppError;

pub async fn get(conn: &mut Conn, name: &str) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM app_secrets WHERE name = ?")
        .bind(name)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.0))
}

/// Stores `fresh` unless a value exists, and returns the one that is kept:
/// two servers starting at once agree on one key.
pub async fn get_or_insert(tx: &mut Tx, name: &str, fresh: &str, now: UnixTime) -> Result<String, AppError> {
    sqlx::query("INSERT OR IGNORE INTO app_secrets (name, value, created_at) VALUES (?, ?, ?)")
        .bind(name)
        .bind(fresh)
        .bind(now)
        .execute(tx.conn())
        .await?;
    let (value,): (String,) = sqlx::query_as("SELECT value FROM app_secrets WHERE name = ?")
        .bind(name)
        .fetch_one(tx.conn())
        .await?;
    Ok(value)
}
