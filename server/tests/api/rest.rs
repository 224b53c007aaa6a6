//! The integration REST API: API keys, appointments and webhook endpoints
//! through `/api/v1`, its OpenAPI document, and schemathesis against it.

use crate::helpers::*;
use crate::webhook_receiver::WebhookReceiver;
use serde_json::{json, Value};
use std::time::Duration;

const ADMIN: &str = "admin@example.com";

/// A fresh key made by the admin through the staff app.
async fn api_key(app: &TestApp) -> String {
    let admin = app.sign_in(ADMIN).await;
    let (status, body) = admin.call("create_api_key", json!({"name": "CRM sync"})).await;
    assert_eq!(status, 200, "{body}");
    body["key"].as_str().unwrap().to_string()
}

struct Rest {
    http: reqwest::Client,
    base: String,
    key: String,
}

impl Rest {
    fn new(app: &TestApp, key: &str) -> Self {
        Rest {
            http: reqwest::Client::new(),
            base: app.base.clone(),
            key: key.into(),
        }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// POST with an `Idempotency-Key`.
    async fn post_once(&self, path: &str, key: &str, body: Value) -> (u16, Value) {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .header("idempotency-key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
}

#[tokio::test]
async fn api_keys_are_shown_once_stored_hashed_and_revocable() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    assert!(key.starts_with("fdk_") && key.len() > 40);
    let stored: Vec<(String,)> = sqlx::query_as("SELECT key_hash FROM api_keys")
        .fetch_all(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, key, "only a hash is kept");
    let admin = app.sign_in(ADMIN).await;
    let listed = admin.call("api_keys", json!({})).await.1;
    assert!(!listed.to_string().contains(&key[8..]), "the list never shows the key");

    let rest = Rest::new(&app, &key);
    assert_eq!(rest.get("/api/v1/appointments").await.0, 200);
    let (status, body) = Rest::new(&app, "fdk_wrong").get("/api/v1/appointments").await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthorized")));
    let m1 = app.sign_in(MANAGER1).await;
    assert_eq!(m1.call("create_api_key", json!({"name": "mine"})).await.0, 403, "admins only");

    assert_eq!(admin.call("revoke_api_key", json!({"id": listed[0]["id"]})).await.0, 200);
    assert_eq!(rest.get("/api/v1/appointments").await.0, 401, "a revoked key opens nothing");
}

#[tokio::test]
async fn appointments_made_and_changed_through_the_api_fire_webhooks_like_the_app() {
    let app = spawn_app().await;
    let rest = Rest::new(&app, &api_key(&app).await);
    let receiver = WebhookReceiver::start().await;
    let (status, ep) = rest
        .post(
            "/api/v1/webhooks/endpoints",
            json!({"store_id": 1, "url": receiver.url("/crm"), "event_types": ["appointment.created", "appointment.updated", "appointment.status_updated"]}),
        )
        .await;
    assert_eq!(status, 201, "{ep}");
    let m1 = app.sign_in(MANAGER1).await;
    let (_, client) = m1
        .call(
            "create_client",
            json!({"client": {"store_id": 1, "name": "Cleo Client", "email": "cleo@example.com", "mobile": "", "language": "en"}}),
        )
        .await;
    let client_id = client.as_i64().or_else(|| client["id"].as_i64()).expect("a client id");
    let a1 = app.staff_id(ASSOCIATE1).await;
    let slots = app.slots_ahead(2, Some(a1)).await;

    let (status, created) = rest
        .post(
            "/api/v1/appointments",
            json!({"client_id": client_id, "service_id": 1, "associate_id": a1, "starts_at": slots[0]}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        (created["status"].as_str(), created["version"].as_i64()),
        (Some("Approved"), Some(1))
    );
    let id = created["id"].as_i64().unwrap();
    assert!(
        app.inbox(ASSOCIATE1).await.iter().any(|n| n.0 == "New appointment"),
        "staff are told as for the app"
    );

    let (status, moved) = rest
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/appointments/{id}"),
            Some(json!({"starts_at": slots[4]})),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!((moved["starts_at"].as_i64(), moved["version"].as_i64()), (Some(slots[4]), Some(2)));
    let (status, cancelled) = rest
        .post(
            &format!("/api/v1/appointments/{id}/cancel"),
            json!({"reason": "Rebooked elsewhere"}),
        )
        .await;
    assert_eq!((status, cancelled["status"].as_str()), (200, Some("Cancelled")));
    assert_eq!(rest.post(&format!("/api/v1/appointments/{id}/cancel"), json!({})).await.0, 409);

    let got = receiver.wait_for(3, Duration::from_secs(10)).await;
    let mut types: Vec<String> = got.iter().map(|r| r.json()["type"].as_str().unwrap().to_string()).collect();
    types.sort();
    assert_eq!(types, ["appointment.created", "appointment.status_updated", "appointment.updated"]);
    assert!(got.iter().all(|r| r.json()["content"]["modifiedBy"] == "staff"));

    let (status, page) = rest
        .get(&format!("/api/v1/appointments?status=Cancelled&client_id={client_id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        rest.get(&format!("/api/v1/appointments/{id}")).await.1["cancel_reason"],
        "Rebooked elsewhere"
    );
    let (status, log) = rest.get(&format!("/api/v1/webhooks/endpoints/{}/deliveries", ep["id"])).await;
    assert_eq!(status, 200);
    assert_eq!(log.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn bad_requests_get_a_json_error_naming_the_field_never_a_5xx() {
    let app = spawn_app().await;
    let rest = Rest::new(&app, &api_key(&app).await);
    // (method, path, body, expected status, the field the error names)
    type Case<'a> = (reqwest::Method, &'a str, Option<Value>, u16, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (reqwest::Method::GET, "/api/v1/appointments?status=Lost", None, 422, Some("status")),
        (reqwest::Method::GET, "/api/v1/appointments?limit=0", None, 422, Some("limit")),
        (reqwest::Method::GET, "/api/v1/appointments?from=tomorrow", None, 400, None),
        (reqwest::Method::GET, "/api/v1/appointments/abc", None, 400, None),
        (reqwest::Method::GET, "/api/v1/appointments/999999", None, 404, None),
        (
            reqwest::Method::POST,
            "/api/v1/appointments",
            Some(json!({"service_id": 1})),
            422,
            Some("body"),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/appointments",
            Some(json!({"client_id": 1, "service_id": 1, "starts_at": 5, "client_communication": "Loud"})),
            422,
            Some("client_communication"),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/appointments",
            Some(json!({"client_id": 424242, "service_id": 1, "starts_at": 5})),
            404,
            None,
        ),
        (
            reqwest::Method::POST,
            "/api/v1/webhooks/endpoints",
            Some(json!({"store_id": 1, "url": "ftp://x", "event_types": []})),
            422,
            Some("url"),
        ),
        (reqwest::Method::POST, "/api/v1/webhooks/deliveries/77/resend", None, 404, None),
    ];
    for (method, path, body, want, field) in cases {
        let (status, err) = rest.send(method.clone(), path, body).await;
        assert_eq!(status, want, "{method} {path}: {err}");
        assert!(
            err["error"]["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{path}: a readable message: {err}"
        );
        if let Some(f) = field {
            let fields: Vec<&str> = err["error"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["field"].as_str().unwrap())
                .collect();
            assert!(fields.contains(&f), "{path}: names {f}: {err}");
        }
    }
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/appointments", app.base))
        .bearer_auth(&rest.key)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "bad_request");
}

#[tokio::test]
async fn integrators_read_the_catalogue_and_the_same_free_times_the_booking_page_offers() {
    let app = spawn_app().await;
    let rest = Rest::new(&app, &api_key(&app).await);
    let (status, stores) = rest.get("/api/v1/stores").await;
    assert_eq!(status, 200, "{stores}");
    assert_eq!(stores[0]["slug"], "downtown");
    assert_eq!(stores[0]["time_zone"], "Europe/London");

    let (status, services) = rest.get("/api/v1/stores/1/services").await;
    assert_eq!(status, 200, "{services}");
    assert_eq!(services[0]["name"], "Haircut");
    let (status, staff) = rest.get("/api/v1/stores/1/staff").await;
    assert_eq!(status, 200, "{staff}");
    let roles: Vec<&str> = staff.as_array().unwrap().iter().map(|s| s["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["manager", "manager", "associate", "associate", "associate"]);

    // A new service through the API, then changed; 422 names the field.
    let a1 = app.staff_id(ASSOCIATE1).await;
    let (status, created) = rest
        .post(
            "/api/v1/stores/1/services",
            json!({"name": "Beard trim", "duration_min": 20, "performers": [a1]}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        (created["bookable_online"].clone(), created["performers"].clone()),
        (json!(true), json!([a1]))
    );
    let id = created["id"].as_i64().unwrap();
    let mut changed = created.clone();
    changed["price_cents"] = json!(1500);
    let (status, body) = rest
        .send(reqwest::Method::PUT, &format!("/api/v1/stores/1/services/{id}"), Some(changed))
        .await;
    assert_eq!((status, body["price_cents"].clone()), (200, json!(1500)), "{body}");
    let (status, body) = rest.post("/api/v1/stores/1/services", json!({"name": "", "duration_min": 0})).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "duration_min"]);
    assert_eq!(rest.get("/api/v1/stores/99/services").await.0, 404);

    // Free times: the booking page's, for anyone and for one associate.
    let page = app.anonymous().call("booking_page", json!({"store": "downtown"})).await.1;
    let day = page["first_open_day"].as_str().unwrap().to_string();
    let (status, api_times) = rest
        .get(&format!("/api/v1/stores/1/availability?service_id=1&date={day}&associate_id={a1}"))
        .await;
    assert_eq!(status, 200, "{api_times}");
    let page_times = app
        .anonymous()
        .call(
            "slots",
            json!({"store": "downtown", "service_id": 1, "date": day, "associate_id": a1}),
        )
        .await
        .1;
    assert_eq!(api_times, page_times);
    assert_eq!(
        rest.get(&format!("/api/v1/stores/1/availability?service_id={id}&date={day}"))
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        app.anonymous()
            .call(
                "slots",
                json!({"store": "downtown", "service_id": id, "date": day, "associate_id": a1})
            )
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        "a service only Alice performs: anyone means Alice"
    );
    let (status, body) = rest.get("/api/v1/stores/1/availability?service_id=1&date=+262142-12-31").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(rest.get("/api/v1/stores/1/availability?service_id=1&date=tomorrow").await.0, 422);
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_describes_every_route() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(format!("{}/api/openapi.json", app.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/appointments",
        "/api/v1/appointments/{id}",
        "/api/v1/appointments/{id}/cancel",
        "/api/v1/webhooks/endpoints",
        "/api/v1/webhooks/endpoints/{id}",
        "/api/v1/webhooks/endpoints/{id}/rotate-secret",
        "/api/v1/webhooks/endpoints/{id}/test",
        "/api/v1/webhooks/endpoints/{id}/deliveries",
        "/api/v1/webhooks/endpoints/{id}/replay",
        "/api/v1/webhooks/deliveries/{id}/resend",
        "/api/v1/stores",
        "/api/v1/stores/{id}/services",
        "/api/v1/stores/{id}/services/{service_id}",
        "/api/v1/stores/{id}/staff",
        "/api/v1/stores/{id}/availability",
    ] {
        assert!(paths.contains_key(p), "{p} is documented");
    }
    assert_eq!(doc["components"]["securitySchemes"]["api_key"]["scheme"], "bearer");
}

/// Property-based tests generated from the OpenAPI document by schemathesis
/// (installed by `cargo xtask test`): no 5xx, and every answer matches the
/// document (status code, content type, schema).
#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_schema_violation() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let installed = std::process::Command::new("python3")
        .args(["-m", "schemathesis.cli", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        installed,
        "schemathesis is needed for this test: `cargo xtask test` installs it (pip install schemathesis==4.32.5)"
    );
    let base = app.base.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .args([
                "-m",
                "schemathesis.cli",
                "run",
                &format!("{base}/api/openapi.json"),
                "--url",
                &base,
                "--header",
                &format!("Authorization: Bearer {key}"),
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--max-examples",
                "25",
                "--phases",
                "examples,coverage,fuzzing",
                "--no-color",
            ])
            .env("SCHEMATHESIS_HOOKS", "")
            .output()
            .expect("schemathesis runs")
    })
    .await
    .unwrap();
    let out = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "schemathesis found problems:\n{out}");
    // The summary goes to the test log, so a run that tested nothing would show.
    let summary: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("passed") || l.contains("Test cases") || l.contains("API operations"))
        .collect();
    eprintln!("schemathesis: {}", summary.join(" | "));
    assert!(out.contains("passed"), "schemathesis ran no test cases:\n{out}");
}

#[tokio::test]
async fn an_appointment_created_again_with_the_same_idempotency_key_is_created_once() {
    let app = spawn_app().await;
    let rest = Rest::new(&app, &api_key(&app).await);
    let admin = app.sign_in(ADMIN).await;
    let (_, client) = admin
        .call(
            "create_client",
            json!({"client": {"store_id": 1, "name": "Ivy Once", "email": "ivy@example.com", "mobile": "", "language": "en"}}),
        )
        .await;
    let client_id = client.as_i64().or_else(|| client["id"].as_i64()).expect("a client id");
    let slots = app.slots_ahead(2, None).await;
    let body = json!({"client_id": client_id, "service_id": 1, "starts_at": slots[0]});
    let (first_status, first) = rest.post_once("/api/v1/appointments", "crm-42", body.clone()).await;
    assert_eq!(first_status, 201, "{first}");
    let (again_status, again) = rest.post_once("/api/v1/appointments", "crm-42", body.clone()).await;
    assert_eq!(
        (again_status, again["id"].clone()),
        (201, first["id"].clone()),
        "the same appointment"
    );
    assert_eq!(app.count("appointments").await, 1, "created once");
    // The key with another body is a client bug: refused, nothing made.
    let other = json!({"client_id": client_id, "service_id": 1, "starts_at": slots[1]});
    assert_eq!(rest.post_once("/api/v1/appointments", "crm-42", other).await.0, 409);
    assert_eq!(rest.post_once("/api/v1/appointments", &"k".repeat(300), body).await.0, 400);
    assert_eq!(app.count("appointments").await, 1);
}
