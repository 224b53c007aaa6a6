//! Who handles a request, and what happens to the alerts about it: the rule
//! fixes of the administration issue (chosen associate in manual approval,
//! reminder bell, handled requests resolved, conversations following their
//! appointment, the public form never rewriting a client).

use crate::helpers::*;
use serde_json::{json, Value};
use std::time::Duration;

/// Books online, naming `associate` or not; returns (appointment id, tracking token).
async fn book_online(app: &TestApp, i: usize, name: &str, email: &str, associate: Option<i64>) -> (i64, String) {
    let slot = app.free_slots(1, associate).await[i];
    let mut b = booking(slot, name, email);
    b["request"]["associate_id"] = json!(associate);
    let (status, body) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{body}");
    let token = body["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    (body["appointment_id"].as_i64().unwrap(), token)
}

fn titled<'a>(inbox: &'a [(String, String, bool)], title: &str) -> Vec<&'a (String, String, bool)> {
    inbox.iter().filter(|n| n.0 == title).collect()
}

async fn queue_ids(c: &Client) -> Vec<i64> {
    let (status, body) = c.call("queue", json!({})).await;
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|i| i["appointment"]["id"].as_i64().unwrap())
        .collect()
}

async fn unread(c: &Client) -> i64 {
    let (status, body) = c.call("notifications", json!({"before_seq": null})).await;
    assert_eq!(status, 200, "{body}");
    body["unread"].as_i64().unwrap()
}

#[tokio::test]
async fn a_request_naming_an_associate_waits_for_approval_in_the_queue_and_its_associate_may_approve_it() {
    let app = spawn_app().await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let (id, _) = book_online(&app, 0, "Cora Vale", "cora@example.com", Some(a1)).await;

    // The store approves by hand (the demo default): the managers are told and see it queued.
    let m1 = app.sign_in(MANAGER1).await;
    assert_eq!(titled(&app.inbox(MANAGER1).await, "New appointment request").len(), 1);
    assert_eq!(titled(&app.inbox(MANAGER2).await, "New appointment request").len(), 1);
    assert_eq!(titled(&app.inbox(ASSOCIATE1).await, "New appointment").len(), 1);
    assert_eq!(queue_ids(&m1).await, vec![id]);
    let queued = m1.call("queue", json!({})).await.1[0]["appointment"].clone();
    assert_eq!(queued["status"], "PendingStaffApproval");
    assert_eq!(queued["associate_id"], a1);

    // Another associate may not approve it; the one it names may.
    let a2 = app.sign_in(ASSOCIATE2).await;
    assert_eq!(a2.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 403);
    let a1c = app.sign_in(ASSOCIATE1).await;
    let (status, body) = a1c.call("appointment_step", json!({"id": id, "step": "approve"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        m1.call("appointment", json!({"id": id})).await.1["appointment"]["status"],
        "Approved"
    );
    assert!(queue_ids(&m1).await.is_empty(), "approved and assigned: nothing left to handle");
    app.settle().await;
    for manager in [MANAGER1, MANAGER2] {
        let requests = app.inbox(manager).await;
        let request = titled(&requests, "New appointment request");
        assert!(request[0].2, "{manager}'s request alert is settled once approved");
    }
    let (escalations,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = 'escalate' AND appointment_id = ? AND done_at IS NULL")
            .bind(id)
            .fetch_one(app.running.state.db.pool())
            .await
            .unwrap();
    assert_eq!(escalations, 0, "nothing to chase once approved");
}

#[tokio::test]
async fn an_unapproved_request_naming_an_associate_escalates_as_awaiting_approval() {
    let app = spawn_app().await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let (id, _) = book_online(&app, 0, "Dina Holt", "dina@example.com", Some(a1)).await;
    let (due,): (i64,) = sqlx::query_as("SELECT due_at FROM jobs WHERE kind = 'escalate' AND appointment_id = ? AND done_at IS NULL")
        .bind(id)
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    let clock = &app.running.state.clock;
    clock.advance_s(due - clock.now_s() + 1);
    let mut alerts = vec![];
    for _ in 0..200 {
        alerts = app.inbox(MANAGER1).await;
        if !titled(&alerts, "Appointment awaiting approval").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let alert = titled(&alerts, "Appointment awaiting approval");
    assert_eq!(alert.len(), 1, "{alerts:?}");
    assert!(
        alert[0].1.contains("Dina Holt") && alert[0].1.contains("not approved"),
        "{}",
        alert[0].1
    );
}

#[tokio::test]
async fn once_a_manager_assigns_a_request_every_managers_alert_about_it_is_resolved() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let m2 = app.sign_in(MANAGER2).await;
    let id = app.book_request(0, "Ella Moss").await;
    let other = app.book_request(1, "Finn Cole").await;
    app.settle().await;
    assert_eq!((unread(&m1).await, unread(&m2).await), (2, 2));

    let a1 = app.staff_id(ASSOCIATE1).await;
    assert_eq!(m1.call("assign", json!({"appointment_id": id, "associate_id": a1})).await.0, 200);
    app.settle().await;
    assert_eq!(
        unread(&m2).await,
        1,
        "the other manager's alert about the handled request is settled"
    );
    assert_eq!(unread(&m1).await, 1);

    // A request the client cancels is settled too.
    let cancelled = app.book_request(2, "Gail Rowe").await;
    app.settle().await;
    assert_eq!(unread(&m2).await, 2);
    assert_eq!(m1.call("cancel_appointment", json!({"id": cancelled, "reason": ""})).await.0, 200);
    app.settle().await;
    assert_eq!(unread(&m2).await, 1, "only the request still waiting counts");
    // The assigned one still awaits the store's approval; the cancelled one is gone.
    assert_eq!(queue_ids(&m2).await, vec![other, id]);
}

#[tokio::test]
async fn the_assigned_associate_hears_of_the_upcoming_visit_at_reminder_time() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let slots = app.slots_ahead(4, Some(a1)).await;
    let mut b = booking(slots[0], "Hana Fox", "hana@example.com");
    b["request"]["associate_id"] = json!(a1);
    let (status, body) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{body}");
    let id = body["appointment_id"].as_i64().unwrap();
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    let (due,): (i64,) = sqlx::query_as("SELECT due_at FROM jobs WHERE kind = 'remind' AND appointment_id = ? AND done_at IS NULL")
        .bind(id)
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert!(titled(&app.inbox(ASSOCIATE1).await, "Upcoming visit").is_empty());
    let clock = &app.running.state.clock;
    clock.advance_s(due - clock.now_s() + 1);
    let mut inbox = vec![];
    for _ in 0..200 {
        inbox = app.inbox(ASSOCIATE1).await;
        if !titled(&inbox, "Upcoming visit").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let visit = titled(&inbox, "Upcoming visit");
    assert_eq!(visit.len(), 1, "{inbox:?}");
    assert!(visit[0].1.contains("Hana Fox"), "{}", visit[0].1);
    assert!(
        titled(&app.inbox(MANAGER1).await, "Upcoming visit").is_empty(),
        "only the associate"
    );
}

#[tokio::test]
async fn a_conversation_follows_its_appointment_to_the_new_associate() {
    let app = spawn_app().await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let a2 = app.staff_id(ASSOCIATE2).await;
    let (id, token) = book_online(&app, 0, "Ida Park", "ida@example.com", Some(a1)).await;
    let anon = app.anonymous();
    assert_eq!(anon.call("send_message", json!({"token": token, "body": "Hello"})).await.0, 200);
    let m1 = app.sign_in(MANAGER1).await;
    let conversation = m1.call("conversations", json!({})).await.1[0]["id"].as_i64().unwrap();
    let first = app.sign_in(ASSOCIATE1).await;
    let second = app.sign_in(ASSOCIATE2).await;
    assert_eq!(first.call("conversation", json!({"id": conversation})).await.0, 200);
    assert_eq!(second.call("conversation", json!({"id": conversation})).await.0, 404);

    assert_eq!(m1.call("assign", json!({"appointment_id": id, "associate_id": a2})).await.0, 200);
    assert_eq!(second.call("conversation", json!({"id": conversation})).await.0, 200);
    assert_eq!(
        second
            .call("reply", json!({"id": conversation, "body": "Hi, I'll see you then."}))
            .await
            .0,
        200
    );
    assert_eq!(first.call("conversation", json!({"id": conversation})).await.0, 404);
    assert_eq!(first.call("reply", json!({"id": conversation, "body": "Me too"})).await.0, 404);

    // The client's next message tells the new associate, not the old one.
    assert_eq!(anon.call("send_message", json!({"token": token, "body": "Thanks!"})).await.0, 200);
    let new_messages = |inbox: Vec<(String, String, bool)>| inbox.into_iter().filter(|n| n.1.contains("Thanks!")).count();
    assert_eq!(new_messages(app.inbox(ASSOCIATE2).await), 1);
    assert_eq!(new_messages(app.inbox(ASSOCIATE1).await), 0);
}

#[tokio::test]
async fn booking_online_with_a_known_email_never_changes_the_client() {
    let app = spawn_app().await;
    let (first, _) = book_online(&app, 0, "Vera Lind", "vera@example.com", None).await;
    let mut b = booking(app.free_slots(1, None).await[1], "Someone Else", "VERA@example.com");
    b["request"]["mobile"] = json!("+447700900999");
    b["request"]["remind_by_sms"] = json!(true);
    let (status, body) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{body}");
    let second = body["appointment_id"].as_i64().unwrap();

    let m1 = app.sign_in(MANAGER1).await;
    let client_of = |d: &Value| d["appointment"]["client_id"].as_i64().unwrap();
    let d1 = m1.call("appointment", json!({"id": first})).await.1;
    let d2 = m1.call("appointment", json!({"id": second})).await.1;
    assert_eq!(client_of(&d1), client_of(&d2), "recognised as the same client");
    assert_eq!(d2["appointment"]["client_name"], "Vera Lind");
    assert_eq!(d2["appointment"]["client_mobile"], Value::Null, "the stored mobile is untouched");
    assert_eq!(d1["booked_as"], Value::Null, "the first booking matches the record");
    assert_eq!(d2["booked_as"]["name"], "Someone Else");
    assert_eq!(d2["booked_as"]["mobile"], "+447700900999");

    // Staff, who can check, update the client.
    let client = client_of(&d1);
    let details = json!({"name": "Vera Lind", "email": "vera@example.com", "mobile": "+447700900999", "language": "en"});
    let (status, body) = m1.call("update_client", json!({"id": client, "details": details})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        m1.call("client", json!({"id": client})).await.1["client"]["mobile"],
        "+447700900999"
    );
    let bad = json!({"name": "", "email": "nope", "mobile": "", "language": "xx"});
    let (status, body) = m1.call("update_client", json!({"id": client, "details": bad})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["name", "email", "language"]));
    assert_eq!(
        app.anonymous()
            .call("update_client", json!({"id": client, "details": details}))
            .await
            .0,
        401
    );
}
