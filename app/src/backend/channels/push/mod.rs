//! Push: every bell item, on every device of its recipient, when the app is
//! closed. Two followers, each with its own cursor:
//!
//! - `Pushes` follows the bell items (the notifications table) and pushes
//!   each to its recipient's devices — never inside the request that caused it;
//! - `ReadSync` follows read receipts and sends a silent push with the same
//!   tags, so the service worker closes what was read elsewhere and updates
//!   the badge.
//!
//! First attempts for a batch go out concurrently through a bounded pool; a
//! 429 or 5xx is retried in a detached task (bounded in number and count)
//! after the push service's `Retry-After`, so a slow or throttling service
//! holds back neither the bell nor anyone else's pushes. A 404 or 410 means
//! the subscription is gone: it is deleted. Every attempt is recorded.

pub mod devices;
mod send;
pub mod services;
pub mod vapid;

pub use services::PushServices;
pub use vapid::Vapid;

use crate::backend::channels::webhooks::ssrf::AllowList;
use crate::backend::events::{Follower, Page};
use crate::backend::store::cursors::Log;
use crate::backend::store::notifications::{PushItem, Receipt};
use crate::backend::store::preferences::Held;
use crate::backend::store::push::{Attempt, Target};
use crate::backend::store::{self, BoxFut, Conn, Db, Tx};
use crate::backend::AppState;
use crate::domain::ids::StaffId;
use crate::domain::messages::{push_tag, NotificationKind};
use crate::domain::preferences::{held_for, Away, Topic};
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::rules::preferences;
use futures::StreamExt;
use send::{deliver, Outgoing, PushClient, Sent};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use web_push::Urgency;

/// Pushes in flight at once in a batch.
const CONCURRENCY: usize = 32;
/// Attempts per push, the first included.
const MAX_ATTEMPTS: u32 = 4;
/// Retries waiting at once; beyond this, further retries are dropped (and logged).
const MAX_PENDING_RETRIES: usize = 256;
/// Pushes about something with no date expire after a day; others when it starts (capped).
const DEFAULT_TTL: Seconds = Seconds::days(1);
const MAX_TTL: Seconds = Seconds::days(28);

fn urgency_for(kind: NotificationKind) -> Urgency {
    match kind {
        NotificationKind::NewRequest
        | NotificationKind::NewAppointment
        | NotificationKind::AssignedToYou
        | NotificationKind::AwaitingAssignment
        | NotificationKind::MessageReceived
        | NotificationKind::DuringTimeOff => Urgency::High,
        NotificationKind::MovedAway
        | NotificationKind::Updated
        | NotificationKind::Approved
        | NotificationKind::Cancelled
        | NotificationKind::ConversationOverdue
        | NotificationKind::UpcomingVisit
        | NotificationKind::PaymentReceived
        | NotificationKind::WebhookDisabled => Urgency::Normal,
    }
}

/// The push payload the service worker reads: small, well under 4 KB.
fn payload(title: &str, body: &str, url: &str, tag: &str, id: Option<i64>, unread: i64) -> Vec<u8> {
    let body: String = body.chars().take(300).collect();
    serde_json::to_vec(&serde_json::json!({ "title": title, "body": body, "url": url, "tag": tag, "id": id, "unread": unread }))
        .unwrap_or_default()
}

/// Every (push, device) pair, first attempts `CONCURRENCY` at a time.
async fn send_all(client: &PushClient, vapid: &Vapid, jobs: Vec<(Outgoing, Target)>) -> Vec<(Sent, Outgoing, Target)> {
    futures::stream::iter(jobs)
        .map(|(out, dev)| {
            let (client, vapid) = (client.clone(), vapid.clone());
            async move { (deliver(&client, &vapid, &dev, &out).await, out, dev) }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await
}

/// Each outgoing push for each of its recipient's devices.
async fn fan_out(conn: &mut Conn, outs: Vec<Outgoing>) -> Result<Vec<(Outgoing, Target)>, AppError> {
    let staff: Vec<StaffId> = outs.iter().map(|o| o.staff_id).collect();
    let devices = store::push::targets(conn, &staff).await?;
    let mut jobs = Vec::new();
    for out in outs {
        for dev in devices.iter().filter(|d| d.staff_id == out.staff_id) {
            jobs.push((out.clone(), dev.clone()));
        }
    }
    Ok(jobs)
}

async fn record(db: &Db, attempts: Vec<Attempt>, state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    for a in &attempts {
        state.sends.push.record(a.status.is_some_and(|s| (200..300).contains(&s)), None);
    }
    db.write(move |tx| Box::pin(async move { store::push::record_attempts(tx, &attempts, now).await }))
        .await
}

/// The bell items' follower.
pub struct Pushes {
    client: PushClient,
    retries: Arc<Semaphore>,
}

impl Pushes {
    pub fn new(allow: &AllowList, services: &PushServices) -> Result<Self, String> {
        Ok(Self {
            client: send::client(allow, services).map_err(|e| format!("push HTTP client: {e}"))?,
            retries: Arc::new(Semaphore::new(MAX_PENDING_RETRIES)),
        })
    }

    fn spawn_retry(&self, state: &AppState, out: Outgoing, dev: Target, first_wait: Duration) {
        let Ok(permit) = self.retries.clone().try_acquire_owned() else {
            tracing::warn!("too many push retries pending; not retrying push to device {}", dev.id);
            return;
        };
        let (state, client) = (state.clone(), self.client.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let mut wait = first_wait;
            for _ in 1..MAX_ATTEMPTS {
                tokio::time::sleep(wait).await;
                let sent = deliver(&client, &state.vapid, &dev, &out).await;
                if let Err(e) = record(&state.db, vec![sent.attempt], &state).await {
                    tracing::error!("recording a push retry: {e:?}");
                }
                match sent.retry_after {
                    Some(w) => wait = w,
                    None => return,
                }
            }
        });
    }
}

/// What a batch of bell items came to: the attempts made, and the pushes held
/// for quiet hours.
pub struct Pushed {
    attempts: Vec<Attempt>,
    held: Vec<Held>,
}

/// The local date and minute of the day in `zone`, for quiet hours and days off.
fn local_date_and_minute(zone: &str, now: UnixTime) -> (chrono::NaiveDate, u16) {
    use chrono::Timelike;
    let zone = if zone.is_empty() { "UTC" } else { zone };
    let local = chrono::DateTime::<chrono::Utc>::from_timestamp(now.secs(), 0)
        .unwrap_or_default()
        .with_timezone(&crate::backend::time::zone(zone));
    (local.date_naive(), (local.hour() * 60 + local.minute()) as u16)
}

impl Follower for Pushes {
    const NAME: &'static str = "push";
    // First start with push: begin at the newest bell item, not the whole history.
    const LOG: Log = Log::Notifications;
    type Item = PushItem;
    type Output = Pushed;

    async fn read(conn: &mut Conn, after: i64, limit: i64) -> Result<Page<PushItem>, AppError> {
        crate::backend::events::read_bell_items(conn, after, limit).await
    }

    /// Sends the first attempts; the cursor moves once they are recorded, so
    /// a first attempt is never lost (retries live in memory, bounded).
    async fn handle(&self, state: &AppState, conn: &mut Conn, items: Vec<PushItem>) -> Result<Pushed, AppError> {
        let now = state.clock.now();
        let staff: Vec<StaffId> = items.iter().map(|n| n.staff_id).collect();
        let prefs = store::preferences::of_many(conn, &staff).await?;
        // A day either side of any zone's "today".
        let yesterday =
            (chrono::DateTime::<chrono::Utc>::from_timestamp(now.secs(), 0).unwrap_or_default() - chrono::Duration::days(1)).date_naive();
        let time_off = store::preferences::time_off_of(conn, &staff, yesterday).await?;
        let mut held = Vec::new();
        // Each person's choice for the item's topic, and their quiet hours (`rules::preferences`).
        let items: Vec<&PushItem> = items
            .iter()
            .filter(|n| {
                let p = prefs.get(&n.staff_id);
                let chosen = Topic::of(n.kind).and_then(|t| p.and_then(|p| p.topics.get(&t).copied()));
                let off = time_off.get(&n.staff_id).cloned().unwrap_or_default();
                let zone = p.map(|p| p.zone.as_str()).filter(|z| !z.is_empty()).unwrap_or(&off.zone);
                let (date, minute) = local_date_and_minute(zone, now);
                let away = Away {
                    working_days: p.and_then(|p| p.working_days),
                    time_off: off.days,
                };
                let quiet_left = held_for(p.and_then(|p| p.quiet.as_ref().map(|q| q.0)), &away, date, minute);
                match preferences::channels(n.kind, chosen, quiet_left).push {
                    preferences::Push::Now => true,
                    preferences::Push::Held { minutes } => {
                        // At the minute the quiet hours end.
                        let release_at = UnixTime(now.secs() - now.secs() % 60) + Seconds::minutes(minutes as i64);
                        held.push(Held {
                            staff_id: n.staff_id,
                            notification_id: n.id,
                            release_at,
                        });
                        false
                    }
                    preferences::Push::No => false,
                }
            })
            .collect();
        let outs = items
            .iter()
            .map(|n| {
                let tag = push_tag(n.id, n.appointment_id, n.conversation_id);
                let ttl = n
                    .starts_at
                    .map(|s| (s - now).clamp(Seconds::minutes(1), MAX_TTL))
                    .unwrap_or(DEFAULT_TTL);
                Outgoing {
                    notification_id: Some(n.id),
                    staff_id: n.staff_id,
                    payload: payload(&n.title, &n.body, &n.url, &tag, Some(n.id.0), n.unread),
                    ttl: ttl.0 as u32,
                    urgency: urgency_for(n.kind),
                    // A later push about the same appointment replaces one not yet delivered.
                    topic: Some(tag.chars().take(32).collect()),
                }
            })
            .collect();
        let jobs = fan_out(conn, outs).await?;
        let mut attempts = Vec::with_capacity(jobs.len());
        for (sent, out, dev) in send_all(&self.client, &state.vapid, jobs).await {
            if let Some(wait) = sent.retry_after {
                self.spawn_retry(state, out, dev, wait);
            }
            attempts.push(sent.attempt);
        }
        Ok(Pushed { attempts, held })
    }

    fn record<'t>(tx: &'t mut Tx, pushed: Pushed, state: &'t AppState) -> BoxFut<'t, Result<(), AppError>> {
        Box::pin(async move {
            store::push::record_attempts(tx, &pushed.attempts, state.clock.now()).await?;
            store::preferences::hold(tx, &pushed.held).await
        })
    }

    fn committed(&self, state: &AppState) {
        state.held_pushes.notify_one();
    }
}

/// The read receipts' follower. One attempt each: a missed one only leaves a
/// stale OS notification behind.
pub struct ReadSync {
    client: PushClient,
}

impl ReadSync {
    pub fn new(allow: &AllowList, services: &PushServices) -> Result<Self, String> {
        Ok(Self {
            client: send::client(allow, services).map_err(|e| format!("push HTTP client: {e}"))?,
        })
    }
}

impl Follower for ReadSync {
    const NAME: &'static str = "push_reads";
    const LOG: Log = Log::ReadReceipts;
    type Item = Receipt;
    type Output = Vec<Attempt>;

    async fn read(conn: &mut Conn, after: i64, limit: i64) -> Result<Page<Receipt>, AppError> {
        let items = store::notifications::receipts(conn, after, limit).await?;
        let last = items.last().map(|r| r.id.0);
        Ok(Page { items, last })
    }

    async fn handle(&self, state: &AppState, conn: &mut Conn, receipts: Vec<Receipt>) -> Result<Vec<Attempt>, AppError> {
        let mut outs = Vec::with_capacity(receipts.len());
        for r in &receipts {
            let body = serde_json::json!({ "silent": true, "tags": r.tags()?, "all": r.all_read, "unread": r.unread });
            outs.push(Outgoing {
                notification_id: None,
                staff_id: r.staff_id,
                payload: serde_json::to_vec(&body).unwrap_or_default(),
                ttl: DEFAULT_TTL.0 as u32,
                urgency: Urgency::Normal,
                topic: Some("read-sync".into()),
            });
        }
        let jobs = fan_out(conn, outs).await?;
        Ok(send_all(&self.client, &state.vapid, jobs)
            .await
            .into_iter()
            .map(|(s, _, _)| s.attempt)
            .collect())
    }

    fn record<'t>(tx: &'t mut Tx, attempts: Vec<Attempt>, state: &'t AppState) -> BoxFut<'t, Result<(), AppError>> {
        Box::pin(async move { store::push::record_attempts(tx, &attempts, state.clock.now()).await })
    }
}

/// Sends a test push to every device of `staff_id`, through the same path; returns how many devices.
pub async fn send_test(state: &AppState, staff_id: StaffId) -> Result<usize, AppError> {
    let devices = store::push::targets(&mut *state.db.reader().await?, &[staff_id]).await?;
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
    let client = send::client(&state.webhooks.allow, &state.config.push_services).map_err(|_| AppError::Internal)?;
    let mut attempts = Vec::with_capacity(devices.len());
    for dev in &devices {
        attempts.push(deliver(&client, &state.vapid, dev, &out).await.attempt);
    }
    record(&state.db, attempts, state).await?;
    Ok(devices.len())
}

/// When someone's quiet hours end: one push saying what waited, instead of
/// each held one (the bell had them all along). Sent at least once: the held
/// rows go only after the attempts are recorded.
pub async fn summaries(state: AppState, client: PushClient) {
    let bell = state.held_pushes.clone();
    crate::backend::due::run(
        &state,
        "push summaries",
        crate::backend::due::Wake::Bell(&bell),
        Seconds(1),
        || summary_round(&state, &client),
        || async { store::preferences::next_release(&mut *state.db.reader().await?).await },
    )
    .await
}

async fn summary_round(state: &AppState, client: &PushClient) -> Result<usize, AppError> {
    let now = state.clock.now();
    let mut conn = state.db.reader().await?;
    let due = store::preferences::due(&mut conn, now).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let outs: Vec<Outgoing> = due
        .iter()
        .map(|(staff_id, held, unread)| {
            let body = match held.len() {
                // Quiet hours, a day off or time off: "away" covers them all.
                1 => "1 notification came in. Open the bell to see it.".to_string(),
                n => format!("{n} notifications came in. Open the bell to see them."),
            };
            Outgoing {
                notification_id: None,
                staff_id: *staff_id,
                payload: payload("While you were away", &body, "/staff", "quiet-hours-summary", None, *unread),
                ttl: DEFAULT_TTL.0 as u32,
                urgency: Urgency::Normal,
                topic: Some("quiet-hours-summary".into()),
            }
        })
        .collect();
    let jobs = fan_out(&mut conn, outs).await?;
    drop(conn);
    let attempts: Vec<Attempt> = send_all(client, &state.vapid, jobs)
        .await
        .into_iter()
        .map(|(sent, _, _)| sent.attempt)
        .collect();
    let ids: Vec<i64> = due.iter().flat_map(|d| d.1.iter().copied()).collect();
    let n = ids.len();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                store::push::record_attempts(tx, &attempts, now).await?;
                store::preferences::release(tx, &ids).await
            })
        })
        .await?;
    Ok(n)
}

/// The push client of the summaries' worker (the same guard as every push).
pub fn summary_client(allow: &AllowList, services: &PushServices) -> Result<PushClient, String> {
    send::client(allow, services).map_err(|e| format!("push HTTP client: {e}"))
}
