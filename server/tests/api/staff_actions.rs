//! Staff actions and every staff notification rule, through HTTP and the live socket.

use crate::helpers::*;
use app::model::LiveMsg;
use serde_json::{json, Value};

const ADMIN: &str = "admin@example.com";
const ASSOCIATE3: &str = "associate3@example.com";

/// A request assigned to associate1 by manager1; returns (app, id, manager1, associate1 client).
async fn assigned_appointment() -> (TestApp, i64, Client, Client) {
    let app = spawn_app().await;
    let id = app.book_request(0, "Ann Lee").await;
    let m1 = app.sign_in(MANAGER1).await;
    let a1 = app.sign_in(ASSOCIATE1).await;
    let a1_id = app.staff_id(ASSOCIATE1).await;
    assert_eq!(m1.call("assign", json!({"appointment_id": id, "associate_id": a1_id})).await.0, 200);
    app.settle().await;
    (app, id, m1, a1)
}

fn update_body(a: &serde_json::Value, changes: serde_json::Value) -> serde_json::Value {
    let mut u = json!({
        "starts_at": a["starts_at"], "service_id": a["service_id"], "associate_id": a["associate_id"],
        "notes": a["notes"], "client_communication": a["client_communication"], "ask_client_to_confirm": false,
    });
    for (k, v) in changes.as_object().unwrap() {
        u[k] = v.clone();
    }
    u
}

#[tokio::test]
async fn rescheduling_tells_the_associate_what_changed_and_keeps_the_previous_version() {
    let (app, id, m1, a1) = assigned_appointment().await;
    let mut live = app.ws(&a1, None).await;
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let later = app.free_slots(1, Some(app.staff_id(ASSOCIATE1).await)).await[8];
    let (status, body) = m1
        .call(
            "update_appointment",
            json!({"id": id, "update": update_body(&a, json!({"starts_at": later}))}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (item, _) = live.next_notification().await.expect("associate told");
    assert_eq!(item.title, "Appointment updated");
    assert!(item.body.contains("When:") && item.body.contains(" → "), "{}", item.body);
    assert!(item.body.contains("Maya Manager"), "says who changed it: {}", item.body);
    let detail = m1.call("appointment", json!({"id": id})).await.1;
    assert_eq!(detail["appointment"]["starts_at"], later);
    assert_eq!(detail["history"].as_array().unwrap().len(), 3, "every version kept");
    // Nothing changed: no version, no event.
    let events = app.count("events").await;
    let a = detail["appointment"].clone();
    assert_eq!(
        m1.call("update_appointment", json!({"id": id, "update": update_body(&a, json!({}))}))
            .await
            .0,
        200
    );
    assert_eq!(app.count("events").await, events);
}

#[tokio::test]
async fn moving_to_a_taken_time_is_refused_and_nothing_changes() {
    let (app, id, m1, _a1) = assigned_appointment().await;
    let a1_id = app.staff_id(ASSOCIATE1).await;
    // associate1 gets a second appointment later that day, then we try to move the first onto it.
    let slots = app.free_slots(1, Some(a1_id)).await;
    let mut b = booking(slots[10], "Bea", "bea@example.com");
    b["request"]["associate_id"] = json!(a1_id);
    assert_eq!(app.anonymous().call("book", b).await.0, 200);
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let versions = app.count("appointment_versions").await;
    let (status, _) = m1
        .call(
            "update_appointment",
            json!({"id": id, "update": update_body(&a, json!({"starts_at": slots[10]}))}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = m1
        .call(
            "update_appointment",
            json!({"id": id, "update": update_body(&a, json!({"service_id": 999}))}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(app.count("appointment_versions").await, versions);
}

#[tokio::test]
async fn reassigning_tells_the_new_associate_and_the_previous_one() {
    let (app, id, m1, a1) = assigned_appointment().await;
    let a2 = app.sign_in(ASSOCIATE2).await;
    let (mut l1, mut l2) = (app.ws(&a1, None).await, app.ws(&a2, None).await);
    let mut lm = app.ws(&m1, None).await;
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let a2_id = app.staff_id(ASSOCIATE2).await;
    assert_eq!(
        m1.call(
            "update_appointment",
            json!({"id": id, "update": update_body(&a, json!({"associate_id": a2_id}))})
        )
        .await
        .0,
        200
    );
    assert_eq!(l2.next_notification().await.unwrap().0.title, "Appointment assigned");
    let (moved, _) = l1.next_notification().await.unwrap();
    assert_eq!(moved.title, "Appointment moved to a colleague");
    assert!(moved.body.contains("Ben Associate"));
    lm.expect_no_notification().await;
    // An associate may not hand an appointment to someone else.
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    let a1_id = app.staff_id(ASSOCIATE1).await;
    assert_eq!(
        a2.call(
            "update_appointment",
            json!({"id": id, "update": update_body(&a, json!({"associate_id": a1_id}))})
        )
        .await
        .0,
        403
    );
}

#[tokio::test]
async fn approving_tells_the_associate_and_only_pending_requests_can_be_approved() {
    let (app, id, m1, a1) = assigned_appointment().await;
    let mut live = app.ws(&a1, None).await;
    let a2 = app.sign_in(ASSOCIATE2).await;
    assert_eq!(
        a2.call("appointment_step", json!({"id": id, "step": "approve"})).await.0,
        403,
        "associates do not approve others' appointments"
    );
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    let (item, _) = live.next_notification().await.unwrap();
    assert_eq!(item.title, "Appointment approved");
    assert_eq!(
        m1.call("appointment", json!({"id": id})).await.1["appointment"]["status"],
        "Approved"
    );
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 409);
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "dance"})).await.0, 400);
}

#[tokio::test]
async fn cancelling_tells_the_associate_who_cancelled_and_a_cancelled_appointment_stays_cancelled() {
    let (app, id, m1, a1) = assigned_appointment().await;
    let mut live = app.ws(&a1, None).await;
    let (status, _) = m1.call("cancel_appointment", json!({"id": id, "reason": "x".repeat(501)})).await;
    assert_eq!(status, 422);
    assert_eq!(
        m1.call("cancel_appointment", json!({"id": id, "reason": "Client phoned"})).await.0,
        200
    );
    let (item, _) = live.next_notification().await.unwrap();
    assert_eq!(item.title, "Appointment cancelled");
    assert!(item.body.ends_with("cancelled by Maya Manager"), "{}", item.body);
    let detail = m1.call("appointment", json!({"id": id})).await.1;
    assert_eq!(detail["appointment"]["status"], "Cancelled");
    assert_eq!(detail["appointment"]["cancel_reason"], "Client phoned");
    assert_eq!(m1.call("cancel_appointment", json!({"id": id, "reason": ""})).await.0, 409);
    // The slot is free again.
    let slot = detail["appointment"]["starts_at"].as_i64().unwrap();
    assert!(app.free_slots(1, Some(app.staff_id(ASSOCIATE1).await)).await.contains(&slot));
}

#[tokio::test]
async fn no_show_and_completion_tell_no_staff_and_wait_for_the_start_time() {
    let (app, id, m1, a1) = assigned_appointment().await;
    assert_eq!(m1.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    assert_eq!(
        a1.call("appointment_step", json!({"id": id, "step": "complete"})).await.0,
        409,
        "not started yet"
    );
    let starts = m1.call("appointment", json!({"id": id})).await.1["appointment"]["starts_at"]
        .as_i64()
        .unwrap();
    app.running.state.clock.advance_s(starts - app.running.state.clock.now_s() + 60);
    let before = app.inbox(ASSOCIATE1).await.len();
    assert_eq!(a1.call("appointment_step", json!({"id": id, "step": "no_show"})).await.0, 200);
    assert_eq!(a1.call("appointment_step", json!({"id": id, "step": "no_show"})).await.0, 409);
    assert_eq!(a1.call("appointment_step", json!({"id": id, "step": "complete"})).await.0, 200);
    assert_eq!(app.inbox(ASSOCIATE1).await.len(), before);
    assert_eq!(app.inbox(MANAGER1).await.len(), 1, "managers only ever heard of the request");
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    assert_eq!((a["presence"].as_str(), a["completed"].as_bool()), (Some("NoShow"), Some(true)));
}

#[tokio::test]
async fn staff_created_appointments_tell_the_associate_unless_they_created_it() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let a1 = app.sign_in(ASSOCIATE1).await;
    let (a1_id, a2_id) = (app.staff_id(ASSOCIATE1).await, app.staff_id(ASSOCIATE2).await);
    let (status, client_id) = m1
        .call(
            "create_client",
            json!({"client": {"store_id": 1, "name": "Cleo Client", "email": "cleo@example.com", "mobile": "", "language": "fr"}}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, found) = a1.call("clients", json!({"q": "cleo"})).await;
    assert_eq!((status, found[0]["name"].as_str()), (200, Some("Cleo Client")));
    let slots = app.free_slots(1, Some(a1_id)).await;
    let new = |associate: i64, at: i64| {
        json!({"appointment": {"client_id": client_id, "service_id": 1, "associate_id": associate, "starts_at": at, "notes": "",
            "client_communication": "ClientOnly", "ask_client_to_confirm": false}})
    };
    assert_eq!(m1.call("create_appointment", new(a1_id, slots[0])).await.0, 200);
    assert_eq!(
        a1.call("create_appointment", new(a1_id, slots[4])).await.0,
        200,
        "an associate books for themselves"
    );
    assert_eq!(
        a1.call("create_appointment", new(a2_id, slots[8])).await.0,
        403,
        "but not for a colleague"
    );
    assert_eq!(
        m1.call("create_appointment", new(a1_id, slots[0])).await.0,
        409,
        "no double booking"
    );
    let inbox = app.inbox(ASSOCIATE1).await;
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0].0, "New appointment");
    let profile = a1.call("client", json!({"id": client_id})).await.1;
    assert_eq!(profile["appointments"].as_array().unwrap().len(), 2);
    assert_eq!(profile["appointments"][0]["status"], "Approved");
}

#[tokio::test]
async fn store_settings_are_validated_and_apply_to_the_next_event() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let page = m1.call("store_settings", json!({"store_id": 1})).await.1;
    assert_eq!(page["settings"]["notify_all_managers"], true);
    let mut s = page["settings"].clone();
    s["notify_all_managers"] = json!(false);
    s["notified_managers"] = json!([]);
    s["escalation_minutes"] = json!(0);
    s["approval_mode"] = json!("sometimes");
    let (status, err) = m1.call("save_store_settings", json!({"settings": s})).await;
    assert_eq!(status, 422);
    let fields = invalid_fields(&err);
    assert_eq!(fields, vec!["escalation_minutes", "approval_mode", "notified_managers"]);
    let m2_id = app.staff_id(MANAGER2).await;
    s["notified_managers"] = json!([m2_id]);
    s["escalation_minutes"] = json!(30);
    s["approval_mode"] = json!("automatic");
    assert_eq!(m1.call("save_store_settings", json!({"settings": s.clone()})).await.0, 200);
    let a1 = app.sign_in(ASSOCIATE1).await;
    assert_eq!(a1.call("save_store_settings", json!({"settings": s})).await.0, 403);

    let slot = app.free_slot(1, None).await;
    let (_, booked) = app.anonymous().call("book", booking(slot, "Ann Lee", "ann@example.com")).await;
    assert_eq!(booked["status"], "Approved", "automatic approval applies at once");
    assert_eq!(app.inbox(MANAGER1).await.len(), 0, "manager1 is no longer selected");
    assert_eq!(app.inbox(MANAGER2).await.len(), 1);
    assert_eq!(app.inbox(ADMIN).await.len(), 1, "admins are always told of new requests");
}

#[tokio::test]
async fn an_unassigned_request_escalates_at_the_threshold_until_handled_then_the_alerts_resolve() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let mut live = app.ws(&m1, None).await;
    let id = app.book_request(0, "Ann Lee").await;
    let (request, _) = live.next_notification().await.unwrap();
    assert_eq!(request.title, "New appointment request");
    let clock = &app.running.state.clock;
    clock.advance_s(29 * 60);
    live.expect_no_notification().await;
    clock.advance_s(2 * 60);
    let (first, _) = live.next_notification().await.expect("escalated at 30 minutes");
    assert_eq!(first.title, "Appointment awaiting assignment");
    clock.advance_s(31 * 60);
    let (second, unread) = live.next_notification().await.expect("and again 30 minutes later");
    assert_eq!((second.title.as_str(), unread), ("Appointment awaiting assignment", 3));
    assert_eq!(
        app.inbox(MANAGER2)
            .await
            .iter()
            .filter(|n| n.0 == "Appointment awaiting assignment")
            .count(),
        2
    );

    let a1_id = app.staff_id(ASSOCIATE1).await;
    let m2 = app.sign_in(MANAGER2).await;
    assert_eq!(m2.call("assign", json!({"appointment_id": id, "associate_id": a1_id})).await.0, 200);
    match live.next_bell_message().await {
        Some(LiveMsg::Read { mut ids, unread }) => {
            ids.sort();
            assert_eq!(
                (ids, unread),
                (vec![request.id, first.id, second.id], 0),
                "the request and its alerts are resolved for every manager"
            );
        }
        other => panic!("expected the alerts to resolve, got {other:?}"),
    }
    // The store approves by hand: it still waits in the queue until approved.
    assert_eq!(m2.call("appointment_step", json!({"id": id, "step": "approve"})).await.0, 200);
    clock.advance_s(3 * 3600);
    app.settle().await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    live.expect_no_notification().await;
    let (done, pending): (i64, i64) = sqlx::query_as("SELECT COUNT(done_at), COUNT(*) - COUNT(done_at) FROM jobs WHERE kind = 'escalate'")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        (done, pending),
        (2, 0),
        "two escalations; handling it removed the next one before it fell due"
    );
}

#[tokio::test]
async fn a_job_due_while_the_server_was_down_runs_once_when_it_is_back() {
    let app = spawn_app().await;
    app.book_request(0, "Ann Lee").await;
    app.settle().await;
    // Down for 45 minutes: the 30-minute escalation fell due meanwhile.
    let app = app.restart(45 * 60).await;
    for _ in 0..100 {
        if app.inbox(MANAGER1).await.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let alerts = |inbox: Vec<(String, String, bool)>| inbox.iter().filter(|n| n.0 == "Appointment awaiting assignment").count();
    assert_eq!(alerts(app.inbox(MANAGER1).await), 1);
    // Another restart at the same time does not run it again.
    let app = app.restart(45 * 60).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(alerts(app.inbox(MANAGER1).await), 1);
    assert_eq!(alerts(app.inbox(ADMIN).await), 1);
}

#[tokio::test]
async fn the_bell_catches_up_after_the_server_is_killed_and_restarted() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let mut live = app.ws(&m1, None).await;
    app.book_request(0, "Before").await;
    let (seen, _) = live.next_notification().await.unwrap();
    let app = app.restart(0).await;
    // The socket closes with the server (after any list refresh already queued).
    while let Some(msg) = live.next().await {
        assert!(matches!(msg, LiveMsg::AppointmentChanged { .. }), "unexpected {msg:?}");
    }
    app.book_request(1, "While Away").await;
    app.book_request(2, "Also Away").await;
    let mut live = app.ws(&m1, Some(seen.seq)).await; // the session survives the restart
    let (a, _) = live.next_notification().await.unwrap();
    let (b, unread) = live.next_notification().await.unwrap();
    assert_eq!((a.seq, b.seq, unread), (seen.seq + 1, seen.seq + 2, 3));
    assert!(a.body.starts_with("While Away") && b.body.starts_with("Also Away"));
    assert!(live.next_notification().await.is_none(), "nothing twice");
}

#[tokio::test]
async fn nobody_is_notified_of_their_own_action_for_any_staff_action() {
    let (app, id, _m1, a1) = assigned_appointment().await;
    let before = app.inbox(ASSOCIATE1).await.len();
    let a = a1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    assert_eq!(
        a1.call(
            "update_appointment",
            json!({"id": id, "update": update_body(&a, json!({"notes": "Bring photos"}))})
        )
        .await
        .0,
        200
    );
    assert_eq!(a1.call("cancel_appointment", json!({"id": id, "reason": ""})).await.0, 200);
    assert_eq!(app.inbox(ASSOCIATE1).await.len(), before, "the associate acted: no bell for them");
    // associate3 can see none of it.
    let a3 = app.sign_in(ASSOCIATE3).await;
    assert_eq!(a3.call("appointment", json!({"id": id})).await.0, 404);
    assert_eq!(a3.call("cancel_appointment", json!({"id": id, "reason": ""})).await.0, 403);
}

#[tokio::test]
async fn the_appointments_list_finds_by_day_range_associate_status_and_client() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let alice = app.staff_id(ASSOCIATE1).await;
    let ann = app.book_request(0, "Ann Lee").await;
    let _bo = app.book_request(1, "Bo Chan").await;
    let later = app.slots_ahead(9, None).await[0];
    let (status, body) = app.anonymous().call("book", booking(later, "Cy 100%_Dee", "cy@example.com")).await;
    assert_eq!(status, 200, "{body}");
    let cy = body["appointment_id"].as_i64().unwrap();
    assert_eq!(
        m1.call("assign", json!({"appointment_id": ann, "associate_id": alice})).await.0,
        200
    );
    assert_eq!(m1.call("appointment_step", json!({"id": ann, "step": "approve"})).await.0, 200);

    let find = |q: Value| {
        let m1 = &m1;
        async move {
            let (status, body) = m1.call("find_appointments", json!({ "query": q })).await;
            assert_eq!(status, 200, "{body}");
            let mut names: Vec<String> = body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["client_name"].as_str().unwrap().to_string())
                .collect();
            names.sort();
            (names, body)
        }
    };
    let (all, body) = find(json!({})).await;
    assert_eq!(all, ["Ann Lee", "Bo Chan", "Cy 100%_Dee"], "an empty search is the upcoming list");
    assert!(
        body["associates"].as_array().unwrap().iter().any(|a| a["id"] == alice),
        "a manager may narrow by associate"
    );
    assert_eq!(find(json!({"associate_id": alice})).await.0, ["Ann Lee"]);
    assert_eq!(find(json!({"status": "Approved"})).await.0, ["Ann Lee"]);
    assert_eq!(find(json!({"status": "PendingStaffApproval"})).await.0, ["Bo Chan", "Cy 100%_Dee"]);
    assert_eq!(
        find(json!({"client": "chan"})).await.0,
        ["Bo Chan"],
        "by part of the name, any case"
    );
    assert_eq!(find(json!({"client": "cy@exa"})).await.0, ["Cy 100%_Dee"], "by email");
    assert_eq!(find(json!({"client": "100%_"})).await.0, ["Cy 100%_Dee"], "wildcards are literal");
    assert_eq!(find(json!({"client": "%"})).await.0, ["Cy 100%_Dee"]);

    // A day range, in the store's own time.
    let (_, cy_detail) = m1.call("appointment", json!({"id": cy})).await;
    let cy_day = chrono::DateTime::from_timestamp(cy_detail["appointment"]["starts_at"].as_i64().unwrap(), 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    let day = cy_day.format("%Y-%m-%d").to_string();
    assert_eq!(find(json!({"from": day, "to": day})).await.0, ["Cy 100%_Dee"]);
    let before = (cy_day - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    assert_eq!(find(json!({"to": before})).await.0, ["Ann Lee", "Bo Chan"]);

    // An associate finds only their own; bad input is a field message.
    let a1 = app.sign_in(ASSOCIATE1).await;
    let (_, mine) = a1.call("find_appointments", json!({"query": {"client": "e"}})).await;
    let names: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["client_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ann Lee"]);
    assert!(mine["associates"].as_array().unwrap().is_empty());
    for (q, field) in [
        (json!({"from": "tomorrow"}), "from"),
        (json!({"from": "2026-12-10", "to": "2026-12-01"}), "to"),
        (json!({"status": "Lost"}), "status"),
    ] {
        let (status, body) = m1.call("find_appointments", json!({ "query": q })).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(invalid_fields(&body), [field], "{q}");
    }
}

#[tokio::test]
async fn the_calendar_shows_a_stores_day_by_associate_and_its_week_by_day_to_those_who_may_see_it() {
    let app = spawn_app().await;
    let m1 = app.sign_in(MANAGER1).await;
    let alice = app.staff_id(ASSOCIATE1).await;
    let slots = app.slots_ahead(3, None).await;
    let (start, other) = (slots[0], slots[slots.len() - 1]);
    let mut ids = vec![];
    for (s, name) in [(start, "Ann Lee"), (other, "Bo Chan")] {
        let (status, body) = app
            .anonymous()
            .call(
                "book",
                booking(s, name, &format!("{}@example.com", name.to_lowercase().replace(' ', "."))),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        ids.push(body["appointment_id"].as_i64().unwrap());
    }
    assert_eq!(
        m1.call("assign", json!({"appointment_id": ids[0], "associate_id": alice})).await.0,
        200
    );
    let day = chrono::DateTime::from_timestamp(start, 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    let date = day.format("%Y-%m-%d").to_string();

    // The manager's day: a column per associate, and one for what nobody has yet.
    let (status, v) = m1.call("calendar", json!({"query": {"store_id": 1, "date": date}})).await;
    assert_eq!(status, 200, "{v}");
    let columns = v["columns"].as_array().unwrap();
    let headings: Vec<&str> = columns.iter().map(|c| c["heading"].as_str().unwrap()).collect();
    assert_eq!(headings, ["Alice Associate", "Ben Associate", "Chloé Associate", "Unassigned"]);
    let clients = |c: &Value| -> Vec<String> {
        c["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["client_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(clients(&columns[0]), ["Ann Lee"]);
    assert_eq!(clients(&columns[3]), ["Bo Chan"]);
    let ann = &columns[0]["items"][0];
    let local = chrono::DateTime::from_timestamp(start, 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::London);
    use chrono::Timelike;
    assert_eq!(ann["start_minute"].as_i64().unwrap(), i64::from(local.hour() * 60 + local.minute()));
    assert_eq!(
        ann["end_minute"].as_i64().unwrap() - ann["start_minute"].as_i64().unwrap(),
        30,
        "a 30-minute haircut"
    );
    assert!(v["first_minute"].as_i64().unwrap() <= ann["start_minute"].as_i64().unwrap());

    // The week: seven days from Monday, the booking on its own day.
    let (_, w) = m1
        .call("calendar", json!({"query": {"store_id": 1, "date": date, "week": true}}))
        .await;
    let days = w["columns"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert!(days[0]["heading"].as_str().unwrap().starts_with("Mon"), "{w}");
    let weekday = chrono::Datelike::weekday(&day).num_days_from_monday() as usize;
    assert!(clients(&days[weekday]).contains(&"Ann Lee".to_string()));
    let (_, alices) = m1
        .call(
            "calendar",
            json!({"query": {"store_id": 1, "date": date, "week": true, "associate_id": alice}}),
        )
        .await;
    let all: Vec<String> = alices["columns"].as_array().unwrap().iter().flat_map(clients).collect();
    assert_eq!(all, ["Ann Lee"], "a manager's week narrowed to one associate");

    // An associate sees their own column only, whatever they ask for.
    let a1 = app.sign_in(ASSOCIATE1).await;
    let (_, own) = a1
        .call("calendar", json!({"query": {"store_id": 1, "date": date, "associate_id": null}}))
        .await;
    let own_columns = own["columns"].as_array().unwrap();
    assert_eq!(own_columns.len(), 1);
    assert_eq!(clients(&own_columns[0]), ["Ann Lee"]);
    let a2 = app.sign_in(ASSOCIATE2).await;
    let (_, none) = a2.call("calendar", json!({"query": {"store_id": 1, "date": date}})).await;
    assert!(clients(&none["columns"][0]).is_empty());

    // A cancelled booking leaves the calendar; a bad day or a store not theirs is refused.
    assert_eq!(m1.call("cancel_appointment", json!({"id": ids[1], "reason": ""})).await.0, 200);
    let (_, after) = m1.call("calendar", json!({"query": {"store_id": 1, "date": date}})).await;
    assert!(after["columns"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| !clients(c).contains(&"Bo Chan".to_string())));
    assert_eq!(m1.call("calendar", json!({"query": {"store_id": 1, "date": "soon"}})).await.0, 422);
    assert_eq!(m1.call("calendar", json!({"query": {"store_id": 999}})).await.0, 404);
}
