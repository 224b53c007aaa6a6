//! The live WebSocket: `GET /api/live?after=SEQ`. Only a signed-in staff
//! member may open it, and it only ever carries their own notifications.
//!
//! Order of operations matters: subscribe to the hub first, then read the
//! catch-up from the database, then forward live messages, skipping any
//! notification whose sequence number was already sent. Nothing committed in
//! between can be lost, and nothing is sent twice.

use app::backend::hub::{Full, Subscription};
use app::backend::views::notifications;
use app::backend::{auth, AppState};
use app::domain::ids::StaffId;
use app::model::LiveMsg;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

#[derive(Deserialize)]
pub struct LiveQuery {
    after: Option<i64>,
}

const CATCH_UP_PAGE: i64 = 500;

pub async fn upgrade(ws: WebSocketUpgrade, State(state): State<AppState>, headers: HeaderMap, Query(q): Query<LiveQuery>) -> Response {
    // WebSockets are not covered by CORS: check the origin ourselves.
    if !crate::same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "Cross-site WebSocket refused.").into_response();
    }
    match auth::staff_for_headers(&state, &headers).await {
        Ok(Some(staff_id)) => {
            let token = auth::token_from_headers(&headers).map(|t| auth::token_hash(&t)).unwrap_or_default();
            // Subscribed before the catch-up is read (see the module's comment),
            // and before upgrading, so a socket over the limits is refused plainly.
            let feed = match state.hub.subscribe(staff_id) {
                Ok(feed) => feed,
                Err(Full::Person) => return (StatusCode::TOO_MANY_REQUESTS, "Too many open tabs and devices: close some.").into_response(),
                Err(Full::Everyone) => return (StatusCode::SERVICE_UNAVAILABLE, "Try again shortly.").into_response(),
            };
            // Browsers only ever send pongs and closes: nothing big is read.
            ws.max_message_size(MAX_INCOMING)
                .max_frame_size(MAX_INCOMING)
                .on_upgrade(move |socket| session(state, staff_id, token, q.after, feed, socket))
        }
        Ok(None) => (StatusCode::UNAUTHORIZED, "Please sign in.").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "Try again shortly.").into_response(),
    }
}

async fn send(socket: &mut WebSocket, msg: &LiveMsg) -> bool {
    match serde_json::to_string(msg) {
        Ok(text) => socket.send(Message::Text(text.into())).await.is_ok(),
        Err(_) => false,
    }
}

/// Sends every notification after `sent`; returns the last sequence sent.
async fn catch_up(state: &AppState, staff_id: StaffId, socket: &mut WebSocket, sent: i64) -> Option<i64> {
    let (unread, last_seq) = notifications::badge(&mut *state.db.reader().await.ok()?, staff_id).await.ok()?;
    if !send(socket, &LiveMsg::Hello { unread, last_seq }).await {
        return None;
    }
    // A client that never saw anything starts from now; history is paged by the bell.
    if sent < 0 {
        return Some(last_seq);
    }
    // A tab cannot have seen more than exists (say, after the database was
    // replaced): resume from what exists, or every new item would look old.
    let mut sent = sent.min(last_seq);
    loop {
        // A reader per page, not held while the socket is slow to take them.
        let items = notifications::after(&mut *state.db.reader().await.ok()?, staff_id, sent, CATCH_UP_PAGE)
            .await
            .ok()?;
        let n = items.len() as i64;
        // Only what the Hello counted: anything newer comes from the hub,
        // subscribed before, with the unread count of its own moment.
        for item in items.into_iter().take_while(|item| item.seq <= last_seq) {
            sent = item.seq;
            if !send(socket, &LiveMsg::Notification { item, unread }).await {
                return None;
            }
        }
        if n < CATCH_UP_PAGE || sent >= last_seq {
            return Some(sent);
        }
    }
}

/// Whether the session this socket was opened with is still live.
async fn still_signed_in(state: &AppState, token_hash: &str) -> bool {
    match state.db.reader().await {
        Ok(mut conn) => app::backend::store::staff::session_owner(&mut conn, token_hash, state.clock.now())
            .await
            .map(|o| o.is_some())
            .unwrap_or(true),
        Err(_) => true, // cannot tell now; the next check will
    }
}

async fn session(state: AppState, staff_id: StaffId, token_hash: String, after: Option<i64>, mut rx: Subscription, mut socket: WebSocket) {
    let Some(mut sent) = catch_up(&state, staff_id, &mut socket, after.unwrap_or(-1)).await else {
        return;
    };
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut pings = 0u32;
    let mut last_heard = tokio::time::Instant::now();
    let mut stopping = state.stopping.clone();
    loop {
        tokio::select! {
            _ = async { let _ = stopping.wait_for(|s| *s).await; } => {
                let _ = socket.send(Message::Close(None)).await;
                break;
            }
            msg = rx.recv() => match msg {
                Ok(text) => {
                    if text.starts_with("{\"type\":\"sessions_changed\"") {
                        if still_signed_in(&state, &token_hash).await {
                            continue;
                        }
                        let _ = send(&mut socket, &LiveMsg::SignedOut).await;
                        let _ = socket.send(Message::Close(None)).await;
                        break;
                    }
                    // Only notifications carry a sequence number; skip ones the catch-up already sent.
                    if text.starts_with("{\"type\":\"notification\"") {
                        if let Ok(LiveMsg::Notification { item, .. }) = serde_json::from_str::<LiveMsg>(&text) {
                            if item.seq <= sent {
                                continue;
                            }
                            sent = item.seq;
                        }
                    }
                    if socket.send(Message::Text(text.as_ref().into())).await.is_err() {
                        break;
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    // This tab fell behind the bounded queue: resend from the database.
                    match catch_up(&state, staff_id, &mut socket, sent).await {
                        Some(s) => sent = s,
                        None => break,
                    }
                }
                Err(RecvError::Closed) => break,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => last_heard = tokio::time::Instant::now(),
            },
            _ = ping.tick() => {
                // A peer that stopped answering pings is gone (a phone that
                // lost its network): its place is given back.
                if last_heard.elapsed() > PONG_DEADLINE {
                    break;
                }
                // Every few pings, whether the session is still live (it may
                // have expired or idled out without anyone signing out).
                pings += 1;
                if pings.is_multiple_of(SESSION_CHECK_EVERY) && !still_signed_in(&state, &token_hash).await {
                    let _ = send(&mut socket, &LiveMsg::SignedOut).await;
                    let _ = socket.send(Message::Close(None)).await;
                    break;
                }
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
        }
    }
}

/// The largest message a browser's socket may send (it sends pongs and closes).
const MAX_INCOMING: usize = 4096;
const PING_EVERY: Duration = Duration::from_secs(25);
/// Silence (no pong, no message) after which a socket is closed.
const PONG_DEADLINE: Duration = Duration::from_secs(60);
/// The session is looked up again every this many pings.
const SESSION_CHECK_EVERY: u32 = 4;
