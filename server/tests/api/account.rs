//! A person's own account: name, password, sessions.

use crate::helpers::*;
use app::model::LiveMsg;
use serde_json::json;

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_signs_the_other_sessions_out() {
    let app = spawn_app().await;
    let laptop = app.sign_in(MANAGER1).await;
    let phone = app.sign_in(MANAGER1).await;
    let mut phone_tab = app.ws(&phone, None).await;
    let mut laptop_tab = app.ws(&laptop, None).await;
    let sessions = laptop.call("account", json!({})).await.1["sessions"].clone();
    assert_eq!(sessions.as_array().unwrap().len(), 2);
    assert_eq!(sessions.as_array().unwrap().iter().filter(|s| s["current"] == true).count(), 1);

    let (status, body) = laptop
        .call(
            "change_password",
            json!({"current_password": "wrong-password", "new_password": "a-new-long-password"}),
        )
        .await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["current_password"]));
    let (status, body) = laptop
        .call(
            "change_password",
            json!({"current_password": "demo-password", "new_password": "short"}),
        )
        .await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["new_password"]));
    assert_eq!(phone.call("me", json!({})).await.1["email"], MANAGER1, "nothing changed yet");

    let (status, body) = laptop
        .call(
            "change_password",
            json!({"current_password": "demo-password", "new_password": "a-new-long-password"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        phone.call("me", json!({})).await.1,
        serde_json::Value::Null,
        "the other session is signed out"
    );
    // Its open tab is told at once and its socket closes; this tab's stays open and hears nothing.
    assert_eq!(phone_tab.next().await, Some(LiveMsg::SignedOut));
    assert_eq!(phone_tab.next().await, None, "closed");
    laptop_tab.expect_no_notification().await;
    assert_eq!(laptop.call("me", json!({})).await.1["email"], MANAGER1, "this one stays");
    // The old password no longer works; the new one does.
    let (status, _) = app
        .anonymous()
        .call("sign_in", json!({"email": MANAGER1, "password": "demo-password"}))
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .anonymous()
        .call("sign_in", json!({"email": MANAGER1, "password": "a-new-long-password"}))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_person_renames_themselves_and_signs_another_session_out() {
    let app = spawn_app().await;
    let laptop = app.sign_in(ASSOCIATE1).await;
    let phone = app.sign_in(ASSOCIATE1).await;
    assert_eq!(laptop.call("save_my_name", json!({"name": "  Alice A. "})).await.0, 200);
    assert_eq!(laptop.call("me", json!({})).await.1["name"], "Alice A.");
    let (status, body) = laptop.call("save_my_name", json!({"name": ""})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["name"]));

    let sessions = laptop.call("account", json!({})).await.1["sessions"].clone();
    let other = sessions.as_array().unwrap().iter().find(|s| s["current"] == false).unwrap()["id"].clone();
    assert_eq!(laptop.call("end_session", json!({"session_id": other})).await.0, 200);
    assert_eq!(phone.call("me", json!({})).await.1, serde_json::Value::Null);
    // Someone else's session is not theirs to end.
    let bob = app.sign_in(ASSOCIATE2).await;
    let bobs = bob.call("account", json!({})).await.1["sessions"][0]["id"].clone();
    assert_eq!(laptop.call("end_session", json!({"session_id": bobs})).await.0, 404);
    assert_eq!(bob.call("me", json!({})).await.1["email"], ASSOCIATE2);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_single_use_link_that_expires_and_unknown_emails_look_the_same() {
    let app = spawn_app_with_messaging().await;
    let anon = app.anonymous();
    let phone = app.sign_in(ASSOCIATE2).await;
    assert_eq!(
        anon.call("request_password_reset", json!({"email": "nobody@example.com"})).await,
        (200, serde_json::Value::Null)
    );
    assert_eq!(
        anon.call("request_password_reset", json!({"email": ASSOCIATE2})).await,
        (200, serde_json::Value::Null)
    );
    let mail = app.mail.clone().unwrap().wait_for(1, std::time::Duration::from_secs(10)).await;
    assert_eq!(mail.len(), 1, "only the real account gets an email");
    assert!(mail[0].to.iter().any(|t| t.contains(ASSOCIATE2)));
    let text = mail[0].text.clone().unwrap();
    let token: String = text[text.find("/reset/").unwrap() + 7..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();

    assert_eq!(anon.call("password_reset_link", json!({"token": token})).await.0, 200);
    let (status, body) = anon.call("reset_password", json!({"token": token, "password": "short"})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["password"]));
    let (status, me) = anon
        .call("reset_password", json!({"token": token, "password": "ben-new-long-password"}))
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], ASSOCIATE2);
    assert_eq!(
        phone.call("me", json!({})).await.1,
        serde_json::Value::Null,
        "every old session ends"
    );
    assert_eq!(
        anon.call("reset_password", json!({"token": token, "password": "yet-another-password"}))
            .await
            .0,
        404,
        "once"
    );
    let (status, _) = anon
        .call("sign_in", json!({"email": ASSOCIATE2, "password": "ben-new-long-password"}))
        .await;
    assert_eq!(status, 200);

    // A link older than an hour no longer works.
    assert_eq!(anon.call("request_password_reset", json!({"email": ASSOCIATE2})).await.0, 200);
    let mail = app.mail.clone().unwrap().wait_for(2, std::time::Duration::from_secs(10)).await;
    let text = mail[1].text.clone().unwrap();
    let late: String = text[text.find("/reset/").unwrap() + 7..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    app.running.state.clock.advance_s(3601);
    assert_eq!(
        anon.call("reset_password", json!({"token": late, "password": "too-late-password"}))
            .await
            .0,
        404
    );
    assert_eq!(anon.call("request_password_reset", json!({"email": "not-an-email"})).await.0, 422);
}
