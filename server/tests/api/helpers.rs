//! Shared helpers: spawn the real server, sign in, talk HTTP and WebSocket.

use crate::sms_provider::SmsProvider;
use crate::smtp_sink::SmtpSink;
use app::model::LiveMsg;
pub use clock::ClockExt;
use futures::StreamExt;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub struct TestApp {
    pub base: String,
    pub addr: std::net::SocketAddr,
    pub running: server::Running,
    pub dir: tempfile::TempDir,
    config: server::Config,
    /// The SMTP server and SMS provider client messages go to (`spawn_app_with_messaging`).
    pub mail: Option<std::sync::Arc<SmtpSink>>,
    pub sms: Option<std::sync::Arc<SmsProvider>>,
}

pub const SMS_ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
pub const SMS_TOKEN: &str = "test-auth-token";
pub const SMS_FROM: &str = "+15550009999";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(true).await
}

pub async fn spawn_app_with(demo: bool) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let config = server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_path_buf(),
        site_root: dir.path().join("site"),
        demo,
        secure_cookies: false,
        clock_offset_s: 0,
        allow_insecure_push: true,
        vapid_subject: "mailto:tests@example.com".into(),
        public_url: None,
        webhook_allow: "127.0.0.1".into(),
        push_services: "push.example,127.0.0.1".into(),
        stripe_api: "http://127.0.0.1:9".into(),
        metrics_token: None,
        trusted_proxies: String::new(),
        rate_limits: true,
        mail: None,
        sms: None,
    };
    start_with(dir, config, None, None).await
}

/// The demo server with a real SMTP server and an SMS provider on port 0.
pub async fn spawn_app_with_messaging() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mail = std::sync::Arc::new(SmtpSink::start().await);
    let sms = std::sync::Arc::new(SmsProvider::start(SMS_ACCOUNT, SMS_TOKEN).await);
    let config = server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_path_buf(),
        site_root: dir.path().join("site"),
        demo: true,
        secure_cookies: false,
        clock_offset_s: 0,
        allow_insecure_push: true,
        vapid_subject: "mailto:tests@example.com".into(),
        public_url: None,
        webhook_allow: "127.0.0.1".into(),
        push_services: "push.example,127.0.0.1".into(),
        stripe_api: "http://127.0.0.1:9".into(),
        metrics_token: None,
        trusted_proxies: String::new(),
        rate_limits: true,
        mail: Some(app::backend::channels::client_messages::outbound::MailConfig {
            smtp_url: mail.url(),
            from: "Downtown Bookings <bookings@frontdesk.test>".into(),
        }),
        sms: Some(app::backend::channels::client_messages::outbound::SmsConfig {
            api_base: sms.base_url(),
            account_sid: SMS_ACCOUNT.into(),
            auth_token: SMS_TOKEN.into(),
            from: SMS_FROM.into(),
        }),
    };
    start_with(dir, config, Some(mail), Some(sms)).await
}

async fn start_with(
    dir: tempfile::TempDir,
    config: server::Config,
    mail: Option<std::sync::Arc<SmtpSink>>,
    sms: Option<std::sync::Arc<SmsProvider>>,
) -> TestApp {
    let running = server::start(config.clone()).await.expect("server starts");
    TestApp {
        base: format!("http://{}", running.addr),
        addr: running.addr,
        running,
        dir,
        config,
        mail,
        sms,
    }
}

/// A signed-in (or anonymous) HTTP client with its own cookie jar.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub cookie: Option<String>,
}

impl TestApp {
    pub fn anonymous(&self) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: self.base.clone(),
            cookie: None,
        }
    }

    pub async fn sign_in(&self, email: &str) -> Client {
        let mut c = self.anonymous();
        let res = c
            .http
            .post(format!("{}/api/sign_in", self.base))
            .json(&json!({"email": email, "password": "demo-password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "sign in as {email}");
        let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        c.cookie = Some(cookie.split(';').next().unwrap().to_string());
        c
    }

    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_one(self.running.state.db.pool())
            .await
            .unwrap();
        n
    }

    pub async fn ws(&self, c: &Client, after: Option<i64>) -> Live {
        let url = match after {
            Some(a) => format!("ws://{}/api/live?after={a}", self.addr),
            None => format!("ws://{}/api/live", self.addr),
        };
        let mut req = url.into_client_request().unwrap();
        req.headers_mut().insert("cookie", c.cookie.clone().unwrap().parse().unwrap());
        let (stream, _) = tokio_tungstenite::connect_async(req).await.expect("live socket opens");
        let mut live = Live { stream };
        match live.next().await {
            Some(LiveMsg::Hello { .. }) => {}
            other => panic!("expected hello, got {other:?}"),
        }
        live
    }

    /// The HTTP status the live socket's upgrade answers `c` with (101: opened, then dropped).
    pub async fn ws_status(&self, c: &Client) -> u16 {
        let mut req = format!("ws://{}/api/live", self.addr).into_client_request().unwrap();
        req.headers_mut().insert("cookie", c.cookie.clone().unwrap().parse().unwrap());
        match tokio_tungstenite::connect_async(req).await {
            Ok((_, res)) => res.status().as_u16(),
            Err(tokio_tungstenite::tungstenite::Error::Http(res)) => res.status().as_u16(),
            Err(e) => panic!("the live socket did not answer: {e}"),
        }
    }

    /// The first free start (any associate) for a service on the first whole open day ahead.
    pub async fn free_slot(&self, service_id: i64, associate: Option<i64>) -> i64 {
        self.free_slots(service_id, associate).await[0]
    }

    /// Free starts for service 1 on the first open day at least `days` ahead (store time).
    pub async fn slots_ahead(&self, days: i64, associate: Option<i64>) -> Vec<i64> {
        self.slots_of_service_ahead(1, days, associate).await
    }

    async fn slots_of_service_ahead(&self, service_id: i64, days: i64, associate: Option<i64>) -> Vec<i64> {
        let c = self.anonymous();
        let today = chrono::DateTime::from_timestamp(self.running.state.clock.now_s(), 0)
            .unwrap()
            .with_timezone(&chrono_tz::Europe::London)
            .date_naive();
        for d in days..days + 10 {
            let date = (today + chrono::Duration::days(d)).format("%Y-%m-%d").to_string();
            let (status, slots) = c
                .call(
                    "slots",
                    json!({"store": "downtown", "service_id": service_id, "date": date, "associate_id": associate}),
                )
                .await;
            assert_eq!(status, 200, "{slots}");
            let list: Vec<i64> = slots.as_array().unwrap().iter().map(|s| s["starts_at"].as_i64().unwrap()).collect();
            if !list.is_empty() {
                return list;
            }
        }
        panic!("no open day");
    }

    /// Free starts for a service on the first whole open day ahead: today may
    /// have only a few times left, depending on when the tests run.
    pub async fn free_slots(&self, service_id: i64, associate: Option<i64>) -> Vec<i64> {
        self.slots_of_service_ahead(service_id, 1, associate).await
    }
}

impl Client {
    pub async fn call(&self, endpoint: &str, body: Value) -> (u16, Value) {
        let mut req = self.http.post(format!("{}/api/{endpoint}", self.base)).json(&body);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
}

pub struct Live {
    pub stream: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl Live {
    /// The next message, or `None` if nothing arrives within two seconds.
    pub async fn next(&mut self) -> Option<LiveMsg> {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(2), self.stream.next()).await.ok()??.ok()?;
            if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
                return Some(serde_json::from_str(&t).expect("live messages are valid JSON"));
            }
        }
    }

    /// The next message that is not a list refresh.
    pub async fn next_bell_message(&mut self) -> Option<LiveMsg> {
        loop {
            match self.next().await? {
                LiveMsg::AppointmentChanged { .. } => continue,
                other => return Some(other),
            }
        }
    }

    /// The next bell notification, skipping list-refresh messages.
    pub async fn next_notification(&mut self) -> Option<(app::model::NotificationView, i64)> {
        loop {
            match self.next().await? {
                LiveMsg::Notification { item, unread } => return Some((item, unread)),
                LiveMsg::AppointmentChanged { .. } => continue,
                other => panic!("unexpected live message {other:?}"),
            }
        }
    }

    /// Asserts nothing but list refreshes arrive for a short while.
    pub async fn expect_no_notification(&mut self) {
        while let Ok(Some(Ok(msg))) = tokio::time::timeout(Duration::from_millis(400), self.stream.next()).await {
            if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
                let m: LiveMsg = serde_json::from_str(&t).unwrap();
                assert!(matches!(m, LiveMsg::AppointmentChanged { .. }), "unexpected {m:?}");
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}

pub fn booking(starts_at: i64, name: &str, email: &str) -> Value {
    json!({"request": {
        "store": "downtown", "service_id": 1, "starts_at": starts_at, "associate_id": null,
        "name": name, "email": email, "mobile": "", "language": "en", "notes": "",
        "remind_by_email": true, "remind_by_sms": false
    }})
}

pub const MANAGER1: &str = "manager1@example.com";
pub const MANAGER2: &str = "manager2@example.com";
pub const ASSOCIATE1: &str = "associate1@example.com";
pub const ASSOCIATE2: &str = "associate2@example.com";

impl TestApp {
    /// Stops this server as if the process exited, and starts a new one on
    /// the same database with the clock `offset_s` seconds ahead.
    pub async fn restart(self, offset_s: i64) -> TestApp {
        self.restart_with(|_, config| server::Config {
            clock_offset_s: offset_s,
            ..config
        })
        .await
    }

    /// Stops this server, puts `snapshot` in place of its database (as a
    /// disk that lost the last writes would), and starts a new one on it.
    pub async fn restart_from(self, snapshot: &std::path::Path) -> TestApp {
        self.restart_with(|dir, config| {
            // In a data directory of its own: the stopped server's connections
            // may still be closing on the old file.
            let data_dir = dir.join(format!("restored-{}", std::process::id()));
            std::fs::create_dir_all(&data_dir).unwrap();
            std::fs::copy(snapshot, data_dir.join("frontdesk.db")).expect("restore the snapshot");
            server::Config { data_dir, ..config }
        })
        .await
    }

    /// Stops this server and starts a new one with the configuration `change` makes.
    pub async fn restart_with(self, change: impl FnOnce(&std::path::Path, server::Config) -> server::Config) -> TestApp {
        let TestApp {
            running,
            dir,
            config,
            mail,
            sms,
            ..
        } = self;
        running.shutdown().await;
        let config = change(dir.path(), config);
        start_with(dir, config, mail, sms).await
    }

    pub async fn staff_id(&self, email: &str) -> i64 {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE email = ?")
            .bind(email)
            .fetch_one(self.running.state.db.pool())
            .await
            .unwrap();
        id
    }

    /// Books online (no associate) at the `i`th free slot; returns the appointment id.
    pub async fn book_request(&self, i: usize, name: &str) -> i64 {
        let slot = self.free_slots(1, None).await[i];
        let (status, body) = self
            .anonymous()
            .call(
                "book",
                booking(slot, name, &format!("{}@example.com", name.to_lowercase().replace(' ', "."))),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["appointment_id"].as_i64().unwrap()
    }

    /// Waits until the dispatcher has handled every event (for negative checks).
    pub async fn settle(&self) {
        for _ in 0..200 {
            let (pending,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM events WHERE id > COALESCE((SELECT last_event_id FROM dispatch_cursors WHERE name = 'bell'), 0)",
            )
            .fetch_one(self.running.state.db.pool())
            .await
            .unwrap();
            if pending == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("dispatcher did not catch up");
    }

    /// (title, body, read) of everything `email` has, newest first.
    pub async fn inbox(&self, email: &str) -> Vec<(String, String, bool)> {
        self.settle().await;
        sqlx::query_as(
            "SELECT n.title, n.body, n.read_at IS NOT NULL FROM notifications n JOIN staff s ON s.id = n.staff_id WHERE s.email = ? ORDER BY n.seq DESC",
        )
        .bind(email)
        .fetch_all(self.running.state.db.pool())
        .await
        .unwrap()
    }
}

/// The field names of a 422 `Invalid` error body, in order.
pub fn invalid_fields(err: &Value) -> Vec<&str> {
    err["Invalid"]["fields"]
        .as_array()
        .expect("an Invalid error")
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect()
}

mod clock {
    use app::backend::Clock;
    use app::domain::time::Seconds;

    /// The tests' view of the clock: plain Unix seconds, as the JSON they compare with.
    pub trait ClockExt {
        fn now_s(&self) -> i64;
        fn advance_s(&self, seconds: i64);
    }

    impl ClockExt for Clock {
        fn now_s(&self) -> i64 {
            self.now().secs()
        }
        fn advance_s(&self, seconds: i64) {
            self.advance(Seconds(seconds))
        }
    }
}
