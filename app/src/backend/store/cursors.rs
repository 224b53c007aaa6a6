//! How far each follower has read its log (`dispatch_cursors`): one row per
//! follower, moved in the same transaction as what it derived.

use super::{Conn, Tx};
use crate::error::AppError;

/// A log a follower reads by increasing id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Log {
    Events,
    Notifications,
    ReadReceipts,
}

impl Log {
    fn table(self) -> &'static str {
        match self {
            Log::Events => "events",
            Log::Notifications => "notifications",
            Log::ReadReceipts => "read_receipts",
        }
    }
}

/// How far a follower is behind its log: rows not handled yet, and when the
/// oldest of them was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lag {
    pub behind: i64,
    pub oldest_waiting: Option<crate::domain::time::UnixTime>,
}

pub async fn lag(conn: &mut Conn, name: &str, log: Log) -> Result<Lag, AppError> {
    let table = log.table();
    let (behind, oldest): (i64, Option<crate::domain::time::UnixTime>) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM {table}) - c.last,
                (SELECT created_at FROM {table} WHERE id > c.last ORDER BY id LIMIT 1)
         FROM (SELECT COALESCE((SELECT last_event_id FROM dispatch_cursors WHERE name = ?), 0) AS last) c"
    )))
    .bind(name)
    .fetch_one(conn)
    .await?;
    Ok(Lag {
        behind: behind.max(0),
        oldest_waiting: oldest,
    })
}

/// The last id `name` has handled, or `None` before its first start.
pub async fn get(conn: &mut Conn, name: &str) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT last_event_id FROM dispatch_cursors WHERE name = ?")
        .bind(name)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.0))
}

/// Moves `name` past `last`, in the transaction that wrote what it derived.
pub async fn advance(tx: &mut Tx, name: &str, last: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO dispatch_cursors (name, last_event_id) VALUES (?, ?)
         ON CONFLICT(name) DO UPDATE SET last_event_id = excluded.last_event_id",
    )
    .bind(name)
    .bind(last)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A follower's first start: it begins at the newest row of `log`, not at its whole history.
pub async fn start_at_end(tx: &mut Tx, name: &str, log: Log) -> Result<(), AppError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT OR IGNORE INTO dispatch_cursors (name, last_event_id) SELECT ?, COALESCE(MAX(id), 0) FROM {}",
        log.table()
    )))
    .bind(name)
    .execute(tx.conn())
    .await?;
    Ok(())
}
