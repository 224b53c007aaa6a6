//! `/healthz` and `/readyz`, as a load balancer or an orchestrator reads them.

use crate::helpers::*;
use serde_json::Value;

#[tokio::test]
async fn healthz_answers_and_readyz_reports_every_follower() {
    let app = spawn_app().await;
    let alive = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(alive.status().as_u16(), 200);
    assert_eq!(alive.text().await.unwrap(), "ok");

    app.book_request(0, "Ann Lee").await;
    app.settle().await;
    let ready = reqwest::get(format!("{}/readyz", app.base)).await.unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["ready"], true, "{body}");
    let names: Vec<&str> = body["followers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for name in ["bell", "push", "push_reads", "client_messages", "webhooks", "staff_email"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert!(body["writer_ms"].is_u64(), "{body}");
}

#[tokio::test]
async fn a_follower_stuck_on_an_event_makes_readyz_say_so() {
    let app = spawn_app().await;
    // An event no follower can read (what a bad migration or a bug could leave):
    // each retries it rather than skip it, so nothing after it is handled.
    app.running
        .state
        .db
        .write(|tx| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO events (store_id, kind, appointment_id, actor_kind, payload, created_at)
                     VALUES (1, 'appointment.created', NULL, 'system', 'not json', strftime('%s', 'now'))",
                )
                .execute(tx.conn())
                .await?;
                Ok(())
            })
        })
        .await
        .unwrap();
    app.running.state.clock.advance_s(120);
    let ready = reqwest::get(format!("{}/readyz", app.base)).await.unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["ready"], false);
    let problems = body["problems"].to_string();
    assert!(problems.contains("bell has left a row waiting"), "{problems}");
    let bell = body["followers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "bell")
        .unwrap()
        .clone();
    assert_eq!(bell["behind"], 1, "{bell}");
}
