//! Web Push (RFC 8030) with aes128gcm payload encryption (RFC 8291) and VAPID
//! (RFC 8292), through the `web-push` crate. A dispatcher reads committed
//! bell notifications in order (its own cursor) and pushes each to every
//! device of its recipient — never inside the request that caused it.
//!
//! First attempts for a batch go out concurrently through a bounded pool;
//! a 429 or 5xx is retried in a detached task (bounded in number and count)
//! after the push service's `Retry-After`, so a slow or throttling service
//! holds back neither the bell nor anyone else's pushes. A 404 or 410 means
//! the subscription is gone: it is deleted. Every attempt is recorded.

use super::db::Db;
use super::AppState;
use crate::error::AppError;
use crate::model::DeviceView;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use futures::StreamExt;
use rand::RngCore;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use web_push::{ContentEncoding, SubscriptionInfo, Urgency, VapidSignatureBuilder, WebPushMessageBuilder};

const CURSOR: &str = "push";
/// Cursor over `read_receipts`: silent pushes that close read notifications elsewhere.
const READS_CURSOR: &str = "push_reads";
/// Notifications per round.
const BATCH: i64 = 200;
/// Pushes in flight at once in a round.
const CONCURRENCY: usize = 32;
/// Attempts per push, the first included.
const MAX_ATTEMPTS: u32 = 4;
/// Retries waiting at once; beyond this, further retries are dropped (and recorded as such).
const MAX_PENDING_RETRIES: usize = 256;
/// Longest wait we honour from a `Retry-After`.
const MAX_RETRY_AFTER_S: u64 = 120;
/// Pushes about something with no date expire after a day; others when it starts (capped).
const DEFAULT_TTL_S: i64 = 24 * 3600;
const MAX_TTL_S: i64 = 28 * 24 * 3600;

/// The server's VAPID key pair. The private half is neither `Serialize` nor
/// printed by `Debug`.
#[derive(Clone)]
pub struct Vapid {
    private_b64: Arc<str>,
    pub public_b64: String,
    /// The `sub` claim: how a push service can reach the operator.
    pub subject: String,
}

impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vapid {{ public_b64: {}, subject: {} }}", self.public_b64, self.subject)
    }
}

fn public_of(private_b64: &str) -> Option<String> {
    VapidSignatureBuilder::from_base64_no_sub(private_b64)
        .ok()
        .map(|b| B64.encode(b.get_public_key()))
}

/// Loads the VAPID key, creating it on the very first start. It is never
/// regenerated: every device's subscription is bound to it.
pub async fn load_or_create_vapid(db: &Db, subject: String, now: i64) -> Result<Vapid, AppError> {
    let existing: Option<(String,)> = sqlx::query_as("SELECT value FROM app_secrets WHERE name = 'vapid_private'")
        .fetch_optional(&db.read)
        .await?;
    let private = match existing {
        Some((v,)) => v,
        None => {
            // A random 32-byte scalar is a valid P-256 key except with negligible probability; check anyway.
            let fresh = loop {
                let mut bytes = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let b64 = B64.encode(bytes);
                if public_of(&b64).is_some() {
                    break b64;
                }
            };
            db.write(move |tx| {
                Box::pin(async move {
                    sqlx::query("INSERT OR IGNORE INTO app_secrets (name, value, created_at) VALUES ('vapid_private', ?, ?)")
                        .bind(&fresh)
                        .bind(now)
                        .execute(tx.conn())
                        .await?;
                    let (v,): (String,) = sqlx::query_as("SELECT value FROM app_secrets WHERE name = 'vapid_private'")
                        .fetch_one(tx.conn())
                        .await?;
                    Ok(v)
                })
            })
            .await?
        }
    };
    let public_b64 = public_of(&private).ok_or_else(|| {
        tracing::error!("the stored VAPID key is not a valid P-256 private key");
        AppError::Internal
    })?;
    Ok(Vapid {
        private_b64: private.into(),
        public_b64,
        subject,
    })
}

fn decode_len(b64: &str, len: usize, what: &str) -> Result<(), AppError> {
    match B64.decode(b64.trim_end_matches('=')) {
        Ok(bytes) if bytes.len() == len => Ok(()),
        _ => Err(AppError::BadRequest(format!("The subscription's {what} key is not valid."))),
    }
}

/// Stores (or moves to `staff_id`) a browser's push subscription.
pub async fn subscribe(
    state: &AppState,
    staff_id: i64,
    endpoint: String,
    p256dh: String,
    auth: String,
    label: String,
) -> Result<i64, AppError> {
    let secure = endpoint.starts_with("https://");
    let insecure_allowed = state.config.allow_insecure_push && endpoint.starts_with("http://");
    if endpoint.len() > 2048 || !(secure || insecure_allowed) {
        return Err(AppError::BadRequest("The push endpoint must be an https:// address.".into()));
    }
    decode_len(&p256dh, 65, "p256dh")?;
    decode_len(&auth, 16, "auth")?;
    let label: String = label.trim().chars().take(100).collect();
    let label = if label.is_empty() { "This device".to_string() } else { label };
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO push_subscriptions (staff_id, endpoint, p256dh, auth, label, created_at, last_used_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                     ON CONFLICT (endpoint) DO UPDATE SET staff_id = ?1, p256dh = ?3, auth = ?4, label = ?5, last_used_at = ?6
                     RETURNING id",
                )
                .bind(staff_id)
                .bind(endpoint)
                .bind(p256dh)
                .bind(auth)
                .bind(label)
                .bind(now)
                .fetch_one(tx.conn())
                .await?;
                Ok(id)
            })
        })
        .await
}

#[derive(sqlx::FromRow)]
struct DeviceRow {
    id: i64,
    label: String,
    endpoint: String,
    created_at: i64,
    last_used_at: i64,
    last_status: Option<i64>,
    last_result: Option<String>,
    last_attempt_at: Option<i64>,
}

pub async fn devices(state: &AppState, staff_id: i64) -> Result<Vec<DeviceView>, AppError> {
    let rows: Vec<DeviceRow> = sqlx::query_as(
        "SELECT id, label, endpoint, created_at, last_used_at, last_status, last_result, last_attempt_at
         FROM push_subscriptions WHERE staff_id = ? ORDER BY id",
    )
    .bind(staff_id)
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DeviceView {
            id: r.id,
            label: r.label,
            endpoint_host: r.endpoint.split('/').nth(2).unwrap_or("").to_string(),
            endpoint: r.endpoint,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            last_status: r.last_status,
            last_result: r.last_result,
            last_attempt_at: r.last_attempt_at,
        })
        .collect())
}

/// Renames (`Some`) or removes (`None`) one of `staff_id`'s devices.
pub async fn edit_device(state: &AppState, staff_id: i64, id: i64, label: Option<String>) -> Result<(), AppError> {
    let label = label.map(|l| l.trim().chars().take(100).collect::<String>());
    if label.as_deref() == Some("") {
        return Err(AppError::field("label", "Give the device a name."));
    }
    let changed = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let r = match label {
                    Some(l) => sqlx::query("UPDATE push_subscriptions SET label = ? WHERE id = ? AND staff_id = ?")
                        .bind(l)
                        .bind(id)
                        .bind(staff_id),
                    None => sqlx::query("DELETE FROM push_subscriptions WHERE id = ? AND staff_id = ?")
                        .bind(id)
                        .bind(staff_id),
                }
                .execute(tx.conn())
                .await?;
                Ok(r.rows_affected())
            })
        })
        .await?;
    if changed == 0 {
        return Err(AppError::NotFound("No such device.".into()));
    }
    Ok(())
}

/// What one push carries, and how the push service should treat it.
#[derive(Clone, Debug)]
struct Outgoing {
    notification_id: Option<i64>,
    staff_id: i64,
    payload: Vec<u8>,
    ttl: u32,
    urgency: Urgency,
    topic: Option<String>,
}

#[derive(Clone, Debug)]
struct Device {
    id: i64,
    endpoint: String,
    p256dh: String,
    auth: String,
}

#[derive(Debug)]
struct Attempt {
    subscription_id: i64,
    staff_id: i64,
    notification_id: Option<i64>,
    status: Option<u16>,
    result: String,
    gone: bool,
    retry_after: Option<Duration>,
}

fn urgency_for(kind: &str) -> Urgency {
    match kind {
        "new_request" | "new_appointment" | "assigned" | "awaiting_assignment" | "message_received" => Urgency::High,
        _ => Urgency::Normal,
    }
}

/// The push payload the service worker reads: small, well under 4 KB.
fn payload(title: &str, body: &str, url: &str, tag: &str, id: Option<i64>, unread: i64) -> Vec<u8> {
    let body: String = body.chars().take(300).collect();
    serde_json::to_vec(&serde_json::json!({ "title": title, "body": body, "url": url, "tag": tag, "id": id, "unread": unread }))
        .unwrap_or_default()
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: i64,
    staff_id: i64,
    kind: String,
    title: String,
    body: String,
    url: String,
    appointment_id: Option<i64>,
    conversation_id: Option<i64>,
    starts_at: Option<i64>,
    unread: i64,
}

/// The devices of these people, in one query.
async fn devices_of(state: &AppState, staff: &[i64]) -> Result<Vec<(i64, Device)>, AppError> {
    let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT id, staff_id, endpoint, p256dh, auth FROM push_subscriptions WHERE staff_id IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(staff).unwrap_or_default())
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, staff_id, endpoint, p256dh, auth)| {
            (
                staff_id,
                Device {
                    id,
                    endpoint,
                    p256dh,
                    auth,
                },
            )
        })
        .collect())
}

/// First attempts for every (push, device), `CONCURRENCY` at a time.
async fn send_all(client: &reqwest::Client, vapid: &Vapid, jobs: Vec<(Outgoing, Device)>) -> Vec<(Attempt, Outgoing, Device)> {
    futures::stream::iter(jobs)
        .map(|(out, dev)| {
            let (client, vapid) = (client.clone(), vapid.clone());
            async move { (deliver(&client, &vapid, &dev, &out).await, out, dev) }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await
}

pub async fn run(state: AppState) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(c) => c,
        Err(e) => return tracing::error!("push disabled: cannot build an HTTP client: {e}"),
    };
    let retries = Arc::new(Semaphore::new(MAX_PENDING_RETRIES));
    let mut woken = state.db.events_committed.clone();
    loop {
        loop {
            if let Err(e) = read_round(&state, &client).await {
                tracing::error!("push dispatcher (read sync): {e:?}");
            }
            match round(&state, &client, &retries).await {
                Ok(n) if n < BATCH as usize => break,
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("push dispatcher: {e:?}; retrying shortly");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    break;
                }
            }
        }
        if woken.changed().await.is_err() {
            return;
        }
    }
}

async fn round(state: &AppState, client: &reqwest::Client, retries: &Arc<Semaphore>) -> Result<usize, AppError> {
    let cursor: Option<(i64,)> = sqlx::query_as("SELECT last_event_id FROM dispatch_cursors WHERE name = ?")
        .bind(CURSOR)
        .fetch_optional(&state.db.read)
        .await?;
    let Some((after,)) = cursor else {
        // First start with push: begin at the newest notification, not the whole history.
        state
            .db
            .write(|tx| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT OR IGNORE INTO dispatch_cursors (name, last_event_id) SELECT ?, COALESCE(MAX(id), 0) FROM notifications",
                    )
                    .bind(CURSOR)
                    .execute(tx.conn())
                    .await?;
                    Ok(())
                })
            })
            .await?;
        return Ok(BATCH as usize); // go round again
    };
    let notes: Vec<NoteRow> = sqlx::query_as(
        "SELECT n.id, n.staff_id, n.kind, n.title, n.body, n.url, n.appointment_id, n.conversation_id, a.starts_at, s.unread_count AS unread
         FROM notifications n JOIN staff s ON s.id = n.staff_id LEFT JOIN appointments a ON a.id = n.appointment_id
         WHERE n.id > ? ORDER BY n.id LIMIT ?",
    )
    .bind(after)
    .bind(BATCH)
    .fetch_all(&state.db.read)
    .await?;
    let Some(last) = notes.last().map(|n| n.id) else { return Ok(0) };
    let staff: Vec<i64> = notes.iter().map(|n| n.staff_id).collect();
    let devices = devices_of(state, &staff).await?;
    let now = state.clock.now();
    let mut jobs = Vec::new();
    for n in &notes {
        let tag = match (n.appointment_id, n.conversation_id) {
            (_, Some(c)) => format!("conversation-{c}"),
            (Some(a), None) => format!("appointment-{a}"),
            (None, None) => format!("notification-{}", n.id),
        };
        let ttl = n.starts_at.map(|s| (s - now).clamp(60, MAX_TTL_S)).unwrap_or(DEFAULT_TTL_S) as u32;
        let out = Outgoing {
            notification_id: Some(n.id),
            staff_id: n.staff_id,
            payload: payload(&n.title, &n.body, &n.url, &tag, Some(n.id), n.unread),
            ttl,
            urgency: urgency_for(&n.kind),
            // A later push about the same appointment replaces one not yet delivered.
            topic: Some(tag.chars().take(32).collect()),
        };
        for (_, dev) in devices.iter().filter(|d| d.0 == n.staff_id) {
            jobs.push((out.clone(), dev.clone()));
        }
    }
    let attempts = send_all(client, &state.vapid, jobs).await;
    let mut first = Vec::with_capacity(attempts.len());
    for (attempt, out, dev) in attempts {
        if let Some(wait) = attempt.retry_after {
            spawn_retry(state.clone(), client.clone(), retries.clone(), out, dev, wait);
        }
        first.push(attempt);
    }
    record(&state.db, first, now, Some((CURSOR, last))).await?;
    Ok(notes.len())
}

/// Tells a person's devices which notifications they read elsewhere: a silent
/// push with the same tags (the service worker closes those and updates the
/// badge). One attempt each; a missed one only leaves a stale OS notification.
async fn read_round(state: &AppState, client: &reqwest::Client) -> Result<(), AppError> {
    let cursor: Option<(i64,)> = sqlx::query_as("SELECT last_event_id FROM dispatch_cursors WHERE name = ?")
        .bind(READS_CURSOR)
        .fetch_optional(&state.db.read)
        .await?;
    let Some((after,)) = cursor else {
        return state
            .db
            .write(|tx| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT OR IGNORE INTO dispatch_cursors (name, last_event_id) SELECT ?, COALESCE(MAX(id), 0) FROM read_receipts",
                    )
                    .bind(READS_CURSOR)
                    .execute(tx.conn())
                    .await?;
                    Ok(())
                })
            })
            .await;
    };
    let receipts: Vec<(i64, i64, String, bool, i64)> =
        sqlx::query_as("SELECT id, staff_id, tags, all_read, unread FROM read_receipts WHERE id > ? ORDER BY id LIMIT ?")
            .bind(after)
            .bind(BATCH)
            .fetch_all(&state.db.read)
            .await?;
    let Some(last) = receipts.last().map(|r| r.0) else { return Ok(()) };
    let staff: Vec<i64> = receipts.iter().map(|r| r.1).collect();
    let devices = devices_of(state, &staff).await?;
    let mut jobs = Vec::new();
    for (_, staff_id, tags, all, unread) in &receipts {
        let tags: Vec<String> = serde_json::from_str(tags).unwrap_or_default();
        let body =
            serde_json::to_vec(&serde_json::json!({ "silent": true, "tags": tags, "all": all, "unread": unread })).unwrap_or_default();
        let out = Outgoing {
            notification_id: None,
            staff_id: *staff_id,
            payload: body,
            ttl: DEFAULT_TTL_S as u32,
            urgency: Urgency::Normal,
            topic: Some("read-sync".into()),
        };
        for (_, dev) in devices.iter().filter(|d| d.0 == *staff_id) {
            jobs.push((out.clone(), dev.clone()));
        }
    }
    let attempts: Vec<Attempt> = send_all(client, &state.vapid, jobs).await.into_iter().map(|(a, _, _)| a).collect();
    record(&state.db, attempts, state.clock.now(), Some((READS_CURSOR, last))).await
}

/// Sends a test push to every device of `staff_id`, through the same path.
pub async fn send_test(state: &AppState, staff_id: i64) -> Result<usize, AppError> {
    let devices: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, endpoint, p256dh, auth FROM push_subscriptions WHERE staff_id = ?")
            .bind(staff_id)
            .fetch_all(&state.db.read)
            .await?;
    let n = devices.len();
    let out = Outgoing {
        notification_id: None,
        staff_id,
        payload: payload(
            "Test notification",
            "Notifications reach this device.",
            "/staff/diagnostics",
            "test",
            None,
            0,
        ),
        ttl: 300,
        urgency: Urgency::High,
        topic: Some("test".into()),
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(|_| AppError::Internal)?;
    let mut attempts = Vec::new();
    for (id, endpoint, p256dh, auth) in devices {
        attempts.push(
            deliver(
                &client,
                &state.vapid,
                &Device {
                    id,
                    endpoint,
                    p256dh,
                    auth,
                },
                &out,
            )
            .await,
        );
    }
    record(&state.db, attempts, state.clock.now(), None).await?;
    Ok(n)
}

fn spawn_retry(state: AppState, client: reqwest::Client, permits: Arc<Semaphore>, out: Outgoing, dev: Device, first_wait: Duration) {
    let Ok(permit) = permits.try_acquire_owned() else {
        tracing::warn!("too many push retries pending; not retrying push to device {}", dev.id);
        return;
    };
    tokio::spawn(async move {
        let _permit = permit;
        let mut wait = first_wait;
        for _ in 1..MAX_ATTEMPTS {
            tokio::time::sleep(wait).await;
            let attempt = deliver(&client, &state.vapid, &dev, &out).await;
            let next = attempt.retry_after;
            if let Err(e) = record(&state.db, vec![attempt], state.clock.now(), None).await {
                tracing::error!("recording a push retry: {e:?}");
            }
            match next {
                Some(w) => wait = w,
                None => return,
            }
        }
    });
}

async fn deliver(client: &reqwest::Client, vapid: &Vapid, dev: &Device, out: &Outgoing) -> Attempt {
    let mut attempt = Attempt {
        subscription_id: dev.id,
        staff_id: out.staff_id,
        notification_id: out.notification_id,
        status: None,
        result: String::new(),
        gone: false,
        retry_after: None,
    };
    let request = match build(vapid, dev, out) {
        Ok(r) => r,
        Err(e) => {
            attempt.result = format!("not sent: {e}");
            return attempt;
        }
    };
    let (parts, body) = request.into_parts();
    let mut req = client.post(parts.uri.to_string()).body(body);
    for (name, value) in parts.headers.iter() {
        req = req.header(name.as_str(), value.as_bytes());
    }
    match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            attempt.status = Some(status);
            let retry_after = res
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(|s| Duration::from_secs(s.min(MAX_RETRY_AFTER_S)));
            attempt.result = match status {
                200..=299 => "delivered to the push service".into(),
                404 | 410 => {
                    attempt.gone = true;
                    "subscription expired: removed".into()
                }
                429 | 500..=599 => {
                    attempt.retry_after = Some(retry_after.unwrap_or(Duration::from_secs(2)));
                    format!("push service busy ({status}); will retry")
                }
                _ => {
                    let text: String = res.text().await.unwrap_or_default().chars().take(200).collect();
                    format!("refused ({status}): {text}")
                }
            };
        }
        Err(e) => {
            attempt.result = format!("could not reach the push service: {e}");
            attempt.retry_after = Some(Duration::from_secs(2));
        }
    }
    attempt
}

fn build(vapid: &Vapid, dev: &Device, out: &Outgoing) -> Result<http02::Request<Vec<u8>>, web_push::WebPushError> {
    let info = SubscriptionInfo::new(dev.endpoint.as_str(), dev.p256dh.as_str(), dev.auth.as_str());
    let mut signature = VapidSignatureBuilder::from_base64(&vapid.private_b64, &info)?;
    signature.add_claim("sub", vapid.subject.as_str());
    // RFC 8292: `aud` is the push resource's origin, port included; the crate's
    // default drops a non-default port.
    let origin: String = dev.endpoint.split('/').take(3).collect::<Vec<_>>().join("/");
    signature.add_claim("aud", origin.as_str());
    let mut message = WebPushMessageBuilder::new(&info);
    message.set_payload(ContentEncoding::Aes128Gcm, &out.payload);
    message.set_vapid_signature(signature.build()?);
    message.set_ttl(out.ttl);
    message.set_urgency(out.urgency);
    if let Some(topic) = &out.topic {
        message.set_topic(topic.clone());
    }
    Ok(web_push::request_builder::build_request::<Vec<u8>>(message.build()?))
}

/// Records attempts, forgets expired subscriptions, and advances the cursor, in one transaction.
async fn record(db: &Db, attempts: Vec<Attempt>, now: i64, cursor: Option<(&'static str, i64)>) -> Result<(), AppError> {
    db.write(move |tx| {
        Box::pin(async move {
            for a in &attempts {
                sqlx::query(
                    "INSERT INTO push_attempts (subscription_id, staff_id, notification_id, status, result, attempted_at) VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(a.subscription_id)
                .bind(a.staff_id)
                .bind(a.notification_id)
                .bind(a.status.map(|s| s as i64))
                .bind(&a.result)
                .bind(now)
                .execute(tx.conn())
                .await?;
                if a.gone {
                    sqlx::query("DELETE FROM push_subscriptions WHERE id = ?").bind(a.subscription_id).execute(tx.conn()).await?;
                } else {
                    sqlx::query("UPDATE push_subscriptions SET last_status = ?, last_result = ?, last_attempt_at = ? WHERE id = ?")
                        .bind(a.status.map(|s| s as i64))
                        .bind(&a.result)
                        .bind(now)
                        .bind(a.subscription_id)
                        .execute(tx.conn())
                        .await?;
                }
            }
            if let Some((name, last)) = cursor {
                sqlx::query("UPDATE dispatch_cursors SET last_event_id = ? WHERE name = ?").bind(last).bind(name).execute(tx.conn()).await?;
            }
            Ok(())
        })
    })
    .await
}
