//! Load benchmark: `cargo bench -p server --bench load`.
//!
//! Starts the real server (release build) on a fresh SQLite file, adds
//! `FD_MANAGERS` managers with a live WebSocket each, then books
//! `FD_BOOKINGS` appointments over HTTP from `FD_CONCURRENCY` concurrent
//! clients. Prints booking throughput, booking latency, and the time from a
//! booking's commit to its bell notification arriving at every manager's
//! socket, plus the server's resident memory. Prints figures; asserts nothing
//! about speed (a slow machine is not a failure).

use futures::StreamExt;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<f64>().unwrap_or(0.0))
        })
        .unwrap_or(0.0)
        / 1024.0
}

#[tokio::main]
async fn main() {
    let managers = env("FD_MANAGERS", 1000);
    let bookings = env("FD_BOOKINGS", 2000);
    let concurrency = env("FD_CONCURRENCY", 64);
    let associates = 60;
    let dir = tempfile::tempdir().unwrap();
    let running = server::start(server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_path_buf(),
        site_root: dir.path().join("site"),
        demo: true,
        secure_cookies: false,
        clock_offset_s: 0,
        allow_insecure_push: true,
        vapid_subject: "mailto:tests@example.com".into(),
        public_url: None,
        webhook_allow: String::new(),
        push_services: "127.0.0.1".into(),
        stripe_api: "http://127.0.0.1:9".into(),
        metrics_token: None,
        trusted_proxies: String::new(),
        // The load comes from one address.
        rate_limits: false,
        mail: None,
        sms: None,
    })
    .await
    .unwrap();
    let base = format!("http://{}", running.addr);
    let db = running.state.db.clone();

    // Extra staff, written straight through the writer (one transaction) with
    // the demo hash, so set-up does not spend minutes in argon2.
    db.write(move |tx| {
        Box::pin(async move {
            let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM staff WHERE email = 'manager1@example.com'")
                .fetch_one(tx.conn())
                .await?;
            for (prefix, role, n) in [("load-manager", "manager", managers), ("load-associate", "associate", associates)] {
                for i in 0..n {
                    let (id,): (i64,) =
                        sqlx::query_as("INSERT INTO staff (email, name, password_hash, created_at) VALUES (?, ?, ?, 0) RETURNING id")
                            .bind(format!("{prefix}{i}@example.com"))
                            .bind(format!("{prefix} {i}"))
                            .bind(&hash)
                            .fetch_one(tx.conn())
                            .await?;
                    sqlx::query("INSERT INTO store_members (store_id, staff_id, role) VALUES (1, ?, ?)")
                        .bind(id)
                        .bind(role)
                        .execute(tx.conn())
                        .await?;
                }
            }
            Ok(())
        })
    })
    .await
    .unwrap();

    // One session per manager, made directly (same reason), all in one transaction.
    let (tokens, hashes): (Vec<String>, Vec<String>) = (0..managers).map(|_| app::backend::auth::new_token()).unzip();
    db.write(move |tx| {
        Box::pin(async move {
            for (i, hash) in hashes.iter().enumerate() {
                sqlx::query("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) SELECT ?, id, 0, 9999999999 FROM staff WHERE email = ?")
                    .bind(hash)
                    .bind(format!("load-manager{i}@example.com"))
                    .execute(tx.conn())
                    .await?;
            }
            Ok(())
        })
    })
    .await
    .unwrap();
    let committed_at: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let delivery_ms: Arc<Mutex<Vec<f64>>> = Arc::default();
    let received = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t_connect = Instant::now();
    for token in tokens {
        let mut req = format!("ws://{}/api/live", running.addr).into_client_request().unwrap();
        req.headers_mut().insert("cookie", format!("fd_session={token}").parse().unwrap());
        let (mut ws, _) = tokio_tungstenite::connect_async(req).await.expect("socket");
        let (committed_at, delivery_ms, received) = (committed_at.clone(), delivery_ms.clone(), received.clone());
        tokio::spawn(async move {
            while let Some(Ok(msg)) = ws.next().await {
                if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
                    if let Ok(app::model::LiveMsg::Notification { item, .. }) = serde_json::from_str(&t) {
                        let now = Instant::now();
                        let name = item.body.split(" requested").next().unwrap_or("").to_string();
                        if let Some(start) = committed_at.lock().unwrap().get(&name) {
                            delivery_ms.lock().unwrap().push(now.duration_since(*start).as_secs_f64() * 1000.0);
                        }
                        received.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
        });
    }
    println!("connected {managers} manager sockets in {:.2} s", t_connect.elapsed().as_secs_f64());

    // Free slots across the coming days, each usable by many associates.
    let http = reqwest::Client::new();
    let page: serde_json::Value = http
        .post(format!("{base}/api/booking_page"))
        .json(&json!({"store": "downtown"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first_day = chrono::NaiveDate::parse_from_str(page["first_open_day"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let mut starts = Vec::new();
    for d in 0..14 {
        let day = (first_day + chrono::Duration::days(d)).format("%Y-%m-%d").to_string();
        let slots: serde_json::Value = http
            .post(format!("{base}/api/slots"))
            .json(&json!({"store": "downtown", "service_id": 1, "date": day, "associate_id": null}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        // Every other 15-minute start: 30-minute haircuts that do not overlap.
        starts.extend(
            slots
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["starts_at"].as_i64().unwrap())
                .filter(|t| t % 1800 == 0),
        );
    }
    let per_slot = associates + 3;
    let bookings = bookings.min(starts.len() * per_slot);

    let queue = Arc::new(Mutex::new((0..bookings).collect::<Vec<_>>()));
    let booking_ms: Arc<Mutex<Vec<f64>>> = Arc::default();
    let failures = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t0 = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (queue, booking_ms, committed_at, failures, http, base, starts) =
                (queue.clone(), booking_ms.clone(), committed_at.clone(), failures.clone(), http.clone(), base.clone(), starts.clone());
            tokio::spawn(async move {
                loop {
                    let Some(i) = queue.lock().unwrap().pop() else { break };
                    let name = format!("Load {i}");
                    let body = json!({"request": {"store": "downtown", "service_id": 1, "starts_at": starts[i / per_slot], "associate_id": null,
                        "name": name, "email": format!("load{i}@example.com"), "mobile": "", "language": "en", "notes": "",
                        "remind_by_email": false, "remind_by_sms": false}});
                    let start = Instant::now();
                    let res = http.post(format!("{base}/api/book")).json(&body).send().await;
                    let done = Instant::now();
                    match res {
                        Ok(r) if r.status() == 200 => {
                            committed_at.lock().unwrap().insert(name, done);
                            booking_ms.lock().unwrap().push(done.duration_since(start).as_secs_f64() * 1000.0);
                        }
                        _ => {
                            failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    futures::future::join_all(workers).await;
    let elapsed = t0.elapsed().as_secs_f64();
    let ok = booking_ms.lock().unwrap().len();
    let want = ok * (managers + 3).min(managers); // every load manager hears of every request
    let deadline = Instant::now() + Duration::from_secs(60);
    while received.load(std::sync::atomic::Ordering::Relaxed) < want && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fanout_done = t0.elapsed().as_secs_f64();
    let mut b = booking_ms.lock().unwrap().clone();
    b.sort_by(f64::total_cmp);
    let mut d = delivery_ms.lock().unwrap().clone();
    d.sort_by(f64::total_cmp);
    println!(
        "bookings:        {ok} ok, {} failed, in {elapsed:.2} s = {:.0} bookings/s ({concurrency} concurrent clients)",
        failures.load(std::sync::atomic::Ordering::Relaxed),
        ok as f64 / elapsed
    );
    println!(
        "booking latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&b, 0.5),
        percentile(&b, 0.99),
        percentile(&b, 1.0)
    );
    println!(
        "bell fan-out:    {} of {want} notifications delivered to {managers} sockets; all delivered {:.2} s after the first booking = {:.0} notifications/s",
        received.load(std::sync::atomic::Ordering::Relaxed),
        fanout_done,
        received.load(std::sync::atomic::Ordering::Relaxed) as f64 / fanout_done
    );
    println!(
        "commit -> bell:  p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&d, 0.5),
        percentile(&d, 0.99),
        percentile(&d, 1.0)
    );
    println!(
        "memory:          {:.0} MiB resident (server and load clients in one process)",
        rss_mib()
    );
}
