//! A local stand-in for Twilio's Messages API (an axum server on 127.0.0.1,
//! port 0): `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP
//! Basic auth and form fields To, From, Body, answering the way Twilio does
//! (201 with the message resource; 4xx with `{"code","message","more_info","status"}`).
//! Its answer can be forced to a failure status mid-test.
#![allow(dead_code)]

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::Engine;
use serde_json::{json, Value};
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// One accepted message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sms {
    pub to: String,
    pub from: String,
    pub body: String,
    /// The `SM…` sid the provider answered with.
    pub sid: String,
}

struct Shared {
    sid: String,
    token: String,
    messages: Mutex<Vec<Sms>>,
    count: watch::Sender<usize>,
    /// When set, every request gets this status (and a Twilio-style error body).
    status: Mutex<Option<u16>>,
    requests: AtomicUsize,
    ids: RandomState,
}

/// The provider. Dropping it stops the server.
pub struct SmsProvider {
    port: u16,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl Drop for SmsProvider {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn twilio_error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status.as_u16(),
    });
    (status, Json(body)).into_response()
}

/// Twilio's idea of a valid destination: E.164.
fn is_e164(n: &str) -> bool {
    let digits = n.strip_prefix('+').unwrap_or("");
    (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

fn authorized(shared: &Shared, headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(encoded) = value.strip_prefix("Basic ") else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    String::from_utf8(decoded).ok().as_deref() == Some(format!("{}:{}", shared.sid, shared.token).as_str())
}

async fn create_message(
    State(shared): State<Arc<Shared>>,
    Path(account): Path<String>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let request_no = shared.requests.fetch_add(1, Ordering::SeqCst) as u64;
    if let Some(s) = *shared.status.lock().unwrap() {
        let status = StatusCode::from_u16(s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = match s {
            429 => "Too Many Requests",
            503 => "Service Unavailable",
            _ => status.canonical_reason().unwrap_or("Error"),
        };
        return twilio_error(status, 20000 + u32::from(s), message);
    }
    if !authorized(&shared, &headers) {
        return twilio_error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    if account != shared.sid {
        return twilio_error(
            StatusCode::NOT_FOUND,
            20404,
            &format!("The requested resource /2010-04-01/Accounts/{account}/Messages.json was not found"),
        );
    }
    let Ok(Form(fields)) = form else {
        return twilio_error(StatusCode::BAD_REQUEST, 21604, "A 'To' phone number is required.");
    };
    let field = |name: &str| fields.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let Some(to) = field("To") else {
        return twilio_error(StatusCode::BAD_REQUEST, 21604, "A 'To' phone number is required.");
    };
    let Some(from) = field("From") else {
        return twilio_error(StatusCode::BAD_REQUEST, 21603, "A 'From' phone number is required.");
    };
    let Some(body) = fields.get("Body").filter(|b| !b.trim().is_empty()).cloned() else {
        return twilio_error(StatusCode::BAD_REQUEST, 21602, "Message body is required.");
    };
    if !is_e164(&to) {
        return twilio_error(StatusCode::BAD_REQUEST, 21211, &format!("Invalid 'To' Phone Number: {to}"));
    }
    if body.chars().count() > 1600 {
        return twilio_error(
            StatusCode::BAD_REQUEST,
            21617,
            "The concatenated message body exceeds the 1600 character limit.",
        );
    }
    let sid = format!(
        "SM{:016x}{:016x}",
        shared.ids.hash_one((request_no, 1u8)),
        shared.ids.hash_one((request_no, 2u8))
    );
    let n = {
        let mut messages = shared.messages.lock().unwrap();
        messages.push(Sms {
            to: to.clone(),
            from: from.clone(),
            body: body.clone(),
            sid: sid.clone(),
        });
        messages.len()
    };
    shared.count.send_replace(n);
    let resource = json!({
        "sid": sid,
        "account_sid": shared.sid,
        "status": "queued",
        "to": to,
        "from": from,
        "body": body,
        "direction": "outbound-api",
        "num_segments": "1",
        "error_code": null,
        "error_message": null,
        "uri": format!("/2010-04-01/Accounts/{}/Messages/{sid}.json", shared.sid),
    });
    (StatusCode::CREATED, Json(resource)).into_response()
}

impl SmsProvider {
    /// Starts a provider that accepts the account `sid` with auth token `token`.
    pub async fn start(sid: &str, token: &str) -> SmsProvider {
        let shared = Arc::new(Shared {
            sid: sid.to_string(),
            token: token.to_string(),
            messages: Mutex::new(Vec::new()),
            count: watch::channel(0).0,
            status: Mutex::new(None),
            requests: AtomicUsize::new(0),
            ids: RandomState::new(),
        });
        let app = axum::Router::new()
            .route("/2010-04-01/Accounts/{account}/Messages.json", axum::routing::post(create_message))
            .fallback(|| async { twilio_error(StatusCode::NOT_FOUND, 20404, "The requested resource was not found") })
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the SMS provider");
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        SmsProvider { port, shared, server }
    }

    /// `http://127.0.0.1:PORT` (the `api_base`; Twilio's is `https://api.twilio.com`).
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every accepted message, in order.
    pub fn messages(&self) -> Vec<Sms> {
        self.shared.messages.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages have been accepted or `timeout`
    /// passes, then returns all of them (fewer than `n` on time-out).
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Sms> {
        let mut rx = self.shared.count.subscribe();
        let _ = tokio::time::timeout(timeout, rx.wait_for(|c| *c >= n)).await;
        self.messages()
    }

    /// Makes every request get this status (e.g. 500, 429) with a Twilio-style
    /// error body; `None` behaves normally again.
    pub fn set_status(&self, status: Option<u16>) {
        *self.shared.status.lock().unwrap() = status;
    }

    /// Requests received so far, accepted or not.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }
}

/// Twilio's answer body, for tests that call the provider directly.
pub fn error_code(v: &Value) -> Option<u64> {
    v.get("code").and_then(Value::as_u64)
}
