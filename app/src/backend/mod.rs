//! Server-only code, laid out as the data flows:
//!
//! - `commands/` change the domain: each runs in the single writer and
//!   appends its event to the log in the same transaction;
//! - `events` is how every channel follows that log (a cursor each);
//! - `channels/` turn events into what people and tools receive: the bell,
//!   pushes, client messages, webhooks — none knows about another;
//! - `views/` read what pages show; `store/` is all the SQL.

pub mod api_keys;
pub mod auth;
pub mod availability;
pub mod channels;
pub mod commands;
pub mod due;
pub mod events;
pub mod health;
pub mod hub;
pub mod ics;
pub mod metrics;
pub mod payments;
pub mod qr;
pub mod scheduler;
pub mod seed;
pub mod store;
pub mod throttle;
pub mod time;
pub mod tracking;
pub mod views;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use crate::domain::time::{Seconds, UnixTime};
pub use hub::Hub;
pub use store::Db;

/// Everything a request handler or server function needs.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub hub: Hub,
    pub clock: Clock,
    pub config: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    /// The site's hashed file names (`bundle.txt`), for the page shell.
    pub bundles: crate::Bundles,
    /// The Web Push signing key (public half handed to browsers).
    pub vapid: channels::push::Vapid,
    /// Signs clients' tracking links.
    pub tracking: tracking::TrackingKey,
    /// Email and SMS to clients, and the wake-up for their sender.
    pub messaging: channels::client_messages::Messaging,
    /// Webhook delivery: the guarded HTTP client, token cache and wake-up.
    pub webhooks: Arc<channels::webhooks::deliver::Webhooks>,
    /// Becomes true when the server is stopping: long-lived tasks (live sockets) end.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// Failed sign-ins by account and by client address.
    pub sign_ins: Arc<throttle::Throttle>,
    /// What the public does without signing in, by client address, contact and link.
    pub public_limits: Arc<throttle::Limiter>,
    /// The payment provider's API (Stripe, at the configured base URL).
    pub payments: Arc<payments::stripe::Stripe>,
    /// Rung when pushes are held for someone's quiet hours (wakes their summary worker).
    pub held_pushes: Arc<tokio::sync::Notify>,
    /// How sends to the outside world went, for `/metrics`.
    pub sends: Arc<metrics::Sends>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

/// Server settings that pages and handlers read.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Mark the session cookie `Secure` (served over HTTPS).
    pub secure_cookies: bool,
    /// Accept `http://` push endpoints (tests with a local push service only).
    pub allow_insecure_push: bool,
    /// The push services a device's endpoint may point at.
    pub push_services: channels::push::PushServices,
    /// Where clients reach this server, for absolute links in messages: "https://book.example.com".
    pub public_url: String,
    /// Demo mode: the sign-in page names the demo accounts.
    pub demo: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (empty: none).
    pub trusted_proxies: channels::webhooks::ssrf::AllowList,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is not served.
    pub metrics_token: Option<metrics::MetricsToken>,
}

/// The time source. Production reads the system clock; tests move time
/// forward instead of sleeping (reminders, escalations, past slots).
#[derive(Clone)]
pub struct Clock {
    offset_s: Arc<AtomicI64>,
    /// Every task that sleeps until a due time (scheduler, message sender,
    /// webhook worker) holds a receiver, so one move wakes them all.
    moved: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            offset_s: Arc::default(),
            moved: Arc::new(tokio::sync::watch::channel(0).0),
        }
    }
}

impl Clock {
    pub fn now(&self) -> UnixTime {
        UnixTime(chrono::Utc::now().timestamp() + self.offset_s.load(Ordering::Relaxed))
    }
    pub fn advance(&self, by: Seconds) {
        self.offset_s.fetch_add(by.0, Ordering::Relaxed);
        self.moved.send_modify(|n| *n += 1);
    }
    /// Changes when a test moves the clock: sleepers re-read their due times.
    /// Subscribe before reading the time, so a move in between is not missed.
    pub fn moves(&self) -> tokio::sync::watch::Receiver<u64> {
        self.moved.subscribe()
    }
}
