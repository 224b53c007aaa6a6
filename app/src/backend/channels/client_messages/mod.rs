//! Messages to clients. Two tasks, neither inside a request:
//!
//! - the dispatcher follows the event log, asks the pure `rules::client`
//!   which message each event calls for and who gets a copy, renders every
//!   copy in the recipient's language and records it (queued, or skipped with
//!   why) in the transaction that moves its cursor;
//! - the `sender` claims due rows, sends them by SMTP or the SMS provider,
//!   and records the outcome, retrying transient failures with back-off.
//!
//! A message row is the durable promise: a restart loses nothing, and the
//! unique (event, channel, recipient) index means an event is never messaged
//! twice. A crash in the middle of a send can repeat that one send (SMTP has
//! no idempotency key); it cannot lose it.

pub mod outbound;
pub mod sender;
pub mod templates;

use crate::backend::events::{read_events, Follower, Page};
use crate::backend::store::appointments::Audience;
use crate::backend::store::attendees::Guest;
use crate::backend::store::client_messages::NewMessage;
use crate::backend::store::cursors::Log;
use crate::backend::store::events::Event;
use crate::backend::store::{self, BoxFut, Conn, Tx};
use crate::backend::{time, tracking, AppState};
use crate::domain::appointment::AppointmentSnapshot;
use crate::domain::ids::{AppointmentId, StoreId};
use crate::domain::messages::{Channel, ClientMessageStatus};
use crate::domain::parse::{EmailAddress, MobileNumber};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::model::Me;
use crate::rules::access::Action;
use crate::rules::client::{copies, message_for, Addressee, BookingState, ClientContact, ClientEvent, MessageKind};
use outbound::Outbound;
use std::sync::Arc;
use templates::MessageContext;
use tokio::sync::Notify;

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

/// The dispatcher.
pub struct ClientMessages;

impl Follower for ClientMessages {
    const NAME: &'static str = "client_messages";
    const LOG: Log = Log::Events;
    type Item = Event;
    type Output = Vec<NewMessage>;

    async fn read(conn: &mut Conn, after: i64, limit: i64) -> Result<Page<Event>, AppError> {
        read_events(conn, after, limit).await
    }

    /// Everything a batch's messages need, in three queries, then every copy rendered.
    async fn handle(&self, state: &AppState, conn: &mut Conn, events: Vec<Event>) -> Result<Vec<NewMessage>, AppError> {
        let ids: Vec<AppointmentId> = events.iter().filter_map(|e| e.appointment_id).collect();
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let audiences = store::appointments::audiences(conn, &ids).await?;
        let versions: Vec<(AppointmentId, i64)> = events
            .iter()
            .filter_map(|e| e.appointment_id.map(|a| (a, e.payload.appointment.version)))
            .collect();
        let snapshots = store::appointments::snapshots(conn, &versions).await?;
        let attendees = store::attendees::guests_of_many(conn, &ids).await?;
        let mut out = Vec::new();
        for ev in &events {
            let Some(appointment_id) = ev.appointment_id else { continue };
            let Some(audience) = audiences.get(&appointment_id) else { continue };
            let facts = &ev.payload.appointment;
            let Some(kind) = message_for(&ClientEvent {
                happening: &ev.payload.happening,
                actor: ev.actor,
                status: facts.status,
                changed_fields: &facts.changed_fields,
                previous_associate: facts.previous_associate_id,
                thank_you_enabled: audience.thank_you_enabled,
            }) else {
                continue;
            };
            let Some(snapshot) = snapshots.get(&(appointment_id, facts.version)) else {
                tracing::error!(
                    "event {} names version {} of appointment {appointment_id}, which is not recorded",
                    ev.id,
                    facts.version
                );
                continue;
            };
            let guests = attendees.get(&appointment_id).map(Vec::as_slice).unwrap_or_default();
            out.extend(render_copies(state, ev, kind, audience, snapshot, guests));
        }
        Ok(out)
    }

    fn record<'t>(tx: &'t mut Tx, messages: Vec<NewMessage>, state: &'t AppState) -> BoxFut<'t, Result<(), AppError>> {
        Box::pin(async move { store::client_messages::record(tx, &messages, state.clock.now()).await })
    }

    fn committed(&self, state: &AppState) {
        state.messaging.queued.notify_one();
    }
}

/// (subject, text, HTML) as a channel carries a rendered message: all three by
/// email; by SMS, the SMS text alone.
fn for_channel(rendered: templates::Rendered, channel: Channel) -> (String, String, String) {
    match channel {
        Channel::Email => (rendered.subject, rendered.text, rendered.html),
        Channel::Sms => (String::new(), rendered.sms, String::new()),
    }
}

/// Queued for the sender, or skipped with why.
fn queued_unless(skipped: Option<String>) -> (ClientMessageStatus, String) {
    match skipped {
        Some(why) => (ClientMessageStatus::Skipped, why),
        None => (ClientMessageStatus::Queued, String::new()),
    }
}

/// Why a channel's copies are held back, when its provider is not configured.
fn unconfigured(outbound: &Outbound, channel: Channel) -> Option<String> {
    match channel {
        Channel::Email if !outbound.email_configured() => Some(outbound::Failure::NotConfigured.sentence(channel).into()),
        Channel::Sms if !outbound.sms_configured() => Some(outbound::Failure::NotConfigured.sentence(channel).into()),
        _ => None,
    }
}

/// Every copy of one event's message: the client's (by their channel) and
/// the attendees', each in the client's language.
fn render_copies(
    state: &AppState,
    ev: &Event,
    kind: MessageKind,
    r: &Audience,
    snapshot: &AppointmentSnapshot,
    guests: &[Guest],
) -> Vec<NewMessage> {
    let facts = &ev.payload.appointment;
    // The client's language (a stored one is always one we have).
    let lang = r.client_language;
    // What the client could do right after this change: from the version's
    // snapshot at the event's time, as the webhook payload says it.
    let actions = BookingState::after(snapshot, r.client_cutoff_hours).actions(ev.created_at);
    let public = &state.config.public_url;
    let client_link = tracking::url(public, &state.tracking.token(r.id, r.tracking_generation));
    // The client's copy links to their booking and the actions its rules
    // allow; an attendee's to their own link, which only shows the booking
    // and lets them drop out, so their copy offers no change or cancellation.
    let ctx = |recipient_name: &str, guest: Option<&Guest>| MessageContext {
        kind,
        lang,
        recipient_name: recipient_name.to_string(),
        client_name: facts.client.clone(),
        store_name: facts.store.clone(),
        store_address: r.store_address.clone(),
        service: facts.service_translations.get(&lang).unwrap_or(&facts.service).clone(),
        associate: facts.associate.clone(),
        starts_at: facts.starts_at.secs(),
        ends_at: facts.ends_at.max(facts.starts_at).secs(),
        tz: time::zone(&r.time_zone),
        previous_starts_at: facts.previous_starts_at.filter(|p| *p != facts.starts_at).map(UnixTime::secs),
        previous_associate: facts.previous_associate.clone().filter(|p| Some(p) != facts.associate.as_ref()),
        cancel_reason: r.cancel_reason.clone(),
        tracking_url: match guest {
            Some(g) => tracking::url(public, &state.tracking.guest_token(g.id, g.link_generation)),
            None => client_link.clone(),
        },
        booking_url: format!("{}/book/{}", public.trim_end_matches('/'), r.store_slug),
        can_modify: actions.can_modify && guest.is_none(),
        can_cancel: actions.can_cancel && guest.is_none(),
        can_confirm: actions.can_confirm && guest.is_none(),
        // A staff reply's event carries the whole text.
        reply: if kind == MessageKind::StoreReply {
            ev.payload.preview.clone()
        } else {
            String::new()
        },
        video_url: r.video_url(|| state.tracking.video_room(r.id), crate::domain::video::Role::Guest),
        payment: ev.payload.payment.as_ref().map(|p| templates::PaymentWords {
            amount: p.amount_words(),
            refunded: p.refunded_words(),
            note: p.note.clone(),
            pay_url: p.pay_url.clone(),
            due_by: p.due_by.map(|t| t.secs()),
        }),
    };
    let contact = ClientContact {
        email: r.client_email.as_deref(),
        mobile: r.client_mobile.as_deref(),
        remind_by_email: r.remind_by_email,
        remind_by_sms: r.remind_by_sms,
    };
    let outbound = &state.messaging.outbound;
    let row = |channel: Channel, name: &str, address: &str, guest: Option<&Guest>, skipped: Option<String>| {
        let (subject, body_text, body_html) = for_channel(templates::render(&ctx(name, guest)), channel);
        let (status, status_reason) = queued_unless(skipped.or_else(|| unconfigured(outbound, channel)));
        NewMessage {
            store_id: r.store_id,
            appointment_id: Some(r.id),
            event_id: Some(ev.id),
            kind,
            channel,
            recipient_name: name.to_string(),
            recipient: address.to_string(),
            language: lang,
            subject,
            body_text,
            body_html,
            status,
            status_reason,
        }
    };
    let client_address = |channel: Channel| match channel {
        Channel::Email => r.client_email.clone().unwrap_or_default(),
        Channel::Sms => r.client_mobile.clone().unwrap_or_default(),
    };
    copies(kind, r.client_messages_sent_by, facts.client_communication, &contact, guests.len())
        .into_iter()
        .map(|copy| match copy {
            Addressee::Client(channel) => row(channel, &r.client_name, &client_address(channel), None, None),
            Addressee::Attendee(i) => row(Channel::Email, &guests[i].name, &guests[i].email, Some(&guests[i]), None),
            Addressee::Skipped(why) => {
                // Recorded against the client's usual channel so staff see what was held back.
                let channel = if r.client_email.is_some() { Channel::Email } else { Channel::Sms };
                row(channel, &r.client_name, &client_address(channel), None, Some(why.to_string()))
            }
        })
        .collect()
}

/// Staff check their channels: a test message to an address or number they type.
pub async fn send_test(state: &AppState, me: &Me, store_id: StoreId, channel: &str, recipient: &str) -> Result<(), AppError> {
    crate::backend::commands::allow(me, Action::TestChannels { store: store_id }, "No such store.")?;
    let (channel, recipient) = match Channel::parse(channel) {
        Some(Channel::Email) => (
            Channel::Email,
            EmailAddress::parse(recipient)
                .map_err(|m| AppError::field("recipient", m))?
                .as_str()
                .to_string(),
        ),
        Some(Channel::Sms) => (
            Channel::Sms,
            MobileNumber::parse(recipient)
                .map_err(|m| AppError::field("recipient", m))?
                .as_str()
                .to_string(),
        ),
        None => return Err(AppError::field("channel", "Choose email or sms.")),
    };
    let store = store::stores::by_id(&mut *state.db.reader().await?, store_id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such store.".into()))?;
    let now = state.clock.now();
    let lang = store.default_language;
    let public = state.config.public_url.trim_end_matches('/');
    let rendered = templates::render(&MessageContext {
        kind: MessageKind::Test,
        lang,
        recipient_name: String::new(),
        client_name: String::new(),
        store_name: store.name,
        store_address: store.address,
        service: String::new(),
        associate: None,
        starts_at: now.secs(),
        ends_at: now.secs(),
        tz: time::zone(&store.time_zone),
        previous_starts_at: None,
        previous_associate: None,
        cancel_reason: String::new(),
        tracking_url: format!("{public}/book/{}", store.slug),
        booking_url: format!("{public}/book/{}", store.slug),
        can_modify: false,
        can_cancel: false,
        can_confirm: false,
        reply: String::new(),
        payment: None,
        video_url: None,
    });
    let (subject, body_text, body_html) = for_channel(rendered, channel);
    let skipped = unconfigured(&state.messaging.outbound, channel).map(|_| "This channel is not configured on the server.".to_string());
    let (status, status_reason) = queued_unless(skipped);
    let message = NewMessage {
        store_id,
        appointment_id: None,
        event_id: None,
        kind: MessageKind::Test,
        channel,
        recipient_name: String::new(),
        recipient,
        language: lang,
        subject,
        body_text,
        body_html,
        status,
        status_reason,
    };
    state
        .db
        .write(move |tx| Box::pin(async move { store::client_messages::record(tx, &[message], now).await }))
        .await?;
    state.messaging.queued.notify_one();
    Ok(())
}
