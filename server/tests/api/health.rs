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

#[tokio::test]
async fn metrics_are_served_only_with_their_token_in_the_prometheus_format() {
    let app = spawn_app().await;
    let off = reqwest::get(format!("{}/metrics", app.base)).await.unwrap();
    assert_eq!(off.status().as_u16(), 404, "no token configured: not served");

    let app = app
        .restart_with(|_, c| server::Config {
            metrics_token: Some("scrape-me-secret".into()),
            ..c
        })
        .await;
    let receiver = crate::webhook_receiver::WebhookReceiver::start().await;
    let admin = app.sign_in("admin@example.com").await;
    let (status, ep) = admin
        .call(
            "create_webhook_endpoint",
            serde_json::json!({"endpoint": {"store_id": 1, "url": receiver.url("/hooks"), "method": "POST", "event_types": ["appointment.created"]}}),
        )
        .await;
    assert_eq!(status, 200, "{ep}");
    let m1 = app.sign_in(MANAGER1).await;
    let _live = app.ws(&m1, None).await;
    app.book_request(0, "Ann Lee").await;
    receiver.wait_for(1, std::time::Duration::from_secs(10)).await;

    let http = reqwest::Client::new();
    let refused = http.get(format!("{}/metrics", app.base)).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    let scraped = http
        .get(format!("{}/metrics", app.base))
        .bearer_auth("scrape-me-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status().as_u16(), 200);
    assert!(scraped.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = scraped.text().await.unwrap();
    let value = |line_start: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(line_start))
            .unwrap_or_else(|| panic!("no {line_start} in\n{text}"))
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(value("frontdesk_writer_batches_total ") >= 1.0);
    assert!(value("frontdesk_writer_jobs_total ") >= value("frontdesk_writer_batches_total "));
    assert_eq!(value("frontdesk_live_sockets "), 1.0);
    assert_eq!(value("frontdesk_sends_total{channel=\"webhooks\",outcome=\"ok\"} "), 1.0);
    assert_eq!(value("frontdesk_send_latency_seconds_count{channel=\"webhooks\"} "), 1.0);
    assert!(text.contains("frontdesk_follower_lag_rows{follower=\"bell\"} "), "{text}");
    assert!(text.contains("# TYPE frontdesk_writer_queue_depth gauge"));
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (name, v) = line.rsplit_once(' ').unwrap();
        assert!(v.parse::<f64>().is_ok(), "{name}: {v}");
    }
}
