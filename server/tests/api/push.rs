//! Web Push through a local push service (an axum server on port 0). What it
//! receives is checked by an independent implementation: `end2end/push-check.cjs`
//! decrypts with npm `http_ece` and verifies the VAPID JWT with node:crypto.

use crate::helpers::*;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
struct Received {
    device: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
    at: Instant,
}

/// A push service whose answers can be scripted per device, mid-test.
#[derive(Clone, Default)]
struct PushService {
    received: Arc<Mutex<Vec<Received>>>,
    /// Answers to give, in order, per device; 201 once a queue is empty.
    script: Arc<Mutex<HashMap<String, VecDeque<Answer>>>>,
}

/// A scripted answer: the status, and the `Retry-After` seconds if any.
type Answer = (u16, Option<u64>);

async fn receive(
    State(ps): State<PushService>,
    Path(device): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> impl IntoResponse {
    let headers = headers
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    ps.received.lock().unwrap().push(Received {
        device: device.clone(),
        headers,
        body: body.to_vec(),
        at: Instant::now(),
    });
    let (status, retry_after) = ps
        .script
        .lock()
        .unwrap()
        .get_mut(&device)
        .and_then(|q| q.pop_front())
        .unwrap_or((201, None));
    let mut res = (StatusCode::from_u16(status).unwrap(), "").into_response();
    if let Some(s) = retry_after {
        res.headers_mut().insert("retry-after", s.to_string().parse().unwrap());
    }
    res
}

impl PushService {
    async fn start() -> (PushService, String) {
        let ps = PushService::default();
        let app = axum::Router::new()
            .route("/push/{device}", axum::routing::post(receive))
            .with_state(ps.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (ps, origin)
    }

    fn for_device(&self, device: &str) -> Vec<Received> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.device == device)
            .cloned()
            .collect()
    }

    async fn wait_for(&self, device: &str, n: usize) -> Vec<Received> {
        for _ in 0..300 {
            let got = self.for_device(device);
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("device {device} did not receive {n} pushes: {:?}", self.for_device(device).len());
    }
}

fn node(args: &[&str], stdin: Option<Value>) -> Value {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end");
    assert!(
        dir.join("node_modules/http_ece").exists(),
        "the independent decryptor (npm http_ece) is missing: run `cargo xtask test`, which installs it"
    );
    let mut child = std::process::Command::new("node")
        .arg("push-check.cjs")
        .args(args)
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    if let Some(input) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "push-check.cjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Subscribes a new device of `client`'s user at `origin/push/{device}`; returns its keys.
async fn subscribe(client: &Client, origin: &str, device: &str) -> Value {
    let keys = node(&["keys"], None);
    let (status, body) = client
        .call(
            "subscribe_push",
            json!({"endpoint": format!("{origin}/push/{device}"), "p256dh": keys["p256dh"], "auth": keys["auth"], "label": format!("Test {device}")}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    keys
}

fn open(r: &Received, keys: &Value) -> Value {
    use base64::Engine;
    node(
        &["open"],
        Some(json!({
            "private": keys["private"], "auth": keys["auth"],
            "body": base64::engine::general_purpose::STANDARD.encode(&r.body),
            "authorization": r.headers.get("authorization").cloned().unwrap_or_default(),
        })),
    )
}

#[tokio::test]
async fn a_notification_is_pushed_to_every_device_encrypted_for_it_and_signed_by_the_server() {
    let app = spawn_app().await;
    let (ps, origin) = PushService::start().await;
    let m1 = app.sign_in(MANAGER1).await;
    let phone = subscribe(&m1, &origin, "phone").await;
    let laptop = subscribe(&m1, &origin, "laptop").await;
    let vapid = app.anonymous().call("vapid_public_key", json!({})).await.1;
    let id = app.book_request(0, "Ann Lee").await;
    let starts = m1.call("appointment", json!({"id": id})).await.1["appointment"]["starts_at"]
        .as_i64()
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    for (device, keys) in [("phone", &phone), ("laptop", &laptop)] {
        let got = ps.wait_for(device, 1).await;
        let r = &got[0];
        let opened = open(r, keys);
        let payload: Value = serde_json::from_str(opened["plaintext"].as_str().unwrap()).unwrap();
        assert_eq!(payload["title"], "New appointment request");
        assert_eq!(payload["url"], format!("/staff/appointments/{id}"));
        assert_eq!(payload["tag"], format!("appointment-{id}"));
        assert!(r.body.len() < 4096);
        assert_eq!(opened["valid"], true, "the JWT verifies with the key in the header");
        assert_eq!(opened["k"], vapid, "signed with the server's VAPID key");
        assert_eq!(opened["header"]["alg"], "ES256");
        assert_eq!(opened["claims"]["aud"], origin.as_str());
        let exp = opened["claims"]["exp"].as_i64().unwrap();
        assert!(exp > now && exp <= now + 24 * 3600 + 5, "exp within 24 h: {exp}");
        assert_eq!(opened["claims"]["sub"], "mailto:tests@example.com");
        assert_eq!(r.headers["content-encoding"], "aes128gcm");
        assert_eq!(r.headers["urgency"], "high");
        assert_eq!(r.headers["topic"], format!("appointment-{id}"));
        let ttl: i64 = r.headers["ttl"].parse().unwrap();
        assert!(
            (starts - now - 5..=starts - now + 5).contains(&ttl),
            "TTL runs until the appointment: {ttl}"
        );
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let devices = m1.call("devices", json!({})).await.1;
    assert_eq!(devices.as_array().unwrap().len(), 2);
    assert!(devices.as_array().unwrap().iter().all(|d| d["last_status"] == 201), "{devices}");
    // The one who acted (the client) has no devices; other staff have none either: exactly two pushes.
    assert_eq!(ps.received.lock().unwrap().len(), 2);
    // An admin sees who is reachable by push, and when a push last reached them.
    let people = app.sign_in("admin@example.com").await.call("people", json!({})).await.1;
    let person = |email: &str| {
        people["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["email"] == email)
            .unwrap()
            .clone()
    };
    let maya = person(MANAGER1);
    assert_eq!(maya["devices"], 2);
    assert!((now - 5..=now + 30).contains(&maya["last_push_at"].as_i64().unwrap()), "{maya}");
    let alice = person(ASSOCIATE1);
    assert_eq!((alice["devices"].as_i64(), alice["last_push_at"].as_i64()), (Some(0), None));
}

#[tokio::test]
async fn an_expired_subscription_is_removed_and_a_throttled_push_is_retried_after_retry_after() {
    let app = spawn_app().await;
    let (ps, origin) = PushService::start().await;
    let m1 = app.sign_in(MANAGER1).await;
    subscribe(&m1, &origin, "gone").await;
    subscribe(&m1, &origin, "busy").await;
    ps.script.lock().unwrap().insert("gone".into(), VecDeque::from([(410, None)]));
    ps.script.lock().unwrap().insert("busy".into(), VecDeque::from([(429, Some(1))]));
    app.book_request(0, "Ann Lee").await;
    let busy = ps.wait_for("busy", 2).await;
    assert!(
        busy[1].at.duration_since(busy[0].at) >= Duration::from_millis(950),
        "waited for Retry-After"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let devices = m1.call("devices", json!({})).await.1;
    let labels: Vec<&str> = devices.as_array().unwrap().iter().map(|d| d["label"].as_str().unwrap()).collect();
    assert_eq!(labels, vec!["Test busy"], "the expired subscription is gone");
    assert_eq!(devices[0]["last_status"], 201);
    let attempts: Vec<(Option<i64>,)> = sqlx::query_as("SELECT status FROM push_attempts ORDER BY id")
        .fetch_all(app.running.state.db.pool())
        .await
        .unwrap();
    let mut statuses: Vec<i64> = attempts.into_iter().filter_map(|a| a.0).collect();
    statuses.sort();
    assert_eq!(statuses, vec![201, 410, 429], "every attempt is recorded");
    assert_eq!(ps.for_device("gone").len(), 1, "never pushed to again");
}

#[tokio::test]
async fn subscriptions_are_validated_and_belong_to_their_owner() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let keys = node(&["keys"], None);
    let sub =
        |endpoint: &str, p256dh: &Value, auth: &Value| json!({"endpoint": endpoint, "p256dh": p256dh, "auth": auth, "label": "Phone"});
    assert_eq!(
        m1.call("subscribe_push", sub("ftp://push.example/x", &keys["p256dh"], &keys["auth"]))
            .await
            .0,
        400
    );
    assert_eq!(
        m1.call("subscribe_push", sub("https://push.example/x", &json!("AAAA"), &keys["auth"]))
            .await
            .0,
        400
    );
    assert_eq!(
        m1.call("subscribe_push", sub("https://push.example/x", &keys["p256dh"], &json!("AAAA")))
            .await
            .0,
        400
    );
    // Endpoints inside the network are refused (only 127.0.0.1 is allow-listed in tests).
    for inside in [
        "https://10.0.0.1/x",
        "https://169.254.169.254/latest",
        "https://[::ffff:192.168.1.1]/x",
        "https://0x7f000002/x",
    ] {
        let (status, body) = m1.call("subscribe_push", sub(inside, &keys["p256dh"], &keys["auth"])).await;
        assert_eq!(status, 400, "{inside}: {body}");
        assert!(body.to_string().contains("not a public address"), "{body}");
    }
    assert_eq!(
        app.anonymous()
            .call("subscribe_push", sub("https://push.example/x", &keys["p256dh"], &keys["auth"]))
            .await
            .0,
        401
    );
    let (status, id) = m1
        .call("subscribe_push", sub("https://push.example/x", &keys["p256dh"], &keys["auth"]))
        .await;
    assert_eq!(status, 200);
    let m2 = app.sign_in(MANAGER2).await;
    assert_eq!(
        m2.call("edit_device", json!({"id": id, "label": null})).await.0,
        404,
        "not someone else's device"
    );
    assert_eq!(m1.call("edit_device", json!({"id": id, "label": "Work phone"})).await.0, 200);
    assert_eq!(m1.call("devices", json!({})).await.1[0]["label"], "Work phone");
    assert_eq!(m1.call("edit_device", json!({"id": id, "label": null})).await.0, 200);
    assert_eq!(m1.call("devices", json!({})).await.1.as_array().unwrap().len(), 0);
    // The VAPID key survives a restart: every subscription depends on it.
    let before = app.anonymous().call("vapid_public_key", json!({})).await.1;
    let app = app.restart(0).await;
    assert_eq!(app.anonymous().call("vapid_public_key", json!({})).await.1, before);
}

#[tokio::test]
async fn reading_a_notification_tells_the_other_devices_to_close_it_with_a_silent_push() {
    let app = spawn_app().await;
    let (ps, origin) = PushService::start().await;
    let m1 = app.sign_in(MANAGER1).await;
    let phone = subscribe(&m1, &origin, "phone").await;
    let first = app.book_request(0, "Ann Lee").await;
    app.book_request(1, "Bob Ray").await;
    ps.wait_for("phone", 2).await;
    let page = m1.call("notifications", json!({"before_seq": null})).await.1;
    let ann = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["body"].as_str().unwrap().starts_with("Ann Lee"))
        .unwrap()["id"]
        .clone();
    assert_eq!(m1.call("mark_read", json!({"ids": [ann]})).await.0, 200);
    let got = ps.wait_for("phone", 3).await;
    let sync: Value = serde_json::from_str(open(&got[2], &phone)["plaintext"].as_str().unwrap()).unwrap();
    assert_eq!(
        sync,
        json!({"silent": true, "tags": [format!("appointment-{first}")], "all": false, "unread": 1})
    );
    assert_eq!(got[2].headers["topic"], "read-sync");
    assert_eq!(m1.call("mark_all_read", json!({})).await.0, 200);
    let got = ps.wait_for("phone", 4).await;
    let sync: Value = serde_json::from_str(open(&got[3], &phone)["plaintext"].as_str().unwrap()).unwrap();
    assert_eq!((sync["all"].as_bool(), sync["unread"].as_i64()), (Some(true), Some(0)));
}

#[tokio::test]
async fn a_person_keeps_at_most_ten_devices_the_longest_unused_replaced() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let keys = node(&["keys"], None);
    for i in 0..12 {
        let body = json!({"endpoint": format!("https://push.example/device-{i}"), "p256dh": keys["p256dh"], "auth": keys["auth"], "label": format!("Device {i}")});
        assert_eq!(m1.call("subscribe_push", body).await.0, 200);
        app.running.state.clock.advance_s(60);
    }
    let devices = m1.call("devices", json!({})).await.1;
    let labels: Vec<&str> = devices.as_array().unwrap().iter().map(|d| d["label"].as_str().unwrap()).collect();
    assert_eq!(labels.len(), 10, "{labels:?}");
    assert!(
        !labels.contains(&"Device 0") && !labels.contains(&"Device 1"),
        "the oldest went: {labels:?}"
    );
}

#[tokio::test]
async fn pushes_go_only_to_accepted_push_services_checked_again_before_each_send() {
    let app = spawn_app().await;
    let (ps, origin) = PushService::start().await;
    let m1 = app.sign_in(MANAGER1).await;
    let keys = node(&["keys"], None);
    // The tests accept push.example and the local push service only: an
    // operator's list replaces the browsers' services.
    let (status, body) = m1
        .call(
            "subscribe_push",
            json!({"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "p256dh": keys["p256dh"], "auth": keys["auth"], "label": "Phone"}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("not accepted here"), "{body}");
    subscribe(&m1, &origin, "phone").await;
    // The operator narrows the list: the device subscribed before is not pushed to.
    let app = app
        .restart_with(|_, config| server::Config {
            push_services: "push.example".into(),
            stripe_api: "http://127.0.0.1:9".into(),
            metrics_token: None,
            ..config
        })
        .await;
    let m1 = app.sign_in(MANAGER1).await;
    app.book_request(0, "Ann Lee").await;
    app.settle().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let result = loop {
        let devices = m1.call("devices", json!({})).await.1;
        if let Some(r) = devices[0]["last_result"].as_str() {
            break r.to_string();
        }
        assert!(std::time::Instant::now() < deadline, "no attempt recorded: {devices}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(result.contains("not accepted"), "{result}");
    assert!(ps.for_device("phone").is_empty(), "nothing reached the push service");
}

/// Saves `delivery` for `topic` in the person's preferences; returns them as saved.
async fn choose(c: &Client, topic: &str, delivery: Value) -> Value {
    let mut prefs = c.call("account", json!({})).await.1["preferences"].clone();
    for t in prefs["topics"].as_array_mut().unwrap() {
        if t["topic"] == topic {
            t["delivery"] = delivery.clone();
        }
    }
    assert_eq!(c.call("save_preferences", json!({"preferences": prefs.clone()})).await.0, 200);
    prefs
}

/// "HH:MM" in London (the demo store's zone) `minutes` from now.
fn london_clock(app: &TestApp, minutes: i64) -> String {
    use chrono::Timelike;
    let t = chrono::DateTime::<chrono::Utc>::from_timestamp(app.running.state.clock.now_s() + minutes * 60, 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::London);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[tokio::test]
async fn a_push_held_in_quiet_hours_arrives_once_as_a_summary_when_they_end() {
    let app = spawn_app().await;
    let (ps, origin) = PushService::start().await;
    let m1 = app.sign_in(MANAGER1).await;
    let keys = subscribe(&m1, &origin, "phone").await;
    let mut prefs = m1.call("account", json!({})).await.1["preferences"].clone();
    assert_eq!(prefs["time_zone"], "Europe/London", "quiet hours are read in the store's zone");
    assert_eq!(prefs["topics"].as_array().unwrap().len(), 7);
    // Until before the requests' escalation (30 minutes), so nothing else is due when they end.
    prefs["quiet_from"] = json!(london_clock(&app, -60));
    prefs["quiet_until"] = json!(london_clock(&app, 20));
    let (status, body) = m1.call("save_preferences", json!({"preferences": prefs})).await;
    assert_eq!(status, 200, "{body}");

    // Two requests while quiet: the bell fills, no push goes out.
    app.book_request(0, "Ann Lee").await;
    app.book_request(1, "Bo Lee").await;
    assert_eq!(app.inbox(MANAGER1).await.len(), 2);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(ps.for_device("phone").is_empty(), "held during quiet hours");
    assert_eq!(app.count("held_pushes").await, 2);

    // When they end, one summary.
    app.running.state.clock.advance_s(21 * 60);
    let got = ps.wait_for("phone", 1).await;
    let opened = open(&got[0], &keys);
    let payload: Value = serde_json::from_str(opened["plaintext"].as_str().unwrap()).unwrap();
    assert_eq!(payload["title"], "While you were away");
    assert_eq!(payload["body"], "2 notifications came in. Open the bell to see them.");
    assert_eq!(payload["unread"], 2);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(ps.for_device("phone").len(), 1, "once");
    assert_eq!(app.count("held_pushes").await, 0);
}

#[tokio::test]
async fn time_off_holds_pushes_until_the_person_is_back() {
    let app = spawn_app().await;
    let (ps, origin) = PushService::start().await;
    let a1 = app.sign_in(ASSOCIATE1).await;
    let keys = subscribe(&a1, &origin, "phone").await;
    let me = app.staff_id(ASSOCIATE1).await;
    let today = chrono::DateTime::<chrono::Utc>::from_timestamp(app.running.state.clock.now_s(), 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    let (status, body) = a1
        .call(
            "add_time_off",
            json!({"store_id": 1, "staff_id": me, "first_day": today.to_string(), "last_day": "", "reason": "Holiday"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // A booking with her, made on her day off: the bell fills, her phone stays quiet.
    let slot = app.slots_ahead(2, Some(me)).await[0];
    let mut request = booking(slot, "Ann Lee", "ann@example.com");
    request["request"]["associate_id"] = json!(me);
    assert_eq!(app.anonymous().call("book", request).await.0, 200);
    assert_eq!(app.inbox(ASSOCIATE1).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(ps.for_device("phone").is_empty(), "held through the time off");
    let (release_at,): (i64,) = sqlx::query_as("SELECT release_at FROM held_pushes")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    let tomorrow = (today + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_local_timezone(chrono_tz::Europe::London)
        .unwrap()
        .timestamp();
    assert_eq!(release_at, tomorrow, "at the end of the day off, London time");

    // The next morning: one summary (among whatever else is due by then).
    app.running.state.clock.advance_s(tomorrow - app.running.state.clock.now_s() + 60);
    let summary = loop {
        let got = ps.wait_for("phone", 1).await;
        let found = got.iter().find_map(|r| {
            let opened = open(r, &keys);
            let payload: Value = serde_json::from_str(opened["plaintext"].as_str()?).ok()?;
            (payload["title"] == "While you were away").then_some(payload)
        });
        if let Some(p) = found {
            break p;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(summary["body"], "1 notification came in. Open the bell to see it.");
    // Its row goes once the summary's attempt is recorded.
    for _ in 0..100 {
        if app.count("held_pushes").await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.count("held_pushes").await, 0);
}

#[tokio::test]
async fn bell_only_for_a_topic_sends_no_push_and_the_bell_says_why() {
    let app = spawn_app().await;
    let (ps, origin) = PushService::start().await;
    let m1 = app.sign_in(MANAGER1).await;
    let keys = subscribe(&m1, &origin, "phone").await;
    let mut prefs = choose(&m1, "requests", json!({"push": false, "email": false})).await;
    let id = app.book_request(0, "Ann Lee").await;
    app.settle().await;
    let page = m1.call("notifications", json!({"before_seq": null})).await.1;
    let item = &page["items"][0];
    assert!(
        item["reason"]
            .as_str()
            .unwrap()
            .ends_with("You chose the bell only for new requests (Account → Notifications)."),
        "{item}"
    );
    // A change to it is another topic, still pushed.
    let m2 = app.sign_in("manager2@example.com").await;
    let a = app.staff_id(ASSOCIATE1).await;
    assert_eq!(m2.call("assign", json!({"appointment_id": id, "associate_id": a})).await.0, 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // (The assignment settles the request: a silent read-sync push may close it on devices; it shows nothing.)
    let titles: Vec<String> = ps
        .for_device("phone")
        .iter()
        .filter_map(|r| {
            let opened = open(r, &keys);
            let payload: Value = serde_json::from_str(opened["plaintext"].as_str()?).ok()?;
            payload["title"].as_str().map(str::to_string)
        })
        .collect();
    assert!(titles.is_empty(), "the request was not pushed: {titles:?}");
    // Bad quiet hours are refused, field by field.
    prefs["quiet_from"] = json!("25:00");
    prefs["quiet_until"] = json!("08:00");
    let (status, body) = m1.call("save_preferences", json!({"preferences": prefs.clone()})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["quiet_from"]));
    prefs["quiet_from"] = json!("08:00");
    let (status, body) = m1.call("save_preferences", json!({"preferences": prefs})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["quiet_until"]));
}

#[tokio::test]
async fn a_topic_chosen_by_email_reaches_the_smtp_server_with_a_link_to_the_appointment() {
    let app = spawn_app_with_messaging().await;
    let m1 = app.sign_in(MANAGER1).await;
    choose(&m1, "requests", json!({"push": false, "email": true})).await;
    let id = app.book_request(0, "Ann Lee").await;
    let mail = app.mail.clone().unwrap();
    let mut mine = None;
    for _ in 0..500 {
        mine = mail.messages().into_iter().find(|m| m.rcpt_to == vec![MANAGER1.to_string()]);
        if mine.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mine = mine.expect("an email to the manager");
    assert!(
        mine.subject.as_deref().unwrap().starts_with("New appointment request — "),
        "{:?}",
        mine.subject
    );
    assert!(mine
        .text
        .as_deref()
        .unwrap()
        .contains(&format!("{}/staff/appointments/{id}", app.base)));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let to_manager2 = mail
        .messages()
        .into_iter()
        .filter(|m| m.rcpt_to == vec!["manager2@example.com".to_string()])
        .count();
    assert_eq!(to_manager2, 0, "only those who chose email get one");
}
