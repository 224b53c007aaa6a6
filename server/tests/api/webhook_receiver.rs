#![allow(dead_code)]
//! Local stand-ins for the other side of outgoing webhooks:
//! - [`WebhookReceiver`]: an axum server on 127.0.0.1 (port 0) that records
//!   every request and answers as the test tells it, changeable mid-test
//!   (a status, a status with `Retry-After`, or no answer at all), optionally
//!   demanding a bearer token;
//! - [`TokenEndpoint`]: an OAuth2 token endpoint for the client-credentials
//!   grant (RFC 6749 §4.4), issuing `tok-1`, `tok-2`, ...;
//! - [`verify_with_official_library`]: checks received deliveries' signatures
//!   with the official Standard Webhooks library (npm `standardwebhooks`,
//!   through `end2end/verify-webhook.cjs`), not with our own code.

use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::Engine;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How the receiver answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// This status, with a short text body.
    Status(u16),
    /// This status with a `Retry-After` header of this value (seconds or an HTTP-date).
    RetryAfter(u16, String),
    /// No answer: the request stays open until the client gives up (or the receiver is dropped).
    Hang,
}

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// The path alone, e.g. "/hooks/a".
    pub path: String,
    pub query: Option<String>,
    /// Header names in lowercase; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
    /// Wall-clock time of arrival.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Monotonic time of arrival, for measuring gaps between attempts.
    pub instant: Instant,
    /// The status answered, `None` when the request was left hanging.
    pub answered: Option<u16>,
}

impl Received {
    /// A header by name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON (`Value::Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

struct ReceiverShared {
    received: Mutex<Vec<Received>>,
    count: watch::Sender<usize>,
    behaviour: Mutex<Behaviour>,
    bearer: Mutex<Option<String>>,
    /// Becomes true when the receiver is dropped: hanging requests end.
    released: watch::Sender<bool>,
}

/// The webhook receiver. Dropping it stops the server.
pub struct WebhookReceiver {
    port: u16,
    shared: Arc<ReceiverShared>,
    server: JoinHandle<()>,
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.shared.released.send_replace(true);
        self.server.abort();
    }
}

fn header_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        map.entry(name.as_str().to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    map
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

async fn receive(State(shared): State<Arc<ReceiverShared>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let at = chrono::Utc::now();
    let instant = Instant::now();
    let required = shared.bearer.lock().unwrap().clone();
    let authorized = match &required {
        None => true,
        Some(token) => headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) == Some(format!("Bearer {token}").as_str()),
    };
    let behaviour = shared.behaviour.lock().unwrap().clone();
    let answered = match (&behaviour, authorized) {
        (_, false) => Some(401),
        (Behaviour::Status(s) | Behaviour::RetryAfter(s, _), true) => Some(*s),
        (Behaviour::Hang, true) => None,
    };
    let n = {
        let mut received = shared.received.lock().unwrap();
        received.push(Received {
            method: method.to_string(),
            path: uri.path().to_string(),
            query: uri.query().map(str::to_string),
            headers: header_map(&headers),
            body: body.to_vec(),
            at,
            instant,
            answered,
        });
        received.len()
    };
    shared.count.send_replace(n);

    if !authorized {
        let mut response = (StatusCode::UNAUTHORIZED, "invalid or missing bearer token").into_response();
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
        return response;
    }
    match behaviour {
        Behaviour::Status(s) => (status_of(s), status_of(s).canonical_reason().unwrap_or("")).into_response(),
        Behaviour::RetryAfter(s, value) => {
            let mut response = (status_of(s), status_of(s).canonical_reason().unwrap_or("")).into_response();
            if let Ok(v) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            response
        }
        Behaviour::Hang => {
            let mut released = shared.released.subscribe();
            let _ = released.wait_for(|r| *r).await;
            (StatusCode::SERVICE_UNAVAILABLE, "receiver stopped").into_response()
        }
    }
}

impl WebhookReceiver {
    /// Starts a receiver answering 200 to everything, on any path and method.
    pub async fn start() -> WebhookReceiver {
        let shared = Arc::new(ReceiverShared {
            received: Mutex::new(Vec::new()),
            count: watch::channel(0).0,
            behaviour: Mutex::new(Behaviour::Status(200)),
            bearer: Mutex::new(None),
            released: watch::channel(false).0,
        });
        let app = axum::Router::new().fallback(receive).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the webhook receiver");
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        WebhookReceiver { port, shared, server }
    }

    /// `http://127.0.0.1:PORT{path}`; `path` starts with "/".
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// How to answer from now on (requests already hanging stay hanging).
    pub fn set(&self, behaviour: Behaviour) {
        *self.shared.behaviour.lock().unwrap() = behaviour;
    }

    /// Demands `Authorization: Bearer <token>` (401 otherwise); `None` stops demanding it.
    pub fn require_bearer(&self, token: Option<String>) {
        *self.shared.bearer.lock().unwrap() = token;
    }

    /// Every request so far, in order of arrival.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests have arrived or `timeout` passes,
    /// then returns all of them (fewer than `n` on time-out).
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let mut rx = self.shared.count.subscribe();
        let _ = tokio::time::timeout(timeout, rx.wait_for(|c| *c >= n)).await;
        self.received()
    }
}

/// One request to the token endpoint.
#[derive(Clone, Debug)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    /// The client id presented, by either method.
    pub client_id: Option<String>,
    /// "basic" or "form" (or "none").
    pub auth: &'static str,
    pub scope: Option<String>,
    /// The token issued, if any.
    pub issued: Option<String>,
}

struct TokenShared {
    client_id: String,
    client_secret: String,
    /// Space-separated scopes a client may ask for; empty = any.
    scope: String,
    issued: AtomicU32,
    current: Mutex<Option<String>>,
    expires_in: AtomicI64,
    requests: Mutex<Vec<TokenRequest>>,
}

/// The OAuth2 token endpoint. Dropping it stops the server.
pub struct TokenEndpoint {
    port: u16,
    shared: Arc<TokenShared>,
    server: JoinHandle<()>,
}

impl Drop for TokenEndpoint {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    let mut response = (status, Json(json!({ "error": error }))).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"token\""));
    }
    response
}

/// `application/x-www-form-urlencoded` decoding of one Basic-auth part (RFC 6749 §2.3.1).
fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// (client_id, client_secret) from `Authorization: Basic`, if that header is there.
fn basic_credentials(headers: &HeaderMap) -> Option<Option<(String, String)>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok();
    let parsed = decoded.and_then(|d| String::from_utf8(d).ok()).and_then(|text| {
        let (id, secret) = text.split_once(':')?;
        Some((form_decode(id)?, form_decode(secret)?))
    });
    Some(parsed)
}

async fn token(
    State(shared): State<Arc<TokenShared>>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let field = |name: &str| fields.get(name).cloned();
    let (auth, credentials) = match basic_credentials(&headers) {
        Some(basic) => ("basic", basic),
        None => match (field("client_id"), field("client_secret")) {
            (Some(id), Some(secret)) => ("form", Some((id, secret))),
            (Some(id), None) => ("form", Some((id, String::new()))),
            _ => ("none", None),
        },
    };
    let mut request = TokenRequest {
        grant_type: field("grant_type"),
        client_id: credentials.as_ref().map(|(id, _)| id.clone()),
        auth,
        scope: field("scope"),
        issued: None,
    };
    let answer = if credentials.as_ref() != Some(&(shared.client_id.clone(), shared.client_secret.clone())) {
        Err(oauth_error(StatusCode::UNAUTHORIZED, "invalid_client"))
    } else if request.grant_type.as_deref() != Some("client_credentials") {
        Err(oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"))
    } else if !shared.scope.is_empty()
        && request
            .scope
            .as_deref()
            .is_some_and(|asked| asked.split_whitespace().any(|s| !shared.scope.split_whitespace().any(|ok| ok == s)))
    {
        Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_scope"))
    } else {
        let n = shared.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let access_token = format!("tok-{n}");
        *shared.current.lock().unwrap() = Some(access_token.clone());
        request.issued = Some(access_token.clone());
        let body = json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": shared.expires_in.load(Ordering::SeqCst),
        });
        let mut response = (StatusCode::OK, Json(body)).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(response)
    };
    shared.requests.lock().unwrap().push(request);
    answer.unwrap_or_else(|e| e)
}

impl TokenEndpoint {
    /// Starts an endpoint for one client. `scope`: the space-separated scopes
    /// it may ask for (asking for another gets `invalid_scope`); "" = any.
    pub async fn start(client_id: &str, client_secret: &str, scope: &str) -> TokenEndpoint {
        let shared = Arc::new(TokenShared {
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            scope: scope.to_string(),
            issued: AtomicU32::new(0),
            current: Mutex::new(None),
            expires_in: AtomicI64::new(3600),
            requests: Mutex::new(Vec::new()),
        });
        let app = axum::Router::new()
            .route("/token", axum::routing::post(token))
            .fallback(|| async { oauth_error(StatusCode::NOT_FOUND, "not_found") })
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the token endpoint");
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TokenEndpoint { port, shared, server }
    }

    /// `http://127.0.0.1:PORT/token`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    /// Tokens issued so far.
    pub fn issued(&self) -> u32 {
        self.shared.issued.load(Ordering::SeqCst)
    }

    /// The last token issued.
    pub fn current_token(&self) -> Option<String> {
        self.shared.current.lock().unwrap().clone()
    }

    /// `expires_in` of tokens issued from now on (default 3600).
    pub fn set_expires_in(&self, seconds: i64) {
        self.shared.expires_in.store(seconds, Ordering::SeqCst);
    }

    /// Every request so far, granted or not.
    pub fn requests(&self) -> Vec<TokenRequest> {
        self.shared.requests.lock().unwrap().clone()
    }
}

/// Verifies each delivery with the official Standard Webhooks library
/// (`new Webhook(secret).verify(body, headers)` in Node), given the secret
/// (`whsec_...`) it should verify against. The library checks the
/// `webhook-id`, `webhook-timestamp` and `webhook-signature` headers, refuses
/// timestamps more than 5 minutes from the real clock, and expects a JSON body.
/// One result per item, in order; `Err` carries the library's message.
pub fn verify_with_official_library(items: &[(String, Received)]) -> Vec<Result<(), String>> {
    use std::io::Write;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/verify-webhook.cjs");
    let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/node_modules/standardwebhooks");
    assert!(
        std::path::Path::new(modules).exists(),
        "the official verifier (npm standardwebhooks) is missing: run `npm ci` in end2end/ (or `cargo xtask test`)"
    );
    let input: Vec<Value> = items
        .iter()
        .map(|(secret, r)| {
            let mut headers = serde_json::Map::new();
            for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
                if let Some(v) = r.header(name) {
                    headers.insert(name.to_string(), Value::String(v.to_string()));
                }
            }
            json!({ "secret": secret, "headers": headers, "body": r.body_text() })
        })
        .collect();
    let mut child = std::process::Command::new("node")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(Value::Array(input).to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "verify-webhook.cjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Result<(), String>> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("verify-webhook.cjs printed {line:?}: {e}"));
            if v["ok"] == Value::Bool(true) {
                Ok(())
            } else {
                Err(v["error"].as_str().unwrap_or("unknown error").to_string())
            }
        })
        .collect();
    assert_eq!(
        results.len(),
        items.len(),
        "verify-webhook.cjs answered {} items for {}",
        results.len(),
        items.len()
    );
    results
}

/// The stand-ins themselves.
mod self_tests {
    // A target without the test harness (the crash test) drops the tests below.
    #[allow(unused_imports)]
    use super::*;

    #[tokio::test]
    async fn receiver_records_and_answers_as_told() {
        let receiver = WebhookReceiver::start().await;
        let client = reqwest::Client::new();
        let post = |path: &str| client.post(receiver.url(path)).header("Webhook-Id", "msg_1").body(r#"{"a":1}"#);

        assert_eq!(post("/hooks/a?x=1").send().await.unwrap().status(), 200);
        receiver.set(Behaviour::Status(503));
        assert_eq!(post("/b").send().await.unwrap().status(), 503);
        receiver.set(Behaviour::RetryAfter(429, "7".into()));
        let r = post("/c").send().await.unwrap();
        assert_eq!((r.status().as_u16(), r.headers()["retry-after"].to_str().unwrap()), (429, "7"));

        receiver.set(Behaviour::Status(204));
        receiver.require_bearer(Some("tok-1".into()));
        assert_eq!(post("/d").send().await.unwrap().status(), 401);
        assert_eq!(post("/e").bearer_auth("tok-2").send().await.unwrap().status(), 401);
        assert_eq!(post("/f").bearer_auth("tok-1").send().await.unwrap().status(), 204);
        receiver.require_bearer(None);

        receiver.set(Behaviour::Hang);
        let started = Instant::now();
        let err = post("/g").timeout(Duration::from_millis(300)).send().await.unwrap_err();
        assert!(err.is_timeout(), "{err}");
        assert!(started.elapsed() >= Duration::from_millis(300));

        let all = receiver.wait_for(7, Duration::from_secs(5)).await;
        let summary: Vec<(&str, Option<u16>)> = all.iter().map(|r| (r.path.as_str(), r.answered)).collect();
        assert_eq!(
            summary,
            [
                ("/hooks/a", Some(200)),
                ("/b", Some(503)),
                ("/c", Some(429)),
                ("/d", Some(401)),
                ("/e", Some(401)),
                ("/f", Some(204)),
                ("/g", None)
            ]
        );
        let first = &all[0];
        assert_eq!((first.method.as_str(), first.query.as_deref()), ("POST", Some("x=1")));
        assert_eq!(first.header("webhook-id"), Some("msg_1"));
        assert_eq!(first.header("WEBHOOK-ID"), Some("msg_1"));
        assert!(first.headers.contains_key("webhook-id"));
        assert_eq!(first.json(), json!({"a": 1}));
        assert_eq!(all[5].header("authorization"), Some("Bearer tok-1"));
        assert!(all.windows(2).all(|w| w[0].instant <= w[1].instant && w[0].at <= w[1].at));

        // Times out with what there is.
        assert_eq!(receiver.wait_for(8, Duration::from_millis(50)).await.len(), 7);
    }

    #[tokio::test]
    async fn token_endpoint_grants_client_credentials() {
        let endpoint = TokenEndpoint::start("client-a", "s3cret", "webhooks:write other").await;
        let client = reqwest::Client::new();
        let ask = |form: &[(&str, &str)]| client.post(endpoint.url()).form(&form.to_vec()).send();
        async fn read(r: reqwest::Response) -> (u16, Value) {
            (r.status().as_u16(), serde_json::from_str(&r.text().await.unwrap()).unwrap())
        }

        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", "client-a"),
            ("client_secret", "s3cret"),
            ("scope", "webhooks:write"),
        ];
        let (status, body) = read(ask(&form).await.unwrap()).await;
        assert_eq!(
            (status, body),
            (200, json!({"access_token": "tok-1", "token_type": "Bearer", "expires_in": 3600}))
        );

        endpoint.set_expires_in(5);
        let basic = client
            .post(endpoint.url())
            .basic_auth("client-a", Some("s3cret"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            read(basic).await,
            (200, json!({"access_token": "tok-2", "token_type": "Bearer", "expires_in": 5}))
        );

        let wrong = [
            ("grant_type", "client_credentials"),
            ("client_id", "client-a"),
            ("client_secret", "nope"),
        ];
        assert_eq!(read(ask(&wrong).await.unwrap()).await, (401, json!({"error": "invalid_client"})));
        let basic_wrong = client
            .post(endpoint.url())
            .basic_auth("client-b", Some("s3cret"))
            .form(&[("grant_type", "client_credentials")]);
        assert_eq!(
            read(basic_wrong.send().await.unwrap()).await,
            (401, json!({"error": "invalid_client"}))
        );
        assert_eq!(read(ask(&[("grant_type", "client_credentials")]).await.unwrap()).await.0, 401);
        let grant = [("grant_type", "password"), ("client_id", "client-a"), ("client_secret", "s3cret")];
        assert_eq!(
            read(ask(&grant).await.unwrap()).await,
            (400, json!({"error": "unsupported_grant_type"}))
        );
        let scope = [
            ("grant_type", "client_credentials"),
            ("client_id", "client-a"),
            ("client_secret", "s3cret"),
            ("scope", "admin"),
        ];
        assert_eq!(read(ask(&scope).await.unwrap()).await, (400, json!({"error": "invalid_scope"})));

        assert_eq!(endpoint.issued(), 2);
        assert_eq!(endpoint.current_token().as_deref(), Some("tok-2"));
        let requests = endpoint.requests();
        assert_eq!(requests.len(), 7);
        assert_eq!((requests[0].auth, requests[1].auth), ("form", "basic"));
        assert_eq!(requests[0].scope.as_deref(), Some("webhooks:write"));
        assert_eq!(requests[1].issued.as_deref(), Some("tok-2"));
    }

    #[test]
    fn official_library_is_reached() {
        // The official test vector, now far outside the library's 5-minute window.
        let mut headers = BTreeMap::new();
        headers.insert("webhook-id".to_string(), "msg_p5jXN8AQM9LWM0D4loKWxJek".to_string());
        headers.insert("webhook-timestamp".to_string(), "1614265330".to_string());
        headers.insert(
            "webhook-signature".to_string(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=".to_string(),
        );
        let old = Received {
            method: "POST".into(),
            path: "/".into(),
            query: None,
            headers,
            body: br#"{"test": 2432232314}"#.to_vec(),
            at: chrono::Utc::now(),
            instant: Instant::now(),
            answered: Some(200),
        };
        let mut unsigned = old.clone();
        unsigned.headers.remove("webhook-signature");
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_string();
        let results = verify_with_official_library(&[(secret.clone(), old), (secret, unsigned)]);
        assert!(results[0].as_ref().is_err_and(|e| e.contains("too old")), "{results:?}");
        assert!(
            results[1].as_ref().is_err_and(|e| e.contains("Missing required headers")),
            "{results:?}"
        );
        assert!(verify_with_official_library(&[]).is_empty());
    }
}
