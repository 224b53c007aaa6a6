//! The browser's end of the live channel: one WebSocket per tab, resumed
//! after any drop with exponential back-off and jitter, asking for every
//! notification after the last sequence number this tab has seen. Items are
//! applied only if their sequence number is new, so nothing shows twice.

use crate::domain::ids::NotificationId;
use crate::model::{LiveMsg, NotificationView};
use leptos::prelude::*;

/// The signed-in person's live state, shared by the bell and the pages.
#[derive(Clone, Copy)]
pub struct Live {
    pub unread: RwSignal<i64>,
    /// Newest first: what the bell panel shows.
    pub items: RwSignal<Vec<NotificationView>>,
    pub last_seq: RwSignal<i64>,
    /// Bumped whenever an appointment this person can see changes; lists refetch on it.
    pub changes: RwSignal<u64>,
    pub connected: RwSignal<bool>,
}

impl Live {
    pub fn new(unread: i64, last_seq: i64) -> Self {
        Live {
            unread: RwSignal::new(unread),
            items: RwSignal::new(Vec::new()),
            last_seq: RwSignal::new(last_seq),
            changes: RwSignal::new(0),
            connected: RwSignal::new(false),
        }
    }

    /// Merge items fetched from the server (a page of history) with what we have.
    pub fn merge(&self, fetched: Vec<NotificationView>) {
        self.items.update(|items| {
            for n in fetched {
                if !items.iter().any(|i| i.id == n.id) {
                    items.push(n);
                }
            }
            items.sort_by_key(|n| std::cmp::Reverse(n.seq));
        });
    }

    pub fn mark_local_read(&self, ids: &[NotificationId]) {
        self.items
            .update(|items| items.iter_mut().filter(|i| ids.contains(&i.id)).for_each(|i| i.read = true));
    }

    pub fn apply(&self, msg: LiveMsg) {
        match msg {
            LiveMsg::Hello { unread, last_seq } => {
                self.unread.set(unread);
                // Never ahead of the server (a replaced database): else new items would look old.
                if last_seq < self.last_seq.get_untracked() {
                    self.last_seq.set(last_seq);
                }
            }
            LiveMsg::Notification { item, unread } => {
                if item.seq > self.last_seq.get_untracked() {
                    self.last_seq.set(item.seq);
                    self.items.update(|items| items.insert(0, item));
                    self.unread.set(unread);
                    self.changes.update(|c| *c += 1);
                }
            }
            LiveMsg::Read { ids, unread } => {
                self.mark_local_read(&ids);
                self.unread.set(unread);
            }
            LiveMsg::AllRead { unread } => {
                self.items.update(|items| items.iter_mut().for_each(|i| i.read = true));
                self.unread.set(unread);
            }
            LiveMsg::Archived { ids, unread } => {
                self.items.update(|items| items.retain(|i| !ids.contains(&i.id)));
                self.unread.set(unread);
            }
            LiveMsg::AppointmentChanged { .. } => self.changes.update(|c| *c += 1),
            LiveMsg::SessionsChanged => {}
            LiveMsg::SignedOut =>
            {
                #[cfg(feature = "hydrate")]
                if let Some(w) = web_sys::window() {
                    let _ = w.location().assign("/login");
                }
            }
        }
    }
}

/// Start the connection loop for this page; it ends when `stop` is set.
#[cfg(feature = "hydrate")]
pub fn start(live: Live) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    let s = stop.clone();
    on_cleanup(move || s.store(true, Ordering::Relaxed));
    wasm_bindgen_futures::spawn_local(connection_loop(live, stop));
}

#[cfg(feature = "hydrate")]
async fn connection_loop(live: Live, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    use futures::{FutureExt, StreamExt};
    use gloo_net::websocket::{futures::WebSocket, Message};
    use std::sync::atomic::Ordering;
    use wasm_bindgen::prelude::*;

    let mut failures: u32 = 0;
    let mut offline_for: u32 = 0;
    while !stop.load(Ordering::Relaxed) {
        let location = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let ws_base = location.split('/').take(3).collect::<Vec<_>>().join("/").replacen("http", "ws", 1);
        let url = format!("{ws_base}/api/live?after={}", live.last_seq.get_untracked());
        if let Ok(ws) = WebSocket::open(&url) {
            // `window.__frontdeskDropLive(ms)` closes this socket as a network drop
            // would, and stays offline `ms` longer: used by the end-to-end test
            // of catch-up after a reconnect.
            let (drop_tx, mut drop_rx) = futures::channel::mpsc::unbounded::<u32>();
            let hook = Closure::<dyn FnMut(JsValue)>::new(move |ms: JsValue| {
                let _ = drop_tx.unbounded_send(ms.as_f64().unwrap_or(0.0) as u32);
            });
            if let Some(w) = web_sys::window() {
                let _ = js_sys::Reflect::set(&w, &JsValue::from_str("__frontdeskDropLive"), hook.as_ref());
            }
            let (_write, mut read) = ws.split();
            loop {
                futures::select! {
                    msg = read.next().fuse() => match msg {
                        Some(Ok(Message::Text(text))) => {
                            if let Ok(msg) = serde_json::from_str::<LiveMsg>(&text) {
                                if matches!(msg, LiveMsg::Hello { .. }) {
                                    failures = 0;
                                    live.connected.set(true);
                                }
                                live.apply(msg);
                            }
                        }
                        Some(Ok(Message::Bytes(_))) => {}
                        Some(Err(_)) | None => break,
                    },
                    pause = drop_rx.next().fuse() => {
                        offline_for = pause.unwrap_or(0);
                        break;
                    }
                }
                if stop.load(Ordering::Relaxed) {
                    break;
                }
            }
            drop(hook);
        }
        live.connected.set(false);
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if offline_for > 0 {
            gloo_timers::future::TimeoutFuture::new(std::mem::take(&mut offline_for)).await;
        }
        // 0.5 s, 1 s, 2 s ... capped at 30 s, each scaled by a random 50-100 %
        // so a server restart is not met by every tab at the same instant.
        let base = 500u32.saturating_mul(1 << failures.min(6)).min(30_000);
        let jitter = 0.5 + js_sys::Math::random() * 0.5;
        failures += 1;
        gloo_timers::future::TimeoutFuture::new((base as f64 * jitter) as u32).await;
    }
}
