//! Crash test: the real `frontdesk` binary under booking load, killed with
//! SIGKILL at random moments and restarted on the same database, again and
//! again. Afterwards: every booking that was acknowledged exists, a retried
//! booking (same Idempotency-Key, as a phone resends after a dropped
//! answer) exists once, every booking event produced one bell item per
//! recipient with no gap or repeat in anyone's sequence, every webhook
//! delivery arrived (repeats with the same `webhook-id`), and no client
//! message was recorded twice. Prints its figures; fails on any loss or
//! duplicate. `FD_CRASH_SEED` replays a run, `FD_CRASH_KILLS` sets how many kills.

#[path = "api/smtp_sink.rs"]
mod smtp_sink;
#[path = "api/webhook_receiver.rs"]
mod webhook_receiver;

use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 8;

struct Server {
    dir: std::path::PathBuf,
    port: u16,
    smtp: String,
    hooks_allowed: String,
}

impl Server {
    fn spawn(&self) -> Child {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("server.log"))
            .unwrap();
        Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .args(["--demo", "--no-rate-limits", "--addr", &format!("127.0.0.1:{}", self.port)])
            .arg("--data-dir")
            .arg(self.dir.join("data"))
            .arg("--site-root")
            .arg(self.dir.join("site"))
            .args(["--smtp-url", &self.smtp, "--webhook-allow", &self.hooks_allowed])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start frontdesk")
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

async fn wait_ready(http: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        if let Ok(r) = http.get(format!("{base}/login")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not come up");
}

/// One booking as a client's phone makes it: sent until it gets an answer,
/// the same Idempotency-Key each time. `Some(id)` when acknowledged.
async fn book_until_answered(http: &reqwest::Client, base: &str, stopping: &AtomicBool, key: &str, body: &Value) -> Option<i64> {
    loop {
        let sent = http
            .post(format!("{base}/api/book"))
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await;
        match sent {
            Ok(res) if res.status().is_success() => {
                let v: Value = res.json().await.ok()?;
                return v["appointment_id"].as_i64();
            }
            // A refusal is an answer (the time was taken meanwhile).
            Ok(res) if res.status().is_client_error() => return None,
            // Down, or cut off mid-answer: the phone tries again.
            _ if stopping.load(Ordering::Relaxed) => return None,
            _ => tokio::time::sleep(Duration::from_millis(30)).await,
        }
    }
}

async fn free_starts(http: &reqwest::Client, base: &str, date: &str) -> Vec<i64> {
    let Ok(res) = http
        .post(format!("{base}/api/slots"))
        .json(&json!({"store": "downtown", "service_id": 1, "date": date, "associate_id": null}))
        .send()
        .await
    else {
        return vec![];
    };
    let v: Value = res.json().await.unwrap_or_default();
    v.as_array()
        .map(|a| a.iter().filter_map(|s| s["starts_at"].as_i64()).collect())
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let seed: u64 = std::env::var("FD_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::random::<u32>() as u64);
    let kills: usize = std::env::var("FD_CRASH_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(14);
    println!("crash: seed {seed} (FD_CRASH_SEED={seed} replays it), {kills} kills");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let sink = smtp_sink::SmtpSink::start().await;
    let receiver = webhook_receiver::WebhookReceiver::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = Server {
        dir: dir.path().to_path_buf(),
        port,
        smtp: sink.url(),
        hooks_allowed: "127.0.0.1".into(),
    };
    let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let base = server.base();
    let mut child = server.spawn();
    wait_ready(&http, &base).await;

    // An admin subscribes an endpoint to every webhook type.
    let res = http
        .post(format!("{base}/api/sign_in"))
        .json(&json!({"email": "admin@example.com", "password": "demo-password"}))
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let types: Vec<&str> = app::domain::webhooks::WebhookEventType::SUBSCRIBABLE
        .iter()
        .map(|t| t.as_str())
        .collect();
    let res = http
        .post(format!("{base}/api/create_webhook_endpoint"))
        .header("cookie", &cookie)
        .json(&json!({"endpoint": {"store_id": 1, "url": receiver.url("/hooks"), "method": "POST", "event_types": types}}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap_or_default());

    // The days clients book on: the next four weeks, as the store offers them.
    let today = chrono::Utc::now().date_naive();
    let dates: Vec<String> = (1..29)
        .map(|d| (today + chrono::Duration::days(d)).format("%Y-%m-%d").to_string())
        .collect();

    let acknowledged = Arc::new(Mutex::new(Vec::<(i64, String)>::new()));
    let stopping = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (http, base, dates, acknowledged, stopping) =
            (http.clone(), base.clone(), dates.clone(), acknowledged.clone(), stopping.clone());
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ (c as u64 + 1));
        clients.push(tokio::spawn(async move {
            let mut n = 0;
            while !stopping.load(Ordering::Relaxed) {
                let date = &dates[rng.gen_range(0..dates.len())];
                let starts = free_starts(&http, &base, date).await;
                if starts.is_empty() {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
                n += 1;
                let email = format!("c{c}-{n}@crash.test");
                let body = json!({"request": {
                    "store": "downtown", "service_id": 1, "starts_at": starts[rng.gen_range(0..starts.len())],
                    "associate_id": null, "name": format!("Client {c}-{n}"), "email": email, "mobile": "",
                    "language": "en", "notes": "", "remind_by_email": true, "remind_by_sms": false
                }});
                if let Some(id) = book_until_answered(&http, &base, &stopping, &format!("crash-{c}-{n}"), &body).await {
                    acknowledged.lock().unwrap().push((id, email));
                }
            }
        }));
    }

    let started = Instant::now();
    for _ in 0..kills {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(300..1500))).await;
        child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
        child.wait().unwrap();
        child = server.spawn();
        wait_ready(&http, &base).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    stopping.store(true, Ordering::Relaxed);
    for c in clients {
        c.await.unwrap();
    }
    let load_s = started.elapsed().as_secs_f64();

    // Let the dispatchers and senders finish what the bookings called for.
    let db_path = dir.path().join("data").join("frontdesk.db");
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&db_path).read_only(true))
        .await
        .unwrap();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let behind = count(
            "SELECT (SELECT MAX(id) FROM events) - (SELECT MIN(last_event_id) FROM dispatch_cursors
             WHERE name IN ('bell', 'client_messages', 'webhooks'))",
        )
        .await;
        let unsent = count("SELECT COUNT(*) FROM client_messages WHERE status = 'queued'").await;
        let undelivered = count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'").await;
        if behind == 0 && unsent == 0 && undelivered == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not drained after two minutes: {behind} events behind, {unsent} messages queued, {undelivered} deliveries pending"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    child.kill().unwrap();
    child.wait().unwrap();

    // Every acknowledged booking is there, once.
    let acknowledged = acknowledged.lock().unwrap().clone();
    let stored: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
        "SELECT a.id, c.email FROM appointments a JOIN clients c ON c.id = a.client_id WHERE c.email LIKE '%@crash.test'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let lost = acknowledged.iter().filter(|(id, email)| stored.get(id) != Some(email)).count();
    let mut per_email: HashMap<&str, usize> = HashMap::new();
    for email in stored.values() {
        *per_email.entry(email.as_str()).or_default() += 1;
    }
    let duplicated = per_email.values().filter(|n| **n > 1).count();

    // Bell: everyone's sequence is 1..n, and every booking told the same people once each.
    let seqs: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT staff_id, seq, (SELECT notif_seq FROM staff s WHERE s.id = n.staff_id) FROM notifications n ORDER BY staff_id, seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut by_staff: BTreeMap<i64, (Vec<i64>, i64)> = BTreeMap::new();
    for (staff, seq, last) in seqs {
        let e = by_staff.entry(staff).or_insert((vec![], last));
        e.0.push(seq);
    }
    let (mut bell_gaps, mut bell_repeats) = (0, 0);
    for (seqs, last) in by_staff.values() {
        let distinct: HashSet<i64> = seqs.iter().copied().collect();
        bell_repeats += seqs.len() - distinct.len();
        bell_gaps += (1..=*last).filter(|s| !distinct.contains(s)).count();
    }
    let told: Vec<(i64, String)> = sqlx::query_as(
        "SELECT e.id, COALESCE((SELECT group_concat(staff_id) FROM (SELECT staff_id FROM notifications n
                 WHERE n.event_id = e.id ORDER BY staff_id)), '')
         FROM events e WHERE e.kind = 'appointment.created' ORDER BY e.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let audiences: HashSet<&str> = told.iter().map(|(_, who)| who.as_str()).collect();
    let bookings_told_differently = if audiences.len() == 1 && !told[0].1.is_empty() {
        0
    } else {
        audiences.len()
    };

    // Webhooks: each message reached the receiver; repeats carry its id.
    let msg_ids: HashSet<String> = sqlx::query_scalar("SELECT msg_id FROM webhook_messages")
        .fetch_all(&pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let failed_deliveries = count("SELECT COUNT(*) FROM webhook_deliveries WHERE status != 'succeeded'").await;
    let got = receiver.received();
    let got_ids: Vec<String> = got.iter().filter_map(|r| r.header("webhook-id").map(str::to_string)).collect();
    let distinct_got: HashSet<&String> = got_ids.iter().collect();
    let webhooks_missing = msg_ids.iter().filter(|m| !distinct_got.contains(m)).count();
    let webhooks_unknown = distinct_got.iter().filter(|m| !msg_ids.contains(**m)).count();
    let webhook_repeats = got_ids.len() - distinct_got.len();

    // Client messages: recorded once per event and recipient; emails repeated only if in flight at a kill.
    let recorded_twice =
        count("SELECT COUNT(*) FROM (SELECT 1 FROM client_messages GROUP BY event_id, channel, recipient HAVING COUNT(*) > 1)").await;
    let sent = count("SELECT COUNT(*) FROM client_messages WHERE status = 'sent'").await;
    let mails = sink.messages();
    let mut seen_mail = HashSet::new();
    let emails_repeated = mails
        .iter()
        .filter(|m| !seen_mail.insert((m.rcpt_to.clone(), m.header("subject"), m.text.clone())))
        .count();

    println!(
        "crash: {kills} kills in {load_s:.1} s; bookings acknowledged {}, lost {lost}, duplicated {duplicated}; \
         bell items {} over {} people, gaps {bell_gaps}, repeats {bell_repeats}, bookings told to other people {bookings_told_differently}; \
         webhook messages {}, missing {webhooks_missing}, unknown ids {webhooks_unknown}, not delivered {failed_deliveries}, repeats {webhook_repeats} (same webhook-id); \
         client messages sent {sent}, recorded twice {recorded_twice}, emails received {} of which repeated {emails_repeated} (at most {} in flight per kill)",
        acknowledged.len(),
        by_staff.values().map(|(s, _)| s.len()).sum::<usize>(),
        by_staff.len(),
        msg_ids.len(),
        mails.len(),
        app::backend::channels::client_messages::sender::SEND_CONCURRENCY,
    );
    assert!(acknowledged.len() > kills, "the load booked too little to prove anything");
    assert_eq!(lost, 0, "acknowledged bookings lost");
    assert_eq!(duplicated, 0, "a retried booking was booked twice");
    assert_eq!(
        (bell_gaps, bell_repeats, bookings_told_differently),
        (0, 0, 0),
        "bell items lost or doubled"
    );
    assert_eq!((webhooks_missing, webhooks_unknown, failed_deliveries), (0, 0, 0), "webhooks lost");
    assert_eq!(recorded_twice, 0, "a client message recorded twice");
    // SMTP has no idempotency key: an email whose send completed but whose
    // outcome was not yet written when the process died goes again. The
    // sender has at most this many sends in flight.
    let in_flight = app::backend::channels::client_messages::sender::SEND_CONCURRENCY;
    assert!(
        emails_repeated <= kills * in_flight,
        "{emails_repeated} emails repeated: more than {kills} kills × {in_flight} sends in flight could have cut off"
    );
}
