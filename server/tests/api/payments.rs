//! Payments through Stripe's protocol, against a local stand-in of the part
//! of Stripe's API Frontdesk uses (`end2end/fake-stripe.cjs`), whose events
//! are signed by the official Stripe library (npm `stripe`); the whole path
//! to the bell, the receipt in a real SMTP server and the `payment.received`
//! webhook checked by the official Standard Webhooks library.

use crate::helpers::*;
use crate::webhook_receiver::{verify_with_official_library, WebhookReceiver};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::time::Duration;

const ADMIN: &str = "admin@example.com";
const SECRET_KEY: &str = "sk_test_downtown";
const WEBHOOK_SECRET: &str = "whsec_downtown_endpoint";
const WAIT: Duration = Duration::from_secs(10);

/// `node end2end/fake-stripe.cjs` on a free port, stopped when dropped.
pub struct FakeStripe {
    child: std::process::Child,
    pub base: String,
    http: reqwest::Client,
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl FakeStripe {
    pub fn start() -> FakeStripe {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/fake-stripe.cjs");
        let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/node_modules/stripe");
        assert!(
            std::path::Path::new(modules).exists(),
            "the official Stripe library (npm stripe) is missing: run `npm ci` in end2end/ (or `cargo xtask test`)"
        );
        let mut child = std::process::Command::new("node")
            .arg(script)
            .arg("0")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("listening ")
            .expect("fake-stripe says where it listens")
            .to_string();
        FakeStripe {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        }
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let res = self.http.post(format!("{}{path}", self.base)).json(&body).send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// An account: its key, and where (and with which secret) its events go.
    pub async fn account(&self, secret_key: &str, webhook_secret: &str, webhook_url: &str) {
        let body = json!({"secret_key": secret_key, "webhook_secret": webhook_secret, "webhook_url": webhook_url});
        assert_eq!(self.post("/_test/accounts", body).await.0, 200);
    }

    /// The client pays the session: answers what Frontdesk answered the event.
    pub async fn pay(&self, session: &str) -> Value {
        let (status, body) = self.post(&format!("/_test/pay/{session}"), json!({})).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    pub async fn resend(&self, event: &str) -> Value {
        self.post(&format!("/_test/resend/{event}"), json!({})).await.1
    }

    pub async fn events(&self) -> Vec<Value> {
        let res = self.http.get(format!("{}/_test/events", self.base)).send().await.unwrap();
        res.json::<Vec<Value>>().await.unwrap()
    }

    /// Waits for `n` events of `kind` to have been answered.
    pub async fn answered(&self, kind: &str, n: usize) -> Vec<Value> {
        for _ in 0..250 {
            let got: Vec<Value> = self
                .events()
                .await
                .into_iter()
                .filter(|e| e["type"] == kind && !e["status"].is_null())
                .collect();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no {n} answered {kind} events: {:?}", self.events().await);
    }

    /// A `Stripe-Signature` header made by the official library.
    pub async fn sign(&self, payload: &str, secret: &str, timestamp: Option<i64>) -> String {
        let (_, body) = self
            .post("/_test/sign", json!({"payload": payload, "secret": secret, "timestamp": timestamp}))
            .await;
        body["header"].as_str().unwrap().to_string()
    }
}

/// The demo app with mail, talking to the fake Stripe, with Downtown connected to it.
async fn app_with_stripe() -> (TestApp, FakeStripe) {
    let stripe = FakeStripe::start();
    let base = stripe.base.clone();
    let app = spawn_app_with_messaging()
        .await
        .restart_with(move |_, c| server::Config { stripe_api: base, ..c })
        .await;
    let admin = app.sign_in(ADMIN).await;
    let (status, body) = admin
        .call(
            "connect_payments",
            json!({"store": 1, "secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let account = admin.call("payment_account", json!({"store": 1})).await.1;
    let url = account["webhook_url"].as_str().unwrap().to_string();
    assert_eq!(url, format!("{}/hooks/stripe/1", app.base));
    assert!(account["connected_at"].is_i64());
    assert!(!account.to_string().contains(SECRET_KEY), "the secret is never sent back");
    stripe.account(SECRET_KEY, WEBHOOK_SECRET, &url).await;
    (app, stripe)
}

/// An online booking's request naming `associate`.
fn booking_with(associate: i64, starts_at: i64, name: &str, email: &str) -> Value {
    let mut request = booking(starts_at, name, email);
    request["request"]["associate_id"] = json!(associate);
    request
}

/// Books "Bob Smith" online with associate 1 and approves it: (appointment, tracking token).
async fn booked_with_associate(app: &TestApp) -> (i64, String) {
    let a1 = app.staff_id(ASSOCIATE1).await;
    let slot = app.slots_ahead(2, Some(a1)).await[0];
    let (status, booked) = app
        .anonymous()
        .call("book", booking_with(a1, slot, "Bob Smith", "bob@example.com"))
        .await;
    assert_eq!(status, 200, "{booked}");
    let id = booked["appointment_id"].as_i64().unwrap();
    let token = booked["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    let m1 = app.sign_in(MANAGER1).await;
    let (status, body) = m1.call("appointment_step", json!({"id": id, "step": "approve"})).await;
    assert!(status == 200 || status == 409, "{body}");
    (id, token)
}

/// Waits for the email whose subject contains `subject`.
async fn mail_about(mail: &crate::smtp_sink::SmtpSink, subject: &str) -> crate::smtp_sink::ReceivedMail {
    for _ in 0..500 {
        if let Some(m) = mail
            .messages()
            .into_iter()
            .find(|m| m.subject.as_deref().unwrap_or_default().contains(subject))
        {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let subjects: Vec<_> = mail.messages().into_iter().map(|m| m.subject).collect();
    panic!("no email about {subject:?}: {subjects:?}");
}

async fn session_of(app: &TestApp, appointment: i64) -> (i64, String) {
    sqlx::query_as("SELECT id, checkout_session FROM payments WHERE appointment_id = ? ORDER BY id DESC LIMIT 1")
        .bind(appointment)
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap()
}

async fn payment_bells(app: &TestApp) -> i64 {
    app.settle().await;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE kind = 'payment_received'")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    n
}

async fn post_event(app: &TestApp, body: &str, signature: Option<&str>) -> (u16, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/hooks/stripe/1", app.base))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(s) = signature {
        req = req.header("stripe-signature", s);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_payment_link_paid_tells_the_associate_and_managers_sends_a_receipt_and_the_webhook() {
    let (app, stripe) = app_with_stripe().await;
    let receiver = WebhookReceiver::start().await;
    let admin = app.sign_in(ADMIN).await;
    let (status, ep) = admin
        .call(
            "create_webhook_endpoint",
            json!({"endpoint": {"store_id": 1, "url": receiver.url("/hooks"), "method": "POST", "event_types": ["payment.received"]}}),
        )
        .await;
    assert_eq!(status, 200, "{ep}");
    let webhook_secret = ep["signing_secret"].as_str().unwrap().to_string();
    let (id, token) = booked_with_associate(&app).await;
    let mail = app.mail.clone().unwrap();

    // The associate sends the link; the amount defaults to the service's price.
    let associate = app.sign_in(ASSOCIATE1).await;
    let manager = app.sign_in(MANAGER1).await;
    let mut manager_live = app.ws(&manager, None).await;
    let (status, body) = associate
        .call(
            "request_payment",
            json!({"appointment": id, "amount": "", "note": "For your haircut"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (payment_id, session) = session_of(&app, id).await;
    let checkout = checkout(&stripe, &session).await;
    assert_eq!(
        (checkout["amount_total"].as_i64(), checkout["currency"].as_str()),
        (Some(3500), Some("gbp"))
    );
    assert_eq!(checkout["customer_email"], "bob@example.com");
    assert_eq!(checkout["mode"], "payment");
    assert!(checkout["success_url"]
        .as_str()
        .unwrap()
        .contains(&format!("/t/{token}?lang=en&paid=1")));

    // The client is sent the link, and sees it on the tracking page.
    let link_mail = mail_about(&mail, "asks for a payment of £35.00").await;
    assert!(link_mail
        .text
        .as_deref()
        .unwrap()
        .contains(&format!("{}/pay/{session}", stripe.base)));
    assert!(link_mail.text.as_deref().unwrap().contains("For your haircut"));
    let page = app.anonymous().call("tracking", json!({"token": token, "lang": null})).await.1;
    assert_eq!(page["payments"][0]["amount"], "£35.00");
    assert_eq!(page["payments"][0]["pay_url"], format!("{}/pay/{session}", stripe.base));

    // The client pays: Stripe posts `checkout.session.completed`, signed by its library.
    let paid = stripe.pay(&session).await;
    assert_eq!(paid["status"], 200, "{paid}");
    let (n, _) = manager_live.next_notification().await.expect("the manager's bell rings live");
    assert_eq!(n.title, "Payment received");
    assert_eq!(format!("{} — {}", n.title, n.body), "Payment received — £35.00 from Bob Smith");
    for who in [ASSOCIATE1, MANAGER1, "manager2@example.com"] {
        let inbox = app.inbox(who).await;
        assert_eq!(inbox[0].0, "Payment received", "{who}: {inbox:?}");
        assert_eq!(inbox[0].1, "£35.00 from Bob Smith");
    }
    assert!(
        app.inbox(ADMIN).await.iter().all(|n| n.0 != "Payment received"),
        "admins who do not manage the store are not told"
    );
    let bells = payment_bells(&app).await;
    assert_eq!(bells, 3);

    // The receipt, in the real SMTP server.
    let receipt = mail_about(&mail, "Receipt from Downtown").await;
    assert!(receipt.text.as_deref().unwrap().contains("£35.00"));
    assert_eq!(receipt.rcpt_to, vec!["bob@example.com".to_string()]);

    // `payment.received`, verified by the official Standard Webhooks library.
    let got = receiver.wait_for(1, WAIT).await;
    let verified = verify_with_official_library(&[(webhook_secret, got[0].clone())]);
    assert!(verified[0].is_ok(), "{verified:?}");
    let v = got[0].json();
    assert_eq!(v["type"], "payment.received");
    assert_eq!(v["content"]["payment"]["amount"], 3500);
    assert_eq!(v["content"]["payment"]["currency"], "GBP");
    assert_eq!(v["content"]["payment"]["id"], payment_id);
    assert!(v["content"]["payment"]["providerReference"].as_str().unwrap().starts_with("pi_"));
    assert_eq!(v["content"]["booking"]["id"], id);
    assert_eq!(v["content"]["client"]["name"], "Bob Smith");

    // The same event again changes nothing: no second bell, receipt or webhook.
    let completed = stripe.answered("checkout.session.completed", 1).await;
    let again = stripe.resend(completed[0]["id"].as_str().unwrap()).await;
    assert_eq!(again["status"], 200, "a repeat is acknowledged: {again}");
    assert_eq!(payment_bells(&app).await, bells);
    assert_eq!(app.count("client_messages WHERE kind = 'payment_receipt'").await, 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), 1);

    // The appointment page lists it as paid, and the tracking page no longer offers to pay.
    let detail = manager.call("appointment", json!({"id": id})).await.1;
    assert_eq!(detail["payments"][0]["status"], "paid");
    assert_eq!(detail["payments"][0]["refundable"], "35.00");
    let page = app.anonymous().call("tracking", json!({"token": token, "lang": null})).await.1;
    assert_eq!(page["payments"][0]["pay_url"], Value::Null);
    assert_eq!(page["payments"][0]["status"], "paid");
}

#[tokio::test]
async fn a_forged_or_stale_stripe_event_is_refused_and_changes_nothing() {
    let (app, stripe) = app_with_stripe().await;
    let (id, _) = booked_with_associate(&app).await;
    let associate = app.sign_in(ASSOCIATE1).await;
    assert_eq!(
        associate
            .call("request_payment", json!({"appointment": id, "amount": "20", "note": ""}))
            .await
            .0,
        200
    );
    let (_, session) = session_of(&app, id).await;
    let event = json!({"id": "evt_forged", "type": "checkout.session.completed", "data": {"object": {
        "id": session, "payment_status": "paid", "payment_intent": "pi_forged", "amount_total": 2000, "currency": "gbp"}}})
    .to_string();
    // No signature, a signature under another secret, a tampered body, a stale timestamp.
    assert_eq!(post_event(&app, &event, None).await.0, 400);
    let other = stripe.sign(&event, "whsec_someone_else", None).await;
    let (status, why) = post_event(&app, &event, Some(&other)).await;
    assert_eq!((status, why.as_str()), (400, "No signature matches the payload."));
    let right = stripe.sign(&event, WEBHOOK_SECRET, None).await;
    assert_eq!(post_event(&app, &event.replace("2000", "1"), Some(&right)).await.0, 400);
    let stale = stripe
        .sign(&event, WEBHOOK_SECRET, Some(chrono::Utc::now().timestamp() - 301))
        .await;
    let (status, why) = post_event(&app, &event, Some(&stale)).await;
    assert_eq!((status, why.as_str()), (400, "The event's timestamp is outside the tolerance."));
    assert_eq!(
        post_event(&app, "not json", Some(&stripe.sign("not json", WEBHOOK_SECRET, None).await))
            .await
            .0,
        400
    );
    assert_eq!(app.count("payments WHERE status = 'paid'").await, 0);
    assert_eq!(app.count("provider_events").await, 0);
    assert_eq!(payment_bells(&app).await, 0);
    // The genuine one, signed by the library with the endpoint's secret, is believed.
    assert_eq!(post_event(&app, &event, Some(&right)).await.0, 200);
    assert_eq!(app.count("payments WHERE status = 'paid'").await, 1);
}

#[tokio::test]
async fn a_manager_refunds_and_stripes_report_counts_once_whatever_the_order() {
    let (app, stripe) = app_with_stripe().await;
    let (id, token) = booked_with_associate(&app).await;
    let manager = app.sign_in(MANAGER1).await;
    assert_eq!(
        manager
            .call("request_payment", json!({"appointment": id, "amount": "50", "note": ""}))
            .await
            .0,
        200
    );
    let (payment, session) = session_of(&app, id).await;
    stripe.pay(&session).await;
    let associate = app.sign_in(ASSOCIATE1).await;
    let (status, body) = associate.call("refund_payment", json!({"payment": payment, "amount": "10"})).await;
    assert_eq!(status, 403, "only managers refund: {body}");
    let (status, body) = manager.call("refund_payment", json!({"payment": payment, "amount": "60"})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["amount"]), "no more than was paid");

    assert_eq!(
        manager.call("refund_payment", json!({"payment": payment, "amount": "10"})).await.0,
        200
    );
    let first = stripe.answered("charge.refunded", 1).await;
    assert_eq!(first[0]["status"], 200);
    assert_eq!(
        manager.call("refund_payment", json!({"payment": payment, "amount": ""})).await.0,
        200,
        "the rest"
    );
    let both = stripe.answered("charge.refunded", 2).await;
    let refunded = || async {
        let (r,): (i64,) = sqlx::query_as("SELECT refunded FROM payments WHERE id = ?")
            .bind(payment)
            .fetch_one(app.running.state.db.pool())
            .await
            .unwrap();
        r
    };
    assert_eq!(refunded().await, 5000);
    // The older report arriving late, and the newer one again: nothing changes.
    stripe.resend(both[0]["id"].as_str().unwrap()).await;
    stripe.resend(both[1]["id"].as_str().unwrap()).await;
    assert_eq!(refunded().await, 5000);
    app.settle().await;
    assert_eq!(
        app.count("client_messages WHERE kind = 'refund_issued'").await,
        2,
        "one notice per refund"
    );
    let detail = manager.call("appointment", json!({"id": id})).await.1;
    let refunds = detail["payments"][0]["refunds"].as_array().unwrap();
    assert_eq!(refunds.len(), 2);
    assert_eq!(
        (refunds[0]["amount"].as_str(), refunds[0]["status"].as_str()),
        (Some("£10.00"), Some("succeeded"))
    );
    assert_eq!(detail["payments"][0]["refunded"], "£50.00");
    assert_eq!(detail["payments"][0]["refundable"], "");
    let (status, _) = manager.call("refund_payment", json!({"payment": payment, "amount": "1"})).await;
    assert_eq!(status, 422, "nothing is left to refund");
    let _ = token;
}

#[tokio::test]
async fn payment_links_are_refused_clearly_when_they_cannot_be_made() {
    let app = spawn_app().await;
    let manager = app.sign_in(MANAGER1).await;
    let id = app.book_request(0, "Ann Lee").await;
    let (status, body) = manager
        .call("request_payment", json!({"appointment": id, "amount": "", "note": ""}))
        .await;
    assert_eq!(status, 409, "no provider connected: {body}");
    let admin = app.sign_in(ADMIN).await;
    let (status, body) = admin
        .call(
            "connect_payments",
            json!({"store": 1, "secret_key": "pk_live_oops", "webhook_secret": "secret"}),
        )
        .await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["secret_key", "webhook_secret"]));
    assert_eq!(
        manager
            .call(
                "connect_payments",
                json!({"store": 1, "secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET})
            )
            .await
            .0,
        403,
        "admins connect providers"
    );
    // Connected to a Stripe that does not answer: the staff member is told, nothing is recorded.
    assert_eq!(
        admin
            .call(
                "connect_payments",
                json!({"store": 1, "secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET})
            )
            .await
            .0,
        200
    );
    for (amount, field_status) in [("abc", 422), ("0", 422), ("-5", 422), ("45.555", 422), ("200000", 422)] {
        let (status, body) = manager
            .call("request_payment", json!({"appointment": id, "amount": amount, "note": ""}))
            .await;
        assert_eq!((status, invalid_fields(&body)), (field_status, vec!["amount"]), "{amount}");
    }
    let (status, body) = manager
        .call("request_payment", json!({"appointment": id, "amount": "10", "note": ""}))
        .await;
    assert_eq!(status, 502, "{body}");
    assert!(body.to_string().contains("Could not reach Stripe"), "{body}");
    assert_eq!(app.count("payments").await, 0);
    // A Stripe event for a store with no provider is refused.
    let other_store = reqwest::Client::new()
        .post(format!("{}/hooks/stripe/999", app.base))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(other_store.status(), 400);
}

/// Downtown asks for a deposit at online booking (`rule`: "amount" or "full").
async fn ask_for_deposits(app: &TestApp, rule: &str, amount: &str) {
    let manager = app.sign_in(MANAGER1).await;
    let mut s = manager.call("store_settings", json!({"store_id": 1})).await.1["settings"].clone();
    s["deposit_rule"] = json!(rule);
    s["deposit_amount"] = json!(amount);
    s["deposit_hold_minutes"] = json!(30);
    let (status, body) = manager.call("save_store_settings", json!({"settings": s})).await;
    assert_eq!(status, 200, "{body}");
}

/// `(held_until, status)` of an appointment.
async fn hold_of(app: &TestApp, id: i64) -> (Option<i64>, String) {
    sqlx::query_as("SELECT held_until, status FROM appointments WHERE id = ?")
        .bind(id)
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap()
}

/// The `kind` of every row of `table` ("events", "notifications") about an appointment, in order.
async fn kinds_in(app: &TestApp, table: &str, id: i64) -> Vec<String> {
    app.settle().await;
    sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(format!(
        "SELECT kind FROM {table} WHERE appointment_id = ? ORDER BY id"
    )))
    .bind(id)
    .fetch_all(app.running.state.db.pool())
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.0)
    .collect()
}

async fn event_kinds(app: &TestApp, id: i64) -> Vec<String> {
    kinds_in(app, "events", id).await
}

async fn notifications_about(app: &TestApp, id: i64) -> Vec<String> {
    kinds_in(app, "notifications", id).await
}

async fn checkout(stripe: &FakeStripe, session: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}/v1/checkout/sessions/{session}", stripe.base))
        .bearer_auth(SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_online_booking_waits_for_its_deposit_and_counts_once_it_is_paid() {
    let (app, stripe) = app_with_stripe().await;
    ask_for_deposits(&app, "amount", "10").await;
    let receiver = WebhookReceiver::start().await;
    let admin = app.sign_in(ADMIN).await;
    let (status, ep) = admin
        .call(
            "create_webhook_endpoint",
            json!({"endpoint": {"store_id": 1, "url": receiver.url("/hooks"), "method": "POST",
                "event_types": ["appointment.created", "payment.received"]}}),
        )
        .await;
    assert_eq!(status, 200, "{ep}");
    let manager = app.sign_in(MANAGER1).await;
    let mut manager_live = app.ws(&manager, None).await;
    let mail = app.mail.clone().unwrap();

    let a1 = app.staff_id(ASSOCIATE1).await;
    let slot = app.slots_ahead(2, Some(a1)).await[0];
    let (status, booked) = app
        .anonymous()
        .call("book", booking_with(a1, slot, "Dee Posit", "dee@example.com"))
        .await;
    assert_eq!(status, 200, "{booked}");
    let id = booked["appointment_id"].as_i64().unwrap();
    let token = booked["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    assert_eq!(booked["deposit"]["amount"], "£10.00");
    let (_, session) = session_of(&app, id).await;
    assert_eq!(booked["deposit"]["pay_url"], format!("{}/pay/{session}", stripe.base));

    // The provider's page asks for the deposit and closes when the hold ends.
    let (held_until, status) = hold_of(&app, id).await;
    let held_until = held_until.expect("held");
    assert_eq!(status, "PendingStaffApproval");
    let held_for = held_until - app.running.state.clock.now_s();
    assert!((30 * 60 - 5..=30 * 60).contains(&held_for), "the store's 30 minutes: {held_for}");
    let page = checkout(&stripe, &session).await;
    assert_eq!(page["amount_total"], 1000);
    assert_eq!(page["expires_at"], held_until);
    let success = page["success_url"].as_str().unwrap().to_string();
    assert!(success.starts_with(&format!("{}/pay/fdpay_", app.base)), "{success}");

    // The time is taken, but nobody at the store has heard of it: no bell,
    // no queue entry, no webhook. The client has the link to pay.
    assert!(!app.slots_ahead(2, Some(a1)).await.contains(&slot), "the held time is not offered");
    assert!(notifications_about(&app, id).await.is_empty());
    let queue = manager.call("queue", json!({})).await.1;
    assert!(queue.as_array().unwrap().iter().all(|q| q["appointment"]["id"] != id), "{queue}");
    manager_live.expect_no_notification().await;
    let link = mail_about(&mail, "Pay the £10.00 deposit").await;
    assert!(link.text.as_deref().unwrap().contains(&format!("{}/pay/{session}", stripe.base)));
    let tracking = app.anonymous().call("tracking", json!({"token": token, "lang": null})).await.1;
    assert!(tracking["held_until"].is_string(), "{tracking}");
    assert_eq!(
        (tracking["can_cancel"].as_bool(), tracking["can_modify"].as_bool()),
        (Some(false), Some(false)),
        "nothing to change before it is paid"
    );
    assert_eq!(tracking["payments"][0]["pay_url"], format!("{}/pay/{session}", stripe.base));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(receiver.received().is_empty(), "integrations hear of it once it counts");
    // Staff cannot change it before then (that would announce it).
    let a2 = app.staff_id(ASSOCIATE2).await;
    for (call, body) in [
        ("assign", json!({"appointment_id": id, "associate_id": a2})),
        ("appointment_step", json!({"id": id, "step": "approve"})),
        ("cancel_appointment", json!({"id": id, "reason": ""})),
        ("request_payment", json!({"appointment": id, "amount": "", "note": ""})),
    ] {
        let (status, answer) = manager.call(call, body).await;
        assert_eq!(status, 409, "{call}: {answer}");
    }

    // Paid: now it is a new request like any other, and the payment is told.
    let paid = stripe.pay(&session).await;
    assert_eq!(paid["status"], 200, "{paid}");
    let (first, _) = manager_live.next_notification().await.expect("the manager is told live");
    assert_eq!(first.title, "New appointment request");
    let (second, _) = manager_live.next_notification().await.expect("and of the payment");
    assert_eq!(
        format!("{} — {}", second.title, second.body),
        "Payment received — £10.00 from Dee Posit"
    );
    let told = notifications_about(&app, id).await;
    assert!(told.contains(&"new_appointment".to_string()), "the associate it names: {told:?}");
    assert_eq!(told.iter().filter(|k| *k == "payment_received").count(), 3, "{told:?}");
    assert_eq!(hold_of(&app, id).await, (None, "PendingStaffApproval".to_string()));
    let queue = manager.call("queue", json!({})).await.1;
    assert_eq!(queue[0]["appointment"]["id"], id);
    assert_eq!(
        event_kinds(&app, id).await,
        ["appointment.deposit_held", "appointment.created", "payment.received"]
    );
    let hooks = receiver.wait_for(2, WAIT).await;
    // Deliveries to one endpoint run side by side, so they may arrive in either order.
    let mut types: Vec<String> = hooks.iter().map(|h| h.json()["type"].as_str().unwrap().to_string()).collect();
    types.sort();
    assert_eq!(types, ["appointment.created", "payment.received"]);
    mail_about(&mail, "Receipt from Downtown").await;
    assert_eq!(app.count("client_messages WHERE kind = 'request_received'").await, 1);
    assert_eq!(app.count("jobs WHERE kind = 'release_hold' AND done_at IS NULL").await, 0);

    // Back from the provider's page: the client lands on their booking.
    let back = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&success)
        .send()
        .await
        .unwrap();
    assert_eq!(back.status().as_u16(), 303);
    assert_eq!(back.headers()["location"].to_str().unwrap(), format!("/t/{token}?lang=en&paid=1"));
    let unknown = reqwest::get(format!("{}/pay/fdpay_nothing", app.base)).await.unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
}

#[tokio::test]
async fn an_unpaid_deposit_releases_its_time_and_a_payment_arriving_after_stays_on_record() {
    let (app, stripe) = app_with_stripe().await;
    ask_for_deposits(&app, "full", "").await;
    let manager = app.sign_in(MANAGER1).await;
    let mail = app.mail.clone().unwrap();
    let a1 = app.staff_id(ASSOCIATE1).await;
    let slot = app.slots_ahead(2, Some(a1)).await[0];
    let (status, booked) = app
        .anonymous()
        .call("book", booking_with(a1, slot, "Late Payer", "late@example.com"))
        .await;
    assert_eq!(status, 200, "{booked}");
    assert_eq!(booked["deposit"]["amount"], "£35.00", "the full price");
    let id = booked["appointment_id"].as_i64().unwrap();
    let (payment, session) = session_of(&app, id).await;

    // Past the hold (and its grace): released by the scheduler.
    let clock = &app.running.state.clock;
    clock.advance_s(30 * 60 + 5 * 60 + 1);
    for _ in 0..250 {
        if hold_of(&app, id).await.1 == "Cancelled" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(hold_of(&app, id).await.1, "Cancelled");
    assert!(app.slots_ahead(2, Some(a1)).await.contains(&slot), "its time is free again");
    let released = mail_about(&mail, "was released").await;
    assert!(released.text.as_deref().unwrap().contains("not paid in time"));
    assert!(notifications_about(&app, id).await.is_empty(), "the store never heard of it");
    assert_eq!(
        event_kinds(&app, id).await,
        ["appointment.deposit_held", "appointment.hold_released"]
    );
    let detail = manager.call("appointment", json!({"id": id})).await.1;
    assert_eq!(detail["payments"][0]["status"], "expired");

    // The client had paid at the last moment and the provider's report comes
    // late: the money is on record and the store is told, to refund it. (The
    // clock goes back first: the stand-in signs with the real time, which our
    // moved clock would call stale.)
    clock.advance_s(-(30 * 60 + 5 * 60 + 1));
    let paid = stripe.pay(&session).await;
    assert_eq!(paid["status"], 200, "{paid}");
    assert_eq!(
        notifications_about(&app, id).await,
        ["payment_received", "payment_received", "payment_received"],
        "the associate it named and both managers"
    );
    assert_eq!(hold_of(&app, id).await.1, "Cancelled", "not booked again over someone else");
    let (status,): (String,) = sqlx::query_as("SELECT status FROM payments WHERE id = ?")
        .bind(payment)
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "paid");
    assert_eq!(
        manager.call("refund_payment", json!({"payment": payment, "amount": ""})).await.0,
        200,
        "and the manager can give it back"
    );
}

#[tokio::test]
async fn a_deposit_page_that_closes_unpaid_releases_at_once_and_an_unwritten_booking_closes_its_page() {
    let (app, stripe) = app_with_stripe().await;
    ask_for_deposits(&app, "amount", "5").await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let slots = app.slots_ahead(2, Some(a1)).await;
    let with_a1 = |slot: i64, name: &str, email: &str| booking_with(a1, slot, name, email);
    let (_, booked) = app.anonymous().call("book", with_a1(slots[0], "Ex Pired", "ex@example.com")).await;
    let id = booked["appointment_id"].as_i64().unwrap();
    let (_, session) = session_of(&app, id).await;
    // Stripe closes the page (its `expires_at`): `checkout.session.expired`.
    let expired = reqwest::Client::new()
        .post(format!("{}/_test/expire/{session}", stripe.base))
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status().as_u16(), 200);
    let answer: Value = expired.json().await.unwrap();
    assert_eq!(answer["status"], 200, "Frontdesk took the event: {answer}");
    assert_eq!(hold_of(&app, id).await.1, "Cancelled", "released without waiting for the job");

    // Booking a time someone holds fails; the deposit page made for it is closed.
    let (status, first) = app
        .anonymous()
        .call("book", with_a1(slots[1], "First One", "first@example.com"))
        .await;
    assert_eq!(status, 200, "{first}");
    let (status, body) = app
        .anonymous()
        .call("book", with_a1(slots[1], "Second One", "second@example.com"))
        .await;
    assert_eq!(status, 409, "{body}");
    let sessions = stripe.answered("checkout.session.expired", 2).await;
    assert_eq!(sessions.len(), 2, "the unused page was expired at the provider");
    assert_eq!(app.count("payments").await, 2, "nothing was written for the failed booking");
}

#[tokio::test]
async fn deposit_settings_are_checked() {
    let app = spawn_app().await;
    let manager = app.sign_in(MANAGER1).await;
    let base = manager.call("store_settings", json!({"store_id": 1})).await.1["settings"].clone();
    assert_eq!(base["deposit_rule"], "none");
    let mut s = base.clone();
    s["deposit_rule"] = json!("full");
    let (status, body) = manager.call("save_store_settings", json!({"settings": s})).await;
    assert_eq!(
        (status, invalid_fields(&body)),
        (422, vec!["deposit_rule"]),
        "deposits need a provider"
    );
    for (rule, amount, minutes, field) in [
        ("none", "abc", 30, "deposit_amount"),
        ("none", "", 10, "deposit_hold_minutes"),
        ("none", "", 2000, "deposit_hold_minutes"),
    ] {
        let mut s = base.clone();
        s["deposit_rule"] = json!(rule);
        s["deposit_amount"] = json!(amount);
        s["deposit_hold_minutes"] = json!(minutes);
        let (status, body) = manager.call("save_store_settings", json!({"settings": s})).await;
        assert_eq!((status, invalid_fields(&body)), (422, vec![field]), "{rule} {amount} {minutes}");
    }
    let mut s = base.clone();
    s["deposit_rule"] = json!("bogus");
    let (status, _) = manager.call("save_store_settings", json!({"settings": s})).await;
    assert!((400..500).contains(&status), "an unknown rule is refused: {status}");
}
