//! The foundation slice: booking, assignment, the live bell.

use crate::helpers::*;
use app::model::LiveMsg;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

#[tokio::test]
async fn online_booking_notifies_both_managers_and_assignment_notifies_only_the_associate() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let m2 = app.sign_in(MANAGER2).await;
    let a1 = app.sign_in(ASSOCIATE1).await;
    let mut m1_live = app.ws(&m1, None).await;
    let mut m2_live = app.ws(&m2, None).await;
    let mut a1_live = app.ws(&a1, None).await;

    let slot = app.free_slot(1, None).await;
    let (status, booked) = app.anonymous().call("book", booking(slot, "Ann Lee", "ann@example.com")).await;
    assert_eq!(status, 200, "{booked}");
    assert_eq!(booked["status"], "PendingStaffApproval");
    let tracking = booked["tracking_path"].as_str().unwrap();
    assert!(
        tracking.starts_with("/t/") && tracking.len() >= 3 + 22,
        "token of at least 128 bits: {tracking}"
    );
    let appointment_id = booked["appointment_id"].as_i64().unwrap();

    for live in [&mut m1_live, &mut m2_live] {
        let (item, unread) = live.next_notification().await.expect("manager told live");
        assert_eq!(item.title, "New appointment request");
        assert!(item.body.contains("Ann Lee"));
        assert_eq!(item.url, format!("/staff/appointments/{appointment_id}"));
        assert_eq!((item.seq, unread), (1, 1));
    }
    a1_live.expect_no_notification().await;

    // The queue shows it, newest first.
    let (_, queue) = m1.call("queue", json!({})).await;
    assert_eq!(queue[0]["appointment"]["id"], appointment_id);

    let a1_id = a1.call("me", json!({})).await.1["id"].as_i64().unwrap();
    let (status, body) = m1
        .call("assign", json!({"appointment_id": appointment_id, "associate_id": a1_id}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (item, unread) = a1_live.next_notification().await.expect("associate told live");
    assert_eq!(item.title, "Appointment assigned");
    assert_eq!(unread, 1);

    // The store approves by hand: assigned, it waits in the queue for approval.
    let (_, queue) = m1.call("queue", json!({})).await;
    assert_eq!(queue[0]["appointment"]["associate_name"], "Alice Associate");
    assert_eq!(
        m1.call("appointment_step", json!({"id": appointment_id, "step": "approve"}))
            .await
            .0,
        200
    );
    let (_, queue) = m1.call("queue", json!({})).await;
    assert_eq!(queue.as_array().unwrap().len(), 0, "assigned and approved requests leave the queue");
    // The request alerts were settled for both managers when it was assigned.
    for live in [&mut m1_live, &mut m2_live] {
        assert!(matches!(live.next_bell_message().await, Some(LiveMsg::Read { unread: 0, .. })));
    }
    let (_, detail) = a1.call("appointment", json!({"id": appointment_id})).await;
    assert_eq!(detail["appointment"]["associate_name"], "Alice Associate");
    assert_eq!(
        detail["history"].as_array().unwrap().len(),
        3,
        "every version is kept: booked, assigned, approved"
    );

    // The tracking page works from the token alone.
    let token = tracking.trim_start_matches("/t/");
    let (status, t) = app.anonymous().call("tracking", json!({"token": token})).await;
    assert_eq!(status, 200);
    assert_eq!(t["client_name"], "Ann Lee");
    let (status, _) = app.anonymous().call("tracking", json!({"token": "not-a-real-token"})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn concurrent_booking_of_the_same_slot_for_one_associate_is_handled_once() {
    let app = spawn_app().await;
    let a1_id = app.sign_in(ASSOCIATE1).await.call("me", json!({})).await.1["id"].as_i64().unwrap();
    let slot = app.free_slot(1, Some(a1_id)).await;
    let attempts = (0..12).map(|i| {
        let c = app.anonymous();
        let mut body = booking(slot, &format!("Client {i}"), &format!("c{i}@example.com"));
        body["request"]["associate_id"] = json!(a1_id);
        tokio::spawn(async move { c.call("book", body).await.0 })
    });
    let statuses: Vec<u16> = futures::future::join_all(attempts).await.into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    assert_eq!(app.count("appointments").await, 1);
}

#[tokio::test]
async fn concurrent_bookings_for_anyone_fill_exactly_the_number_of_associates() {
    let app = spawn_app().await;
    let slot = app.free_slot(1, None).await;
    let attempts = (0..10).map(|i| {
        let c = app.anonymous();
        let body = booking(slot, &format!("Client {i}"), &format!("c{i}@example.com"));
        tokio::spawn(async move { c.call("book", body).await.0 })
    });
    let statuses: Vec<u16> = futures::future::join_all(attempts).await.into_iter().map(|r| r.unwrap()).collect();
    // The demo store has three associates: three requests fit, the rest are told the time is taken.
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 3, "{statuses:?}");
    assert_eq!(app.count("appointments").await, 3);
    assert!(!app.free_slots(1, None).await.contains(&slot), "a full slot is no longer offered");
}

#[tokio::test]
async fn each_bad_booking_input_is_refused_with_a_field_message_and_nothing_is_stored() {
    let app = spawn_app().await;
    let slot = app.free_slot(1, None).await;
    // A slot every associate is busy at.
    let full = app.free_slots(1, None).await[4];
    for i in 0..3 {
        assert_eq!(
            app.anonymous()
                .call("book", booking(full, &format!("F{i}"), &format!("f{i}@example.com")))
                .await
                .0,
            200
        );
    }
    let appointments = app.count("appointments").await;
    let events = app.count("events").await;
    let clients = app.count("clients").await;
    let now = chrono::Utc::now().timestamp();
    // The next Sunday 12:00 London time: the demo store is closed on Sundays.
    let sunday = {
        use chrono::{Datelike, TimeZone};
        let tz: chrono_tz::Tz = "Europe/London".parse().unwrap();
        let mut d = chrono::Utc::now().with_timezone(&tz).date_naive() + chrono::Duration::days(1);
        while d.weekday() != chrono::Weekday::Sun {
            d += chrono::Duration::days(1);
        }
        tz.from_local_datetime(&d.and_hms_opt(12, 0, 0).unwrap()).unwrap().timestamp()
    };
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit, u16, &str)> = vec![
        (
            "past slot",
            Box::new(move |b| b["request"]["starts_at"] = json!(now - 3600)),
            422,
            "slot",
        ),
        (
            "taken slot",
            Box::new(move |b| b["request"]["starts_at"] = json!(full)),
            409,
            "slot",
        ),
        (
            "closed store",
            Box::new(move |b| b["request"]["starts_at"] = json!(sunday)),
            422,
            "slot",
        ),
        (
            "off the grid",
            Box::new(move |b| b["request"]["starts_at"] = json!(slot + 60)),
            422,
            "slot",
        ),
        (
            "unknown service",
            Box::new(|b| b["request"]["service_id"] = json!(999)),
            422,
            "service",
        ),
        ("bad email", Box::new(|b| b["request"]["email"] = json!("ann@")), 422, "email"),
        ("empty contact", Box::new(|b| b["request"]["email"] = json!("")), 422, "email"),
        ("bad mobile", Box::new(|b| b["request"]["mobile"] = json!("12")), 422, "mobile"),
        ("empty name", Box::new(|b| b["request"]["name"] = json!("  ")), 422, "name"),
        (
            "over-long name",
            Box::new(|b| b["request"]["name"] = json!("x".repeat(101))),
            422,
            "name",
        ),
        (
            "over-long notes",
            Box::new(|b| b["request"]["notes"] = json!("x".repeat(2001))),
            422,
            "notes",
        ),
        (
            "unknown language",
            Box::new(|b| b["request"]["language"] = json!("xx")),
            422,
            "language",
        ),
        (
            "associate of no store",
            Box::new(|b| b["request"]["associate_id"] = json!(12345)),
            422,
            "associate",
        ),
    ];
    for (name, edit, want_status, field) in cases {
        let mut body = booking(slot, "Ann Lee", "ann@example.com");
        edit(&mut body);
        let (status, err) = app.anonymous().call("book", body).await;
        assert_eq!(status, want_status, "{name}: {err}");
        let message = match &err {
            Value::Object(m) if m.contains_key("Invalid") => err["Invalid"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["field"] == field)
                .map(|f| f["message"].as_str().unwrap().to_string()),
            Value::String(s) if s == "SlotTaken" && field == "slot" => Some("taken".into()),
            _ => None,
        };
        assert!(message.is_some_and(|m| !m.is_empty()), "{name}: no message for {field} in {err}");
    }
    let (status, _) = app.anonymous().call("book", json!({"nonsense": true})).await;
    assert_eq!(status, 400, "a malformed body is the caller's error");
    let mut unknown_store = booking(slot, "Ann", "ann@example.com");
    unknown_store["request"]["store"] = json!("nowhere");
    assert_eq!(app.anonymous().call("book", unknown_store).await.0, 404);
    assert_eq!(app.count("appointments").await, appointments, "nothing stored");
    assert_eq!(app.count("events").await, events);
    assert_eq!(app.count("clients").await, clients);
}

#[tokio::test]
async fn an_associate_cannot_assign_and_cannot_see_the_queue() {
    let app = spawn_app().await;
    let slot = app.free_slot(1, None).await;
    let id = app.anonymous().call("book", booking(slot, "Ann Lee", "ann@example.com")).await.1["appointment_id"]
        .as_i64()
        .unwrap();
    let a1 = app.sign_in(ASSOCIATE1).await;
    let a1_id = a1.call("me", json!({})).await.1["id"].as_i64().unwrap();
    let (status, _) = a1.call("assign", json!({"appointment_id": id, "associate_id": a1_id})).await;
    assert_eq!(status, 403);
    assert_eq!(a1.call("queue", json!({})).await.0, 403);
    assert_eq!(
        app.anonymous()
            .call("assign", json!({"appointment_id": id, "associate_id": a1_id}))
            .await
            .0,
        401
    );
    assert_eq!(app.count("appointment_versions").await, 1, "no change recorded");
}

#[tokio::test]
async fn an_associate_sees_only_their_own_appointments() {
    let app = spawn_app().await;
    let slot = app.free_slot(1, None).await;
    let id = app.anonymous().call("book", booking(slot, "Ann Lee", "ann@example.com")).await.1["appointment_id"]
        .as_i64()
        .unwrap();
    let m1 = app.sign_in(MANAGER1).await;
    let a1 = app.sign_in(ASSOCIATE1).await;
    let a2 = app.sign_in(ASSOCIATE2).await;
    let a1_id = a1.call("me", json!({})).await.1["id"].as_i64().unwrap();
    assert_eq!(m1.call("assign", json!({"appointment_id": id, "associate_id": a1_id})).await.0, 200);
    assert_eq!(a1.call("appointment", json!({"id": id})).await.0, 200);
    assert_eq!(
        a2.call("appointment", json!({"id": id})).await.0,
        404,
        "not visible, not even as forbidden"
    );
    assert_eq!(a2.call("appointments", json!({})).await.1.as_array().unwrap().len(), 0);
    assert_eq!(a1.call("appointments", json!({})).await.1.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_live_socket_without_a_session_is_refused() {
    let app = spawn_app().await;
    let err = tokio_tungstenite::connect_async(format!("ws://{}/api/live", app.addr))
        .await
        .unwrap_err();
    match err {
        tokio_tungstenite::tungstenite::Error::Http(res) => assert_eq!(res.status(), 401),
        other => panic!("expected an HTTP refusal, got {other:?}"),
    }
    let mut req = format!("ws://{}/api/live", app.addr).into_client_request().unwrap();
    req.headers_mut().insert("cookie", "fd_session=forged".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(req).await.is_err());
}

#[tokio::test]
async fn cross_site_state_changes_are_refused() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .post(format!("{}/api/sign_in", app.base))
        .header("origin", "https://evil.example")
        .json(&json!({"email": MANAGER1, "password": "demo-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = reqwest::Client::new()
        .post(format!("{}/api/sign_in", app.base))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"email": MANAGER1, "password": "demo-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn wrong_password_is_a_clear_422() {
    let app = spawn_app().await;
    let (status, body) = app
        .anonymous()
        .call("sign_in", json!({"email": MANAGER1, "password": "nope"}))
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = app
        .anonymous()
        .call("sign_in", json!({"email": "nobody@example.com", "password": "nope"}))
        .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn catch_up_after_reconnect_returns_exactly_the_missed_items() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let slots = app.free_slots(1, None).await;
    // One notification seen live...
    let mut live = app.ws(&m1, None).await;
    app.anonymous().call("book", booking(slots[0], "First", "first@example.com")).await;
    let (seen, _) = live.next_notification().await.unwrap();
    live.close().await;
    // ...then three while disconnected.
    for (i, s) in slots[1..4].iter().enumerate() {
        assert_eq!(
            app.anonymous()
                .call("book", booking(*s, &format!("Missed {i}"), &format!("m{i}@example.com")))
                .await
                .0,
            200
        );
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut live = app.ws(&m1, Some(seen.seq)).await;
    let mut got = Vec::new();
    while let Some((item, unread)) = live.next_notification().await {
        got.push(item.seq);
        assert_eq!(unread, 4);
    }
    assert_eq!(
        got,
        vec![seen.seq + 1, seen.seq + 2, seen.seq + 3],
        "exactly the missed items, in order"
    );
    live.close().await;
    // Reconnecting again from the newest asks for nothing.
    let mut live = app.ws(&m1, Some(seen.seq + 3)).await;
    assert!(live.next_notification().await.is_none());
}

#[tokio::test]
async fn marking_read_reaches_every_tab_and_mark_all_clears_the_badge() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let slots = app.free_slots(1, None).await;
    let mut tab1 = app.ws(&m1, None).await;
    let mut tab2 = app.ws(&m1, None).await;
    for (i, s) in slots[..2].iter().enumerate() {
        app.anonymous()
            .call("book", booking(*s, &format!("C{i}"), &format!("c{i}@example.com")))
            .await;
    }
    let (first, _) = tab1.next_notification().await.unwrap();
    let (_, unread) = tab1.next_notification().await.unwrap();
    assert_eq!(unread, 2);
    let (_, _) = tab2.next_notification().await.unwrap();
    let (_, _) = tab2.next_notification().await.unwrap();
    let (status, left) = m1.call("mark_read", json!({"ids": [first.id]})).await;
    assert_eq!((status, left), (200, json!(1)));
    for tab in [&mut tab1, &mut tab2] {
        match tab.next_bell_message().await {
            Some(LiveMsg::Read { ids, unread }) => assert_eq!((ids, unread), (vec![first.id], 1)),
            other => panic!("expected read, got {other:?}"),
        }
    }
    assert_eq!(m1.call("mark_all_read", json!({})).await.0, 200);
    for tab in [&mut tab1, &mut tab2] {
        assert_eq!(tab.next_bell_message().await, Some(LiveMsg::AllRead { unread: 0 }));
    }
    let (_, page) = m1.call("notifications", json!({"before_seq": null})).await;
    assert_eq!(page["unread"], 0);
    assert!(page["items"].as_array().unwrap().iter().all(|i| i["read"] == true));
    // Someone else's notification ids change nothing.
    let m2 = app.sign_in(MANAGER2).await;
    let (_, m2_page) = m2.call("notifications", json!({"before_seq": null})).await;
    let m2_id = m2_page["items"][0]["id"].as_i64().unwrap();
    assert_eq!(m1.call("mark_read", json!({"ids": [m2_id]})).await.1, json!(0));
    assert_eq!(m2.call("notifications", json!({"before_seq": null})).await.1["unread"], 2);
}

#[tokio::test]
async fn the_bell_pages_backwards_through_the_whole_inbox() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let slots = app.free_slots(3, None).await; // 45-minute consultations
    let n = 25.min(slots.len());
    for (i, s) in slots[..n].iter().enumerate() {
        assert_eq!(
            app.anonymous()
                .call("book", booking(*s, &format!("C{i}"), &format!("c{i}@example.com")))
                .await
                .0,
            200
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut seen = Vec::new();
    let mut before = Value::Null;
    loop {
        let (_, page) = m1.call("notifications", json!({"before_seq": before})).await;
        seen.extend(page["items"].as_array().unwrap().iter().map(|i| i["seq"].as_i64().unwrap()));
        before = page["next_before"].clone();
        if before.is_null() {
            break;
        }
    }
    let want: Vec<i64> = (1..=n as i64).rev().collect();
    assert_eq!(seen, want, "newest first, every item once");
}

#[tokio::test]
async fn an_archived_item_leaves_the_bell_for_the_archive_on_every_tab_and_filters_narrow_the_list() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let mut tab = app.ws(&m1, None).await;
    let first = app.book_request(0, "Ann Lee").await;
    let second = app.book_request(1, "Bo Chan").await;
    let (a, _) = tab.next_notification().await.unwrap();
    let (b, unread) = tab.next_notification().await.unwrap();
    assert_eq!(unread, 2);
    assert_eq!(
        a.appointment_id.map(|i| i.0),
        Some(first),
        "items say what they are about, for folding"
    );
    assert_eq!(b.appointment_id.map(|i| i.0), Some(second));

    // Archiving reads it; every tab hears both.
    let (status, left) = m1.call("archive_notifications", json!({"ids": [a.id]})).await;
    assert_eq!((status, left), (200, json!(1)));
    match tab.next_bell_message().await {
        Some(LiveMsg::Archived { ids, unread }) => assert_eq!((ids, unread), (vec![a.id], 1)),
        other => panic!("expected archived, got {other:?}"),
    }
    let ids = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    let (_, page) = m1.call("notifications", json!({"before_seq": null})).await;
    assert_eq!(ids(&page), vec![b.id.0], "the bell lists what is not archived");
    assert_eq!(page["unread"], 1);
    let (_, archive) = m1
        .call("notifications", json!({"before_seq": null, "filter": {"archived": true}}))
        .await;
    assert_eq!(ids(&archive), vec![a.id.0], "the archive keeps it");
    assert_eq!(
        (archive["items"][0]["read"].clone(), archive["items"][0]["archived"].clone()),
        (json!(true), json!(true))
    );

    // Filters: unread only, and by category.
    assert_eq!(m1.call("mark_read", json!({"ids": [b.id]})).await.0, 200);
    assert!(matches!(tab.next_bell_message().await, Some(LiveMsg::Read { .. })));
    let third = app.book_request(2, "Cy Dee").await;
    let (c, _) = tab.next_notification().await.unwrap();
    assert_eq!(c.appointment_id.map(|i| i.0), Some(third));
    for (filter, want) in [
        (json!({"unread_only": true}), vec![c.id.0]),
        (json!({"category": "requests"}), vec![c.id.0, b.id.0]),
        (json!({"category": "messages"}), vec![]),
        (json!({"category": "payments"}), vec![]),
        (json!({"unread_only": true, "archived": true}), vec![]),
    ] {
        let (status, page) = m1.call("notifications", json!({"before_seq": null, "filter": filter})).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(ids(&page), want, "{filter}");
    }
    let (status, _) = m1
        .call("notifications", json!({"before_seq": null, "filter": {"category": "billing"}}))
        .await;
    assert!((400..500).contains(&status), "an unknown category is refused, not ignored");

    // Again, or someone else's: nothing changes. None at all: refused.
    assert_eq!(m1.call("archive_notifications", json!({"ids": [a.id]})).await.1, json!(1));
    let m2 = app.sign_in(MANAGER2).await;
    let (_, m2_page) = m2.call("notifications", json!({"before_seq": null})).await;
    let m2_id = m2_page["items"][0]["id"].as_i64().unwrap();
    assert_eq!(m1.call("archive_notifications", json!({"ids": [m2_id]})).await.1, json!(1));
    assert_eq!(ids(&m2.call("notifications", json!({"before_seq": null})).await.1).len(), 3);
    assert_eq!(m1.call("archive_notifications", json!({"ids": []})).await.0, 400);
}

#[tokio::test]
async fn staff_pages_redirect_to_sign_in_without_a_session() {
    let app = spawn_app().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in ["/staff", "/staff/queue", "/staff/appointments/1"] {
        let res = http.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(res.headers()["location"], "/login");
    }
    let m1 = app.sign_in(MANAGER1).await;
    let res = http
        .get(format!("{}/staff/queue", app.base))
        .header("cookie", m1.cookie.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Frontdesk"));
}

#[tokio::test]
async fn only_demo_mode_names_accounts_on_the_sign_in_page() {
    let demo = spawn_app().await;
    let (status, accounts) = demo.anonymous().call("demo_accounts", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(accounts["password"], "demo-password");
    assert_eq!(accounts["accounts"][1]["email"], MANAGER1);
    let page = reqwest::get(format!("{}/login", demo.base)).await.unwrap().text().await.unwrap();
    assert!(page.contains("demo-password"), "the demo sign-in is on the page");

    let real = spawn_app_with(false).await;
    assert_eq!(real.anonymous().call("demo_accounts", json!({})).await.1, Value::Null);
    let page = reqwest::get(format!("{}/login", real.base)).await.unwrap().text().await.unwrap();
    assert!(page.contains("Staff sign in"));
    assert!(
        !page.contains("demo-password") && !page.contains("@example.com"),
        "no accounts advertised"
    );
}

#[tokio::test]
async fn without_demo_data_the_first_admin_sets_up_once() {
    let app = spawn_app_with(false).await;
    let anon = app.anonymous();
    assert_eq!(anon.call("needs_setup", json!({})).await.1, json!(true));
    let (status, err) = anon
        .call("setup", json!({"name": "Sam", "email": "sam@", "password": "short", "store_name": "", "store_slug": "Up Town", "time_zone": "Mars/Base"}))
        .await;
    assert_eq!(status, 422);
    let fields = invalid_fields(&err);
    assert_eq!(fields, vec!["email", "password", "store_name", "store_slug", "time_zone"]);
    assert_eq!(app.count("staff").await, 0);
    let good = json!({"name": "Sam", "email": "sam@example.com", "password": "long-enough-pw", "store_name": "Uptown", "store_slug": "uptown", "time_zone": "Europe/Paris"});
    assert_eq!(anon.call("setup", good.clone()).await.0, 200);
    assert_eq!(
        anon.call("setup", good).await.0,
        409,
        "only the very first account is created this way"
    );
    let (status, me) = anon
        .call("sign_in", json!({"email": "sam@example.com", "password": "long-enough-pw"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(me["is_admin"], true);
    assert_eq!(me["stores"][0]["slug"], "uptown");
}

#[tokio::test]
async fn a_tab_resuming_from_a_sequence_the_server_never_reached_still_gets_new_items() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let mut live = app.ws(&m1, Some(999)).await;
    app.book_request(0, "Ann Lee").await;
    let (item, _) = live.next_notification().await.expect("the new item arrives");
    assert_eq!(item.seq, 1);
}
