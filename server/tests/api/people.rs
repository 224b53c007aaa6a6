//! Setup → Staff: invitations by email with single-use expiring links,
//! roles per store, admins, and deactivation.

use crate::helpers::*;
use app::model::LiveMsg;
use serde_json::{json, Value};
use std::time::Duration;

const ADMIN: &str = "admin@example.com";

/// The invitation link in the newest email to `to`.
async fn link_sent_to(app: &TestApp, to: &str, nth: usize) -> String {
    let mail = app.mail.clone().unwrap().wait_for(nth, Duration::from_secs(10)).await;
    let m = mail
        .iter()
        .rev()
        .find(|m| m.to.iter().any(|t| t.contains(to)))
        .expect("an invitation email");
    assert!(m.subject.as_deref().is_some_and(|s| s.contains("Frontdesk")), "{:?}", m.subject);
    let text = m.text.clone().unwrap();
    let start = text.find("/invite/").expect("a link");
    let token: String = text[start + 8..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    token
}

#[tokio::test]
async fn an_invitation_link_works_once_until_it_expires_and_gives_the_roles_it_names() {
    let app = spawn_app_with_messaging().await;
    let m1 = app.sign_in(MANAGER1).await;
    let (status, body) = m1
        .call(
            "invite",
            json!({"invitation": {"email": "Nina@Example.com", "is_admin": false, "roles": [[1, "associate"]]}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["emailed"].clone(), body["link"].clone()), (json!(true), Value::Null));
    let token = link_sent_to(&app, "nina@example.com", 1).await;

    // The page shows who is invited, to where.
    let anon = app.anonymous();
    let info = anon.call("invitation", json!({"token": token})).await.1;
    assert_eq!(
        (info["email"].clone(), info["stores"].clone()),
        (json!("nina@example.com"), json!(["Downtown"]))
    );
    let (status, body) = anon
        .call(
            "accept_invitation",
            json!({"token": token, "name": "Nina New", "password": "short"}),
        )
        .await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["password"]));
    let (status, me) = anon
        .call(
            "accept_invitation",
            json!({"token": token, "name": "Nina New", "password": "nina-long-password"}),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["stores"][0]["role"], "associate");
    // Used: it does not work twice.
    assert_eq!(anon.call("invitation", json!({"token": token})).await.0, 404);
    assert_eq!(
        anon.call(
            "accept_invitation",
            json!({"token": token, "name": "Eve", "password": "another-long-password"})
        )
        .await
        .0,
        404
    );
    let (status, _) = anon
        .call("sign_in", json!({"email": "nina@example.com", "password": "nina-long-password"}))
        .await;
    assert_eq!(status, 200);
    // She is an associate of Downtown: offered on the booking page.
    let page = anon.call("booking_page", json!({"store": "downtown"})).await.1;
    assert!(page["associates"].to_string().contains("Nina New"));

    // An invitation expires after seven days; a resent one works again, the old link not.
    let (_, body) = m1
        .call(
            "invite",
            json!({"invitation": {"email": "omar@example.com", "is_admin": false, "roles": [[1, "manager"]]}}),
        )
        .await;
    let id = body["id"].as_i64().unwrap();
    let old = link_sent_to(&app, "omar@example.com", 2).await;
    app.running.state.clock.advance_s(7 * 86_400 + 1);
    assert_eq!(anon.call("invitation", json!({"token": old})).await.0, 404);
    assert_eq!(m1.call("resend_invitation", json!({"id": id})).await.0, 200);
    let new = link_sent_to(&app, "omar@example.com", 3).await;
    assert_ne!(old, new);
    assert_eq!(anon.call("invitation", json!({"token": new})).await.0, 200);
    // Revoked: gone.
    assert_eq!(m1.call("revoke_invitation", json!({"id": id})).await.0, 200);
    assert_eq!(anon.call("invitation", json!({"token": new})).await.0, 404);

    // Bad input and rights.
    let (status, body) = m1
        .call(
            "invite",
            json!({"invitation": {"email": "manager2@example.com", "is_admin": false, "roles": [[1, "associate"]]}}),
        )
        .await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["email"]), "already has an account");
    let (status, _) = m1
        .call(
            "invite",
            json!({"invitation": {"email": "boss@example.com", "is_admin": true, "roles": []}}),
        )
        .await;
    assert_eq!(status, 403, "managers do not make admins");
    let alice = app.sign_in(ASSOCIATE1).await;
    let (status, _) = alice
        .call(
            "invite",
            json!({"invitation": {"email": "pal@example.com", "is_admin": false, "roles": [[1, "associate"]]}}),
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn deactivating_an_associate_ends_their_sessions_and_puts_their_appointments_back_in_the_queue() {
    let app = spawn_app().await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let slots = app.slots_ahead(2, Some(a1)).await;
    let mut b = booking(slots[0], "Quinn Queue", "quinn@example.com");
    b["request"]["associate_id"] = json!(a1);
    let (status, body) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{body}");
    let id = body["appointment_id"].as_i64().unwrap();

    let alice = app.sign_in(ASSOCIATE1).await;
    let mut alice_tab = app.ws(&alice, None).await;
    let m1 = app.sign_in(MANAGER1).await;
    // Approved: nothing is chasing it any more.
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    app.settle().await;
    let m2 = app.sign_in(MANAGER2).await;
    let mut m2_tab = app.ws(&m2, None).await;
    let (status, body) = m1.call("deactivate", json!({"staff_id": a1})).await;
    assert_eq!(status, 200, "{body}");

    // Her open tab is signed out at once; she cannot sign in again.
    loop {
        match alice_tab.next().await {
            Some(LiveMsg::SignedOut) => break,
            Some(_) => continue,
            None => panic!("the tab was not told"),
        }
    }
    assert_eq!(alice.call("me", json!({})).await.1, Value::Null);
    let (status, _) = app
        .anonymous()
        .call("sign_in", json!({"email": ASSOCIATE1, "password": "demo-password"}))
        .await;
    assert_eq!(status, 422);
    // Her appointment is back in the queue, and the other manager is told live.
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    assert_eq!(a["associate_id"], Value::Null);
    let queue = m1.call("queue", json!({})).await.1;
    assert!(queue.as_array().unwrap().iter().any(|q| q["appointment"]["id"] == id));
    let (item, _) = m2_tab.next_notification().await.expect("told live");
    assert!(item.body.contains("Quinn Queue") || item.title.contains("updated"), "{item:?}");
    // Back in the queue, it is chased again like any request nobody took.
    app.settle().await;
    app.running.state.clock.advance_s(31 * 60);
    let mut escalated = false;
    while let Some((item, _)) = m2_tab.next_notification().await {
        if item.title == "Appointment awaiting assignment" {
            escalated = true;
            break;
        }
    }
    assert!(escalated, "the managers are reminded of it");
    // She is not offered to clients any more.
    let page = app.anonymous().call("booking_page", json!({"store": "downtown"})).await.1;
    assert!(!page["associates"].to_string().contains("Alice Associate"));
    // Not twice, and not oneself.
    assert_eq!(m1.call("deactivate", json!({"staff_id": a1})).await.0, 404);
    assert_eq!(
        m1.call("deactivate", json!({"staff_id": app.staff_id(MANAGER1).await})).await.0,
        409
    );
}

#[tokio::test]
async fn nobody_can_remove_the_last_admin_and_only_admins_make_admins() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let admin_id = app.staff_id(ADMIN).await;
    let m1_id = app.staff_id(MANAGER1).await;
    assert_eq!(
        admin.call("set_admin", json!({"staff_id": admin_id, "is_admin": false})).await.0,
        409
    );
    let m1 = app.sign_in(MANAGER1).await;
    assert_eq!(m1.call("set_admin", json!({"staff_id": m1_id, "is_admin": true})).await.0, 403);
    assert_eq!(m1.call("deactivate", json!({"staff_id": admin_id})).await.0, 403);
    // With a second admin, the first may step down.
    assert_eq!(admin.call("set_admin", json!({"staff_id": m1_id, "is_admin": true})).await.0, 200);
    assert_eq!(
        admin.call("set_admin", json!({"staff_id": admin_id, "is_admin": false})).await.0,
        200
    );
    let m1 = app.sign_in(MANAGER1).await;
    assert_eq!(
        m1.call("set_admin", json!({"staff_id": m1_id, "is_admin": false})).await.0,
        409,
        "now the last one"
    );

    // Roles per store: a manager changes their store's people, and the page lists them.
    let a2 = app.staff_id(ASSOCIATE2).await;
    assert_eq!(
        m1.call("set_store_role", json!({"staff_id": a2, "store_id": 1, "role": "manager"}))
            .await
            .0,
        200
    );
    let page = m1.call("people", json!({})).await.1;
    let ben = page["people"].as_array().unwrap().iter().find(|p| p["id"] == a2).unwrap().clone();
    assert_eq!(ben["roles"][0]["role"], "manager");
    assert_eq!(
        m1.call("set_store_role", json!({"staff_id": a2, "store_id": 1, "role": "owner"}))
            .await
            .0,
        422
    );
    let alice = app.sign_in(ASSOCIATE1).await;
    assert_eq!(alice.call("people", json!({})).await.0, 403);
    assert_eq!(
        alice
            .call("set_store_role", json!({"staff_id": a2, "store_id": 1, "role": null}))
            .await
            .0,
        403
    );
}

#[tokio::test]
async fn an_invitation_is_written_in_its_stores_language_and_retried_until_the_mail_server_takes_it() {
    let app = spawn_app_with_messaging().await;
    let mail = app.mail.clone().unwrap();
    let admin = app.sign_in(ADMIN).await;
    let mut p = admin.call("setup_store", json!({"store_id": 1})).await.1["profile"].clone();
    p["default_language"] = json!("fr");
    assert_eq!(admin.call("save_store", json!({"profile": p})).await.0, 200);
    mail.set_rcpt_reply(Some("451 4.3.0 try again later".into()));
    let (status, body) = admin
        .call(
            "invite",
            json!({"invitation": {"email": "remi@example.com", "is_admin": false, "roles": [[1, "manager"]]}}),
        )
        .await;
    assert_eq!((status, body["emailed"].clone()), (200, json!(true)), "{body}");
    let row = || async {
        sqlx::query_as::<_, (String, i64, Option<i64>, String)>(
            "SELECT status, attempts, next_attempt_at, body_text FROM account_emails WHERE recipient = 'remi@example.com'",
        )
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap()
    };
    let mut r = row().await;
    for _ in 0..250 {
        if r.0 == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        r = row().await;
    }
    assert_eq!((r.0.as_str(), r.1), ("failed", 1), "refused once, kept for a retry");
    assert!(r.2.is_some() && r.3.contains("/invite/"));

    mail.set_rcpt_reply(None);
    app.running.state.clock.advance_s(61);
    let got = mail.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got[0].subject.as_deref(), Some("Vous êtes invité·e sur Frontdesk"));
    assert!(got[0].text.as_deref().unwrap().contains("vous invite à rejoindre Downtown"));
    for _ in 0..250 {
        r = row().await;
        if r.0 == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        (r.0.as_str(), r.1, r.2, r.3.as_str()),
        ("sent", 2, None, ""),
        "sent: its link is not kept"
    );
    // The link it carried works.
    let token = link_sent_to(&app, "remi@example.com", 1).await;
    let info = app.anonymous().call("invitation", json!({"token": token})).await.1;
    assert_eq!(info["email"], "remi@example.com");
}
