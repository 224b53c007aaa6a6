//! What admins do with webhook endpoints, from the UI and the REST API
//! alike: create, change, delete, rotate the secret, send a test, read the
//! delivery log, resend one delivery, replay the failed ones.

use super::payload::rfc3339;
use super::signing::{new_message_id, WebhookSecret};
use super::ssrf::check_url;
use crate::backend::store::webhooks::{EndpointRow, OAuthColumns, Resend, Settings, StoredSecrets};
use crate::backend::store::{self, Conn};
use crate::backend::AppState;
use crate::domain::ids::{DeliveryId, EndpointId, StoreId};
use crate::domain::time::{Seconds, UnixTime};
use crate::domain::webhooks::{DeliveryStatus, WebhookEventType, WebhookMethod};
use crate::error::{AppError, FieldError};
use crate::model::{AttemptView, DeliveryView, EndpointInput, EndpointView};

/// After a rotation the old secret keeps signing alongside the new one this long.
pub const ROTATION_OVERLAP: Seconds = Seconds::hours(24);

const NO_SUCH_ENDPOINT: &str = "No such webhook endpoint.";

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
    store_id: StoreId,
    url: String,
    method: WebhookMethod,
    event_types: Vec<WebhookEventType>,
    description: String,
    header: Option<(String, String)>,
    oauth: Option<OAuthColumns>,
    signing: bool,
}

impl Valid {
    fn settings<'a>(&'a self, signing_secret: Option<&'a str>) -> Settings<'a> {
        Settings {
            store_id: self.store_id,
            url: &self.url,
            method: self.method,
            event_types: &self.event_types,
            description: &self.description,
            signing_secret,
            header: self.header.as_ref().map(|(n, v)| (n.as_str(), v.as_str())),
            oauth: self.oauth.as_ref(),
        }
    }
}

/// Parses what an admin typed. The secrets an endpoint already has
/// (`stored`) are kept when an update names the same header or OAuth2
/// client without repeating them: the page never receives them.
async fn parse(state: &AppState, input: &EndpointInput, stored: &StoredSecrets) -> Result<Valid, AppError> {
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
    let method = match input.method.trim() {
        "" => WebhookMethod::Post,
        m => WebhookMethod::parse(&m.to_ascii_uppercase()).unwrap_or_else(|| {
            err("method", "Choose POST or PUT.".into());
            WebhookMethod::Post
        }),
    };
    let mut event_types = Vec::new();
    for raw in &input.event_types {
        match WebhookEventType::parse(raw.trim()).filter(|t| WebhookEventType::SUBSCRIBABLE.contains(t)) {
            Some(t) if !event_types.contains(&t) => event_types.push(t),
            Some(_) => {}
            None => {
                let all: Vec<&str> = WebhookEventType::SUBSCRIBABLE.iter().map(|t| t.as_str()).collect();
                err(
                    "event_types",
                    format!("Unknown event type {:?}; the types are {}.", raw.trim(), all.join(", ")),
                );
                break;
            }
        }
    }
    event_types.sort_by_key(|t| t.as_str());
    if input.event_types.is_empty() {
        err("event_types", "Choose at least one event type.".into());
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
            let client_secret = if o.client_secret.is_empty() && stored.oauth_client_id.as_deref() == Some(o.client_id.trim()) {
                stored.oauth_client_secret.clone().unwrap_or_default()
            } else {
                o.client_secret.clone()
            };
            if client_secret.is_empty() {
                err("oauth.client_secret", "Give the OAuth2 client secret.".into());
            }
            Some(OAuthColumns {
                token_url: o.token_url.trim().into(),
                client_id: o.client_id.trim().into(),
                client_secret,
                scope: o.scope.trim().into(),
            })
        }
    };
    if !store::stores::exists(&mut *state.db.reader().await?, input.store_id).await? {
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

fn view(r: EndpointRow, now: UnixTime) -> Result<EndpointView, AppError> {
    Ok(EndpointView {
        event_types: r.event_types()?,
        id: r.id,
        store_id: r.store_id,
        url: r.url,
        method: r.method,
        description: r.description,
        enabled: r.enabled,
        disabled_reason: r.disabled_reason,
        signing_secret: r.signing_secret,
        previous_secret_active: r.previous_secret_until.is_some_and(|u| u > now),
        header_name: r.header_name,
        oauth_token_url: r.oauth_token_url,
        oauth_client_id: r.oauth_client_id,
        oauth_scope: r.oauth_scope,
        created_at: r.created_at,
    })
}

async fn load(conn: &mut Conn, id: EndpointId, now: UnixTime) -> Result<EndpointView, AppError> {
    let row = store::webhooks::endpoint(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH_ENDPOINT.into()))?;
    view(row, now)
}

pub async fn list(state: &AppState) -> Result<Vec<EndpointView>, AppError> {
    let now = state.clock.now();
    store::webhooks::endpoints(&mut *state.db.reader().await?)
        .await?
        .into_iter()
        .map(|r| view(r, now))
        .collect()
}

pub async fn get(state: &AppState, id: EndpointId) -> Result<EndpointView, AppError> {
    load(&mut *state.db.reader().await?, id, state.clock.now()).await
}

pub async fn create(state: &AppState, input: EndpointInput) -> Result<EndpointView, AppError> {
    let v = parse(state, &input, &StoredSecrets::default()).await?;
    let now = state.clock.now();
    let secret = v.signing.then(|| WebhookSecret::generate().as_str().to_string());
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let id = store::webhooks::insert_endpoint(tx, &v.settings(secret.as_deref()), now).await?;
                load(tx.conn(), id, now).await
            })
        })
        .await
}

/// Replaces the endpoint's settings. A disabled endpoint is enabled again
/// when `enabled` says so (its failed deliveries can then be replayed). The
/// signing secret stays unless signing is turned off or on.
pub async fn update(state: &AppState, id: EndpointId, input: EndpointInput) -> Result<EndpointView, AppError> {
    let stored = store::webhooks::stored_secrets(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH_ENDPOINT.into()))?;
    let v = parse(state, &input, &stored).await?;
    let now = state.clock.now();
    let enabled = input.enabled;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let current = load(tx.conn(), id, now).await?;
                let secret = match (v.signing, current.signing_secret) {
                    (true, Some(s)) => Some(s),
                    (true, None) => Some(WebhookSecret::generate().as_str().to_string()),
                    (false, _) => None,
                };
                let enable = enabled.unwrap_or(current.enabled);
                store::webhooks::update_endpoint(tx, id, &v.settings(secret.as_deref()), enable, now).await?;
                load(tx.conn(), id, now).await
            })
        })
        .await
}

pub async fn delete(state: &AppState, id: EndpointId) -> Result<(), AppError> {
    let found = state
        .db
        .write(move |tx| Box::pin(async move { store::webhooks::delete_endpoint(tx, id).await }))
        .await?;
    if !found {
        return Err(AppError::NotFound(NO_SUCH_ENDPOINT.into()));
    }
    Ok(())
}

/// A new signing secret; the old one keeps signing alongside it for 24 hours
/// so receivers can switch without dropping a delivery.
pub async fn rotate_secret(state: &AppState, id: EndpointId) -> Result<EndpointView, AppError> {
    let now = state.clock.now();
    let fresh = WebhookSecret::generate().as_str().to_string();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if !store::webhooks::rotate_secret(tx, id, &fresh, now + ROTATION_OVERLAP, now).await? {
                    return Err(AppError::NotFound(NO_SUCH_ENDPOINT.into()));
                }
                load(tx.conn(), id, now).await
            })
        })
        .await
}

/// A `webhook.test` message to this endpoint only. Returns the delivery's id.
pub async fn send_test(state: &AppState, id: EndpointId) -> Result<DeliveryId, AppError> {
    let now = state.clock.now();
    let msg_id = new_message_id();
    let delivery = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let endpoint = load(tx.conn(), id, now).await?;
                let body = serde_json::json!({
                    "type": WebhookEventType::Test,
                    "id": msg_id,
                    "timestamp": rfc3339(now),
                    "content": {"message": "A test from Frontdesk: this endpoint is reachable.", "endpointId": endpoint.id},
                });
                store::webhooks::insert_single(tx, id, endpoint.store_id, &msg_id, WebhookEventType::Test, &body.to_string(), now).await
            })
        })
        .await?;
    state.webhooks.due.notify_one();
    Ok(delivery)
}

/// The delivery log of one endpoint, newest first, each with its attempts.
pub async fn deliveries(
    state: &AppState,
    endpoint_id: EndpointId,
    status: Option<String>,
    before: Option<DeliveryId>,
) -> Result<Vec<DeliveryView>, AppError> {
    let mut conn = state.db.reader().await?;
    load(&mut conn, endpoint_id, state.clock.now()).await?;
    let status = match status.as_deref() {
        None => None,
        Some(s) => Some(DeliveryStatus::parse(s).ok_or_else(|| AppError::field("status", "Choose pending, succeeded or failed."))?),
    };
    let rows = store::webhooks::deliveries(&mut conn, endpoint_id, status, before).await?;
    let ids: Vec<DeliveryId> = rows.iter().map(|r| r.id).collect();
    let attempts = store::webhooks::attempts(&mut conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| DeliveryView {
            attempts: attempts
                .iter()
                .filter(|a| a.delivery_id == r.id)
                .map(|a| AttemptView {
                    at: a.attempted_at,
                    status_code: a.status_code,
                    latency_ms: a.latency_ms,
                    response: a.response.clone(),
                    error: a.error.clone(),
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
pub async fn resend(state: &AppState, id: DeliveryId) -> Result<(), AppError> {
    let now = state.clock.now();
    let outcome = state
        .db
        .write(move |tx| Box::pin(async move { store::webhooks::resend(tx, id, now).await }))
        .await?;
    match outcome {
        Resend::Queued => {
            state.webhooks.due.notify_one();
            Ok(())
        }
        Resend::EndpointDisabled => Err(AppError::Conflict("The endpoint is disabled; enable it first.".into())),
        Resend::NoSuchDelivery => Err(AppError::NotFound("No such delivery.".into())),
    }
}

/// Every failed delivery of the endpoint since `since` is sent again. Returns how many.
pub async fn replay_failed(state: &AppState, endpoint_id: EndpointId, since: UnixTime) -> Result<u64, AppError> {
    let now = state.clock.now();
    if !get(state, endpoint_id).await?.enabled {
        return Err(AppError::Conflict("The endpoint is disabled; enable it first.".into()));
    }
    let n = state
        .db
        .write(move |tx| Box::pin(async move { store::webhooks::replay_failed(tx, endpoint_id, since, now).await }))
        .await?;
    state.webhooks.due.notify_one();
    Ok(n)
}
