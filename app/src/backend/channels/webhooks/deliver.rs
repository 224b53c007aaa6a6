//! Sends due deliveries. At most `PER_ENDPOINT` requests to one endpoint at
//! a time and `IN_FLIGHT` overall, so a slow endpoint only slows itself.
//! Every attempt is recorded (time, status, latency, the first 2 KB of the
//! answer); the outcome schedules the next attempt, ends the delivery, or
//! disables the endpoint (410 at once; five days of nothing but failures).

use super::schedule::{jittered_delay_s, retry_after_s, DISABLE_AFTER_S, MAX_ATTEMPTS};
use super::signing::{signature_header, WebhookSecret};
use super::ssrf::{check_url, AllowList, GuardedResolver};
use crate::backend::store::webhooks::{Claimed, NewAttempt, Target};
use crate::backend::store::{self, Tx};
use crate::backend::{due, AppState};
use crate::domain::event::{Actor, AppointmentFacts, EventPayload, Happening};
use crate::domain::ids::{DeliveryId, EndpointId, StoreId};
use crate::domain::time::{Seconds, UnixTime};
use crate::domain::webhooks::WebhookMethod;
use crate::error::AppError;
use rand::Rng;
use std::collections::{HashMap, HashSet};
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
const CLAIM: Seconds = Seconds::minutes(2);
/// What is kept of an answer.
const RESPONSE_KEEP: usize = 2048;

/// The delivery machinery shared through `AppState`.
pub struct Webhooks {
    http: reqwest::Client,
    pub allow: AllowList,
    /// Rung when deliveries become due (new ones, a resend) or a slot frees.
    pub due: Notify,
    /// Requests in flight per endpoint.
    in_flight: Mutex<HashMap<EndpointId, i64>>,
    /// Deliveries being attempted right now: never claimed twice, however
    /// far the clock moves while one is in flight (the claim window only
    /// matters after a crash).
    sending: Mutex<HashSet<DeliveryId>>,
    /// OAuth2 access tokens per endpoint, until they expire (real time: the token endpoint's clock).
    tokens: tokio::sync::Mutex<HashMap<EndpointId, (String, i64)>>,
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
            sending: Mutex::new(HashSet::new()),
            tokens: tokio::sync::Mutex::new(HashMap::new()),
        })
    }

    fn busy(&self) -> HashMap<EndpointId, i64> {
        self.in_flight.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn sending(&self) -> Vec<DeliveryId> {
        self.sending.lock().unwrap_or_else(|e| e.into_inner()).iter().copied().collect()
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

pub async fn run(state: AppState) {
    let slots = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let webhooks = state.webhooks.clone();
    due::run(
        &state,
        "webhook sender",
        due::Wake::Bell(&webhooks.due),
        // Due deliveries held back by a full endpoint stay due: wait for a slot
        // to free (it rings) rather than spin.
        Seconds(1),
        || start_due(&state, &slots),
        || async { store::webhooks::next_due(&mut *state.db.reader().await?).await },
    )
    .await
}

/// Claims what fits in the free slots and starts each attempt in its own task; returns how many.
async fn start_due(state: &AppState, slots: &Arc<tokio::sync::Semaphore>) -> Result<usize, AppError> {
    let claimed = claim(state, slots.available_permits() as i64).await?;
    for d in claimed.iter().cloned() {
        let Ok(permit) = slots.clone().acquire_owned().await else { break };
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
    Ok(claimed.len())
}

/// Claims due deliveries of enabled endpoints, no more per endpoint than its
/// free slots, by pushing their due time past the claim window.
async fn claim(state: &AppState, room: i64) -> Result<Vec<Claimed>, AppError> {
    if room == 0 {
        return Ok(vec![]);
    }
    let now = state.clock.now();
    let busy = state.webhooks.busy();
    let sending = state.webhooks.sending();
    state
        .db
        .write(move |tx| Box::pin(async move { store::webhooks::claim(tx, now, CLAIM, PER_ENDPOINT, &busy, &sending, room).await }))
        .await
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
    let t = store::webhooks::target(&mut *state.db.reader().await?, d.id).await?;
    let outcome = send(state, d.endpoint_id, &t).await;
    state.sends.webhooks.record(
        outcome.status.is_some_and(|s| (200..300).contains(&s)),
        Some(std::time::Duration::from_millis(outcome.latency_ms.max(0) as u64)),
    );
    let now = state.clock.now();
    let (id, endpoint_id, attempts) = (d.id, d.endpoint_id, d.attempts + 1);
    state
        .db
        .write(move |tx| Box::pin(async move { record(tx, id, endpoint_id, t.store_id, &t.url, attempts, outcome, now).await }))
        .await
}

async fn send(state: &AppState, endpoint_id: EndpointId, t: &Target) -> Outcome {
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
    let method = match t.method {
        WebhookMethod::Post => reqwest::Method::POST,
        WebhookMethod::Put => reqwest::Method::PUT,
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
async fn token(state: &AppState, endpoint_id: EndpointId, t: &Target, fresh: bool) -> Result<String, String> {
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

#[allow(clippy::too_many_arguments)] // one attempt's facts
async fn record(
    tx: &mut Tx,
    id: DeliveryId,
    endpoint_id: EndpointId,
    store_id: StoreId,
    url: &str,
    attempts: i64,
    o: Outcome,
    now: UnixTime,
) -> Result<(), AppError> {
    let attempt = NewAttempt {
        status_code: o.status,
        latency_ms: o.latency_ms,
        response: &o.response,
        error: &o.error,
    };
    store::webhooks::record_attempt(tx, id, &attempt, now).await?;
    if let Some(status) = o.status.filter(|s| (200..300).contains(s)) {
        return store::webhooks::succeeded(tx, id, endpoint_id, attempts, status, now).await;
    }
    let error = match (o.status, o.error.is_empty()) {
        (Some(s), true) => format!("HTTP {s}"),
        _ => o.error.clone(),
    };
    let retry_at = if attempts >= MAX_ATTEMPTS as i64 {
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
            .map(|d| now + Seconds(d.max(1)))
    };
    let failing_since = store::webhooks::failed(tx, id, endpoint_id, attempts, retry_at, o.status, &error, now).await?;
    if o.status == Some(410) {
        disable(tx, endpoint_id, store_id, url, "The endpoint answered 410 Gone.", now).await?;
    } else if (now - failing_since).0 >= DISABLE_AFTER_S {
        disable(tx, endpoint_id, store_id, url, "Every attempt failed for five days.", now).await?;
    }
    Ok(())
}

/// Stops deliveries to an endpoint: its pending ones become failed (an admin
/// can replay them after fixing it), and the admins are told in the bell.
pub async fn disable(
    tx: &mut Tx,
    endpoint_id: EndpointId,
    store_id: StoreId,
    url: &str,
    reason: &str,
    now: UnixTime,
) -> Result<(), AppError> {
    if !store::webhooks::disable(tx, endpoint_id, reason, now).await? {
        return Ok(());
    }
    let payload = EventPayload {
        happening: Happening::WebhookEndpointDisabled { endpoint_id },
        appointment: AppointmentFacts::default(),
        conversation_id: None,
        preview: format!("{url} — {reason}"),
        message: String::new(),
        payment: None,
    };
    store::events::append(tx, store_id, None, Actor::System, &payload, now).await?;
    Ok(())
}
