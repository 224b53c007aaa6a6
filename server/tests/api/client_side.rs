//! The client's side: messages by email (a real SMTP server) and SMS (a
//! Twilio-compatible provider), reminders and recalls on the injectable
//! clock, and the tracking page's actions.

use crate::helpers::*;
use serde_json::{json, Value};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Books online with `overrides` on top of a plain English email booking; returns (id, token).
async fn book(app: &TestApp, starts_at: i64, overrides: Value) -> (i64, String) {
    let mut req = booking(starts_at, "Ann Lee", "ann@example.com");
    for (k, v) in overrides.as_object().unwrap() {
        req["request"][k] = v.clone();
    }
    let (status, body) = app.anonymous().call("book", req).await;
    assert_eq!(status, 200, "{body}");
    let token = body["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    (body["appointment_id"].as_i64().unwrap(), token)
}

/// Waits until the client message dispatcher has read every event.
async fn settle_messages(app: &TestApp) {
    for _ in 0..500 {
        let (pending,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM events WHERE id > COALESCE((SELECT last_event_id FROM dispatch_cursors WHERE name = 'client_messages'), 0)",
        )
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
        if pending == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("client message dispatcher did not catch up");
}

/// (kind, channel, recipient, status) of an appointment's messages, oldest first.
async fn messages(app: &TestApp, id: i64) -> Vec<(String, String, String, String)> {
    settle_messages(app).await;
    sqlx::query_as("SELECT kind, channel, recipient, status FROM client_messages WHERE appointment_id = ? ORDER BY id")
        .bind(id)
        .fetch_all(app.running.state.db.pool())
        .await
        .unwrap()
}

/// As `messages`, once the sender has written the outcome of every queued one
/// (a provider can receive a message a moment before its row says "sent").
async fn messages_sent(app: &TestApp, id: i64) -> Vec<(String, String, String, String)> {
    for _ in 0..500 {
        let all = messages(app, id).await;
        if all.iter().all(|m| m.3 != "queued") {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the sender did not record its outcomes");
}

async fn kinds(app: &TestApp, id: i64) -> Vec<String> {
    messages(app, id).await.into_iter().map(|m| m.0).collect()
}

fn update_body(a: &Value, changes: Value) -> Value {
    let mut u = json!({
        "starts_at": a["starts_at"], "service_id": a["service_id"], "associate_id": a["associate_id"],
        "notes": a["notes"], "client_communication": a["client_communication"], "ask_client_to_confirm": false,
    });
    for (k, v) in changes.as_object().unwrap() {
        u[k] = v.clone();
    }
    u
}

/// The tracking token in a message body.
fn token_in(text: &str) -> String {
    let start = text.find("/t/").expect("a tracking link") + 3;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn a_request_then_its_approval_email_the_client_in_french_with_a_link_to_the_booking() {
    let app = spawn_app_with_messaging().await;
    let mail = app.mail.clone().unwrap();
    let slot = app.slots_ahead(3, None).await[0];
    let (id, token) = book(
        &app,
        slot,
        json!({"language": "fr", "name": "Zoé Martin", "email": "zoe@example.com"}),
    )
    .await;

    let got = mail.wait_for(1, WAIT).await;
    assert_eq!(got.len(), 1);
    let request = &got[0];
    assert_eq!(request.rcpt_to, vec!["zoe@example.com".to_string()]);
    let subject = request.subject.clone().unwrap();
    assert!(subject.contains("Downtown"), "{subject}");
    assert!(subject.contains("demande") || subject.contains("reçu"), "French subject: {subject}");
    let text = request.text.clone().expect("a plain-text part");
    let html = request.html.clone().expect("an HTML part");
    assert!(text.contains("Zoé"), "{text}");
    assert!(html.contains("<a"), "buttons in the HTML part");
    assert!(text.contains("lang=fr"), "links open the page in French: {text}");
    assert_eq!(token_in(&text), token, "the link in the mail is the booking's tracking link");
    let (status, page) = app
        .anonymous()
        .call("tracking", json!({"token": token_in(&text), "lang": null}))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        (page["client_name"].as_str(), page["lang"].as_str()),
        (Some("Zoé Martin"), Some("fr"))
    );

    let m1 = app.sign_in(MANAGER1).await;
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    let got = mail.wait_for(2, WAIT).await;
    let confirmation = &got[1];
    let subject = confirmation.subject.clone().unwrap();
    assert!(subject.contains("confirmé"), "French confirmation: {subject}");
    assert!(
        confirmation.text.clone().unwrap().contains("action=modify"),
        "a confirmed booking can be changed"
    );
    assert_eq!(kinds(&app, id).await, vec!["request_received", "confirmation"]);
    let mut statuses = vec![];
    for _ in 0..200 {
        statuses = messages(&app, id).await.into_iter().map(|m| m.3).collect();
        if statuses == ["sent", "sent"] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(statuses, vec!["sent", "sent"], "the outcome is recorded");
}

/// The Booxi list of "which message for which event", through real actions.
#[tokio::test]
async fn each_booking_change_sends_the_client_message_its_rule_calls_for() {
    let app = spawn_app_with_messaging().await;
    let m1 = app.sign_in(MANAGER1).await;
    let a1_id = app.staff_id(ASSOCIATE1).await;
    let a2_id = app.staff_id(ASSOCIATE2).await;
    let slots = app.slots_ahead(3, Some(a1_id)).await;
    let (id, token) = book(&app, slots[0], json!({"associate_id": a1_id})).await;
    assert_eq!(kinds(&app, id).await, vec!["request_received"]);

    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    assert_eq!(kinds(&app, id).await.last().unwrap(), "confirmation");

    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let upd = update_body(&a, json!({"notes": "Bring the old glasses"}));
    assert_eq!(m1.call("update_appointment", json!({"id": id, "update": upd})).await.0, 200);
    assert_eq!(kinds(&app, id).await.len(), 2, "notes alone tell the client nothing");

    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let upd = update_body(&a, json!({"starts_at": slots[4]}));
    assert_eq!(m1.call("update_appointment", json!({"id": id, "update": upd})).await.0, 200);
    assert_eq!(kinds(&app, id).await.last().unwrap(), "changed");

    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let upd = update_body(&a, json!({"associate_id": a2_id}));
    assert_eq!(m1.call("update_appointment", json!({"id": id, "update": upd})).await.0, 200);
    assert_eq!(
        kinds(&app, id).await.len(),
        4,
        "the associate the client chose was replaced: changed"
    );
    assert_eq!(kinds(&app, id).await.last().unwrap(), "changed");

    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let upd = update_body(&a, json!({"starts_at": slots[8], "ask_client_to_confirm": true}));
    assert_eq!(m1.call("update_appointment", json!({"id": id, "update": upd})).await.0, 200);
    assert_eq!(kinds(&app, id).await.last().unwrap(), "please_confirm");

    let c = app.anonymous();
    let (status, body) = c.call("tracking_confirm", json!({"token": token, "lang": null})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(kinds(&app, id).await.last().unwrap(), "confirmation");

    let later = app.slots_ahead(5, Some(a2_id)).await[2];
    let (status, body) = c
        .call("tracking_modify", json!({"token": token, "starts_at": later, "lang": null}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(kinds(&app, id).await.last().unwrap(), "changed");

    let (status, body) = c
        .call("tracking_cancel", json!({"token": token, "reason": "Ill", "lang": null}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(kinds(&app, id).await.last().unwrap(), "cancellation_confirmed");
    assert_eq!(
        kinds(&app, id).await,
        vec![
            "request_received",
            "confirmation",
            "changed",
            "changed",
            "please_confirm",
            "confirmation",
            "changed",
            "cancellation_confirmed"
        ]
    );

    // Cancelled by the store, a no-show, and a completion.
    let (other, _) = book(&app, slots[12], json!({"associate_id": a1_id, "email": "bo@example.com"})).await;
    assert_eq!(
        m1.call("cancel_appointment", json!({"id": other, "reason": "Closed for a leak"}))
            .await
            .0,
        200
    );
    assert_eq!(kinds(&app, other).await, vec!["request_received", "cancelled_by_store"]);
    let mail = app.mail.clone().unwrap();
    let all = mail.wait_for(11, WAIT).await;
    let cancelled = all
        .iter()
        .find(|m| m.rcpt_to == vec!["bo@example.com".to_string()] && m.text.clone().unwrap().contains("leak"));
    assert!(cancelled.is_some(), "the store's reason is in the mail");

    let (missed, _) = book(&app, slots[16], json!({"associate_id": a1_id, "email": "cy@example.com"})).await;
    let (visited, _) = book(&app, slots[20], json!({"associate_id": a1_id, "email": "di@example.com"})).await;
    for x in [missed, visited] {
        assert_eq!(m1.call("appointment_step", json!({"id": x, "step": "approve"})).await.0, 200);
    }
    app.running
        .state
        .clock
        .advance_s(slots[20] + 3600 - app.running.state.clock.now_s());
    assert_eq!(m1.call("appointment_step", json!({"id": missed, "step": "no_show"})).await.0, 200);
    assert_eq!(m1.call("appointment_step", json!({"id": visited, "step": "complete"})).await.0, 200);
    assert_eq!(kinds(&app, missed).await.last().unwrap(), "no_show");
    assert_eq!(kinds(&app, visited).await.last().unwrap(), "thank_you");
}

#[tokio::test]
async fn do_not_send_records_the_message_as_skipped_and_sends_nothing() {
    let app = spawn_app_with_messaging().await;
    let m1 = app.sign_in(MANAGER1).await;
    let slots = app.slots_ahead(3, None).await;
    let (id, _) = book(&app, slots[0], json!({})).await;
    app.mail.clone().unwrap().wait_for(1, WAIT).await;
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let upd = update_body(&a, json!({"starts_at": slots[4], "client_communication": "DoNotSend"}));
    assert_eq!(m1.call("update_appointment", json!({"id": id, "update": upd})).await.0, 200);
    let all = messages(&app, id).await;
    assert_eq!(all.len(), 2);
    assert_eq!((all[1].0.as_str(), all[1].3.as_str()), ("changed", "skipped"));
    let (reason,): (String,) = sqlx::query_as("SELECT status_reason FROM client_messages WHERE appointment_id = ? ORDER BY id DESC")
        .bind(id)
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert!(reason.contains("not send"), "{reason}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.mail.clone().unwrap().messages().len(), 1, "only the request mail went out");
}

#[tokio::test]
async fn a_store_whose_own_tools_send_its_messages_gets_none_from_frontdesk_and_is_told_why() {
    let app = spawn_app_with_messaging().await;
    let m1 = app.sign_in(MANAGER1).await;
    let mut s = m1.call("store_settings", json!({"store_id": 1})).await.1["settings"].clone();
    assert_eq!(
        s["client_messages_sent_by"], "frontdesk",
        "Frontdesk sends them unless the store says otherwise"
    );
    s["client_messages_sent_by"] = json!("integration");
    assert_eq!(m1.call("save_store_settings", json!({"settings": s})).await.0, 200);
    let slots = app.slots_ahead(3, None).await;
    let (id, token) = book(&app, slots[0], json!({})).await;
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    let all = messages(&app, id).await;
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.iter().all(|m| m.3 == "skipped"), "{all:?}");
    // The Client messages page says why nothing was sent.
    let list = m1.call("client_messages", json!({"status": "skipped", "before_id": null})).await.1;
    assert!(
        list.as_array().unwrap().iter().all(|m| m["status_reason"]
            .as_str()
            .unwrap()
            .contains("sends its client messages with its own tools")),
        "{list}"
    );
    // The tracking page still works.
    assert_eq!(app.anonymous().call("tracking", json!({"token": token, "lang": null})).await.0, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.mail.clone().unwrap().messages().is_empty(), "no email went out");
    assert!(app.sms.clone().unwrap().messages().is_empty(), "no SMS either");
    let mut s = m1.call("store_settings", json!({"store_id": 1})).await.1["settings"].clone();
    s["client_messages_sent_by"] = json!("carrier-pigeon");
    let (status, _) = m1.call("save_store_settings", json!({"settings": s})).await;
    assert!((400..500).contains(&status), "an unknown sender is refused: {status}");
}

#[tokio::test]
async fn a_client_without_email_is_texted_through_the_provider_with_a_working_link() {
    let app = spawn_app_with_messaging().await;
    let slot = app.slots_ahead(3, None).await[0];
    let (id, token) = book(
        &app,
        slot,
        json!({"email": "", "mobile": "+447700900123", "remind_by_email": false, "remind_by_sms": true}),
    )
    .await;
    let sms = app.sms.clone().unwrap().wait_for(1, WAIT).await;
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].to, "+447700900123");
    assert_eq!(sms[0].from, SMS_FROM);
    assert!(sms[0].body.contains("Downtown"), "{}", sms[0].body);
    assert_eq!(token_in(&sms[0].body), token);
    let (status, _) = app.anonymous().call("tracking", json!({"token": token, "lang": null})).await;
    assert_eq!(status, 200);
    let all = messages_sent(&app, id).await;
    assert_eq!((all[0].1.as_str(), all[0].3.as_str()), ("sms", "sent"));
    assert!(app.mail.clone().unwrap().messages().is_empty());
}

#[tokio::test]
async fn attendees_get_their_own_copy_only_when_the_booking_says_so() {
    let app = spawn_app_with_messaging().await;
    let slots = app.slots_ahead(3, None).await;
    let guests = json!([{"name": "Bob Lee", "email": "bob@example.com"}, {"name": "Cat Lee", "email": "cat@example.com"}]);
    let (with, _) = book(&app, slots[0], json!({"attendees": guests, "notify_attendees": true})).await;
    let to: Vec<String> = messages(&app, with).await.into_iter().map(|m| m.2).collect();
    assert_eq!(to, vec!["ann@example.com", "bob@example.com", "cat@example.com"]);
    let mail = app.mail.clone().unwrap().wait_for(3, WAIT).await;
    let bob = mail.iter().find(|m| m.rcpt_to == vec!["bob@example.com".to_string()]).unwrap();
    assert!(
        bob.text.clone().unwrap().contains("Ann Lee"),
        "an attendee's copy says whose booking it is"
    );

    let (without, _) = book(
        &app,
        slots[4],
        json!({"attendees": guests, "notify_attendees": false, "email": "dan@example.com"}),
    )
    .await;
    let to: Vec<String> = messages(&app, without).await.into_iter().map(|m| m.2).collect();
    assert_eq!(to, vec!["dan@example.com"]);

    let (status, body) = app
        .anonymous()
        .call("book", {
            let mut b = booking(slots[8], "Eve", "eve@example.com");
            b["request"]["attendees"] = json!([{"name": "", "email": "nope"}]);
            b
        })
        .await;
    assert_eq!(status, 422);
    assert_eq!(invalid_fields(&body), vec!["attendees.0.name", "attendees.0.email"]);

    // Staff add someone later.
    let m1 = app.sign_in(MANAGER1).await;
    let (status, body) = m1
        .call(
            "add_attendee",
            json!({"appointment_id": without, "name": "Fay", "email": "not-an-email"}),
        )
        .await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["email"]));
    let (status, _) = m1
        .call(
            "add_attendee",
            json!({"appointment_id": without, "name": "Fay Lee", "email": "fay@example.com"}),
        )
        .await;
    assert_eq!(status, 200);
    let detail = m1.call("appointment", json!({"id": without})).await.1;
    assert_eq!(detail["attendees"][2]["email"], "fay@example.com");
}

#[tokio::test]
async fn the_reminder_goes_once_at_the_lead_time_and_moves_with_the_appointment() {
    let app = spawn_app_with_messaging().await;
    let m1 = app.sign_in(MANAGER1).await;
    let slots = app.slots_ahead(4, None).await;
    let (id, token) = book(&app, slots[0], json!({"remind_by_sms": true, "mobile": "+447700900123"})).await;
    let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = 'remind' AND appointment_id = ?")
        .bind(id)
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(pending, 0, "no reminder before the store approves");
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);

    // The client moves it a day later: the reminder follows.
    let later = app.slots_ahead(5, None).await[0];
    let (status, body) = app
        .anonymous()
        .call("tracking_modify", json!({"token": token, "starts_at": later, "lang": null}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (due,): (i64,) = sqlx::query_as("SELECT due_at FROM jobs WHERE kind = 'remind' AND appointment_id = ? AND done_at IS NULL")
        .bind(id)
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(due, later - 24 * 3600, "the store's lead time (24 h) before the new start");

    // Just before: nothing. At the time: by email and SMS, as the client asked.
    let clock = &app.running.state.clock;
    clock.advance_s(due - clock.now_s() - 60);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!kinds(&app, id).await.contains(&"reminder".to_string()));
    clock.advance_s(61);
    let mut reminders = vec![];
    for _ in 0..200 {
        reminders = messages(&app, id).await.into_iter().filter(|m| m.0 == "reminder").collect();
        if reminders.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let channels: Vec<&str> = reminders.iter().map(|m| m.1.as_str()).collect();
    assert_eq!(channels, vec!["email", "sms"]);

    // A restart later does not send it again.
    let app = app.restart(3600).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let reminders = messages(&app, id).await.into_iter().filter(|m| m.0 == "reminder").count();
    assert_eq!(reminders, 2);
    let sms = app.sms.clone().unwrap().wait_for(1, WAIT).await;
    assert_eq!(
        sms.iter()
            .filter(|s| s.body.contains("eminder") || s.body.contains("appel"))
            .count(),
        1,
        "{sms:?}"
    );
}

#[tokio::test]
async fn cancelling_removes_the_reminder_and_completion_schedules_the_recall() {
    let app = spawn_app_with_messaging().await;
    let m1 = app.sign_in(MANAGER1).await;
    let slots = app.slots_ahead(3, None).await;
    let (gone, _) = book(&app, slots[0], json!({})).await;
    let (kept, _) = book(&app, slots[4], json!({"email": "bo@example.com"})).await;
    for x in [gone, kept] {
        assert_eq!(m1.call("appointment_step", json!({"id": x, "step": "approve"})).await.0, 200);
    }
    assert_eq!(m1.call("cancel_appointment", json!({"id": gone, "reason": ""})).await.0, 200);
    let pending: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, appointment_id FROM jobs WHERE done_at IS NULL AND kind IN ('remind', 'recall') ORDER BY id")
            .fetch_all(app.running.state.db.pool())
            .await
            .unwrap();
    assert_eq!(pending, vec![("remind".to_string(), kept)]);

    let clock = &app.running.state.clock;
    clock.advance_s(slots[4] + 1800 - clock.now_s());
    assert_eq!(m1.call("appointment_step", json!({"id": kept, "step": "complete"})).await.0, 200);
    let (due,): (i64,) = sqlx::query_as("SELECT due_at FROM jobs WHERE kind = 'recall' AND appointment_id = ? AND done_at IS NULL")
        .bind(kept)
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert!(
        (due - clock.now_s() - 60 * 86_400).abs() < 60,
        "the store's 60 days after completion"
    );
    clock.advance_s(60 * 86_400 + 60);
    let mut got = vec![];
    for _ in 0..200 {
        got = kinds(&app, kept).await;
        if got.contains(&"recall".to_string()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(got.last().unwrap(), "recall", "{got:?}");
}

#[tokio::test]
async fn wrong_or_revoked_tracking_links_show_nothing() {
    let app = spawn_app().await;
    let slot = app.slots_ahead(3, None).await[0];
    let (id, token) = book(&app, slot, json!({})).await;
    let c = app.anonymous();
    let (status, body) = c.call("tracking", json!({"token": "AAAAAAAAAAAAAAAAAAAAAAAA", "lang": null})).await;
    assert_eq!(status, 404);
    assert!(!body.to_string().contains("Ann"), "{body}");
    assert_eq!(
        c.call("tracking", json!({"token": id.to_string(), "lang": null})).await.0,
        404,
        "not the bare id"
    );
    let res = reqwest::get(format!("{}/t/nope/calendar.ics", app.base)).await.unwrap();
    assert_eq!(res.status(), 404);

    let key = app.running.state.tracking.clone();
    app.running
        .state
        .db
        .write(move |tx| {
            Box::pin(async move {
                app::backend::tracking::issue(tx, &key, app::domain::ids::AppointmentId(id))
                    .await
                    .map(|_| ())
            })
        })
        .await
        .unwrap();
    let (status, _) = c.call("tracking", json!({"token": token, "lang": null})).await;
    assert_eq!(status, 404, "a revoked link opens nothing");
    let (status, _) = c.call("tracking_cancel", json!({"token": token, "reason": "", "lang": null})).await;
    assert_eq!(status, 404, "nor does it act");
}

#[tokio::test]
async fn each_client_action_is_refused_when_its_rule_says_no() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let slots = app.slots_ahead(3, None).await;
    let (id, token) = book(&app, slots[0], json!({"language": "fr"})).await;
    let c = app.anonymous();
    let page = c.call("tracking", json!({"token": token, "lang": null})).await.1;
    assert_eq!(
        (
            page["can_modify"].as_bool(),
            page["can_cancel"].as_bool(),
            page["can_confirm"].as_bool()
        ),
        (Some(false), Some(true), Some(false)),
        "awaiting the store: cancel only"
    );
    let (status, body) = c
        .call("tracking_modify", json!({"token": token, "starts_at": slots[3], "lang": null}))
        .await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("magasin"), "refused in the client's language: {body}");
    let (status, body) = c.call("tracking_confirm", json!({"token": token, "lang": "en"})).await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("no change waiting"), "{body}");

    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    let (status, body) = c
        .call("tracking_modify", json!({"token": token, "starts_at": 12345, "lang": "en"}))
        .await;
    assert_eq!(status, 422, "not a free time: {body}");

    // Inside the store's cut-off (2 h): no more online changes.
    let clock = &app.running.state.clock;
    clock.advance_s(slots[0] - 3600 - clock.now_s());
    let page = c.call("tracking", json!({"token": token, "lang": "en"})).await.1;
    assert_eq!(
        (page["can_modify"].as_bool(), page["can_cancel"].as_bool()),
        (Some(false), Some(false))
    );
    let (status, body) = c.call("tracking_cancel", json!({"token": token, "reason": "", "lang": "en"})).await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("2 hours"), "{body}");

    // Cancelled: nothing at all.
    assert_eq!(m1.call("cancel_appointment", json!({"id": id, "reason": ""})).await.0, 200);
    let (status, body) = c.call("tracking_cancel", json!({"token": token, "reason": "", "lang": "en"})).await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("cancelled"), "{body}");
}

#[tokio::test]
async fn a_failed_email_is_retried_with_back_off_until_it_is_sent() {
    let app = spawn_app_with_messaging().await;
    let mail = app.mail.clone().unwrap();
    mail.set_rcpt_reply(Some("451 4.3.0 try again later".into()));
    let slot = app.slots_ahead(3, None).await[0];
    let (id, _) = book(&app, slot, json!({})).await;
    settle_messages(&app).await;
    let row = || async {
        let r: (String, String, i64, Option<i64>) =
            sqlx::query_as("SELECT status, status_reason, attempts, next_attempt_at FROM client_messages WHERE appointment_id = ?")
                .bind(id)
                .fetch_one(app.running.state.db.pool())
                .await
                .unwrap();
        r
    };
    let mut r = row().await;
    for _ in 0..200 {
        if r.0 == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        r = row().await;
    }
    assert_eq!((r.0.as_str(), r.2), ("failed", 1), "{r:?}");
    assert!(r.1.contains("just now") && r.1.contains("will retry"), "{}", r.1);
    let clock = &app.running.state.clock;
    // A minute after the attempt; the clock may have ticked into the next second since.
    let wait = r.3.unwrap() - clock.now_s();
    assert!((59..=60).contains(&wait), "first retry a minute later, not {wait} s");

    mail.set_rcpt_reply(None);
    clock.advance_s(61);
    assert_eq!(mail.wait_for(1, WAIT).await.len(), 1);
    for _ in 0..200 {
        r = row().await;
        if r.0 == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!((r.0.as_str(), r.2, r.3), ("sent", 2, None));
}

#[tokio::test]
async fn a_send_cut_off_by_a_crash_is_due_again_as_soon_as_the_next_process_starts() {
    let app = spawn_app_with_messaging().await;
    let mail = app.mail.clone().unwrap();
    mail.set_rcpt_reply(Some("451 4.3.0 try again later".into()));
    let slot = app.slots_ahead(3, None).await[0];
    let (id, _) = book(&app, slot, json!({})).await;
    settle_messages(&app).await;
    let status = || async {
        sqlx::query_as::<_, (String, Option<i64>)>("SELECT status, claimed_at FROM client_messages WHERE appointment_id = ?")
            .bind(id)
            .fetch_one(app.running.state.db.pool())
            .await
            .unwrap()
    };
    for _ in 0..200 {
        if status().await.0 == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status().await, ("failed".to_string(), None), "an outcome releases the claim");
    // As a process killed mid-send leaves it: claimed, due again only when
    // the ten-minute claim runs out.
    let now = app.running.state.clock.now_s();
    app.running
        .state
        .db
        .write(move |tx| {
            Box::pin(async move {
                sqlx::query("UPDATE client_messages SET claimed_at = ?, next_attempt_at = ? WHERE appointment_id = ?")
                    .bind(now)
                    .bind(now + 600)
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
                Ok(())
            })
        })
        .await
        .unwrap();
    mail.set_rcpt_reply(None);
    let app = app.restart(0).await;
    // The clock has not moved: the new process sent it at once.
    assert_eq!(mail.wait_for(1, WAIT).await.len(), 1);
    assert!(app.running.state.clock.now_s() - now < 60);
}

#[tokio::test]
async fn the_calendar_file_describes_the_booking() {
    let app = spawn_app().await;
    let slot = app.slots_ahead(3, None).await[0];
    let (id, token) = book(&app, slot, json!({})).await;
    let res = reqwest::get(format!("{}/t/{token}/calendar.ics", app.base)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = res.text().await.unwrap();
    let start = chrono::DateTime::from_timestamp(slot, 0)
        .unwrap()
        .format("%Y%m%dT%H%M%SZ")
        .to_string();
    assert!(ics.contains(&format!("DTSTART:{start}")), "{ics}");
    assert!(ics.contains(&format!("UID:appointment-{id}@frontdesk")));
    assert!(ics.contains("12 High Street"));
}

#[tokio::test]
async fn staff_see_what_clients_were_sent_and_can_test_a_channel() {
    let app = spawn_app_with_messaging().await;
    let slot = app.slots_ahead(3, None).await[0];
    let (id, token) = book(&app, slot, json!({})).await;
    app.mail.clone().unwrap().wait_for(1, WAIT).await;
    settle_messages(&app).await;
    let m1 = app.sign_in(MANAGER1).await;
    let detail = m1.call("appointment", json!({"id": id})).await.1;
    assert_eq!(detail["messages"][0]["kind"], "request_received");
    assert!(detail["tracking_url"].as_str().unwrap().ends_with(&format!("/t/{token}")));
    let a1 = app.sign_in(ASSOCIATE1).await;
    assert_eq!(
        a1.call("client_messages", json!({"status": null, "before_id": null})).await.1,
        json!([]),
        "not theirs"
    );

    let (status, body) = m1
        .call("send_test_message", json!({"store_id": 1, "channel": "sms", "recipient": "12"}))
        .await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["recipient"]));
    assert_eq!(
        m1.call("send_test_message", json!({"store_id": 1, "channel": "fax", "recipient": "x"}))
            .await
            .0,
        422
    );
    assert_eq!(
        a1.call(
            "send_test_message",
            json!({"store_id": 1, "channel": "email", "recipient": "a@b.co"})
        )
        .await
        .0,
        404
    );
    let (status, _) = m1
        .call(
            "send_test_message",
            json!({"store_id": 1, "channel": "email", "recipient": "ops@example.com"}),
        )
        .await;
    assert_eq!(status, 200);
    let got = app.mail.clone().unwrap().wait_for(2, WAIT).await;
    assert_eq!(got[1].rcpt_to, vec!["ops@example.com".to_string()]);
    let mut kinds: Vec<String> = vec![];
    for _ in 0..200 {
        let list = m1.call("client_messages", json!({"status": "sent", "before_id": null})).await.1;
        kinds = list
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["kind"].as_str().unwrap().to_string())
            .collect();
        if kinds.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(kinds, vec!["test", "request_received"], "newest first, once the send is recorded");
    assert_eq!(
        m1.call("client_messages", json!({"status": "bogus", "before_id": null})).await.0,
        422
    );
}

#[tokio::test]
async fn a_staff_reply_reaches_the_client_by_email_with_a_link_back() {
    let app = spawn_app_with_messaging().await;
    let mail = app.mail.clone().unwrap();
    let slot = app.slots_ahead(3, None).await[0];
    let (id, token) = book(&app, slot, json!({"language": "fr"})).await;
    mail.wait_for(1, WAIT).await;
    // Booking updates are off for this client; a reply written to them still goes.
    let m1 = app.sign_in(MANAGER1).await;
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let upd = update_body(&a, json!({"client_communication": "DoNotSend"}));
    assert_eq!(m1.call("update_appointment", json!({"id": id, "update": upd})).await.0, 200);
    assert_eq!(
        app.anonymous()
            .call("send_message", json!({"token": token, "body": "Puis-je venir avec mon chien ?"}))
            .await
            .0,
        200
    );
    let conversation = m1.call("conversations", json!({})).await.1[0]["id"].as_i64().unwrap();
    let (status, _) = m1
        .call("reply", json!({"id": conversation, "body": "Bien sûr,\nil est le bienvenu !"}))
        .await;
    assert_eq!(status, 200);
    let got = mail.wait_for(2, WAIT).await;
    assert_eq!(got.len(), 2);
    let reply = &got[1];
    assert_eq!(reply.rcpt_to, vec!["ann@example.com".to_string()]);
    assert!(reply.subject.clone().unwrap().starts_with("Réponse"), "{:?}", reply.subject);
    let text = reply.text.clone().unwrap();
    assert!(text.contains("il est le bienvenu"), "{text}");
    assert_eq!(token_in(&text), token, "a link back to the booking to answer");
    assert!(reply.html.clone().unwrap().contains("Bien sûr,"));
    assert_eq!(kinds(&app, id).await.last().unwrap(), "store_reply");
}

#[tokio::test]
async fn an_attendee_gets_a_link_of_their_own_that_shows_the_booking_and_lets_them_drop_out_nothing_more() {
    let app = spawn_app_with_messaging().await;
    let slots = app.slots_ahead(3, None).await;
    let guests = json!([{"name": "Bob Lee", "email": "bob@example.com"}, {"name": "Cat Lee", "email": "cat@example.com"}]);
    let (id, client_token) = book(&app, slots[0], json!({"attendees": guests, "notify_attendees": true})).await;
    let mail = app.mail.clone().unwrap().wait_for(3, WAIT).await;
    let copy_to = |who: &str| {
        mail.iter()
            .find(|m| m.rcpt_to == vec![who.to_string()])
            .and_then(|m| m.text.clone())
            .unwrap()
    };
    let bob_token = token_in(&copy_to("bob@example.com"));
    let cat_token = token_in(&copy_to("cat@example.com"));
    assert_eq!(token_in(&copy_to("ann@example.com")), client_token);
    assert!(
        bob_token != client_token && cat_token != client_token && bob_token != cat_token,
        "each has their own link"
    );
    assert!(
        !copy_to("bob@example.com").contains("action=cancel"),
        "no cancel button in an attendee's copy"
    );

    // Bob's link shows the booking, as his, with none of the client's actions.
    let anon = app.anonymous();
    let (status, view) = anon.call("tracking", json!({"token": bob_token, "lang": null})).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["guest"], json!({"name": "Bob Lee", "left": false}));
    assert_eq!(view["client_name"], "Ann Lee");
    assert_eq!(
        (&view["can_modify"], &view["can_cancel"], &view["can_confirm"]),
        (&json!(false), &json!(false), &json!(false))
    );
    // And it cannot act as the client's.
    for (endpoint, body) in [
        ("tracking_cancel", json!({"token": bob_token, "reason": "", "lang": null})),
        ("tracking_confirm", json!({"token": bob_token, "lang": null})),
        ("tracking_modify", json!({"token": bob_token, "starts_at": slots[2], "lang": null})),
        ("tracking_times", json!({"token": bob_token, "date": "2030-01-01"})),
        ("send_message", json!({"token": bob_token, "body": "Hello"})),
    ] {
        assert_eq!(anon.call(endpoint, body).await.0, 404, "{endpoint}");
    }
    assert_eq!(
        anon.http
            .get(format!("{}/t/{bob_token}/calendar.ics", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the calendar file is his to have"
    );
    // The client's link cannot drop anyone out, and an unknown link is a 404.
    assert_eq!(anon.call("tracking_leave", json!({"token": client_token})).await.0, 404);
    assert_eq!(anon.call("tracking_leave", json!({"token": "nope"})).await.0, 404);

    // Bob drops out: he is listed no more and hears nothing more; Cat still does.
    assert_eq!(anon.call("tracking_leave", json!({"token": bob_token})).await.0, 200);
    assert_eq!(
        anon.call("tracking_leave", json!({"token": bob_token})).await.0,
        200,
        "twice is fine"
    );
    let (_, view) = anon.call("tracking", json!({"token": bob_token, "lang": null})).await;
    assert_eq!(view["guest"]["left"], true);
    let m1 = app.sign_in(MANAGER1).await;
    let detail = m1.call("appointment", json!({"id": id})).await.1;
    let listed: Vec<&str> = detail["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["email"].as_str().unwrap())
        .collect();
    assert_eq!(listed, vec!["cat@example.com"]);
    let (status, body) = m1
        .call("cancel_appointment", json!({"id": id, "reason": "The store is closed"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let mail = app.mail.clone().unwrap().wait_for(5, WAIT).await;
    let to: Vec<&str> = mail[3..].iter().map(|m| m.rcpt_to[0].as_str()).collect();
    assert!(
        to.contains(&"ann@example.com") && to.contains(&"cat@example.com") && !to.contains(&"bob@example.com"),
        "{to:?}"
    );
}
