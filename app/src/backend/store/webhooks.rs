//! Webhook endpoints, the messages rendered for them (once per event and
//! type), one delivery per (message, endpoint), and every attempt.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{DeliveryId, EndpointId, EventId, StoreId, WebhookMessageId};
use crate::domain::time::{Seconds, UnixTime};
use crate::domain::webhooks::{DeliveryStatus, WebhookEventType, WebhookMethod};
use crate::error::AppError;

fn types_from_json(id: EndpointId, json: &str) -> Result<Vec<WebhookEventType>, AppError> {
    serde_json::from_str(json).map_err(|e| {
        tracing::error!("webhook endpoint {id} has unreadable event types: {e}");
        AppError::Internal
    })
}

/// Enabled endpoints: `(endpoint, store, types it takes)`.
pub async fn takers(conn: &mut Conn) -> Result<Vec<(EndpointId, StoreId, Vec<WebhookEventType>)>, AppError> {
    let rows: Vec<(EndpointId, StoreId, String)> =
        sqlx::query_as("SELECT id, store_id, event_types FROM webhook_endpoints WHERE enabled = 1")
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(|(id, store, types)| Ok((id, store, types_from_json(id, &types)?)))
        .collect()
}

/// One message (one event type of one event, rendered once) and the endpoints it goes to.
#[derive(serde::Serialize)]
pub struct NewMessage {
    pub msg_id: String,
    pub event_id: EventId,
    pub store_id: StoreId,
    pub event_type: WebhookEventType,
    pub payload: String,
    pub endpoints: Vec<EndpointId>,
}

/// Writes the messages and their deliveries in two statements. An event
/// already published as a type, or a message already delivered to an
/// endpoint, is ignored: each is recorded once.
pub async fn record_messages(tx: &mut Tx, messages: &[NewMessage], now: UnixTime) -> Result<(), AppError> {
    if messages.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(messages).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "INSERT OR IGNORE INTO webhook_messages (msg_id, event_id, store_id, event_type, payload, created_at)
         SELECT value ->> 'msg_id', value ->> 'event_id', value ->> 'store_id', value ->> 'event_type', value ->> 'payload', ?1
         FROM json_each(?2)",
    )
    .bind(now)
    .bind(&json)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "INSERT OR IGNORE INTO webhook_deliveries (message_id, endpoint_id, status, next_attempt_at, created_at, updated_at)
         SELECT m.id, e.value, ?3, ?1, ?1, ?1
         FROM json_each(?2) j JOIN webhook_messages m ON m.msg_id = j.value ->> 'msg_id', json_each(j.value -> 'endpoints') e",
    )
    .bind(now)
    .bind(&json)
    .bind(DeliveryStatus::Pending)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A message to one endpoint only (a test send). Returns the delivery.
pub async fn insert_single(
    tx: &mut Tx,
    endpoint: EndpointId,
    store_id: StoreId,
    msg_id: &str,
    event_type: WebhookEventType,
    payload: &str,
    now: UnixTime,
) -> Result<DeliveryId, AppError> {
    let (message_id,): (WebhookMessageId,) = sqlx::query_as(
        "INSERT INTO webhook_messages (msg_id, store_id, event_type, payload, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(msg_id)
    .bind(store_id)
    .bind(event_type)
    .bind(payload)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    let (delivery,): (DeliveryId,) = sqlx::query_as(
        "INSERT INTO webhook_deliveries (message_id, endpoint_id, status, next_attempt_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4, ?4) RETURNING id",
    )
    .bind(message_id)
    .bind(endpoint)
    .bind(DeliveryStatus::Pending)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    Ok(delivery)
}

// ------------------------------------------------------------ endpoints

/// An endpoint as admins see it (without the header value or OAuth2 secret).
#[derive(sqlx::FromRow)]
pub struct EndpointRow {
    pub id: EndpointId,
    pub store_id: StoreId,
    pub url: String,
    pub method: WebhookMethod,
    event_types: String,
    pub description: String,
    pub enabled: bool,
    pub disabled_reason: String,
    pub signing_secret: Option<String>,
    pub previous_secret_until: Option<UnixTime>,
    pub header_name: Option<String>,
    pub oauth_token_url: Option<String>,
    pub oauth_client_id: Option<String>,
    pub oauth_scope: Option<String>,
    pub created_at: UnixTime,
}

impl EndpointRow {
    pub fn event_types(&self) -> Result<Vec<WebhookEventType>, AppError> {
        types_from_json(self.id, &self.event_types)
    }
}

const ENDPOINT_COLUMNS: &str =
    "id, store_id, url, method, event_types, description, enabled, disabled_reason, signing_secret, previous_secret_until,
    header_name, oauth_token_url, oauth_client_id, oauth_scope, created_at";

pub async fn endpoint(conn: &mut Conn, id: EndpointId) -> Result<Option<EndpointRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

pub async fn endpoints(conn: &mut Conn) -> Result<Vec<EndpointRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY id"
    )))
    .fetch_all(conn)
    .await?)
}

/// The secrets an endpoint holds that the page never receives.
#[derive(sqlx::FromRow, Default)]
pub struct StoredSecrets {
    pub header_name: Option<String>,
    pub header_value: Option<String>,
    pub oauth_client_id: Option<String>,
    pub oauth_client_secret: Option<String>,
}

pub async fn stored_secrets(conn: &mut Conn, id: EndpointId) -> Result<Option<StoredSecrets>, AppError> {
    Ok(
        sqlx::query_as("SELECT header_name, header_value, oauth_client_id, oauth_client_secret FROM webhook_endpoints WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// OAuth2 client credentials, as one endpoint's four columns.
#[derive(Clone, Debug, Default)]
pub struct OAuthColumns {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub scope: String,
}

/// Everything an admin sets on an endpoint.
pub struct Settings<'a> {
    pub store_id: StoreId,
    pub url: &'a str,
    pub method: WebhookMethod,
    pub event_types: &'a [WebhookEventType],
    pub description: &'a str,
    pub signing_secret: Option<&'a str>,
    pub header: Option<(&'a str, &'a str)>,
    pub oauth: Option<&'a OAuthColumns>,
}

pub async fn insert_endpoint(tx: &mut Tx, s: &Settings<'_>, now: UnixTime) -> Result<EndpointId, AppError> {
    let (id,): (EndpointId,) = sqlx::query_as(
        "INSERT INTO webhook_endpoints (store_id, url, method, event_types, description, signing_secret, header_name, header_value,
             oauth_token_url, oauth_client_id, oauth_client_secret, oauth_scope, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(s.store_id)
    .bind(s.url)
    .bind(s.method)
    .bind(json_ids(s.event_types))
    .bind(s.description)
    .bind(s.signing_secret)
    .bind(s.header.map(|h| h.0))
    .bind(s.header.map(|h| h.1))
    .bind(s.oauth.map(|o| o.token_url.as_str()))
    .bind(s.oauth.map(|o| o.client_id.as_str()))
    .bind(s.oauth.map(|o| o.client_secret.as_str()))
    .bind(s.oauth.map(|o| o.scope.as_str()))
    .bind(now)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    Ok(id)
}

/// Replaces the settings; `enabled` turns a disabled endpoint back on (clearing why it was off).
pub async fn update_endpoint(tx: &mut Tx, id: EndpointId, s: &Settings<'_>, enabled: bool, now: UnixTime) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE webhook_endpoints SET store_id = ?, url = ?, method = ?, event_types = ?, description = ?, signing_secret = ?,
             header_name = ?, header_value = ?, oauth_token_url = ?, oauth_client_id = ?, oauth_client_secret = ?, oauth_scope = ?,
             enabled = ?, disabled_reason = CASE WHEN ? THEN '' ELSE disabled_reason END,
             failing_since = CASE WHEN ? AND enabled = 0 THEN NULL ELSE failing_since END, updated_at = ?
         WHERE id = ?",
    )
    .bind(s.store_id)
    .bind(s.url)
    .bind(s.method)
    .bind(json_ids(s.event_types))
    .bind(s.description)
    .bind(s.signing_secret)
    .bind(s.header.map(|h| h.0))
    .bind(s.header.map(|h| h.1))
    .bind(s.oauth.map(|o| o.token_url.as_str()))
    .bind(s.oauth.map(|o| o.client_id.as_str()))
    .bind(s.oauth.map(|o| o.client_secret.as_str()))
    .bind(s.oauth.map(|o| o.scope.as_str()))
    .bind(enabled)
    .bind(enabled)
    .bind(enabled)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Deletes the endpoint with its deliveries and their attempts; whether it existed.
pub async fn delete_endpoint(tx: &mut Tx, id: EndpointId) -> Result<bool, AppError> {
    sqlx::query("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = ?)")
        .bind(id)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM webhook_deliveries WHERE endpoint_id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    let done = sqlx::query("DELETE FROM webhook_endpoints WHERE id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// A new signing secret; the old one keeps signing until `overlap_until`. Whether the endpoint exists.
pub async fn rotate_secret(tx: &mut Tx, id: EndpointId, fresh: &str, overlap_until: UnixTime, now: UnixTime) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE webhook_endpoints SET previous_secret = signing_secret,
             previous_secret_until = CASE WHEN signing_secret IS NULL THEN NULL ELSE ? END,
             signing_secret = ?, updated_at = ? WHERE id = ?",
    )
    .bind(overlap_until)
    .bind(fresh)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Turns the endpoint off and fails its pending deliveries (an admin can
/// replay them once it is fixed). Whether it was on.
pub async fn disable(tx: &mut Tx, id: EndpointId, reason: &str, now: UnixTime) -> Result<bool, AppError> {
    let changed = sqlx::query("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = 1")
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
    if changed.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE webhook_deliveries SET status = ?, next_attempt_at = NULL, last_error = 'The endpoint was disabled.', updated_at = ?
         WHERE endpoint_id = ? AND status = ?",
    )
    .bind(DeliveryStatus::Failed)
    .bind(now)
    .bind(id)
    .bind(DeliveryStatus::Pending)
    .execute(tx.conn())
    .await?;
    Ok(true)
}

// ------------------------------------------------------------ deliveries

#[derive(sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: DeliveryId,
    pub endpoint_id: EndpointId,
    pub msg_id: String,
    pub event_type: WebhookEventType,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: Option<UnixTime>,
    pub last_status_code: Option<i64>,
    pub last_error: String,
    pub created_at: UnixTime,
    pub payload: String,
}

/// An endpoint's deliveries, newest first, 50 below `before`.
pub async fn deliveries(
    conn: &mut Conn,
    endpoint: EndpointId,
    status: Option<DeliveryStatus>,
    before: Option<DeliveryId>,
) -> Result<Vec<DeliveryRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.endpoint_id, m.msg_id, m.event_type, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
                d.created_at, m.payload
         FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
         WHERE d.endpoint_id = ?1 AND (?2 IS NULL OR d.status = ?2) AND d.id < ?3 ORDER BY d.id DESC LIMIT 50",
    )
    .bind(endpoint)
    .bind(status)
    .bind(before.unwrap_or(DeliveryId(i64::MAX)))
    .fetch_all(conn)
    .await?)
}

#[derive(sqlx::FromRow)]
pub struct AttemptRow {
    pub delivery_id: DeliveryId,
    pub attempted_at: UnixTime,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub response: String,
    pub error: String,
}

/// The attempts of these deliveries, oldest first.
pub async fn attempts(conn: &mut Conn, deliveries: &[DeliveryId]) -> Result<Vec<AttemptRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT delivery_id, attempted_at, status_code, latency_ms, response, error FROM webhook_attempts
         WHERE delivery_id IN (SELECT value FROM json_each(?)) ORDER BY id",
    )
    .bind(json_ids(deliveries))
    .fetch_all(conn)
    .await?)
}

/// What a resend came to.
pub enum Resend {
    Queued,
    EndpointDisabled,
    NoSuchDelivery,
}

/// Makes one delivery due now, with the same `webhook-id`, unless its endpoint is off.
pub async fn resend(tx: &mut Tx, id: DeliveryId, now: UnixTime) -> Result<Resend, AppError> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET status = ?1, next_attempt_at = ?2, updated_at = ?2 WHERE id = ?3
         AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = 1)",
    )
    .bind(DeliveryStatus::Pending)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    if done.rows_affected() > 0 {
        return Ok(Resend::Queued);
    }
    let (exists,): (bool,) = sqlx::query_as("SELECT EXISTS(SELECT 1 FROM webhook_deliveries WHERE id = ?)")
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
    Ok(if exists { Resend::EndpointDisabled } else { Resend::NoSuchDelivery })
}

/// Makes every failed delivery of the endpoint created at or after `since` due now; how many.
pub async fn replay_failed(tx: &mut Tx, endpoint: EndpointId, since: UnixTime, now: UnixTime) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "UPDATE webhook_deliveries SET status = ?1, next_attempt_at = ?2, updated_at = ?2
         WHERE endpoint_id = ?3 AND status = ?4 AND created_at >= ?5",
    )
    .bind(DeliveryStatus::Pending)
    .bind(now)
    .bind(endpoint)
    .bind(DeliveryStatus::Failed)
    .bind(since)
    .execute(tx.conn())
    .await?
    .rows_affected())
}

/// Makes every claimed delivery due now (at start: their sender is gone).
/// The receiver may have got it already: the retry has the same `webhook-id`.
pub async fn release_claims(tx: &mut Tx, now: UnixTime) -> Result<u64, AppError> {
    let done =
        sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = ?, claimed_at = NULL WHERE claimed_at IS NOT NULL AND status = ?")
            .bind(now)
            .bind(DeliveryStatus::Pending)
            .execute(tx.conn())
            .await?;
    Ok(done.rows_affected())
}

/// A delivery the sender took.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Claimed {
    pub id: DeliveryId,
    pub endpoint_id: EndpointId,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// Claims due deliveries of enabled endpoints, each endpoint's oldest first,
/// at most `per_endpoint` minus what is in flight for each (`busy`: endpoint
/// → requests in flight), never one of `sending`, at most `room` in all, by
/// pushing their due time past `claim`.
///
/// One seek per endpoint with something due (`webhook_deliveries_claim`), so
/// a claim costs the same with 20 or 20,000 deliveries waiting. Endpoints
/// take turns from the one whose oldest due delivery waited longest.
pub async fn claim(
    tx: &mut Tx,
    now: UnixTime,
    claim: Seconds,
    per_endpoint: i64,
    busy: &std::collections::HashMap<EndpointId, i64>,
    sending: &[DeliveryId],
    room: i64,
) -> Result<Vec<Claimed>, AppError> {
    // The literal 'pending' (not a parameter) lets SQLite use the partial index.
    // Each endpoint's oldest pending delivery is the first entry of its part of the index.
    let due: Vec<(EndpointId,)> = sqlx::query_as(
        "SELECT id FROM (
             SELECT e.id, (SELECT MIN(d.next_attempt_at) FROM webhook_deliveries d
                           WHERE d.endpoint_id = e.id AND d.status = 'pending') AS oldest
             FROM webhook_endpoints e WHERE e.enabled = 1)
         WHERE oldest <= ?1 ORDER BY oldest, id",
    )
    .bind(now)
    .fetch_all(tx.conn())
    .await?;
    let sending: std::collections::HashSet<DeliveryId> = sending.iter().copied().collect();
    let mut left = room;
    let mut chosen: Vec<DeliveryId> = Vec::new();
    for (endpoint,) in due {
        let free = (per_endpoint - busy.get(&endpoint).copied().unwrap_or(0)).min(left);
        if free <= 0 {
            continue;
        }
        // Deliveries already being sent are still pending: read past them.
        let ids: Vec<(DeliveryId,)> = sqlx::query_as(
            "SELECT id FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ?
             ORDER BY next_attempt_at, id LIMIT ?",
        )
        .bind(endpoint)
        .bind(now)
        .bind(free + sending.len() as i64)
        .fetch_all(tx.conn())
        .await?;
        let take: Vec<DeliveryId> = ids
            .into_iter()
            .map(|r| r.0)
            .filter(|id| !sending.contains(id))
            .take(free as usize)
            .collect();
        left -= take.len() as i64;
        chosen.extend(take);
        if left == 0 {
            break;
        }
    }
    if chosen.is_empty() {
        return Ok(vec![]);
    }
    Ok(sqlx::query_as(
        "UPDATE webhook_deliveries SET next_attempt_at = ?2, claimed_at = ?1
         WHERE id IN (SELECT value FROM json_each(?3)) AND status = 'pending'
         RETURNING id, endpoint_id, attempts",
    )
    .bind(now)
    .bind(now + claim)
    .bind(json_ids(&chosen))
    .fetch_all(tx.conn())
    .await?)
}

/// Everything one attempt needs: the endpoint's settings and secrets, and the message.
#[derive(sqlx::FromRow)]
pub struct Target {
    pub store_id: StoreId,
    pub url: String,
    pub method: WebhookMethod,
    pub signing_secret: Option<String>,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<UnixTime>,
    pub header_name: Option<String>,
    pub header_value: Option<String>,
    pub oauth_token_url: Option<String>,
    pub oauth_client_id: Option<String>,
    pub oauth_client_secret: Option<String>,
    pub oauth_scope: Option<String>,
    pub msg_id: String,
    pub payload: String,
}

pub async fn target(conn: &mut Conn, delivery: DeliveryId) -> Result<Target, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.store_id, e.url, e.method, e.signing_secret, e.previous_secret, e.previous_secret_until, e.header_name, e.header_value,
                e.oauth_token_url, e.oauth_client_id, e.oauth_client_secret, e.oauth_scope, m.msg_id, m.payload
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN webhook_messages m ON m.id = d.message_id
         WHERE d.id = ?",
    )
    .bind(delivery)
    .fetch_one(conn)
    .await?)
}

/// One attempt as recorded.
pub struct NewAttempt<'a> {
    pub status_code: Option<u16>,
    pub latency_ms: i64,
    pub response: &'a str,
    pub error: &'a str,
}

pub async fn record_attempt(tx: &mut Tx, delivery: DeliveryId, a: &NewAttempt<'_>, now: UnixTime) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, response, error) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(delivery)
    .bind(now)
    .bind(a.status_code)
    .bind(a.latency_ms)
    .bind(a.response)
    .bind(a.error)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The delivery succeeded: done, and its endpoint's run of failures ends.
pub async fn succeeded(
    tx: &mut Tx,
    id: DeliveryId,
    endpoint: EndpointId,
    attempts: i64,
    status_code: u16,
    now: UnixTime,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = NULL, last_status_code = ?, last_error = '', updated_at = ?,
             claimed_at = NULL
         WHERE id = ?",
    )
    .bind(DeliveryStatus::Succeeded)
    .bind(attempts)
    .bind(status_code)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    sqlx::query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?")
        .bind(endpoint)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The attempt failed: due again at `retry_at`, or failed for good without one.
/// Returns when the endpoint's current run of failures began.
#[allow(clippy::too_many_arguments)] // one statement's columns
pub async fn failed(
    tx: &mut Tx,
    id: DeliveryId,
    endpoint: EndpointId,
    attempts: i64,
    retry_at: Option<UnixTime>,
    status_code: Option<u16>,
    error: &str,
    now: UnixTime,
) -> Result<UnixTime, AppError> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?, updated_at = ?,
             claimed_at = NULL
         WHERE id = ?",
    )
    .bind(if retry_at.is_some() {
        DeliveryStatus::Pending
    } else {
        DeliveryStatus::Failed
    })
    .bind(attempts)
    .bind(retry_at)
    .bind(status_code)
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    let (failing_since,): (UnixTime,) =
        sqlx::query_as("UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?) WHERE id = ? RETURNING failing_since")
            .bind(now)
            .bind(endpoint)
            .fetch_one(tx.conn())
            .await?;
    Ok(failing_since)
}

/// When the next pending delivery falls due.
pub async fn next_due(conn: &mut Conn) -> Result<Option<UnixTime>, AppError> {
    let (next,): (Option<UnixTime>,) =
        sqlx::query_as("SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL AND status = ?")
            .bind(DeliveryStatus::Pending)
            .fetch_one(conn)
            .await?;
    Ok(next)
}
