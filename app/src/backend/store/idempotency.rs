//! Requests that create an appointment, remembered by their `Idempotency-Key`
//! for a day, in the transaction that created it: a retry finds it there.

use super::Tx;
use crate::domain::ids::AppointmentId;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;

/// How long a key is remembered.
const KEPT: Seconds = Seconds::days(1);

/// One keyed request: who may reuse the key (`scope`), the key, and a hash of the body.
pub struct Once<'a> {
    pub scope: &'a str,
    pub key: &'a str,
    pub request_hash: &'a str,
}

pub enum Seen {
    New,
    /// The same request again: what it made.
    Same(AppointmentId),
    /// The key with another body: a client bug, refused.
    Different,
}

pub async fn seen(tx: &mut Tx, o: &Once<'_>, now: UnixTime) -> Result<Seen, AppError> {
    let row: Option<(String, AppointmentId)> =
        sqlx::query_as("SELECT request_hash, appointment_id FROM idempotency_keys WHERE scope = ? AND key = ? AND created_at > ?")
            .bind(o.scope)
            .bind(o.key)
            .bind(now - KEPT)
            .fetch_optional(tx.conn())
            .await?;
    Ok(match row {
        None => Seen::New,
        Some((hash, id)) if hash == o.request_hash => Seen::Same(id),
        Some(_) => Seen::Different,
    })
}

/// Remembers what the request made (and forgets keys older than a day).
pub async fn remember(tx: &mut Tx, o: &Once<'_>, id: AppointmentId, now: UnixTime) -> Result<(), AppError> {
    sqlx::query("DELETE FROM idempotency_keys WHERE created_at <= ?")
        .bind(now - KEPT)
        .execute(tx.conn())
        .await?;
    sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, appointment_id, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash,
             appointment_id = excluded.appointment_id, created_at = excluded.created_at",
    )
    .bind(o.scope)
    .bind(o.key)
    .bind(o.request_hash)
    .bind(id)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The answer to a key sent again with a different request.
pub fn key_reused() -> AppError {
    AppError::Conflict("This Idempotency-Key was already used for a different request.".into())
}
