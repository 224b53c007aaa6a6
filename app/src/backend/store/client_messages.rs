//! Messages to clients: each row is the durable promise of one email or SMS
//! (or the record of why it was held back), with its attempts.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{AppointmentId, ClientMessageId, EventId, StaffId, StoreId};
use crate::domain::messages::{Channel, ClientMessageStatus};
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::i18n::Language;
use crate::rules::client::MessageKind;

/// One copy about to be recorded.
#[derive(serde::Serialize)]
pub struct NewMessage {
    pub store_id: StoreId,
    pub appointment_id: Option<AppointmentId>,
    pub event_id: Option<EventId>,
    pub kind: MessageKind,
    pub channel: Channel,
    pub recipient_name: String,
    pub recipient: String,
    pub language: Language,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// Queued (sent as soon as the sender gets to it) or skipped.
    pub status: ClientMessageStatus,
    pub status_reason: String,
}

/// Records every copy in one statement. A copy of an event already recorded
/// for the same (channel, recipient) is ignored: an event is messaged once.
pub async fn record(tx: &mut Tx, messages: &[NewMessage], now: UnixTime) -> Result<(), AppError> {
    if messages.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(messages).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "INSERT OR IGNORE INTO client_messages (store_id, appointment_id, event_id, kind, channel, recipient_name, recipient, language,
             subject, body_text, body_html, status, status_reason, next_attempt_at, created_at, updated_at)
         SELECT value ->> 'store_id', value ->> 'appointment_id', value ->> 'event_id', value ->> 'kind', value ->> 'channel',
                value ->> 'recipient_name', value ->> 'recipient', value ->> 'language', value ->> 'subject', value ->> 'body_text',
                value ->> 'body_html', value ->> 'status', value ->> 'status_reason',
                CASE WHEN value ->> 'status' = ?3 THEN ?1 END, ?1, ?1
         FROM json_each(?2)",
    )
    .bind(now)
    .bind(json)
    .bind(ClientMessageStatus::Queued)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A claimed message: what the sender needs to send it.
#[derive(sqlx::FromRow, Clone)]
pub struct Due {
    pub id: ClientMessageId,
    pub channel: Channel,
    pub recipient_name: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// Including the one about to be made.
    pub attempts: i64,
}

/// Claims up to `limit` due messages by pushing their due time `claim` ahead
/// (a crash mid-send makes them due again then), counting the attempt.
pub async fn claim_due(tx: &mut Tx, now: UnixTime, claim: Seconds, limit: i64) -> Result<Vec<Due>, AppError> {
    Ok(sqlx::query_as(
        "UPDATE client_messages SET next_attempt_at = ?2, attempts = attempts + 1, claimed_at = ?1
         WHERE id IN (SELECT id FROM client_messages WHERE next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?3)
         RETURNING id, channel, recipient_name, recipient, subject, body_text, body_html, attempts",
    )
    .bind(now)
    .bind(now + claim)
    .bind(limit)
    .fetch_all(tx.conn())
    .await?)
}

/// How one attempt ended.
pub struct Outcome {
    pub status: ClientMessageStatus,
    pub reason: String,
    /// When to try again, for a transient failure.
    pub retry_at: Option<UnixTime>,
    /// The SMS provider's message id.
    pub provider_id: Option<String>,
}

pub async fn record_outcome(tx: &mut Tx, id: ClientMessageId, o: &Outcome, now: UnixTime) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE client_messages SET status = ?, status_reason = ?, next_attempt_at = ?, provider_id = COALESCE(?, provider_id),
             sent_at = CASE WHEN ? THEN ? ELSE sent_at END, updated_at = ?, claimed_at = NULL WHERE id = ?",
    )
    .bind(o.status)
    .bind(&o.reason)
    .bind(o.retry_at)
    .bind(&o.provider_id)
    .bind(o.status == ClientMessageStatus::Sent)
    .bind(now)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Makes every claimed message due now (at start: their sender is gone).
pub async fn release_claims(tx: &mut Tx, now: UnixTime) -> Result<u64, AppError> {
    release_claims_of(tx, "client_messages", now).await
}

/// When the next message falls due.
pub async fn next_due(conn: &mut Conn) -> Result<Option<UnixTime>, AppError> {
    next_due_of(conn, "client_messages").await
}

/// The outboxes the sender takes from (`client_messages`, `account_emails`)
/// share their claim columns; these two statements are written once for both.
pub(super) async fn release_claims_of(tx: &mut Tx, table: &'static str, now: UnixTime) -> Result<u64, AppError> {
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {table} SET next_attempt_at = ?, claimed_at = NULL WHERE claimed_at IS NOT NULL"
    )))
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}

pub(super) async fn next_due_of(conn: &mut Conn, table: &'static str) -> Result<Option<UnixTime>, AppError> {
    let (next,): (Option<UnixTime>,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT MIN(next_attempt_at) FROM {table} WHERE next_attempt_at IS NOT NULL"
    )))
    .fetch_one(conn)
    .await?;
    Ok(next)
}

/// A message as staff see it.
#[derive(sqlx::FromRow)]
pub struct ViewRow {
    pub id: ClientMessageId,
    pub appointment_id: Option<AppointmentId>,
    pub client_name: Option<String>,
    pub store_name: String,
    pub kind: MessageKind,
    pub channel: Channel,
    pub recipient_name: String,
    pub recipient: String,
    pub language: Language,
    pub subject: String,
    pub body_text: String,
    pub status: ClientMessageStatus,
    pub status_reason: String,
    pub attempts: i64,
    pub created_at: UnixTime,
    pub sent_at: Option<UnixTime>,
}

const VIEW_SELECT: &str = "SELECT m.id, m.appointment_id, c.name AS client_name, s.name AS store_name, m.kind, m.channel, m.recipient_name,
        m.recipient, m.language, m.subject, m.body_text, m.status, m.status_reason, m.attempts, m.created_at, m.sent_at
    FROM client_messages m JOIN stores s ON s.id = m.store_id
    LEFT JOIN appointments a ON a.id = m.appointment_id LEFT JOIN clients c ON c.id = a.client_id";

/// Everything sent (or held back) about one appointment, newest first.
pub async fn of_appointment(conn: &mut Conn, id: AppointmentId) -> Result<Vec<ViewRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VIEW_SELECT} WHERE m.appointment_id = ? ORDER BY m.id DESC LIMIT 200"
    )))
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// The newest messages of `stores` and of `associate`'s appointments, optionally of one status, below `before`.
pub async fn recent(
    conn: &mut Conn,
    stores: &[StoreId],
    associate: StaffId,
    status: Option<ClientMessageStatus>,
    before: Option<ClientMessageId>,
) -> Result<Vec<ViewRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VIEW_SELECT} WHERE (m.store_id IN (SELECT value FROM json_each(?1)) OR a.associate_id = ?2)
           AND (?3 IS NULL OR m.status = ?3) AND m.id < ?4
         ORDER BY m.id DESC LIMIT 100"
    )))
    .bind(json_ids(stores))
    .bind(associate)
    .bind(status)
    .bind(before.unwrap_or(ClientMessageId(i64::MAX)))
    .fetch_all(conn)
    .await?)
}
