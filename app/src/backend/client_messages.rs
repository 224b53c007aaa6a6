//! Messages to clients. Two tasks, neither inside a request:
//!
//! - the dispatcher reads committed events with its own cursor, asks the pure
//!   `client_rules` which message each calls for and who gets a copy, renders
//!   every copy in the recipient's language and records it (queued, or
//!   skipped with why) in the same transaction that advances the cursor;
//! - the sender claims due rows, sends them by SMTP or the SMS provider, and
//!   records the outcome, retrying transient failures with back-off.
//!
//! A message row is the durable promise: a restart loses nothing, and the
//! unique (event, channel, recipient) index means an event is never messaged
//! twice. A crash in the middle of a send can repeat that one send (SMTP has
//! no idempotency key); it cannot lose it.

use super::booking::EventPayload;
use super::db::Tx;
use super::outbound::Outbound;
use super::templates::{self, MessageContext};
use super::time;
use super::tracking;
use super::AppState;
use crate::client_rules::{copies, message_for, Addressee, BookingState, Channel, ClientContact, ClientEvent, MessageKind};
use crate::error::AppError;
use crate::model::AppointmentStatus;
use crate::parse::Language;
use crate::rules::Actor;
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

const CURSOR: &str = "client_messages";
/// Events read per round.
const BATCH: i64 = 200;
/// Messages claimed per round, and sent at most this many at a time.
const SEND_BATCH: i64 = 32;
const SEND_CONCURRENCY: usize = 8;
/// Wait after the 1st, 2nd, ... failed attempt; after the last the message is given up.
const RETRY_DELAYS_S: [i64; 5] = [60, 300, 1800, 7200, 21_600];
/// A claimed message whose outcome was never written (the process died
/// mid-send) becomes due again after this long.
const CLAIM_S: i64 = 600;

/// The channels, and the bell that wakes the sender when rows are queued.
#[derive(Clone)]
pub struct Messaging {
    pub outbound: Arc<Outbound>,
    pub queued: Arc<Notify>,
}

impl Messaging {
    pub fn new(outbound: Outbound) -> Self {
        Self {
            outbound: Arc::new(outbound),
            queued: Arc::new(Notify::new()),
        }
    }
}

pub async fn run_dispatcher(state: AppState) {
    let queued = state.messaging.queued.clone();
    super::db::follow_events(
        &state.db,
        "client message dispatcher",
        || dispatch_batch(&state),
        || queued.notify_one(),
    )
    .await
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    appointment_id: Option<i64>,
    actor_kind: String,
    actor_staff_id: Option<i64>,
    payload: String,
}

/// What every copy about one appointment needs that the event does not carry.
#[derive(sqlx::FromRow)]
struct Recipients {
    id: i64,
    store_id: i64,
    status: String,
    presence: String,
    completed: bool,
    starts_at: i64,
    remind_by_email: bool,
    remind_by_sms: bool,
    cancel_reason: String,
    tracking_generation: i64,
    client_name: String,
    client_email: Option<String>,
    client_mobile: Option<String>,
    client_language: String,
    store_slug: String,
    store_address: String,
    time_zone: String,
    default_language: String,
    thank_you_enabled: bool,
    client_cutoff_hours: i64,
}

/// One row about to be written.
#[derive(serde::Serialize)]
struct Outgoing {
    store_id: i64,
    appointment_id: i64,
    event_id: i64,
    kind: &'static str,
    channel: &'static str,
    recipient_name: String,
    recipient: String,
    language: &'static str,
    subject: String,
    body_text: String,
    body_html: String,
    status: &'static str,
    status_reason: String,
}

/// The recipient's language when we write it, else the store's, else English.
pub fn language_for(client: &str, store_default: &str) -> Language {
    Language::parse(client)
        .or_else(|_| Language::parse(store_default))
        .unwrap_or_else(|_| Language::fallback())
}

/// Reads (outside the writer) one batch of events and everything their
/// messages need in three queries, renders, then writes all rows and the
/// cursor in one transaction. Only this task moves the cursor, so reading
/// ahead of the write is safe.
async fn dispatch_batch(state: &AppState) -> Result<usize, AppError> {
    let after = crate::backend::db::cursor(&state.db.read, CURSOR).await?;
    let events: Vec<EventRow> =
        sqlx::query_as("SELECT id, appointment_id, actor_kind, actor_staff_id, payload FROM events WHERE id > ? ORDER BY id LIMIT ?")
            .bind(after)
            .bind(BATCH)
            .fetch_all(&state.db.read)
            .await?;
    let Some(last) = events.last().map(|e| e.id) else {
        return Ok(0);
    };
    let ids: Vec<i64> = events.iter().filter_map(|e| e.appointment_id).collect();
    let ids_json = serde_json::to_string(&ids).map_err(|_| AppError::Internal)?;
    let rows: Vec<Recipients> = sqlx::query_as(
        "SELECT a.id, a.store_id, a.status, a.presence, a.completed, a.starts_at, a.remind_by_email, a.remind_by_sms, a.cancel_reason,
                a.tracking_generation, c.name AS client_name, c.email AS client_email, c.mobile AS client_mobile,
                c.language AS client_language, s.slug AS store_slug, s.address AS store_address, s.time_zone, s.default_language,
                s.thank_you_enabled, s.client_cutoff_hours
         FROM appointments a JOIN clients c ON c.id = a.client_id JOIN stores s ON s.id = a.store_id
         WHERE a.id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids_json)
    .fetch_all(&state.db.read)
    .await?;
    let by_id: HashMap<i64, Recipients> = rows.into_iter().map(|r| (r.id, r)).collect();
    let attendee_rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT appointment_id, name, email FROM attendees WHERE appointment_id IN (SELECT value FROM json_each(?)) ORDER BY id",
    )
    .bind(&ids_json)
    .fetch_all(&state.db.read)
    .await?;
    let mut attendees: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (a, name, email) in attendee_rows {
        attendees.entry(a).or_default().push((name, email));
    }

    let now = state.clock.now();
    let mut out = Vec::new();
    for ev in &events {
        let (Some(appointment_id), Ok(payload)) = (ev.appointment_id, serde_json::from_str::<EventPayload>(&ev.payload)) else {
            continue;
        };
        let Some(r) = by_id.get(&appointment_id) else { continue };
        let facts = &payload.appointment;
        let Some(kind) = message_for(&ClientEvent {
            happening: &payload.happening,
            actor: Actor::from_columns(&ev.actor_kind, ev.actor_staff_id),
            status: facts.status,
            changed_fields: &facts.changed_fields,
            previous_associate: facts.previous_associate_id,
            thank_you_enabled: r.thank_you_enabled,
        }) else {
            continue;
        };
        let guests = attendees.get(&appointment_id).map(Vec::as_slice).unwrap_or_default();
        out.extend(render_copies(state, ev.id, kind, r, &payload, guests, now));
    }

    let json = serde_json::to_string(&out).map_err(|_| AppError::Internal)?;
    state
        .db
        .write(move |tx| Box::pin(async move { record(tx, &json, last, now).await }))
        .await?;
    Ok(events.len())
}

/// Every copy of one event's message: the client's (by their channel) and
/// the attendees', each in the client's language.
fn render_copies(
    state: &AppState,
    event_id: i64,
    kind: MessageKind,
    r: &Recipients,
    payload: &EventPayload,
    guests: &[(String, String)],
    now: i64,
) -> Vec<Outgoing> {
    let facts = &payload.appointment;
    let lang = language_for(&r.client_language, &r.default_language);
    let tz = time::zone(&r.time_zone);
    let actions = BookingState {
        status: AppointmentStatus::parse(&r.status).unwrap_or(facts.status),
        no_show: r.presence == "NoShow",
        completed: r.completed,
        starts_at: r.starts_at,
        cutoff_hours: r.client_cutoff_hours,
    }
    .actions(now);
    let public = &state.config.public_url;
    let ctx = |recipient_name: &str| MessageContext {
        kind,
        lang,
        recipient_name: recipient_name.to_string(),
        client_name: facts.client.clone(),
        store_name: facts.store.clone(),
        store_address: r.store_address.clone(),
        service: facts.service.clone(),
        associate: facts.associate.clone(),
        starts_at: facts.starts_at,
        ends_at: if facts.ends_at > 0 { facts.ends_at } else { facts.starts_at },
        tz,
        previous_starts_at: facts.previous_starts_at.filter(|p| *p != facts.starts_at),
        previous_associate: facts.previous_associate.clone().filter(|p| Some(p) != facts.associate.as_ref()),
        cancel_reason: r.cancel_reason.clone(),
        tracking_url: tracking::url(public, &state.tracking.token(r.id, r.tracking_generation)),
        booking_url: format!("{}/book/{}", public.trim_end_matches('/'), r.store_slug),
        can_modify: actions.can_modify,
        can_cancel: actions.can_cancel,
        can_confirm: actions.can_confirm,
        // A staff reply's event carries the whole text.
        reply: if kind == MessageKind::StoreReply {
            payload.preview.clone()
        } else {
            String::new()
        },
    };
    let contact = ClientContact {
        email: r.client_email.as_deref(),
        mobile: r.client_mobile.as_deref(),
        remind_by_email: r.remind_by_email,
        remind_by_sms: r.remind_by_sms,
    };
    let comm = facts.client_communication;
    let outbound = &state.messaging.outbound;
    let row = |channel: Channel, name: &str, address: &str, skipped: Option<String>| {
        let rendered = templates::render(&ctx(name));
        let (subject, body_text, body_html) = match channel {
            Channel::Email => (rendered.subject, rendered.text, rendered.html),
            Channel::Sms => (String::new(), rendered.sms, String::new()),
        };
        let unconfigured = match channel {
            Channel::Email if !outbound.email_configured() => Some("No email server is configured (FRONTDESK_SMTP_URL).".to_string()),
            Channel::Sms if !outbound.sms_configured() => Some("No SMS provider is configured (FRONTDESK_SMS_URL).".to_string()),
            _ => None,
        };
        let skipped = skipped.or(unconfigured);
        Outgoing {
            store_id: r.store_id,
            appointment_id: r.id,
            event_id,
            kind: kind.as_str(),
            channel: channel.as_str(),
            recipient_name: name.to_string(),
            recipient: address.to_string(),
            language: lang.code(),
            subject,
            body_text,
            body_html,
            status: if skipped.is_some() { "skipped" } else { "queued" },
            status_reason: skipped.unwrap_or_default(),
        }
    };
    let client_address = |channel: Channel| match channel {
        Channel::Email => r.client_email.clone().unwrap_or_default(),
        Channel::Sms => r.client_mobile.clone().unwrap_or_default(),
    };
    copies(kind, comm, &contact, guests.len())
        .into_iter()
        .map(|copy| match copy {
            Addressee::Client(channel) => row(channel, &r.client_name, &client_address(channel), None),
            Addressee::Attendee(i) => row(Channel::Email, &guests[i].0, &guests[i].1, None),
            Addressee::Skipped(why) => {
                // Recorded against the client's usual channel so staff see what was held back.
                let channel = if r.client_email.is_some() { Channel::Email } else { Channel::Sms };
                row(channel, &r.client_name, &client_address(channel), Some(why.to_string()))
            }
        })
        .collect()
}

async fn record(tx: &mut Tx, json: &str, last_event_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT OR IGNORE INTO client_messages (store_id, appointment_id, event_id, kind, channel, recipient_name, recipient, language,
             subject, body_text, body_html, status, status_reason, next_attempt_at, created_at, updated_at)
         SELECT value ->> 'store_id', value ->> 'appointment_id', value ->> 'event_id', value ->> 'kind', value ->> 'channel',
                value ->> 'recipient_name', value ->> 'recipient', value ->> 'language', value ->> 'subject', value ->> 'body_text',
                value ->> 'body_html', value ->> 'status', value ->> 'status_reason',
                CASE WHEN value ->> 'status' = 'queued' THEN ?1 END, ?1, ?1
         FROM json_each(?2)",
    )
    .bind(now)
    .bind(json)
    .execute(tx.conn())
    .await?;
    crate::backend::db::advance_cursor(tx, CURSOR, last_event_id).await
}

/// Staff check their channels: a test message to an address or number they type.
async fn queue_test(state: &AppState, store_id: i64, channel: Channel, recipient: String, now: i64) -> Result<(), AppError> {
    let (store_name, address, slug, time_zone, default_language): (String, String, String, String, String) =
        sqlx::query_as("SELECT name, address, slug, time_zone, default_language FROM stores WHERE id = ?")
            .bind(store_id)
            .fetch_one(&state.db.read)
            .await?;
    let lang = language_for(&default_language, "en");
    let public = state.config.public_url.trim_end_matches('/');
    let rendered = templates::render(&MessageContext {
        kind: MessageKind::Test,
        lang,
        recipient_name: String::new(),
        client_name: String::new(),
        store_name,
        store_address: address,
        service: String::new(),
        associate: None,
        starts_at: now,
        ends_at: now,
        tz: time::zone(&time_zone),
        previous_starts_at: None,
        previous_associate: None,
        cancel_reason: String::new(),
        tracking_url: format!("{public}/book/{slug}"),
        booking_url: format!("{public}/book/{slug}"),
        can_modify: false,
        can_cancel: false,
        can_confirm: false,
        reply: String::new(),
    });
    let (subject, text, html) = match channel {
        Channel::Email => (rendered.subject, rendered.text, rendered.html),
        Channel::Sms => (String::new(), rendered.sms, String::new()),
    };
    let configured = match channel {
        Channel::Email => state.messaging.outbound.email_configured(),
        Channel::Sms => state.messaging.outbound.sms_configured(),
    };
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO client_messages (store_id, kind, channel, recipient_name, recipient, language, subject, body_text,
                         body_html, status, status_reason, next_attempt_at, created_at, updated_at)
                     VALUES (?, 'test', ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(store_id)
                .bind(channel.as_str())
                .bind(&recipient)
                .bind(lang.code())
                .bind(subject)
                .bind(text)
                .bind(html)
                .bind(if configured { "queued" } else { "skipped" })
                .bind(if configured {
                    ""
                } else {
                    "This channel is not configured on the server."
                })
                .bind(configured.then_some(now))
                .bind(now)
                .bind(now)
                .execute(tx.conn())
                .await?;
                Ok(())
            })
        })
        .await?;
    state.messaging.queued.notify_one();
    Ok(())
}

#[derive(sqlx::FromRow, Clone)]
struct Due {
    id: i64,
    channel: String,
    recipient_name: String,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    attempts: i64,
}

/// Sends what is due, then sleeps until the next due time, new rows, or a
/// test moving the clock.
pub async fn run_sender(state: AppState) {
    let mut moves = state.clock.moves();
    loop {
        match send_round(&state).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => {
                tracing::error!("client message sender: {e:?}; retrying shortly");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        let next: Option<i64> =
            sqlx::query_as::<_, (Option<i64>,)>("SELECT MIN(next_attempt_at) FROM client_messages WHERE next_attempt_at IS NOT NULL")
                .fetch_one(&state.db.read)
                .await
                .ok()
                .and_then(|r| r.0);
        let wait = next.map_or(3600, |due| (due - state.clock.now()).clamp(0, 3600));
        if wait == 0 {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(wait as u64)) => {}
            _ = state.messaging.queued.notified() => {}
            _ = moves.changed() => {}
        }
    }
}

/// Claims due rows (pushing their due time past the claim window), sends
/// them, and writes every outcome in one transaction. Returns how many.
async fn send_round(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now();
    let due: Vec<Due> = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                Ok(sqlx::query_as(
                    "UPDATE client_messages SET next_attempt_at = ?1 + ?2, attempts = attempts + 1
                     WHERE id IN (SELECT id FROM client_messages WHERE next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?3)
                     RETURNING id, channel, recipient_name, recipient, subject, body_text, body_html, attempts",
                )
                .bind(now)
                .bind(CLAIM_S)
                .bind(SEND_BATCH)
                .fetch_all(tx.conn())
                .await?)
            })
        })
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let outbound = state.messaging.outbound.clone();
    let results: Vec<(Due, Result<Option<String>, super::outbound::SendError>)> = futures::stream::iter(due)
        .map(|m| {
            let outbound = outbound.clone();
            async move {
                let result = match m.channel.as_str() {
                    "sms" => outbound.send_sms(&m.recipient, &m.body_text).await.map(Some),
                    _ => outbound
                        .send_email(&m.recipient_name, &m.recipient, &m.subject, &m.body_text, &m.body_html)
                        .await
                        .map(|_| None),
                };
                (m, result)
            }
        })
        .buffer_unordered(SEND_CONCURRENCY)
        .collect()
        .await;
    let n = results.len();
    let done_at = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                for (m, result) in &results {
                    let (status, reason, next, provider_id): (&str, String, Option<i64>, Option<String>) = match result {
                        Ok(provider_id) => ("sent", String::new(), None, provider_id.clone()),
                        Err(e) => {
                            let retry = (!e.permanent)
                                .then(|| RETRY_DELAYS_S.get(m.attempts as usize - 1))
                                .flatten()
                                .map(|d| done_at + d);
                            let reason = match retry {
                                Some(_) => format!("{} (attempt {}; will retry)", e.reason, m.attempts),
                                None => format!("{} (attempt {}; given up)", e.reason, m.attempts),
                            };
                            ("failed", reason, retry, None)
                        }
                    };
                    sqlx::query(
                        "UPDATE client_messages SET status = ?, status_reason = ?, next_attempt_at = ?, provider_id = COALESCE(?, provider_id),
                             sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, updated_at = ? WHERE id = ?",
                    )
                    .bind(status)
                    .bind(reason)
                    .bind(next)
                    .bind(provider_id)
                    .bind(status)
                    .bind(done_at)
                    .bind(done_at)
                    .bind(m.id)
                    .execute(tx.conn())
                    .await?;
                }
                Ok(())
            })
        })
        .await?;
    Ok(n)
}

const VIEW_SELECT: &str = "SELECT m.id, m.appointment_id, c.name AS client_name, s.name AS store_name, m.kind, m.channel, m.recipient_name,
        m.recipient, m.language, m.subject, m.body_text, m.status, m.status_reason, m.attempts, m.created_at, m.sent_at
    FROM client_messages m JOIN stores s ON s.id = m.store_id
    LEFT JOIN appointments a ON a.id = m.appointment_id LEFT JOIN clients c ON c.id = a.client_id";

#[derive(sqlx::FromRow)]
struct ViewRow {
    id: i64,
    appointment_id: Option<i64>,
    client_name: Option<String>,
    store_name: String,
    kind: String,
    channel: String,
    recipient_name: String,
    recipient: String,
    language: String,
    subject: String,
    body_text: String,
    status: String,
    status_reason: String,
    attempts: i64,
    created_at: i64,
    sent_at: Option<i64>,
}

impl From<ViewRow> for crate::model::ClientMessageView {
    fn from(r: ViewRow) -> Self {
        Self {
            kind_label: MessageKind::parse(&r.kind)
                .map(|k| k.label().to_string())
                .unwrap_or_else(|| r.kind.clone()),
            id: r.id,
            appointment_id: r.appointment_id,
            client_name: r.client_name,
            store_name: r.store_name,
            kind: r.kind,
            channel: r.channel,
            recipient_name: r.recipient_name,
            recipient: r.recipient,
            language: r.language,
            subject: r.subject,
            body_text: r.body_text,
            status: r.status,
            status_reason: r.status_reason,
            attempts: r.attempts,
            created_at: r.created_at,
            sent_at: r.sent_at,
        }
    }
}

/// Everything sent (or held back) about one appointment, newest first. The caller checked access.
pub async fn for_appointment(state: &AppState, appointment_id: i64) -> Result<Vec<crate::model::ClientMessageView>, AppError> {
    let rows: Vec<ViewRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VIEW_SELECT} WHERE m.appointment_id = ? ORDER BY m.id DESC LIMIT 200"
    )))
    .bind(appointment_id)
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The "Client messages" page: the newest messages of the stores `me`
/// manages, and of the appointments `me` is the associate of.
pub async fn recent(
    state: &AppState,
    me: &crate::model::Me,
    status: Option<String>,
    before_id: Option<i64>,
) -> Result<Vec<crate::model::ClientMessageView>, AppError> {
    if let Some(s) = &status {
        if !["queued", "sent", "failed", "skipped"].contains(&s.as_str()) {
            return Err(AppError::field("status", "Choose queued, sent, failed or skipped."));
        }
    }
    let managed: Vec<i64> = me
        .stores
        .iter()
        .filter(|s| me.is_admin || s.role == crate::model::StoreRole::Manager)
        .map(|s| s.id)
        .collect();
    let rows: Vec<ViewRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VIEW_SELECT} WHERE (m.store_id IN (SELECT value FROM json_each(?1)) OR a.associate_id = ?2)
           AND (?3 IS NULL OR m.status = ?3) AND m.id < ?4
         ORDER BY m.id DESC LIMIT 100"
    )))
    .bind(serde_json::to_string(&managed).map_err(|_| AppError::Internal)?)
    .bind(me.id)
    .bind(status)
    .bind(before_id.unwrap_or(i64::MAX))
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Validates a staff member's test request, then queues it.
pub async fn test_from_staff(
    state: &AppState,
    me: &crate::model::Me,
    store_id: i64,
    channel: &str,
    recipient: &str,
) -> Result<(), AppError> {
    let manages = me
        .stores
        .iter()
        .any(|s| s.id == store_id && (me.is_admin || s.role == crate::model::StoreRole::Manager));
    if !manages {
        return Err(AppError::NotFound("No such store.".into()));
    }
    let (channel, recipient) = match channel {
        "email" => (
            Channel::Email,
            crate::parse::EmailAddress::parse(recipient)
                .map_err(|m| AppError::field("recipient", m))?
                .as_str()
                .to_string(),
        ),
        "sms" => (
            Channel::Sms,
            crate::parse::MobileNumber::parse(recipient)
                .map_err(|m| AppError::field("recipient", m))?
                .as_str()
                .to_string(),
        ),
        _ => return Err(AppError::field("channel", "Choose email or sms.")),
    };
    queue_test(state, store_id, channel, recipient, state.clock.now()).await
}
