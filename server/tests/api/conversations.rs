//! Client messages and conversations: who is told, the overdue reminder, visibility.

use crate::helpers::*;
use serde_json::json;

/// Books online (optionally naming an associate) and returns the tracking token.
async fn booked_token(app: &TestApp, i: usize, name: &str, associate: Option<i64>) -> String {
    let slot = app.free_slots(1, associate).await[i];
    let mut b = booking(slot, name, &format!("{}@example.com", name.to_lowercase().replace(' ', ".")));
    b["request"]["associate_id"] = json!(associate);
    let (status, body) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{body}");
    body["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string()
}

fn messages(inbox: &[(String, String, bool)]) -> Vec<&str> {
    inbox.iter().filter(|n| n.0 == "New message").map(|n| n.1.as_str()).collect()
}

#[tokio::test]
async fn a_client_message_reaches_the_conversations_associate_or_else_the_managers_per_store_setting() {
    let app = spawn_app().await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let token = booked_token(&app, 0, "Ann Lee", Some(a1)).await;
    let anon = app.anonymous();
    assert_eq!(anon.call("send_message", json!({"token": token, "body": "   "})).await.0, 422);
    assert_eq!(
        anon.call("send_message", json!({"token": token, "body": "x".repeat(2001)})).await.0,
        422
    );
    assert_eq!(anon.call("send_message", json!({"token": "forged", "body": "Hello"})).await.0, 404);
    assert_eq!(
        anon.call("send_message", json!({"token": token, "body": "Can I bring my dog?"}))
            .await
            .0,
        200
    );
    assert_eq!(messages(&app.inbox(ASSOCIATE1).await), vec!["Ann Lee: Can I bring my dog?"]);
    assert!(
        messages(&app.inbox(MANAGER1).await).is_empty(),
        "the associate has it; managers are not told"
    );

    // A request nobody has yet: the managers are told (the store setting is on by default), admins are not.
    let unassigned = booked_token(&app, 1, "Bob Ray", None).await;
    assert_eq!(
        anon.call("send_message", json!({"token": unassigned, "body": "Running late"}))
            .await
            .0,
        200
    );
    assert_eq!(messages(&app.inbox(MANAGER1).await), vec!["Bob Ray: Running late"]);
    assert_eq!(messages(&app.inbox(MANAGER2).await).len(), 1);
    assert!(messages(&app.inbox("admin@example.com").await).is_empty());

    // With the setting off, nobody is told of unassigned messages.
    let m1 = app.sign_in(MANAGER1).await;
    let mut s = m1.call("store_settings", json!({"store_id": 1})).await.1["settings"].clone();
    s["notify_unassigned_messages"] = json!(false);
    assert_eq!(m1.call("save_store_settings", json!({"settings": s})).await.0, 200);
    assert_eq!(
        anon.call("send_message", json!({"token": unassigned, "body": "Still late"}))
            .await
            .0,
        200
    );
    assert_eq!(messages(&app.inbox(MANAGER1).await).len(), 1);
    // The conversation itself has both messages.
    let list = m1.call("conversations", json!({})).await.1;
    let bob = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client_name"] == "Bob Ray")
        .unwrap()
        .clone();
    assert_eq!(bob["unread"], 2);
}

#[tokio::test]
async fn an_unread_conversation_becomes_overdue_for_its_associate_unless_someone_reads_it() {
    let app = spawn_app().await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let waiting = booked_token(&app, 0, "Ann Lee", Some(a1)).await;
    let answered = booked_token(&app, 4, "Cy Dee", Some(a1)).await;
    let anon = app.anonymous();
    assert_eq!(anon.call("send_message", json!({"token": waiting, "body": "Hello?"})).await.0, 200);
    assert_eq!(
        anon.call("send_message", json!({"token": answered, "body": "Parking?"})).await.0,
        200
    );
    // The associate opens Cy's conversation and replies; Ann's stays unread.
    let associate = app.sign_in(ASSOCIATE1).await;
    let list = associate.call("conversations", json!({})).await.1;
    let cy = list.as_array().unwrap().iter().find(|c| c["client_name"] == "Cy Dee").unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, thread) = associate
        .call("reply", json!({"id": cy, "body": "Free parking behind the store."}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(thread["messages"].as_array().unwrap().len(), 2);
    assert_eq!(thread["messages"][1]["author"], "Alice Associate");

    app.running.state.clock.advance_s(59 * 60);
    app.settle().await;
    let overdue = |inbox: Vec<(String, String, bool)>| {
        inbox
            .into_iter()
            .filter(|n| n.0 == "Message awaiting a reply")
            .map(|n| n.1)
            .collect::<Vec<_>>()
    };
    assert!(overdue(app.inbox(ASSOCIATE1).await).is_empty(), "not yet");
    app.running.state.clock.advance_s(2 * 60);
    for _ in 0..100 {
        if !overdue(app.inbox(ASSOCIATE1).await).is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        overdue(app.inbox(ASSOCIATE1).await),
        vec!["Ann Lee's message is still unread: Hello?".to_string()]
    );
}

#[tokio::test]
async fn a_conversation_is_visible_to_its_associate_and_the_stores_managers_only() {
    let app = spawn_app().await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let token = booked_token(&app, 0, "Ann Lee", Some(a1)).await;
    assert_eq!(
        app.anonymous().call("send_message", json!({"token": token, "body": "Hi"})).await.0,
        200
    );
    let m1 = app.sign_in(MANAGER1).await;
    let id = m1.call("conversations", json!({})).await.1[0]["id"].as_i64().unwrap();
    assert_eq!(app.sign_in(ASSOCIATE1).await.call("conversation", json!({"id": id})).await.0, 200);
    let a2 = app.sign_in(ASSOCIATE2).await;
    assert_eq!(a2.call("conversation", json!({"id": id})).await.0, 404);
    assert_eq!(a2.call("reply", json!({"id": id, "body": "Hello"})).await.0, 404);
    assert_eq!(a2.call("conversations", json!({})).await.1.as_array().unwrap().len(), 0);
    assert_eq!(app.anonymous().call("conversations", json!({})).await.0, 401);
    // Opening it reads, changes nothing; the open page marks it read with a POST.
    let opened = m1.call("conversation", json!({"id": id})).await.1;
    assert_eq!(opened["summary"]["unread"], 1);
    assert_eq!(a2.call("mark_conversation_read", json!({"id": id})).await.0, 404);
    assert_eq!(m1.call("mark_conversation_read", json!({"id": id})).await.0, 200);
    assert_eq!(m1.call("conversations", json!({})).await.1[0]["unread"], 0);
}

#[tokio::test]
async fn rendering_a_conversation_page_for_a_get_marks_nothing_read() {
    let app = spawn_app().await;
    let token = booked_token(&app, 0, "Ann Lee", None).await;
    assert_eq!(
        app.anonymous().call("send_message", json!({"token": token, "body": "Hi"})).await.0,
        200
    );
    let m1 = app.sign_in(MANAGER1).await;
    let id = m1.call("conversations", json!({})).await.1[0]["id"].as_i64().unwrap();
    // A top-level GET (as a link from another site would make, cookies and all).
    let page = m1
        .http
        .get(format!("{}/staff/conversations/{id}", m1.base))
        .header("cookie", m1.cookie.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Ann Lee"), "the page shows the conversation");
    assert_eq!(m1.call("conversations", json!({})).await.1[0]["unread"], 1, "still unread");
}

#[tokio::test]
async fn a_conversation_follows_its_appointment_when_an_edit_gives_it_to_another_associate() {
    let app = spawn_app().await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let a2 = app.staff_id(ASSOCIATE2).await;
    let slot = app.free_slots(1, Some(a1)).await[0];
    let mut b = booking(slot, "Cara Moss", "cara@example.com");
    b["request"]["associate_id"] = json!(a1);
    let (status, booked) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{booked}");
    let token = booked["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    let id = booked["appointment_id"].clone();
    let anon = app.anonymous();
    assert_eq!(anon.call("send_message", json!({"token": token, "body": "Hello"})).await.0, 200);
    let m1 = app.sign_in(MANAGER1).await;
    let conversation = |list: serde_json::Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["client_name"] == "Cara Moss")
            .unwrap()
            .clone()
    };
    let c = conversation(m1.call("conversations", json!({})).await.1);
    assert_eq!(c["associate_name"], "Alice Associate", "{c}");
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let upd = json!({
        "starts_at": a["starts_at"], "service_id": a["service_id"], "associate_id": a2,
        "notes": a["notes"], "client_communication": a["client_communication"], "ask_client_to_confirm": false,
    });
    let (status, body) = m1.call("update_appointment", json!({"id": id, "update": upd})).await;
    assert_eq!(status, 200, "{body}");
    let c = conversation(m1.call("conversations", json!({})).await.1);
    assert_eq!(c["associate_name"], "Ben Associate", "the header names the new associate: {c}");
    assert_eq!(anon.call("send_message", json!({"token": token, "body": "Still on?"})).await.0, 200);
    assert_eq!(messages(&app.inbox(ASSOCIATE2).await), vec!["Cara Moss: Still on?"]);
}
