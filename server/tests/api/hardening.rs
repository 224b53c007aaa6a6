//! Facing the open internet: hostile or absurd input gets a clear 4xx, never
//! a dropped connection; state changes only through POST.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_date_far_outside_any_calendar_is_a_clear_422_not_a_dropped_connection() {
    let app = spawn_app().await;
    let anon = app.anonymous();
    for date in ["+262142-12-31", "-262143-01-01", "9999-12-31", "1000-01-01"] {
        let (status, body) = anon
            .call(
                "slots",
                json!({"store": "downtown", "service_id": 1, "date": date, "associate_id": null}),
            )
            .await;
        assert_eq!((status, invalid_fields(&body)), (422, vec!["date"]), "{date}: {body}");
    }
    // The tracking page's free times parse dates the same way.
    let slot = app.free_slot(1, None).await;
    let (status, body) = anon.call("book", booking(slot, "Far Away", "far@example.com")).await;
    assert_eq!(status, 200, "{body}");
    let token = body["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    let (status, body) = anon.call("tracking_times", json!({"token": token, "date": "+262142-12-31"})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["date"]), "{body}");
}

#[tokio::test]
async fn a_tracking_link_never_opens_another_booking_even_if_its_id_is_given_again() {
    let app = spawn_app().await;
    let snapshot = app.dir.path().join("before.db");
    sqlx::query("VACUUM INTO ?")
        .bind(snapshot.to_str().unwrap())
        .execute(app.running.state.db.pool())
        .await
        .unwrap();
    let slot = app.free_slot(1, None).await;
    let (status, lost) = app
        .anonymous()
        .call("book", booking(slot, "Lost Booking", "lost@example.com"))
        .await;
    assert_eq!(status, 200, "{lost}");
    let lost_token = lost["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    // The disk loses that booking: the database is as it was before it.
    let app = app.restart_from(&snapshot).await;
    let (status, next) = app.anonymous().call("book", booking(slot, "Next Client", "next@example.com")).await;
    assert_eq!(status, 200, "{next}");
    assert_eq!(next["appointment_id"], lost["appointment_id"], "the same id, given again");
    let (status, page) = app.anonymous().call("tracking", json!({"token": lost_token, "lang": null})).await;
    assert_eq!(
        status, 404,
        "the lost booking's link opens nothing, not the next client's booking: {page}"
    );
}

#[tokio::test]
async fn the_database_acknowledges_a_commit_only_once_it_is_on_disk() {
    let app = spawn_app().await;
    let (level,): (i64,) = app
        .running
        .state
        .db
        .write(|tx| Box::pin(async move { Ok(sqlx::query_as("PRAGMA synchronous").fetch_one(tx.conn()).await?) }))
        .await
        .unwrap();
    assert_eq!(
        level, 2,
        "synchronous=FULL on the writer (NORMAL, 1, can lose acknowledged commits on power loss)"
    );
}

#[tokio::test]
async fn an_unknown_tracking_link_answers_404_every_time() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    for _ in 0..20 {
        let res = http.get(format!("{}/t/not-a-real-token", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 404);
        assert!(res.text().await.unwrap().contains("not valid"), "the page says why");
    }
    // A real one answers 200.
    let slot = app.free_slot(1, None).await;
    let (_, body) = app.anonymous().call("book", booking(slot, "Real Link", "real@example.com")).await;
    let res = http
        .get(format!("{}{}", app.base, body["tracking_path"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    for path in ["/login", "/book/downtown", "/t/unknown", "/api/openapi.json", "/nope"] {
        let res = http.get(format!("{}{path}", app.base)).send().await.unwrap();
        let h = res.headers();
        let get = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert_eq!(get("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(get("referrer-policy"), "same-origin", "{path}");
        assert!(get("content-security-policy").contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(get("strict-transport-security"), "", "{path}: not over plain http");
    }
}

#[tokio::test]
async fn a_person_may_hold_only_a_handful_of_live_sockets() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let mut open = Vec::new();
    for _ in 0..app::backend::hub::SOCKETS_PER_PERSON {
        open.push(app.ws(&m1, None).await);
    }
    let refused = app.ws_status(&m1).await;
    assert_eq!(refused, 429, "one more is refused plainly");
    // Another person is not held up, and a closed socket gives its place back.
    let _other = app.ws(&app.sign_in(MANAGER2).await, None).await;
    open.pop().unwrap().close().await;
    let mut back = None;
    for _ in 0..100 {
        if app.ws_status(&m1).await == 101 {
            back = Some(());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(back.is_some(), "the place is free again");
}

#[tokio::test]
async fn repeated_wrong_passwords_are_refused_with_429_and_retry_after_before_any_hashing() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let attempt = |email: &'static str, password: &'static str| {
        let http = http.clone();
        let url = format!("{}/api/sign_in", app.base);
        async move {
            let res = http
                .post(url)
                .json(&json!({"email": email, "password": password}))
                .send()
                .await
                .unwrap();
            let retry = res
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().parse::<i64>().unwrap());
            (res.status().as_u16(), retry)
        }
    };
    // A person mistyping: a few wrong tries are answered as wrong.
    for _ in 0..6 {
        assert_eq!(attempt(MANAGER1, "wrong-password").await, (422, None));
    }
    // Then the account waits, even with the right password; another account does not.
    let (status, retry) = attempt(MANAGER1, "demo-password").await;
    assert_eq!(status, 429);
    let wait = retry.expect("Retry-After");
    assert!((1..=2).contains(&wait), "{wait}");
    assert_eq!(attempt(MANAGER2, "demo-password").await.0, 200);
    app.running.state.clock.advance_s(wait);
    assert_eq!(attempt(MANAGER1, "demo-password").await.0, 200, "after the wait, the owner gets in");
    // Unknown accounts are throttled the same way (nothing tells them apart).
    for _ in 0..6 {
        assert_eq!(attempt("nobody@example.com", "x").await.0, 422);
    }
    assert_eq!(attempt("nobody@example.com", "x").await.0, 429);
}

#[tokio::test]
async fn a_retried_online_booking_with_the_same_idempotency_key_is_booked_once() {
    let app = spawn_app().await;
    let slot = app.free_slot(1, None).await;
    let send = |key: String, body: serde_json::Value| {
        let url = format!("{}/api/book", app.base);
        async move {
            let res = reqwest::Client::new()
                .post(url)
                .header("idempotency-key", key)
                .json(&body)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.json::<serde_json::Value>().await.unwrap())
        }
    };
    let body = booking(slot, "Ida Once", "ida@example.com");
    let (status, first) = send("tap-1".into(), body.clone()).await;
    assert_eq!(status, 200, "{first}");
    // The phone lost the answer and sends it again: the same booking, the same link.
    let (status, again) = send("tap-1".into(), body.clone()).await;
    assert_eq!((status, &again), (200, &first));
    assert_eq!(app.count("appointments").await, 1, "booked once");
    let (status, _) = send("tap-1".into(), booking(slot, "Someone Else", "else@example.com")).await;
    assert_eq!(status, 409, "the key with another request is refused");
    let (status, _) = send("x".repeat(256), body).await;
    assert_eq!(status, 400);
    assert_eq!(app.count("appointments").await, 1);
}

#[tokio::test]
async fn a_session_ends_after_two_weeks_unused_and_after_thirty_days_in_any_case() {
    let app = spawn_app().await;
    let clock = &app.running.state.clock;
    let idle = app.sign_in(MANAGER1).await;
    let busy = app.sign_in(MANAGER2).await;
    // Used every few days, a session lives on; left alone for two weeks, it ends.
    for _ in 0..5 {
        clock.advance_s(3 * 24 * 3600);
        assert!(busy.call("me", json!({})).await.1.is_object(), "in use: still signed in");
    }
    assert_eq!(
        idle.call("me", json!({})).await.1,
        serde_json::Value::Null,
        "unused for 15 days: signed out"
    );
    // However busy, thirty days after signing in it ends.
    for _ in 0..6 {
        clock.advance_s(3 * 24 * 3600);
        let _ = busy.call("me", json!({})).await;
    }
    assert_eq!(
        busy.call("me", json!({})).await.1,
        serde_json::Value::Null,
        "33 days on: signed out"
    );
    // Ended sessions are forgotten when someone signs in.
    let _ = app.sign_in(MANAGER1).await;
    assert_eq!(app.count("sessions").await, 1);
}

/// Posts a server function with extra headers; returns the status, `Retry-After` and body.
async fn post_with(
    app: &TestApp,
    endpoint: &str,
    headers: &[(&str, &str)],
    body: serde_json::Value,
) -> (u16, Option<i64>, serde_json::Value) {
    let mut req = reqwest::Client::new().post(format!("{}/api/{endpoint}", app.base)).json(&body);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.unwrap();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse::<i64>().unwrap());
    (res.status().as_u16(), retry, res.json().await.unwrap_or_default())
}

#[tokio::test]
async fn online_bookings_are_limited_per_contact_so_a_script_cannot_text_a_number_again_and_again() {
    let app = spawn_app().await;
    let slots = app.slots_ahead(1, None).await;
    let by_mobile = |slot: i64, mobile: &str| {
        let mut b = booking(slot, "Mo Bile", "");
        b["request"]["mobile"] = json!(mobile);
        b["request"]["remind_by_email"] = json!(false);
        b["request"]["remind_by_sms"] = json!(true);
        b
    };
    // The same number however it is spelled: each booking would text it.
    for (i, spelling) in [
        "+44 7700 900123",
        "+447700900123",
        "+44-7700-900-123",
        "+44 (7700) 900123",
        "+447700900123",
    ]
    .iter()
    .enumerate()
    {
        let (status, _, body) = post_with(&app, "book", &[], by_mobile(slots[i], spelling)).await;
        assert_eq!(status, 200, "booking {i}: {body}");
    }
    let (status, retry, body) = post_with(&app, "book", &[], by_mobile(slots[5], "+447700900123")).await;
    assert_eq!(status, 429, "{body}");
    assert!(retry.is_some_and(|s| (1..=3600).contains(&s)), "{retry:?}");
    assert_eq!(
        body["TooManyRequests"]["retry_after_s"].as_i64(),
        retry,
        "the page tells the client how long: {body}"
    );
    assert_eq!(app.count("appointments").await, 5, "the refused one booked nothing");
    // Attendees are contacts too: a booking cannot send their messages past the limit either.
    let mut with_attendee = booking(slots[6], "Ann Lee", "ann@example.com");
    with_attendee["request"]["attendees"] = json!([{"name": "Mo Bile", "email": "mo@example.com"}]);
    with_attendee["request"]["notify_attendees"] = json!(true);
    assert_eq!(post_with(&app, "book", &[], with_attendee).await.0, 200);
    // Someone else still books; the number books again once the hour is over.
    assert_eq!(
        post_with(&app, "book", &[], booking(slots[7], "Bob Ray", "bob@example.com"))
            .await
            .0,
        200
    );
    app.running.state.clock.advance_s(retry.unwrap());
    let later = app.slots_ahead(1, None).await;
    let (status, _, body) = post_with(&app, "book", &[], by_mobile(later[8], "+447700900123")).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_bookings_are_limited_per_client_address_and_a_forged_header_does_not_help() {
    let app = spawn_app()
        .await
        .restart_with(|_, config| server::Config {
            trusted_proxies: "127.0.0.1".into(),
            ..config
        })
        .await;
    let slots = app.slots_ahead(1, None).await;
    assert!(slots.len() > 32, "enough times in a day: {}", slots.len());
    // 30 clients from one café: each books once.
    for (i, slot) in slots.iter().take(30).enumerate() {
        let (status, _, body) = post_with(
            &app,
            "book",
            &[("x-forwarded-for", "198.51.100.7")],
            booking(*slot, "Cafe Client", &format!("cafe{i}@example.com")),
        )
        .await;
        assert_eq!(status, 200, "booking {i}: {body}");
    }
    // The 31st from there waits, even claiming another address in front of the proxy's.
    for forwarded in ["198.51.100.7", "203.0.113.1, 198.51.100.7"] {
        let (status, retry, _) = post_with(
            &app,
            "book",
            &[("x-forwarded-for", forwarded)],
            booking(slots[30], "Cafe Client", "cafe30@example.com"),
        )
        .await;
        assert_eq!((status, retry.is_some()), (429, true), "{forwarded}");
    }
    // Another client address is not held up.
    let (status, _, body) = post_with(
        &app,
        "book",
        &[("x-forwarded-for", "198.51.100.8")],
        booking(slots[30], "Home Client", "home@example.com"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.count("appointments").await, 31);
}

#[tokio::test]
async fn one_tracking_link_cannot_flood_the_store_with_messages() {
    let app = spawn_app().await;
    let slot = app.free_slot(1, None).await;
    let (status, _, booked) = post_with(&app, "book", &[], booking(slot, "Ann Lee", "ann@example.com")).await;
    assert_eq!(status, 200);
    let token = booked["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    for i in 0..20 {
        let (status, _, body) = post_with(&app, "send_message", &[], json!({"token": token, "body": format!("Question {i}")})).await;
        assert_eq!(status, 200, "message {i}: {body}");
    }
    let (status, retry, _) = post_with(&app, "send_message", &[], json!({"token": token, "body": "One more"})).await;
    assert_eq!((status, retry.is_some()), (429, true));
    // Changing the booking through the link is held up too (it is the same link).
    let (status, _, _) = post_with(&app, "tracking_confirm", &[], json!({"token": token, "lang": null})).await;
    assert_eq!(status, 429);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM messages")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 20, "the refused message was not stored");
}

#[tokio::test]
async fn a_page_runs_only_the_inline_scripts_carrying_its_own_fresh_nonce() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let mut nonces = Vec::new();
    for path in ["/login", "/book/downtown", "/login"] {
        let res = http.get(format!("{}{path}", app.base)).send().await.unwrap();
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
        let html = res.text().await.unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {csp}"))
            .to_string();
        assert!(nonce.len() >= 22, "{path}: 128 bits at least: {nonce}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{path}: {csp}");
        // Every inline script carries the nonce; scripts from files are from this origin.
        let mut inline = 0;
        for tag in html.split("<script").skip(1) {
            let open = tag.split('>').next().unwrap();
            if open.contains("src=") {
                assert!(open.contains("src=\"/"), "{path}: a script from elsewhere: {open}");
            } else {
                inline += 1;
                assert!(
                    open.contains(&format!("nonce=\"{nonce}\"")),
                    "{path}: an inline script without the nonce: {open}"
                );
            }
        }
        assert!(inline > 0, "{path}: the hydration script is inline");
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[2], "a new nonce for every response");
    // What is not a page runs no inline script at all.
    let res = http.get(format!("{}/docs/api", app.base)).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self';") && !csp.contains("nonce"), "{csp}");
}

#[tokio::test]
async fn a_request_naming_another_host_is_refused_so_a_rebound_name_cannot_reach_the_server() {
    let app = spawn_app().await;
    let port = app.addr.port();
    let status = |host: String, path: &'static str| {
        let url = format!("{}{path}", app.base);
        async move {
            reqwest::Client::new()
                .get(url)
                .header("host", host)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status(format!("127.0.0.1:{port}"), "/login").await, 200);
    assert_eq!(status(format!("localhost:{port}"), "/login").await, 200);
    for path in ["/login", "/api/openapi.json", "/api/live"] {
        assert_eq!(status(format!("rebind.evil.example:{port}"), path).await, 421, "{path}");
    }
    // With a public URL, that is the name.
    let app = app
        .restart_with(|_, config| server::Config {
            public_url: Some("https://book.example.com".into()),
            ..config
        })
        .await;
    let http = reqwest::Client::new();
    let get = |host: &'static str| http.get(format!("{}/login", app.base)).header("host", host).send();
    assert_eq!(get("book.example.com").await.unwrap().status(), 200);
    assert_eq!(get("127.0.0.1").await.unwrap().status(), 421);
}

#[tokio::test]
async fn a_client_that_sends_its_headers_too_slowly_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    // Half a request, then nothing (slowloris keeps thousands of these open).
    slow.write_all(format!("GET /login HTTP/1.1\r\nHost: {}\r\nX-Slow: ", app.addr).as_bytes())
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 512];
    // The server closes it (the header timeout is 10 s; the bound here is only "not forever").
    let closed = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        loop {
            match slow.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the half-sent request was still open after a minute");
    assert!(started.elapsed() >= std::time::Duration::from_secs(5), "not cut off at once");
    // Meanwhile everyone else is served as usual.
    assert_eq!(app.anonymous().call("booking_page", json!({"store": "downtown"})).await.0, 200);
}

/// Any JSON value, a few levels deep.
fn any_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)),
        ".{0,40}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..4).prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Booking requests and tracking links as a script would send them: a valid
/// booking with any of its fields replaced by any JSON, and any text as a
/// token. Every answer is an answer (no 5xx, no dropped connection).
#[test]
fn malformed_bookings_and_tracking_links_are_refused_never_crashed_on() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (app, slot) = rt.block_on(async {
        let app = spawn_app().await;
        let slot = app.free_slot(1, None).await;
        (app, slot)
    });
    let fields = [
        "store",
        "service_id",
        "starts_at",
        "associate_id",
        "name",
        "email",
        "mobile",
        "language",
        "notes",
        "remind_by_email",
        "remind_by_sms",
        "attendees",
        "notify_attendees",
    ];
    let http = reqwest::Client::new();
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    let bodies = (
        proptest::sample::subsequence(fields.to_vec(), 1..4),
        proptest::collection::vec(any_json(), 4),
        any::<bool>(),
    );
    runner
        .run(&bodies, |(replaced, values, whole)| {
            let mut body = booking(slot, "Fuzz Client", "fuzz@example.com");
            for (field, value) in replaced.iter().zip(values.iter().cycle()) {
                body["request"][*field] = value.clone();
            }
            let body = if whole { values[0].clone() } else { body };
            let status = rt.block_on(async {
                http.post(format!("{}/api/book", app.base))
                    .json(&body)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            });
            let status = status.map_err(|e| TestCaseError::fail(format!("no answer to {body}: {e}")))?;
            prop_assert!(status < 500, "{} for {}", status, body);
            Ok(())
        })
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        // "." and ".." are path segments a URL resolves away, not tokens a link can carry.
        .run(&".{0,120}".prop_filter("a dot segment", |t| t != "." && t != ".."), |token| {
            let (page, action) = rt.block_on(async {
                let page = http
                    .get(format!("{}/t/{}", app.base, urlencode(&token)))
                    .send()
                    .await
                    .map(|r| r.status().as_u16());
                let action = http
                    .post(format!("{}/api/tracking_cancel", app.base))
                    .json(&json!({"token": token, "reason": "", "lang": null}))
                    .send()
                    .await
                    .map(|r| r.status().as_u16());
                (page, action)
            });
            let (page, action) = (
                page.map_err(|e| TestCaseError::fail(format!("{token:?}: {e}")))?,
                action.map_err(|e| TestCaseError::fail(format!("{token:?}: {e}")))?,
            );
            prop_assert!(matches!(page, 404 | 400), "{} for page {:?}", page, token);
            prop_assert!(matches!(action, 404 | 400 | 422 | 429), "{} for action {:?}", action, token);
            Ok(())
        })
        .unwrap();
    rt.block_on(app.running.shutdown());
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
