//! What admins do with webhook endpoints, from the UI and the REST API
//! alike: create, change, delete, rotate the secret, send a test, read the
//! delivery log, resend one delivery, replay the failed ones.

use super::signing::{new_message_id, WebhookSecret};
use super::ssrf::check_url;
use super::{EVENT_TYPES, TEST_TYPE};
use crate::backend::db::Tx;
use crate::backend::AppState;
use crate::error::{AppError, FieldError};
use crate::model::{AttemptView, DeliveryView, EndpointInput, EndpointView};

/// After a rotation the old secret keeps signing alongside the new one this long.
pub const ROTATION_OVERLAP_S: i64 = 24 * 3600;

/// Headers an endpoint's static header may not replace.
const RESERVED_HEADERS: [&str; 8] = [
    "content-type",
    "content-length",
    "host",
    "authorization",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "user-agent",
];

/// An endpoint as typed, parsed: holding one means it can be saved.
struct Valid {
    store_id: i64,
    url: String,
    method: &'static str,
    event_types: Vec<String>,
    description: String,
    header: Option<(String, String)>,
    oauth: Option<(String, String, String, String)>,
    signing: bool,
}

/// The secrets an endpoint already has. The page never receives them, so an
/// update that names the same header or OAuth2 client without repeating the
/// secret keeps the stored one.
#[derive(sqlx::FromRow, Default)]
struct Stored {
    header_name: Option<String>,
    header_value: Option<String>,
    oauth_client_id: Option<String>,
    oauth_client_secret: Option<String>,
}

impl Valid {
    /// The OAuth2 settings as their four nullable columns.
    fn oauth_columns(&self) -> (Option<String>, Option<String>, Option<String>, Option<String>) {
        match self.oauth.clone() {
            Some((token_url, client_id, secret, scope)) => (Some(token_url), Some(client_id), Some(secret), Some(scope)),
            None => (None, None, None, None),
        }
    }
}

async fn parse(state: &AppState, input: &EndpointInput, stored: &Stored) -> Result<Valid, AppError> {
    let mut errors = Vec::new();
    let mut err = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    let url = input.url.trim().to_string();
    if url.len() > 2000 {
        err("url", "The URL is too long (2000 characters at most).".into());
    } else if let Err(e) = check_url(&url, &state.webhooks.allow).await {
        err("url", e);
    }
    let method = match input.method.to_ascii_uppercase().as_str() {
        "POST" | "" => "POST",
        "PUT" => "PUT",
        _ => {
            err("method", "Choose POST or PUT.".into());
            "POST"
        }
    };
    let mut event_types: Vec<String> = input.event_types.iter().map(|t| t.trim().to_string()).collect();
    event_types.sort();
    event_types.dedup();
    if event_types.is_empty() {
        err("event_types", "Choose at least one event type.".into());
    }
    if let Some(bad) = event_types.iter().find(|t| !EVENT_TYPES.contains(&t.as_str())) {
        err(
            "event_types",
            format!("Unknown event type {bad:?}; the types are {}.", EVENT_TYPES.join(", ")),
        );
    }
    if input.description.chars().count() > 200 {
        err("description", "Keep the description under 200 characters.".into());
    }
    let header = match (input.header_name.as_deref().map(str::trim), input.header_value.as_deref()) {
        (None | Some(""), _) => None,
        (Some(name), value) => {
            let valid_name =
                !name.is_empty() && name.len() <= 100 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !valid_name {
                err("header_name", "A header name uses letters, digits, '-' and '_' only.".into());
            } else if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                err("header_name", format!("{name} is set by Frontdesk; choose another header."));
            }
            let value = match value.filter(|v| !v.is_empty()) {
                Some(v) => v,
                None if stored.header_name.as_deref() == Some(name) => stored.header_value.as_deref().unwrap_or_default(),
                None => "",
            };
            if value.is_empty() || value.len() > 1000 || value.bytes().any(|b| b < 0x20 || b == 0x7f) {
                err("header_value", "Give the header a value (printable, up to 1000 characters).".into());
            }
            Some((name.to_string(), value.to_string()))
        }
    };
    let oauth = match &input.oauth {
        None => None,
        Some(o) => {
            if let Err(e) = check_url(o.token_url.trim(), &state.webhooks.allow).await {
                err("oauth.token_url", e);
            }
            if o.client_id.trim().is_empty() {
                err("oauth.client_id", "Give the OAuth2 client id.".into());
            }
            let secret = if o.client_secret.is_empty() && stored.oauth_client_id.as_deref() == Some(o.client_id.trim()) {
                stored.oauth_client_secret.clone().unwrap_or_default()
            } else {
                o.client_secret.clone()
            };
            if secret.is_empty() {
                err("oauth.client_secret", "Give the OAuth2 client secret.".into());
            }
            Some((o.token_url.trim().into(), o.client_id.trim().into(), secret, o.scope.trim().into()))
        }
    };
    let known: Option<(i64,)> = sqlx::query_as("SELECT id FROM stores WHERE id = ?")
        .bind(input.store_id)
        .fetch_optional(&state.db.read)
        .await?;
    if known.is_none() {
        err("store_id", "No such store.".into());
    }
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    Ok(Valid {
        store_id: input.store_id,
        url,
        method,
        event_types,
        description: input.description.trim().to_string(),
        header,
        oauth,
        signing: input.signing.unwrap_or(true),
    })
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    store_id: i64,
    url: String,
    method: String,
    event_types: String,
    description: String,
    enabled: bool,
    disabled_reason: String,
    signing_secret: Option<String>,
    previous_secret_until: Option<i64>,
    header_name: Option<String>,
    oauth_token_url: Option<String>,
    oauth_client_id: Option<String>,
    oauth_scope: Option<String>,
    created_at: i64,
}

const COLUMNS: &str =
    "id, store_id, url, method, event_types, description, enabled, disabled_reason, signing_secret, previous_secret_until,
    header_name, oauth_token_url, oauth_client_id, oauth_scope, created_at";

impl Row {
    fn view(self, now: i64) -> EndpointView {
        EndpointView {
            id: self.id,
            store_id: self.store_id,
            url: self.url,
            method: self.method,
            event_types: serde_json::from_str(&self.event_types).unwrap_or_default(),
            description: self.description,
            enabled: self.enabled,
            disabled_reason: self.disabled_reason,
            signing_secret: self.signing_secret,
            previous_secret_active: self.previous_secret_until.is_some_and(|u| u > now),
            header_name: self.header_name,
            oauth_token_url: self.oauth_token_url,
            oauth_client_id: self.oauth_client_id,
            oauth_scope: self.oauth_scope,
            created_at: self.created_at,
        }
    }
}

async fn load(tx: &mut Tx, id: i64, now: i64) -> Result<EndpointView, AppError> {
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM webhook_endpoints WHERE id = ?")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound("No such webhook endpoint.".into()))?;
    Ok(row.view(now))
}

pub async fn list(state: &AppState) -> Result<Vec<EndpointView>, AppError> {
    let now = state.clock.now();
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM webhook_endpoints ORDER BY id")))
        .fetch_all(&state.db.read)
        .await?;
    Ok(rows.into_iter().map(|r| r.view(now)).collect())
}

pub async fn get(state: &AppState, id: i64) -> Result<EndpointView, AppError> {
    let now = state.clock.now();
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM webhook_endpoints WHERE id = ?")))
        .bind(id)
        .fetch_optional(&state.db.read)
        .await?
        .ok_or_else(|| AppError::NotFound("No such webhook endpoint.".into()))?;
    Ok(row.view(now))
}

pub async fn create(state: &AppState, input: EndpointInput) -> Result<EndpointView, AppError> {
    let v = parse(state, &input, &Stored::default()).await?;
    let now = state.clock.now();
    let secret = v.signing.then(|| WebhookSecret::generate().as_str().to_string());
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let (header_name, header_value) = v.header.clone().unzip();
                let (token_url, client_id, client_secret, scope) = v.oauth_columns();
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO webhook_endpoints (store_id, url, method, event_types, description, signing_secret, header_name, header_value,
                         oauth_token_url, oauth_client_id, oauth_client_secret, oauth_scope, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(v.store_id)
                .bind(&v.url)
                .bind(v.method)
                .bind(serde_json::to_string(&v.event_types).map_err(|_| AppError::Internal)?)
                .bind(&v.description)
                .bind(&secret)
                .bind(header_name)
                .bind(header_value)
                .bind(token_url)
                .bind(client_id)
                .bind(client_secret)
                .bind(scope)
                .bind(now)
                .bind(now)
                .fetch_one(tx.conn())
                .await?;
                load(tx, id, now).await
            })
        })
        .await
}

/// Replaces the endpoint's settings. A disabled endpoint is enabled again
/// when `enabled` says so (its failed deliveries can then be replayed). The
/// signing secret stays unless signing is turned off or on.
pub async fn update(state: &AppState, id: i64, input: EndpointInput) -> Result<EndpointView, AppError> {
    let stored: Stored =
        sqlx::query_as("SELECT header_name, header_value, oauth_client_id, oauth_client_secret FROM webhook_endpoints WHERE id = ?")
            .bind(id)
            .fetch_optional(&state.db.read)
            .await?
            .ok_or_else(|| AppError::NotFound("No such webhook endpoint.".into()))?;
    let v = parse(state, &input, &stored).await?;
    let now = state.clock.now();
    let enabled = input.enabled;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let current = load(tx, id, now).await?;
                let secret = match (v.signing, current.signing_secret) {
                    (true, Some(s)) => Some(s),
                    (true, None) => Some(WebhookSecret::generate().as_str().to_string()),
                    (false, _) => None,
                };
                let (header_name, header_value) = v.header.clone().unzip();
                let (token_url, client_id, client_secret, scope) = v.oauth_columns();
                let enable = enabled.unwrap_or(current.enabled);
                sqlx::query(
                    "UPDATE webhook_endpoints SET store_id = ?, url = ?, method = ?, event_types = ?, description = ?, signing_secret = ?,
                         header_name = ?, header_value = ?, oauth_token_url = ?, oauth_client_id = ?, oauth_client_secret = ?, oauth_scope = ?,
                         enabled = ?, disabled_reason = CASE WHEN ? THEN '' ELSE disabled_reason END,
                         failing_since = CASE WHEN ? AND enabled = 0 THEN NULL ELSE failing_since END, updated_at = ?
                     WHERE id = ?",
                )
                .bind(v.store_id)
                .bind(&v.url)
                .bind(v.method)
                .bind(serde_json::to_string(&v.event_types).map_err(|_| AppError::Internal)?)
                .bind(&v.description)
                .bind(secret)
                .bind(header_name)
                .bind(header_value)
                .bind(token_url)
                .bind(client_id)
                .bind(client_secret)
                .bind(scope)
                .bind(enable)
                .bind(enable)
                .bind(enable)
                .bind(now)
                .bind(id)
                .execute(tx.conn())
                .await?;
                load(tx, id, now).await
            })
        })
        .await
}

pub async fn delete(state: &AppState, id: i64) -> Result<(), AppError> {
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
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
                if done.rows_affected() == 0 {
                    return Err(AppError::NotFound("No such webhook endpoint.".into()));
                }
                Ok(())
            })
        })
        .await
}

/// A new signing secret; the old one keeps signing alongside it for 24 hours
/// so receivers can switch without dropping a delivery.
pub async fn rotate_secret(state: &AppState, id: i64) -> Result<EndpointView, AppError> {
    let now = state.clock.now();
    let fresh = WebhookSecret::generate().as_str().to_string();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE webhook_endpoints SET previous_secret = signing_secret, previous_secret_until = CASE WHEN signing_secret IS NULL THEN NULL ELSE ? END,
                         signing_secret = ?, updated_at = ? WHERE id = ?",
                )
                .bind(now + ROTATION_OVERLAP_S)
                .bind(&fresh)
                .bind(now)
                .bind(id)
                .execute(tx.conn())
                .await?;
                if done.rows_affected() == 0 {
                    return Err(AppError::NotFound("No such webhook endpoint.".into()));
                }
                load(tx, id, now).await
            })
        })
        .await
}

/// A `webhook.test` message to this endpoint only. Returns the delivery's id.
pub async fn send_test(state: &AppState, id: i64) -> Result<i64, AppError> {
    let now = state.clock.now();
    let msg_id = new_message_id();
    let delivery = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let endpoint = load(tx, id, now).await?;
                let body = serde_json::json!({
                    "type": TEST_TYPE,
                    "id": msg_id,
                    "timestamp": chrono::DateTime::from_timestamp(now, 0).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    "content": {"message": "A test from Frontdesk: this endpoint is reachable.", "endpointId": endpoint.id},
                });
                let (message_id,): (i64,) = sqlx::query_as(
                    "INSERT INTO webhook_messages (msg_id, store_id, event_type, payload, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(&msg_id)
                .bind(endpoint.store_id)
                .bind(TEST_TYPE)
                .bind(body.to_string())
                .bind(now)
                .fetch_one(tx.conn())
                .await?;
                let (delivery,): (i64,) = sqlx::query_as(
                    "INSERT INTO webhook_deliveries (message_id, endpoint_id, status, next_attempt_at, created_at, updated_at)
                     VALUES (?, ?, 'pending', ?, ?, ?) RETURNING id",
                )
                .bind(message_id)
                .bind(id)
                .bind(now)
                .bind(now)
                .bind(now)
                .fetch_one(tx.conn())
                .await?;
                Ok(delivery)
            })
        })
        .await?;
    state.webhooks.due.notify_one();
    Ok(delivery)
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    endpoint_id: i64,
    msg_id: String,
    event_type: String,
    status: String,
    attempts: i64,
    next_attempt_at: Option<i64>,
    last_status_code: Option<i64>,
    last_error: String,
    created_at: i64,
    payload: String,
}

/// The delivery log of one endpoint, newest first, each with its attempts.
pub async fn deliveries(
    state: &AppState,
    endpoint_id: i64,
    status: Option<String>,
    before_id: Option<i64>,
) -> Result<Vec<DeliveryView>, AppError> {
    get(state, endpoint_id).await?;
    if let Some(s) = &status {
        if !["pending", "succeeded", "failed"].contains(&s.as_str()) {
            return Err(AppError::field("status", "Choose pending, succeeded or failed."));
        }
    }
    let rows: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT d.id, d.endpoint_id, m.msg_id, m.event_type, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
                d.created_at, m.payload
         FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
         WHERE d.endpoint_id = ?1 AND (?2 IS NULL OR d.status = ?2) AND d.id < ?3 ORDER BY d.id DESC LIMIT 50",
    )
    .bind(endpoint_id)
    .bind(status)
    .bind(before_id.unwrap_or(i64::MAX))
    .fetch_all(&state.db.read)
    .await?;
    let ids = serde_json::to_string(&rows.iter().map(|r| r.id).collect::<Vec<_>>()).map_err(|_| AppError::Internal)?;
    let attempts: Vec<(i64, i64, Option<i64>, i64, String, String)> = sqlx::query_as(
        "SELECT delivery_id, attempted_at, status_code, latency_ms, response, error FROM webhook_attempts
         WHERE delivery_id IN (SELECT value FROM json_each(?)) ORDER BY id",
    )
    .bind(ids)
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DeliveryView {
            attempts: attempts
                .iter()
                .filter(|a| a.0 == r.id)
                .map(|a| AttemptView {
                    at: a.1,
                    status_code: a.2,
                    latency_ms: a.3,
                    response: a.4.clone(),
                    error: a.5.clone(),
                })
                .collect(),
            id: r.id,
            endpoint_id: r.endpoint_id,
            msg_id: r.msg_id,
            event_type: r.event_type,
            status: r.status,
            attempt_count: r.attempts,
            next_attempt_at: r.next_attempt_at,
            last_status_code: r.last_status_code,
            last_error: r.last_error,
            created_at: r.created_at,
            payload: r.payload,
        })
        .collect())
}

/// Sends one delivery again now, with the same `webhook-id`.
pub async fn resend(state: &AppState, delivery_id: i64) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ? WHERE id = ?
                     AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = 1)",
                )
                .bind(now)
                .bind(now)
                .bind(delivery_id)
                .execute(tx.conn())
                .await?;
                if done.rows_affected() == 0 {
                    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM webhook_deliveries WHERE id = ?")
                        .bind(delivery_id)
                        .fetch_optional(tx.conn())
                        .await?;
                    return Err(match exists {
                        Some(_) => AppError::Conflict("The endpoint is disabled; enable it first.".into()),
                        None => AppError::NotFound("No such delivery.".into()),
                    });
                }
                Ok(())
            })
        })
        .await?;
    state.webhooks.due.notify_one();
    Ok(())
}

/// Every failed delivery of the endpoint since `since` (unix seconds) is sent again. Returns how many.
pub async fn replay_failed(state: &AppState, endpoint_id: i64, since: i64) -> Result<u64, AppError> {
    let now = state.clock.now();
    let endpoint = get(state, endpoint_id).await?;
    if !endpoint.enabled {
        return Err(AppError::Conflict("The endpoint is disabled; enable it first.".into()));
    }
    let n = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                Ok(sqlx::query(
                    "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ?
                     WHERE endpoint_id = ? AND status = 'failed' AND created_at >= ?",
                )
                .bind(now)
                .bind(now)
                .bind(endpoint_id)
                .bind(since)
                .execute(tx.conn())
                .await?
                .rows_affected())
            })
        })
        .await?;
    state.webhooks.due.notify_one();
    Ok(n)
}
