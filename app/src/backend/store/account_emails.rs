//! Emails about staff accounts (invitations, password resets): queued with
//! the change that calls for them, sent and retried by the messaging sender.
//! A body carries a secret link, so it is blanked once the email is sent or
//! given up: the database does not keep working links longer than needed.

use super::client_messages::Outcome;
use super::{Conn, Tx};
use crate::domain::ids::AccountEmailId;
use crate::domain::messages::{AccountEmailKind, ClientMessageStatus};
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::i18n::Language;

pub struct NewAccountEmail<'a> {
    pub kind: AccountEmailKind,
    pub recipient: &'a str,
    pub language: Language,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
}

/// Queues an email, due now.
pub async fn queue(tx: &mut Tx, m: &NewAccountEmail<'_>, now: UnixTime) -> Result<AccountEmailId, AppError> {
    let (id,): (AccountEmailId,) = sqlx::query_as(
        "INSERT INTO account_emails (kind, recipient, language, subject, body_text, body_html, status, next_attempt_at,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8) RETURNING id",
    )
    .bind(m.kind)
    .bind(m.recipient)
    .bind(m.language)
    .bind(m.subject)
    .bind(m.body_text)
    .bind(m.body_html)
    .bind(ClientMessageStatus::Queued)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    Ok(id)
}

/// A claimed email: what the sender needs to send it.
#[derive(sqlx::FromRow, Clone)]
pub struct Due {
    pub id: AccountEmailId,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// Including the one about to be made.
    pub attempts: i64,
}

/// Claims up to `limit` due emails, as `client_messages::claim_due` does.
pub async fn claim_due(tx: &mut Tx, now: UnixTime, claim: Seconds, limit: i64) -> Result<Vec<Due>, AppError> {
    Ok(sqlx::query_as(
        "UPDATE account_emails SET next_attempt_at = ?2, attempts = attempts + 1, claimed_at = ?1
         WHERE id IN (SELECT id FROM account_emails WHERE next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?3)
         RETURNING id, recipient, subject, body_text, body_html, attempts",
    )
    .bind(now)
    .bind(now + claim)
    .bind(limit)
    .fetch_all(tx.conn())
    .await?)
}

/// Records an attempt; an email that will not be tried again loses its body.
pub async fn record_outcome(tx: &mut Tx, id: AccountEmailId, o: &Outcome, now: UnixTime) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE account_emails SET status = ?1, status_reason = ?2, next_attempt_at = ?3,
             sent_at = CASE WHEN ?1 = 'sent' THEN ?4 ELSE sent_at END, updated_at = ?4,
             body_text = CASE WHEN ?3 IS NULL THEN '' ELSE body_text END,
             body_html = CASE WHEN ?3 IS NULL THEN '' ELSE body_html END, claimed_at = NULL
         WHERE id = ?5",
    )
    .bind(o.status)
    .bind(&o.reason)
    .bind(o.retry_at)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Makes every claimed email due now (at start: their sender is gone).
pub async fn release_claims(tx: &mut Tx, now: UnixTime) -> Result<u64, AppError> {
    super::client_messages::release_claims_of(tx, "account_emails", now).await
}

/// When the next email falls due.
pub async fn next_due(conn: &mut Conn) -> Result<Option<UnixTime>, AppError> {
    super::client_messages::next_due_of(conn, "account_emails").await
}
