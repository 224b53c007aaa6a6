//! Webhooks end to end: a real receiver on port 0 whose answers change
//! mid-test, signatures checked by the official Standard Webhooks library,
//! retries on the injectable clock, restarts, OAuth2 and the SSRF guard.

use crate::helpers::*;
use crate::webhook_receiver::{verify_with_official_library, Behaviour, Received, TokenEndpoint, WebhookReceiver};
use serde_json::{json, Value};
use std::time::Duration;

const ADMIN: &str = "admin@example.com";
const WAIT: Duration = Duration::from_secs(10);
/// Every type an endpoint can subscribe to.
fn all_types() -> Vec<&'static str> {
    app::domain::webhooks::WebhookEventType::SUBSCRIBABLE
        .iter()
        .map(|t| t.as_str())
        .collect()
}

async fn endpoint(admin: &Client, url: &str, types: &[&str], extra: Value) -> Value {
    let mut input = json!({"store_id": 1, "url": url, "method": "POST", "event_types": types});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    let (status, body) = admin.call("create_webhook_endpoint", json!({ "endpoint": input })).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// (status, attempts, next_attempt_at) of the endpoint's deliveries, oldest first.
async fn deliveries(app: &TestApp, endpoint_id: i64) -> Vec<(String, i64, Option<i64>)> {
    sqlx::query_as("SELECT status, attempts, next_attempt_at FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id")
        .bind(endpoint_id)
        .fetch_all(app.running.state.db.pool())
        .await
        .unwrap()
}

/// Waits until `check` holds for the endpoint's deliveries.
async fn until(app: &TestApp, endpoint_id: i64, check: impl Fn(&[(String, i64, Option<i64>)]) -> bool) -> Vec<(String, i64, Option<i64>)> {
    for _ in 0..500 {
        let d = deliveries(app, endpoint_id).await;
        if check(&d) {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("deliveries never got there: {:?}", deliveries(app, endpoint_id).await);
}

/// Fetches a QR code PNG and reads it with rqrr.
async fn decode_qr(url: &str) -> String {
    let res = reqwest::get(url).await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    assert_eq!(res.headers()["content-type"], "image/png");
    let bytes = res.bytes().await.unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes.to_vec())).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in {url}");
    grids[0].decode().unwrap().1
}

fn of_type<'a>(got: &'a [Received], t: &str) -> Vec<&'a Received> {
    got.iter().filter(|r| r.json()["type"] == t).collect()
}

#[tokio::test]
async fn booking_events_reach_the_endpoint_in_the_booxi_shape_signed_for_the_official_library() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    let admin = app.sign_in(ADMIN).await;
    let ep = endpoint(&admin, &receiver.url("/hooks"), &all_types(), json!({})).await;
    let secret = ep["signing_secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));

    let m1 = app.sign_in(MANAGER1).await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let slots = app.slots_ahead(2, Some(a1)).await;
    let (status, booked) = app
        .anonymous()
        .call("book", {
            let mut b = booking(slots[0], "Ann Lee", "ann@example.com");
            b["request"]["associate_id"] = json!(a1);
            b["request"]["notes"] = json!("First visit");
            b["request"]["attendees"] = json!([{"name": "Bo Lee", "email": "bo@example.com"}]);
            b["request"]["notify_attendees"] = json!(true);
            b
        })
        .await;
    assert_eq!(status, 200);
    let id = booked["appointment_id"].as_i64().unwrap();
    let token = booked["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let upd = json!({"starts_at": slots[6], "service_id": 1, "associate_id": a1, "notes": "First visit",
                     "client_communication": a["client_communication"], "ask_client_to_confirm": false});
    assert_eq!(m1.call("update_appointment", json!({"id": id, "update": upd})).await.0, 200);
    let (status, body) = app
        .anonymous()
        .call("tracking_cancel", json!({"token": token, "reason": "", "lang": null}))
        .await;
    assert_eq!(status, 200, "{body}");

    let got = receiver.wait_for(5, WAIT).await;
    assert_eq!(got.len(), 5, "created, status_updated, updated, status_updated + canceled");
    for r in &got {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/hooks");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(
            r.header("webhook-id"),
            r.json()["id"].as_str(),
            "the header and the body carry the same id"
        );
    }
    let verified = verify_with_official_library(&got.iter().map(|r| (secret.clone(), r.clone())).collect::<Vec<_>>());
    assert!(verified.iter().all(|v| v.is_ok()), "{verified:?}");

    let created = of_type(&got, "appointment.created")[0].json();
    let c = &created["content"];
    assert_eq!(c["client"]["name"], "Ann Lee");
    assert_eq!(c["client"]["email"], "ann@example.com");
    assert_eq!(
        (c["client"]["remindByEmail"].as_bool(), c["client"]["remindBySMS"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(c["client"]["language"], "en");
    assert_eq!(c["booking"]["id"], id);
    assert_eq!(c["booking"]["status"], "PendingStaffApproval");
    assert_eq!(c["booking"]["clientPresence"], "Expecting");
    assert_eq!(c["booking"]["isCompleted"], false);
    assert_eq!(c["booking"]["clientCommunication"], "ClientAndAttendees");
    assert_eq!(
        (c["attendees"][0]["name"].as_str(), c["attendees"][0]["email"].as_str()),
        (Some("Bo Lee"), Some("bo@example.com"))
    );
    assert_eq!(c["attendees"].as_array().unwrap().len(), 1);
    assert_eq!(c["booking"]["service"]["name"], "Haircut");
    assert_eq!(c["booking"]["staff"]["name"], "Alice Associate");
    assert_eq!(c["booking"]["location"]["address"], "12 High Street, London");
    assert_eq!(c["booking"]["start"]["timeZone"], "Europe/London");
    assert!(c["booking"]["start"]["utc"].as_str().unwrap().ends_with('Z'));
    assert!(c["booking"]["trackingPage"]["viewURL"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/t/{token}?lang=en")));
    // Integrators append `&lang=…` and `&action=…` to it, as the Booxi document tells them.
    let view_url = c["booking"]["trackingPage"]["viewURL"].as_str().unwrap();
    let page = reqwest::get(format!("{view_url}&lang=fra&action=cancel")).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<html lang="fr""#), "a later lang wins, in three letters too");
    // The QR codes decode (with a decoder that is not the encoder) to the client's link and the attendee's own.
    let client_qr = c["booking"]["trackingQRCodeUrl"].as_str().unwrap();
    assert_eq!(decode_qr(client_qr).await, format!("{}/t/{token}", app.base));
    let guest_qr = c["attendees"][0]["trackingQRCodeUrl"].as_str().unwrap();
    let guest_link = decode_qr(guest_qr).await;
    assert!(guest_link.starts_with(&format!("{}/t/", app.base)) && guest_link != format!("{}/t/{token}", app.base));
    let guest_page = app
        .anonymous()
        .call("tracking", json!({"token": guest_link.rsplit('/').next().unwrap(), "lang": null}))
        .await
        .1;
    assert_eq!(guest_page["guest"]["name"], "Bo Lee");
    let svg = reqwest::get(client_qr.replace(".png", ".svg")).await.unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    assert_eq!(
        reqwest::get(format!("{}/t/not-a-link/qr.png", app.base)).await.unwrap().status(),
        404
    );
    assert_eq!(c["booking"]["trackingPage"]["canCancel"], true);
    assert_eq!(c["booking"]["trackingPage"]["canModify"], false, "awaiting the store");
    assert_eq!(c["previousBooking"], Value::Null);
    assert_eq!(c["additionalRequest"], "First visit");
    assert_eq!(c["modifiedBy"], "client");
    assert_eq!(c["version"], 1);

    let by_status = |s: &str| {
        of_type(&got, "appointment.status_updated")
            .into_iter()
            .map(|r| r.json())
            .find(|v| v["content"]["booking"]["status"] == s)
            .unwrap()
    };
    let approved = by_status("Approved");
    assert_eq!(approved["content"]["booking"]["status"], "Approved");
    assert_eq!(approved["content"]["previousBooking"]["status"], "PendingStaffApproval");
    assert_eq!(approved["content"]["modifiedBy"], "staff");

    let updated = of_type(&got, "appointment.updated")[0].json();
    assert_eq!(updated["content"]["changedFields"], json!(["start"]));
    assert_eq!(updated["content"]["version"], 3);
    assert_ne!(
        updated["content"]["booking"]["start"]["utc"],
        updated["content"]["previousBooking"]["start"]["utc"]
    );

    let cancelled = by_status("Cancelled");
    assert_eq!(cancelled["content"]["booking"]["status"], "Cancelled");
    assert_eq!(cancelled["content"]["modifiedBy"], "client");
    assert_eq!(cancelled["content"]["booking"]["trackingPage"]["canCancel"], false);
    let canceled = of_type(&got, "appointment.canceled")[0].json();
    assert_ne!(canceled["id"], cancelled["id"], "each type is its own message");
    // Deliveries run concurrently, so arrival order is not promised: the version orders them.
    let mut versions: Vec<i64> = got.iter().map(|r| r.json()["content"]["version"].as_i64().unwrap()).collect();
    versions.sort();
    assert_eq!(versions, vec![1, 2, 3, 4, 4], "receivers can order by version");
}

#[tokio::test]
async fn no_shows_completions_reminders_recalls_and_messages_are_published_too() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    let admin = app.sign_in(ADMIN).await;
    let types = [
        "appointment.status_updated",
        "appointment.completed",
        "appointment.remind",
        "appointment.recall",
        "message.received",
    ];
    endpoint(&admin, &receiver.url("/x"), &types, json!({})).await;
    let m1 = app.sign_in(MANAGER1).await;
    let slots = app.slots_ahead(3, None).await;
    let mut ids = vec![];
    for (i, name) in [(0, "Ann Lee"), (4, "Bo Chan")] {
        let (status, b) = app
            .anonymous()
            .call("book", booking(slots[i], name, &format!("{i}@example.com")))
            .await;
        assert_eq!(status, 200, "{b}");
        ids.push(b["appointment_id"].as_i64().unwrap());
    }
    let (missed, visited) = (ids[0], ids[1]);
    for x in [missed, visited] {
        assert_eq!(m1.call("appointment_step", json!({"id": x, "step": "approve"})).await.0, 200);
    }
    assert_eq!(receiver.wait_for(2, WAIT).await.len(), 2, "two approvals");
    let clock = &app.running.state.clock;
    clock.advance_s(slots[4] - 24 * 3600 - clock.now_s() + 1);
    assert_eq!(receiver.wait_for(4, WAIT).await.len(), 4, "two reminders");
    clock.advance_s(slots[4] + 3600 - clock.now_s());
    assert_eq!(m1.call("appointment_step", json!({"id": missed, "step": "no_show"})).await.0, 200);
    assert_eq!(receiver.wait_for(5, WAIT).await.len(), 5);
    assert_eq!(m1.call("appointment_step", json!({"id": visited, "step": "complete"})).await.0, 200);
    assert_eq!(receiver.wait_for(7, WAIT).await.len(), 7);
    clock.advance_s(61 * 86_400);
    let got = receiver.wait_for(8, WAIT).await;
    let mut types: Vec<String> = got.iter().map(|r| r.json()["type"].as_str().unwrap().to_string()).collect();
    types.sort();
    assert_eq!(
        types,
        [
            "appointment.completed",
            "appointment.recall",
            "appointment.remind",
            "appointment.remind",
            "appointment.status_updated",
            "appointment.status_updated",
            "appointment.status_updated",
            "appointment.status_updated",
        ]
    );
    let no_show = got
        .iter()
        .map(|r| r.json())
        .find(|v| v["content"]["booking"]["clientPresence"] == "NoShow")
        .unwrap();
    assert_eq!(
        (no_show["type"].as_str(), no_show["content"]["client"]["presence"].as_str()),
        (Some("appointment.status_updated"), Some("NoShow"))
    );
    let done = got.iter().map(|r| r.json()).find(|v| v["type"] == "appointment.completed").unwrap();
    assert_eq!(done["content"]["booking"]["isCompleted"], true);
    assert_eq!(done["content"]["previousBooking"]["isCompleted"], false);
    let remind = got.iter().map(|r| r.json()).find(|v| v["type"] == "appointment.remind").unwrap();
    assert_eq!(remind["content"]["modifiedBy"], "system");
}

#[tokio::test]
async fn a_video_appointment_carries_its_join_links_to_the_webhook_the_client_and_staff() {
    let app = spawn_app_with_messaging().await;
    let receiver = WebhookReceiver::start().await;
    let admin = app.sign_in(ADMIN).await;
    endpoint(&admin, &receiver.url("/v"), &["appointment.created"], json!({})).await;
    // The store's meeting link: refused without {room} or https, kept with them.
    let mut profile = admin.call("setup_store", json!({"store_id": 1})).await.1["profile"].clone();
    for bad in ["https://meet.example.com/fixed", "http://meet.example.com/{room}"] {
        profile["video_url_template"] = json!(bad);
        let (status, body) = admin.call("save_store", json!({"profile": profile})).await;
        assert_eq!((status, invalid_fields(&body)), (422, vec!["video_url_template"]), "{bad}");
    }
    profile["video_url_template"] = json!("https://meet.example.com/{room}?as={role}");
    assert_eq!(admin.call("save_store", json!({"profile": profile})).await.0, 200);
    let m1 = app.sign_in(MANAGER1).await;
    let mut service = m1.call("setup_services", json!({"store_id": 1})).await.1["services"][0].clone();
    service["video"] = json!(true);
    assert_eq!(m1.call("save_service", json!({"service": service})).await.0, 200);

    let slot = app.free_slot(1, None).await;
    let mut b = booking(slot, "Ann Lee", "ann@example.com");
    b["request"]["attendees"] = json!([{"name": "Bo Lee", "email": "bo@example.com"}]);
    b["request"]["notify_attendees"] = json!(true);
    let (status, booked) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{booked}");
    let id = booked["appointment_id"].as_i64().unwrap();
    let token = booked["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();

    let v = receiver.wait_for(1, WAIT).await[0].json();
    let c = &v["content"];
    let staff_url = c["booking"]["staffVideoConferenceUrl"].as_str().unwrap().to_string();
    let client_url = c["client"]["videoConferenceUrl"].as_str().unwrap().to_string();
    assert!(
        staff_url.starts_with("https://meet.example.com/") && staff_url.ends_with("?as=host"),
        "{staff_url}"
    );
    assert_eq!(client_url, staff_url.replace("?as=host", "?as=guest"), "one room, two roles");
    assert_eq!(c["attendees"][0]["videoConferenceUrl"], client_url);
    // The client's confirmation has the join link; the tracking page and the appointment page show theirs.
    let mail = app.mail.clone().unwrap().wait_for(1, WAIT).await;
    assert!(mail[0].text.as_deref().unwrap().contains(&client_url), "{:?}", mail[0].text);
    let page = app.anonymous().call("tracking", json!({"token": token, "lang": null})).await.1;
    assert_eq!(page["video_url"], client_url);
    assert_eq!(m1.call("appointment", json!({"id": id})).await.1["video_url"], staff_url);
    // Another appointment has another room.
    let slot = app.slots_ahead(2, None).await[3];
    let (_, other) = app.anonymous().call("book", booking(slot, "Cy Lee", "cy@example.com")).await;
    let other_page = app
        .anonymous()
        .call(
            "tracking",
            json!({"token": other["tracking_path"].as_str().unwrap().trim_start_matches("/t/"), "lang": null}),
        )
        .await
        .1;
    assert_ne!(other_page["video_url"], page["video_url"]);
}

#[tokio::test]
async fn a_client_message_is_published_as_message_received() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    let admin = app.sign_in(ADMIN).await;
    endpoint(&admin, &receiver.url("/m"), &["message.received"], json!({})).await;
    let slot = app.free_slot(1, None).await;
    let (_, booked) = app.anonymous().call("book", booking(slot, "Ann Lee", "ann@example.com")).await;
    let token = booked["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    // Longer than a bell's preview, over several lines: the webhook carries all of it.
    let message = format!("Can I bring my dog?\nShe is very calm. {}", "Really. ".repeat(30));
    assert_eq!(
        app.anonymous()
            .call("send_message", json!({"token": token, "body": message}))
            .await
            .0,
        200
    );
    let got = receiver.wait_for(1, WAIT).await;
    assert_eq!(got.len(), 1);
    let v = got[0].json();
    assert_eq!(v["type"], "message.received");
    assert_eq!(v["content"]["message"]["body"], message.trim());
    let (conversation,): (i64,) = sqlx::query_as("SELECT id FROM conversations")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(v["content"]["message"]["conversationId"], conversation);
    assert_eq!(v["content"]["modifiedBy"], "client");
}

#[tokio::test]
async fn each_endpoint_gets_its_own_delivery_of_only_the_types_it_takes() {
    let app = spawn_app().await;
    let (a, b) = (WebhookReceiver::start().await, WebhookReceiver::start().await);
    let admin = app.sign_in(ADMIN).await;
    endpoint(
        &admin,
        &a.url("/a"),
        &["appointment.created", "appointment.status_updated"],
        json!({}),
    )
    .await;
    endpoint(
        &admin,
        &b.url("/b"),
        &["appointment.created"],
        json!({"method": "PUT", "header_name": "X-Api-Key", "header_value": "k-123"}),
    )
    .await;
    let id = app.book_request(0, "Ann Lee").await;
    let m1 = app.sign_in(MANAGER1).await;
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    assert_eq!(a.wait_for(2, WAIT).await.len(), 2);
    let got_b = b.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.received().len(), 1, "b does not take status updates");
    assert_eq!(got_b[0].method, "PUT");
    assert_eq!(got_b[0].header("x-api-key"), Some("k-123"));
    assert_eq!(
        a.received()[0].header("webhook-id"),
        got_b[0].header("webhook-id"),
        "one message, two deliveries"
    );
}

#[tokio::test]
async fn failures_are_retried_on_the_schedule_with_the_same_webhook_id_until_one_succeeds() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    receiver.set(Behaviour::Status(500));
    let admin = app.sign_in(ADMIN).await;
    let ep = endpoint(&admin, &receiver.url("/r"), &["appointment.created"], json!({})).await;
    let ep_id = ep["id"].as_i64().unwrap();
    app.book_request(0, "Ann Lee").await;
    let clock = &app.running.state.clock;
    // Attempt n fails; the next is due after the nominal delay, within ±20 %.
    for (attempt, nominal) in [(1, 5), (2, 300), (3, 1800), (4, 7200)] {
        let d = until(&app, ep_id, |d| d.len() == 1 && d[0].1 == attempt && d[0].0 == "pending").await;
        let wait = d[0].2.unwrap() - clock.now_s();
        let (lo, hi) = (nominal as f64 * 0.8 - 1.0, nominal as f64 * 1.2 + 1.0);
        assert!(
            (lo..=hi).contains(&(wait as f64)),
            "attempt {attempt}: waits {wait} s, nominal {nominal} s"
        );
        assert_eq!(receiver.received().len(), attempt as usize);
        if attempt == 4 {
            receiver.set(Behaviour::Status(204));
        }
        clock.advance_s(wait);
    }
    until(&app, ep_id, |d| d[0].0 == "succeeded" && d[0].1 == 5).await;
    let got = receiver.received();
    assert_eq!(got.len(), 5);
    assert!(got.iter().all(|r| r.header("webhook-id") == got[0].header("webhook-id")));
    let log = admin
        .call(
            "webhook_deliveries",
            json!({"endpoint_id": ep_id, "status": null, "before_id": null}),
        )
        .await
        .1;
    let codes: Vec<i64> = log[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, vec![500, 500, 500, 500, 204]);
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_redirect_is_a_failure() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    receiver.set(Behaviour::RetryAfter(429, "120".into()));
    let admin = app.sign_in(ADMIN).await;
    let ep_id = endpoint(&admin, &receiver.url("/r"), &["appointment.created"], json!({})).await["id"]
        .as_i64()
        .unwrap();
    app.book_request(0, "Ann Lee").await;
    let d = until(&app, ep_id, |d| d.len() == 1 && d[0].1 == 1).await;
    // Due 120 s after the attempt; the clock may have ticked into the next second since.
    let wait = d[0].2.unwrap() - app.running.state.clock.now_s();
    assert!((119..=120).contains(&wait), "due in {wait} s");
    receiver.set(Behaviour::Status(302));
    app.running.state.clock.advance_s(120);
    let d = until(&app, ep_id, |d| d[0].1 == 2).await;
    assert_eq!(d[0].0, "pending", "3xx is not success");
}

#[tokio::test]
async fn a_410_disables_the_endpoint_at_once_and_tells_the_admins() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    receiver.set(Behaviour::Status(410));
    let admin = app.sign_in(ADMIN).await;
    let ep_id = endpoint(&admin, &receiver.url("/gone"), &["appointment.created"], json!({})).await["id"]
        .as_i64()
        .unwrap();
    app.book_request(0, "Ann Lee").await;
    until(&app, ep_id, |d| d.len() == 1 && d[0].0 == "failed").await;
    let ep = &admin.call("webhook_endpoints", json!({})).await.1[0];
    assert_eq!(ep["enabled"], false);
    assert!(ep["disabled_reason"].as_str().unwrap().contains("410"));
    let inbox = app.inbox(ADMIN).await;
    assert!(
        inbox.iter().any(|n| n.0 == "Webhook endpoint disabled" && n.1.contains("/gone")),
        "{inbox:?}"
    );
    assert!(app.inbox(MANAGER1).await.iter().all(|n| n.0 != "Webhook endpoint disabled"));
    app.book_request(4, "Bo Chan").await;
    app.settle().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(deliveries(&app, ep_id).await.len(), 1, "a disabled endpoint takes nothing new");

    // Fixed and enabled again: the failed delivery can be replayed.
    receiver.set(Behaviour::Status(200));
    let mut input = json!({"store_id": 1, "url": receiver.url("/gone"), "event_types": ["appointment.created"], "enabled": true});
    input["method"] = json!("POST");
    assert_eq!(
        admin
            .call("update_webhook_endpoint", json!({"id": ep_id, "endpoint": input}))
            .await
            .0,
        200
    );
    let (status, n) = admin
        .call("replay_failed_webhooks", json!({"endpoint_id": ep_id, "since": 0}))
        .await;
    assert_eq!((status, n), (200, json!(1)));
    until(&app, ep_id, |d| d[0].0 == "succeeded").await;
}

#[tokio::test]
async fn an_endpoint_failing_for_five_days_is_disabled() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    receiver.set(Behaviour::Status(503));
    let admin = app.sign_in(ADMIN).await;
    let ep_id = endpoint(&admin, &receiver.url("/down"), &["appointment.created"], json!({})).await["id"]
        .as_i64()
        .unwrap();
    app.book_request(0, "Ann Lee").await;
    let clock = &app.running.state.clock;
    let start = clock.now_s();
    let mut attempts = 0;
    loop {
        let d = until(&app, ep_id, |d| !d.is_empty() && d[0].1 > attempts).await;
        attempts = d[0].1;
        if d[0].0 == "failed" {
            break;
        }
        assert!(attempts < 30, "still trying after {attempts} attempts");
        clock.advance_s(d[0].2.unwrap() - clock.now_s());
    }
    let elapsed = clock.now_s() - start;
    assert!((5 * 86_400..6 * 86_400).contains(&elapsed), "disabled after {elapsed} s");
    assert_eq!(admin.call("webhook_endpoints", json!({})).await.1[0]["enabled"], false);
}

#[tokio::test]
async fn pending_retries_survive_a_restart_and_are_delivered_once_each() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    receiver.set(Behaviour::Status(500));
    let admin = app.sign_in(ADMIN).await;
    let ep_id = endpoint(&admin, &receiver.url("/r"), &["appointment.created"], json!({})).await["id"]
        .as_i64()
        .unwrap();
    app.book_request(0, "Ann Lee").await;
    app.book_request(4, "Bo Chan").await;
    until(&app, ep_id, |d| d.len() == 2 && d.iter().all(|x| x.1 == 1)).await;
    receiver.set(Behaviour::Status(200));
    // Back ten minutes later: both retries are overdue and go out at once.
    let app = app.restart(600).await;
    until(&app, ep_id, |d| d.iter().all(|x| x.0 == "succeeded")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = receiver.received();
    let ok: Vec<&str> = got
        .iter()
        .filter(|r| r.answered == Some(200))
        .filter_map(|r| r.header("webhook-id"))
        .collect();
    assert_eq!(ok.len(), 2);
    assert_ne!(ok[0], ok[1]);
    let first_tries: Vec<&str> = got
        .iter()
        .filter(|r| r.answered == Some(500))
        .filter_map(|r| r.header("webhook-id"))
        .collect();
    let mut a = ok.clone();
    let mut b = first_tries.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b, "the retry carries the first attempt's webhook-id");
}

#[tokio::test]
async fn oauth2_tokens_are_fetched_cached_and_fetched_again_after_a_401() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    let tokens = TokenEndpoint::start("frontdesk", "s3cret", "hooks.write").await;
    let admin = app.sign_in(ADMIN).await;
    let oauth = json!({"oauth": {"token_url": tokens.url(), "client_id": "frontdesk", "client_secret": "s3cret", "scope": "hooks.write"}});
    endpoint(&admin, &receiver.url("/o"), &["appointment.created"], oauth).await;
    receiver.require_bearer(Some("tok-1".into()));
    app.book_request(0, "Ann Lee").await;
    app.book_request(4, "Bo Chan").await;
    let got = receiver.wait_for(2, WAIT).await;
    assert!(got.iter().all(|r| r.header("authorization") == Some("Bearer tok-1")));
    assert_eq!(tokens.issued(), 1, "cached between deliveries");

    // The receiver revokes it: the next delivery gets a 401, fetches anew and succeeds at once.
    receiver.require_bearer(Some("tok-2".into()));
    app.book_request(8, "Cy Dee").await;
    let got = receiver.wait_for(4, WAIT).await;
    assert_eq!(got.last().unwrap().header("authorization"), Some("Bearer tok-2"));
    assert_eq!(got.last().unwrap().answered, Some(200));
    assert_eq!(tokens.issued(), 2);
}

#[tokio::test]
async fn the_ssrf_guard_refuses_private_addresses_unless_allow_listed() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    for url in [
        "http://127.0.0.2:9/x",
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "https://100.64.0.1/",
    ] {
        let input = json!({"store_id": 1, "url": url, "method": "POST", "event_types": ["appointment.created"]});
        let (status, body) = admin.call("create_webhook_endpoint", json!({ "endpoint": input })).await;
        assert_eq!((status, invalid_fields(&body)), (422, vec!["url"]), "{url}: {body}");
    }
    let input = json!({"store_id": 1, "url": "http://93.184.215.14/x", "method": "POST", "event_types": ["appointment.created"]});
    let (status, body) = admin.call("create_webhook_endpoint", json!({ "endpoint": input })).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("https"), "{body}");
    let input = json!({"store_id": 1, "url": "http://127.0.0.1:9/x", "method": "POST", "event_types": ["appointment.created", "nope"]});
    let (status, body) = admin.call("create_webhook_endpoint", json!({ "endpoint": input })).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["event_types"]));
    let m1 = app.sign_in(MANAGER1).await;
    assert_eq!(m1.call("webhook_endpoints", json!({})).await.0, 403, "admins only");
}

#[tokio::test]
async fn a_rotated_secret_signs_alongside_the_old_one_for_a_day() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    let admin = app.sign_in(ADMIN).await;
    let ep = endpoint(&admin, &receiver.url("/s"), &["appointment.created"], json!({})).await;
    let old = ep["signing_secret"].as_str().unwrap().to_string();
    let rotated = admin.call("rotate_webhook_secret", json!({"id": ep["id"]})).await.1;
    let new = rotated["signing_secret"].as_str().unwrap().to_string();
    assert_ne!(old, new);
    assert_eq!(rotated["previous_secret_active"], true);
    app.book_request(0, "Ann Lee").await;
    let got = receiver.wait_for(1, WAIT).await;
    assert_eq!(got[0].header("webhook-signature").unwrap().split(' ').count(), 2);
    let checks = verify_with_official_library(&[(old.clone(), got[0].clone()), (new.clone(), got[0].clone())]);
    assert!(
        checks.iter().all(|c| c.is_ok()),
        "both secrets verify during the overlap: {checks:?}"
    );

    app.running.state.clock.advance_s(25 * 3600);
    app.book_request(4, "Bo Chan").await;
    let got = receiver.wait_for(2, WAIT).await;
    let checks = verify_with_official_library(&[(old, got[1].clone()), (new, got[1].clone())]);
    assert!(checks[0].is_err() && checks[1].is_ok(), "after a day only the new one: {checks:?}");
}

#[tokio::test]
async fn a_hanging_endpoint_does_not_hold_up_another() {
    let app = spawn_app().await;
    let (slow, fast) = (WebhookReceiver::start().await, WebhookReceiver::start().await);
    slow.set(Behaviour::Hang);
    let admin = app.sign_in(ADMIN).await;
    endpoint(&admin, &slow.url("/slow"), &["appointment.created"], json!({})).await;
    endpoint(&admin, &fast.url("/fast"), &["appointment.created"], json!({})).await;
    for i in 0..6 {
        app.book_request(i * 4, &format!("Client {i}")).await;
    }
    let started = std::time::Instant::now();
    assert_eq!(fast.wait_for(6, WAIT).await.len(), 6);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the fast endpoint is not queued behind the slow one"
    );
    assert!(slow.received().len() <= 4, "at most four requests at a time to one endpoint");
}

#[tokio::test]
async fn test_send_and_resend_deliver_to_one_endpoint() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    let admin = app.sign_in(ADMIN).await;
    let ep_id = endpoint(&admin, &receiver.url("/t"), &["appointment.created"], json!({})).await["id"]
        .as_i64()
        .unwrap();
    let (status, delivery) = admin.call("test_webhook_endpoint", json!({"id": ep_id})).await;
    assert_eq!(status, 200);
    let got = receiver.wait_for(1, WAIT).await;
    assert_eq!(got[0].json()["type"], "webhook.test");
    until(&app, ep_id, |d| d[0].0 == "succeeded").await;
    assert_eq!(admin.call("resend_webhook_delivery", json!({"id": delivery})).await.0, 200);
    let got = receiver.wait_for(2, WAIT).await;
    assert_eq!(got[0].header("webhook-id"), got[1].header("webhook-id"));
    assert_eq!(admin.call("resend_webhook_delivery", json!({"id": 999_999})).await.0, 404);
}

#[tokio::test]
async fn disabling_and_enabling_from_the_page_keeps_the_stored_header_secret() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    let admin = app.sign_in(ADMIN).await;
    let ep = endpoint(
        &admin,
        &receiver.url("/k"),
        &["appointment.created"],
        json!({"header_name": "X-Api-Key", "header_value": "k-123"}),
    )
    .await;
    // What the page sends: the header's name, never its value (the page does not have it).
    let page_input = |enabled: bool| {
        json!({"store_id": 1, "url": receiver.url("/k"), "method": "POST",
        "event_types": ["appointment.created"], "header_name": "X-Api-Key", "enabled": enabled})
    };
    let (status, off) = admin
        .call("update_webhook_endpoint", json!({"id": ep["id"], "endpoint": page_input(false)}))
        .await;
    assert_eq!((status, off["enabled"].as_bool()), (200, Some(false)), "{off}");
    assert_eq!(
        admin
            .call("update_webhook_endpoint", json!({"id": ep["id"], "endpoint": page_input(true)}))
            .await
            .0,
        200
    );
    app.book_request(0, "Ann Lee").await;
    let got = receiver.wait_for(1, WAIT).await;
    assert_eq!(got[0].header("x-api-key"), Some("k-123"));
    let other = json!({"store_id": 1, "url": receiver.url("/k"), "method": "POST", "event_types": ["appointment.created"], "header_name": "X-Other"});
    let (status, body) = admin
        .call("update_webhook_endpoint", json!({"id": ep["id"], "endpoint": other}))
        .await;
    assert_eq!(
        (status, invalid_fields(&body)),
        (422, vec!["header_value"]),
        "a new header needs its value"
    );
}

#[tokio::test]
async fn an_endpoint_that_never_answers_fails_after_fifteen_seconds_and_is_retried() {
    let app = spawn_app().await;
    let receiver = WebhookReceiver::start().await;
    receiver.set(Behaviour::Hang);
    let admin = app.sign_in(ADMIN).await;
    let ep_id = endpoint(&admin, &receiver.url("/hang"), &["appointment.created"], json!({})).await["id"]
        .as_i64()
        .unwrap();
    app.book_request(0, "Ann Lee").await;
    let started = std::time::Instant::now();
    let mut last = vec![];
    // Real time: the 15 s limit is the HTTP client's, not the injectable clock's.
    while started.elapsed() < Duration::from_secs(30) {
        last = deliveries(&app, ep_id).await;
        if last.first().is_some_and(|d| d.1 == 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        last.first().map(|d| (d.0.as_str(), d.1)),
        Some(("pending", 1)),
        "one failed attempt, more to come"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(14),
        "gave up after {:?}",
        started.elapsed()
    );
    let (error,): (String,) = sqlx::query_as("SELECT error FROM webhook_attempts ORDER BY id DESC LIMIT 1")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert!(error.contains("no answer within 15 s"), "{error}");
}
