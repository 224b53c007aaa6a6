//! Sends due deliveries. At most `PER_ENDPOINT` requests to one endpoint at
//! a time and `IN_FLIGHT` overall, so a slow endpoint only slows itself.
//! Every attempt is recorded (time, status, latency, the first 2 KB of the
//! answer); the outcome schedules the next attempt, ends the delivery, or
//! disables the endpoint (410 at once; five days of nothing but failures).

use super::schedule::{jittered_delay_s, retry_after_s, DISABLE_AFTER_S, MAX_ATTEMPTS};
use super::signing::{signature_header, WebhookSecret};
use super::ssrf::{check_url, AllowList, GuardedResolver};
use crate::backend::db::Tx;
use crate::backend::AppState;
use crate::domain::event::{AppointmentFacts, EventPayload, Happening};
use crate::error::AppError;
use rand::Rng;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Requests to one endpoint at a time.
pub const PER_ENDPOINT: i64 = 4;
/// Requests in flight overall.
const IN_FLIGHT: usize = 64;
/// A request (connect, send, answer) gets this long.
const TIMEOUT: Duration = Duration::from_secs(15);
/// A claimed delivery whose outcome was never written (the process died) is due again after this.
const CLAIM_S: i64 = 120;
/// What is kept of an answer.
const RESPONSE_KEEP: usize = 2048;

/// The delivery machinery shared through `AppState`.
pub struct Webhooks {
    http: reqwest::Client,
    pub allow: AllowList,
    /// Rung when deliveries become due (new ones, a resend) or a slot frees.
    pub due: Notify,
    in_flight: Mutex<HashMap<i64, i64>>,
    /// Deliveries being attempted right now: never claimed twice, however
    /// far the clock moves while one is in flight (the claim window only
    /// matters after a crash).
    sending: Mutex<std::collections::HashSet<i64>>,
    /// OAuth2 access tokens per endpoint, until they expire.
    tokens: tokio::sync::Mutex<HashMap<i64, (String, i64)>>,
}

impl Webhooks {
    pub fn new(allow: AllowList) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // Resolved addresses are checked at connect time too, so a name
            // that resolves differently later cannot reach a private address.
            .dns_resolver(Arc::new(GuardedResolver::new(allow.clone())))
            // A redirect could point anywhere; 3xx counts as a failure.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("Frontdesk-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("webhook HTTP client: {e}"))?;
        Ok(Self {
            http,
            allow,
            due: Notify::new(),
            in_flight: Mutex::new(HashMap::new()),
            sending: Mutex::new(std::collections::HashSet::new()),
            tokens: tokio::sync::Mutex::new(HashMap::new()),
        })
    }

    fn busy(&self) -> String {
        let map = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        serde_json::to_string(&map.iter().map(|(k, v)| (k.to_string(), *v)).collect::<HashMap<_, _>>()).unwrap_or_else(|_| "{}".into())
    }

    fn sending_json(&self) -> String {
        let set = self.sending.lock().unwrap_or_else(|e| e.into_inner());
        serde_json::to_string(&*set).unwrap_or_else(|_| "[]".into())
    }

    fn started(&self, d: &Claimed) {
        *self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(d.endpoint_id)
            .or_default() += 1;
        self.sending.lock().unwrap_or_else(|e| e.into_inner()).insert(d.id);
    }

    fn finished(&self, d: &Claimed) {
        self.sending.lock().unwrap_or_else(|e| e.into_inner()).remove(&d.id);
        let endpoint_id = d.endpoint_id;
        let mut map = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&endpoint_id) {
            *n -= 1;
            if *n <= 0 {
                map.remove(&endpoint_id);
            }
        }
        drop(map);
        self.due.notify_one();
    }
}

#[derive(sqlx::FromRow, Clone)]
struct Claimed {
    id: i64,
    endpoint_id: i64,
    attempts: i64,
}

pub async fn run(state: AppState) {
    let mut moves = state.clock.moves();
    let slots = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    loop {
        let claimed = match claim(&state, slots.available_permits() as i64).await {
            Ok(c) => c,
            Err(e) => {
                tracing::error!("webhook sender: {e:?}; retrying shortly");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        for d in claimed.iter().cloned() {
            let Ok(permit) = slots.clone().acquire_owned().await else { return };
            state.webhooks.started(&d);
            let state = state.clone();
            tokio::spawn(async move {
                if let Err(e) = attempt(&state, &d).await {
                    tracing::error!("webhook delivery {}: {e:?}", d.id);
                }
                state.webhooks.finished(&d);
                drop(permit);
            });
        }
        if !claimed.is_empty() {
            continue;
        }
        let next: Option<i64> = sqlx::query_as::<_, (Option<i64>,)>(
            "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL AND status = 'pending'",
        )
        .fetch_one(&state.db.read)
        .await
        .ok()
        .and_then(|r| r.0);
        let wait = next.map_or(3600, |due| (due - state.clock.now()).clamp(1, 3600));
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(wait as u64)) => {}
            _ = state.webhooks.due.notified() => {}
            _ = moves.changed() => {}
        }
    }
}

/// Claims due deliveries of enabled endpoints, no more per endpoint than its
/// free slots, by pushing their due time past the claim window.
async fn claim(state: &AppState, room: i64) -> Result<Vec<Claimed>, AppError> {
    if room == 0 {
        return Ok(vec![]);
    }
    let now = state.clock.now();
    let busy = state.webhooks.busy();
    let sending = state.webhooks.sending_json();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                Ok(sqlx::query_as(
                    "UPDATE webhook_deliveries SET next_attempt_at = ?1 + ?2 WHERE id IN (
                         SELECT id FROM (
                             SELECT d.id, d.endpoint_id,
                                    ROW_NUMBER() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.id) AS rn
                             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                             WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 AND e.enabled = 1
                               AND d.id NOT IN (SELECT value FROM json_each(?6))
                         ) r
                         WHERE r.rn <= ?3 - COALESCE((SELECT value FROM json_each(?4) WHERE key = CAST(r.endpoint_id AS TEXT)), 0)
                         LIMIT ?5)
                     RETURNING id, endpoint_id, attempts",
                )
                .bind(now)
                .bind(CLAIM_S)
                .bind(PER_ENDPOINT)
                .bind(busy)
                .bind(room)
                .bind(sending)
                .fetch_all(tx.conn())
                .await?)
            })
        })
        .await
}

#[derive(sqlx::FromRow)]
struct Target {
    store_id: i64,
    url: String,
    method: String,
    signing_secret: Option<String>,
    previous_secret: Option<String>,
    previous_secret_until: Option<i64>,
    header_name: Option<String>,
    header_value: Option<String>,
    oauth_token_url: Option<String>,
    oauth_client_id: Option<String>,
    oauth_client_secret: Option<String>,
    oauth_scope: Option<String>,
    msg_id: String,
    payload: String,
}

/// What one attempt came to.
struct Outcome {
    status: Option<u16>,
    retry_after: Option<String>,
    response: String,
    error: String,
    latency_ms: i64,
}

async fn attempt(state: &AppState, d: &Claimed) -> Result<(), AppError> {
    let t: Target = sqlx::query_as(
        "SELECT e.store_id, e.url, e.method, e.signing_secret, e.previous_secret, e.previous_secret_until, e.header_name, e.header_value,
                e.oauth_token_url, e.oauth_client_id, e.oauth_client_secret, e.oauth_scope, m.msg_id, m.payload
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN webhook_messages m ON m.id = d.message_id
         WHERE d.id = ?",
    )
    .bind(d.id)
    .fetch_one(&state.db.read)
    .await?;
    let outcome = send(state, d.endpoint_id, &t).await;
    let now = state.clock.now();
    let (id, endpoint_id, attempts) = (d.id, d.endpoint_id, d.attempts + 1);
    state
        .db
        .write(move |tx| Box::pin(async move { record(tx, id, endpoint_id, t.store_id, &t.url, attempts, outcome, now).await }))
        .await
}

async fn send(state: &AppState, endpoint_id: i64, t: &Target) -> Outcome {
    let started = Instant::now();
    let fail = |error: String| Outcome {
        status: None,
        retry_after: None,
        response: String::new(),
        error,
        latency_ms: started.elapsed().as_millis() as i64,
    };
    // Checked before every attempt: addresses change, and IP literals never reach the resolver.
    let url = match tokio::time::timeout(Duration::from_secs(10), check_url(&t.url, &state.webhooks.allow)).await {
        Ok(Ok(u)) => u,
        Ok(Err(e)) => return fail(format!("refused: {e}")),
        Err(_) => return fail("refused: resolving the address took too long".into()),
    };
    let mut bearer = None;
    if t.oauth_token_url.is_some() {
        match token(state, endpoint_id, t, false).await {
            Ok(tok) => bearer = Some(tok),
            Err(e) => return fail(format!("OAuth2 token: {e}")),
        }
    }
    let mut result = request(state, &url, t, bearer.as_deref()).await;
    // A rejected token may have been revoked early: fetch a new one and try once more.
    if matches!(&result, Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED) && t.oauth_token_url.is_some() {
        match token(state, endpoint_id, t, true).await {
            Ok(tok) => result = request(state, &url, t, Some(&tok)).await,
            Err(e) => return fail(format!("OAuth2 token: {e}")),
        }
    }
    match result {
        Ok(res) => {
            let status = res.status().as_u16();
            let retry_after = res
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let response = first_bytes(res).await;
            Outcome {
                status: Some(status),
                retry_after,
                response,
                error: String::new(),
                latency_ms: started.elapsed().as_millis() as i64,
            }
        }
        Err(e) => fail(error_chain(&e)),
    }
}

async fn request(state: &AppState, url: &reqwest::Url, t: &Target, bearer: Option<&str>) -> Result<reqwest::Response, reqwest::Error> {
    let method = if t.method == "PUT" {
        reqwest::Method::PUT
    } else {
        reqwest::Method::POST
    };
    // The signature's timestamp is the real time: receivers reject stale ones.
    let timestamp = chrono::Utc::now().timestamp();
    let mut req = state
        .webhooks
        .http
        .request(method, url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &t.msg_id)
        .header("webhook-timestamp", timestamp.to_string())
        .body(t.payload.clone());
    let secrets: Vec<WebhookSecret> = [
        t.signing_secret.as_deref(),
        t.previous_secret
            .as_deref()
            .filter(|_| t.previous_secret_until.is_some_and(|until| until > state.clock.now())),
    ]
    .into_iter()
    .flatten()
    .filter_map(|s| WebhookSecret::parse(s).ok())
    .collect();
    if !secrets.is_empty() {
        let refs: Vec<&WebhookSecret> = secrets.iter().collect();
        req = req.header(
            "webhook-signature",
            signature_header(&refs, &t.msg_id, timestamp, t.payload.as_bytes()),
        );
    }
    if let (Some(name), Some(value)) = (&t.header_name, &t.header_value) {
        req = req.header(name.as_str(), value.as_str());
    }
    if let Some(b) = bearer {
        req = req.bearer_auth(b);
    }
    req.send().await
}

/// The endpoint's OAuth2 client-credentials token, from the cache unless `fresh`.
async fn token(state: &AppState, endpoint_id: i64, t: &Target, fresh: bool) -> Result<String, String> {
    let now = chrono::Utc::now().timestamp();
    let mut cache = state.webhooks.tokens.lock().await;
    if !fresh {
        if let Some((tok, expires)) = cache.get(&endpoint_id) {
            if *expires > now + 30 {
                return Ok(tok.clone());
            }
        }
    }
    let token_url = t.oauth_token_url.clone().unwrap_or_default();
    let url = check_url(&token_url, &state.webhooks.allow).await?;
    let mut form = vec![("grant_type", "client_credentials".to_string())];
    if let Some(scope) = t.oauth_scope.as_ref().filter(|s| !s.is_empty()) {
        form.push(("scope", scope.clone()));
    }
    let res = state
        .webhooks
        .http
        .post(url)
        .basic_auth(t.oauth_client_id.clone().unwrap_or_default(), t.oauth_client_secret.clone())
        .form(&form)
        .send()
        .await
        .map_err(|e| error_chain(&e))?;
    let status = res.status();
    let text = res.text().await.map_err(|e| error_chain(&e))?;
    let body: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("the token endpoint answered {status} without JSON: {e}"))?;
    if !status.is_success() {
        return Err(format!("the token endpoint answered {status}: {body}"));
    }
    let tok = body["access_token"]
        .as_str()
        .ok_or("the token endpoint's answer has no access_token")?
        .to_string();
    let expires = now + body["expires_in"].as_i64().unwrap_or(3600);
    cache.insert(endpoint_id, (tok.clone(), expires));
    Ok(tok)
}

async fn first_bytes(mut res: reqwest::Response) -> String {
    let mut kept = Vec::new();
    while let Ok(Some(chunk)) = res.chunk().await {
        kept.extend_from_slice(&chunk[..chunk.len().min(RESPONSE_KEEP - kept.len())]);
        if kept.len() >= RESPONSE_KEEP {
            break;
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    if s.contains("operation timed out") || s.contains("timed out") {
        return format!("no answer within {} s ({s})", TIMEOUT.as_secs());
    }
    s
}

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &mut Tx,
    id: i64,
    endpoint_id: i64,
    store_id: i64,
    url: &str,
    attempts: i64,
    o: Outcome,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, response, error) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(now)
    .bind(o.status)
    .bind(o.latency_ms)
    .bind(&o.response)
    .bind(&o.error)
    .execute(tx.conn())
    .await?;
    let ok = o.status.is_some_and(|s| (200..300).contains(&s));
    let error = match (o.status, o.error.is_empty()) {
        (Some(s), true) if !ok => format!("HTTP {s}"),
        _ => o.error.clone(),
    };
    if ok {
        sqlx::query("UPDATE webhook_deliveries SET status = 'succeeded', attempts = ?, next_attempt_at = NULL, last_status_code = ?, last_error = '', updated_at = ? WHERE id = ?")
            .bind(attempts)
            .bind(o.status)
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
        sqlx::query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?")
            .bind(endpoint_id)
            .execute(tx.conn())
            .await?;
        return Ok(());
    }
    let next = if attempts >= MAX_ATTEMPTS as i64 {
        None
    } else {
        let honoured = match o.status {
            Some(429) | Some(503) => o
                .retry_after
                .as_deref()
                .and_then(|v| retry_after_s(v, chrono::Utc::now().timestamp())),
            _ => None,
        };
        honoured
            .or_else(|| jittered_delay_s(attempts as u32 + 1, rand::thread_rng().gen::<f64>()))
            .map(|d| now + d.max(1))
    };
    sqlx::query(
        "UPDATE webhook_deliveries SET status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END, attempts = ?, next_attempt_at = ?,
             last_status_code = ?, last_error = ?, updated_at = ? WHERE id = ?",
    )
    .bind(next)
    .bind(attempts)
    .bind(next)
    .bind(o.status)
    .bind(&error)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    let (failing_since,): (i64,) =
        sqlx::query_as("UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?) WHERE id = ? RETURNING failing_since")
            .bind(now)
            .bind(endpoint_id)
            .fetch_one(tx.conn())
            .await?;
    if o.status == Some(410) {
        disable(tx, endpoint_id, store_id, url, "The endpoint answered 410 Gone.", now).await?;
    } else if now - failing_since >= DISABLE_AFTER_S {
        disable(tx, endpoint_id, store_id, url, "Every attempt failed for five days.", now).await?;
    }
    Ok(())
}

/// Stops deliveries to an endpoint: its pending ones become failed (an admin
/// can replay them after fixing it), and the admins are told in the bell.
pub async fn disable(tx: &mut Tx, endpoint_id: i64, store_id: i64, url: &str, reason: &str, now: i64) -> Result<(), AppError> {
    let changed = sqlx::query("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = 1")
        .bind(reason)
        .bind(now)
        .bind(endpoint_id)
        .execute(tx.conn())
        .await?;
    if changed.rows_affected() == 0 {
        return Ok(());
    }
    sqlx::query(
        "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = 'The endpoint was disabled.', updated_at = ?
         WHERE endpoint_id = ? AND status = 'pending'",
    )
    .bind(now)
    .bind(endpoint_id)
    .execute(tx.conn())
    .await?;
    let payload = EventPayload {
        happening: Happening::WebhookEndpointDisabled { endpoint_id },
        appointment: AppointmentFacts::default(),
        conversation_id: None,
        preview: format!("{url} — {reason}"),
    };
    let json = serde_json::to_string(&payload).map_err(|_| AppError::Internal)?;
    sqlx::query("INSERT INTO events (store_id, kind, actor_kind, payload, created_at) VALUES (?, ?, 'system', ?, ?)")
        .bind(store_id)
        .bind(payload.happening.event_kind())
        .bind(json)
        .bind(now)
        .execute(tx.conn())
        .await?;
    tx.events_appended();
    Ok(())
}
