//! Setup: stores (profile, hours with breaks, closures), services (buffers,
//! who performs them, online or not), associates' hours and time off, and
//! what availability comes of them — through the same endpoints the pages use.

use crate::helpers::*;
use chrono::{Datelike, NaiveDate, TimeZone};
use serde_json::{json, Value};

const ADMIN: &str = "admin@example.com";

fn week(days: [&[(&str, &str)]; 7]) -> Value {
    json!({"days": days.iter().map(|d| d.iter().map(|(f, t)| json!({"from": f, "to": t})).collect::<Vec<_>>()).collect::<Vec<_>>()})
}

/// The same intervals on each weekday, closed at the weekend.
fn weekdays(intervals: &[(&str, &str)]) -> Value {
    week([intervals, intervals, intervals, intervals, intervals, &[], &[]])
}

/// The next date (store time, London) that is this weekday, at least `after` days ahead.
fn next(app: &TestApp, weekday: chrono::Weekday, after: i64) -> NaiveDate {
    let today = chrono::DateTime::from_timestamp(app.running.state.clock.now_s(), 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    let mut d = today + chrono::Duration::days(after);
    while d.weekday() != weekday {
        d = d.succ_opt().unwrap();
    }
    d
}

/// Local "HH:MM" labels offered on `date` for `service`, with `associate` or anyone.
async fn offered(app: &TestApp, store: &str, service: i64, date: NaiveDate, associate: Option<i64>) -> Vec<String> {
    let (status, body) = app
        .anonymous()
        .call(
            "slots",
            json!({"store": store, "service_id": service, "date": date.to_string(), "associate_id": associate}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|s| s["label"].as_str().unwrap().to_string())
        .collect()
}

fn service(store: i64, name: &str, minutes: i64) -> Value {
    json!({"id": null, "store_id": store, "name": name, "duration_min": minutes, "price_cents": 0, "buffer_before_min": 0,
           "buffer_after_min": 0, "bookable_online": true, "active": true, "performers": []})
}

async fn profile(admin: &Client, store: i64) -> Value {
    let (status, body) = admin.call("setup_store", json!({"store_id": store})).await;
    assert_eq!(status, 200, "{body}");
    body["profile"].clone()
}

#[tokio::test]
async fn opening_hours_with_a_lunch_break_and_closures_decide_what_clients_are_offered() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let (status, body) = admin
        .call(
            "save_store_hours",
            json!({"store_id": 1, "hours": weekdays(&[("09:00", "10:00"), ("13:00", "14:00")])}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let monday = next(&app, chrono::Weekday::Mon, 2);
    // Haircut (30 min), every 15 minutes, around lunch.
    assert_eq!(
        offered(&app, "downtown", 1, monday, None).await,
        ["09:00", "09:15", "09:30", "13:00", "13:15", "13:30"]
    );
    assert!(
        offered(&app, "downtown", 1, monday + chrono::Duration::days(5), None)
            .await
            .is_empty(),
        "Saturday: closed"
    );

    // A closure (one day, then a range) removes the days it covers.
    let (status, body) = admin
        .call(
            "add_closure",
            json!({"store_id": 1, "first_day": monday.to_string(), "last_day": "", "reason": "Bank holiday"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(offered(&app, "downtown", 1, monday, None).await.is_empty());
    assert_eq!(offered(&app, "downtown", 1, monday.succ_opt().unwrap(), None).await.len(), 6);
    let setup = admin.call("setup_store", json!({"store_id": 1})).await.1;
    assert_eq!(setup["closures"][0]["reason"], "Bank holiday");
    let closure = setup["closures"][0]["id"].as_i64().unwrap();
    assert_eq!(
        admin.call("remove_closure", json!({"store_id": 1, "closure_id": closure})).await.0,
        200
    );
    assert_eq!(offered(&app, "downtown", 1, monday, None).await.len(), 6);

    // A time inside lunch is refused at booking too, not only left out of the list.
    let lunch = chrono_tz::Europe::London
        .from_local_datetime(&monday.and_hms_opt(12, 0, 0).unwrap())
        .unwrap()
        .timestamp();
    let (status, body) = app.anonymous().call("book", booking(lunch, "Lou Lunch", "lou@example.com")).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["slot"]));

    // Bad hours are a clear 422 naming the day.
    for (bad, why) in [
        (weekdays(&[("09:00", "13:00"), ("12:00", "18:00")]), "overlaps"),
        (weekdays(&[("18:00", "09:00")]), "ends before it starts"),
        (weekdays(&[("9am", "12:00")]), "not a time of day"),
        (json!({"days": []}), "all seven days"),
    ] {
        let (status, body) = admin.call("save_store_hours", json!({"store_id": 1, "hours": bad})).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains(why), "{why}: {body}");
    }
    let (status, body) = admin
        .call(
            "add_closure",
            json!({"store_id": 1, "first_day": "2027-02-10", "last_day": "2027-02-01", "reason": ""}),
        )
        .await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["last_day"]));
}

#[tokio::test]
async fn an_associates_hours_and_time_off_narrow_their_times_and_anyone_means_someone_free() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    assert_eq!(
        admin
            .call("save_store_hours", json!({"store_id": 1, "hours": weekdays(&[("09:00", "11:00")])}))
            .await
            .0,
        200
    );
    let a1 = app.staff_id(ASSOCIATE1).await;
    let a2 = app.staff_id(ASSOCIATE2).await;
    let alice = app.sign_in(ASSOCIATE1).await;
    // Alice works from 10:00 only (her hours apply within the store's: 08:00 does not open it earlier).
    let (status, body) = alice
        .call(
            "save_working_hours",
            json!({"store_id": 1, "staff_id": a1, "hours": weekdays(&[("08:00", "09:00"), ("10:00", "18:00")])}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let tuesday = next(&app, chrono::Weekday::Tue, 2);
    assert_eq!(offered(&app, "downtown", 1, tuesday, Some(a1)).await, ["10:00", "10:15", "10:30"]);
    assert_eq!(
        offered(&app, "downtown", 1, tuesday, None).await.first().map(String::as_str),
        Some("09:00"),
        "others work at 9"
    );

    // Her day off: nothing with her; "anyone" still finds Ben and Chloé.
    let (status, body) = alice
        .call(
            "add_time_off",
            json!({"store_id": 1, "staff_id": a1, "first_day": tuesday.to_string(), "last_day": "", "reason": "Dentist"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(offered(&app, "downtown", 1, tuesday, Some(a1)).await.is_empty());
    assert_eq!(offered(&app, "downtown", 1, tuesday, None).await.len(), 7);
    // Managers see the reason.
    let m1 = app.sign_in(MANAGER1).await;
    let schedule = m1.call("schedule", json!({"store_id": 1, "staff_id": a1})).await.1;
    assert_eq!(schedule["time_off"][0]["reason"], "Dentist");
    assert_eq!(schedule["own_hours"]["days"][0][1]["from"], "10:00");

    // With everyone off, nobody is offered.
    for who in [a2, app.staff_id("associate3@example.com").await] {
        let (status, _) = m1
            .call(
                "add_time_off",
                json!({"store_id": 1, "staff_id": who, "first_day": tuesday.to_string(), "last_day": tuesday.to_string(), "reason": ""}),
            )
            .await;
        assert_eq!(status, 200);
    }
    assert!(offered(&app, "downtown", 1, tuesday, None).await.is_empty());

    // An associate sets only their own schedule.
    let ben = app.sign_in(ASSOCIATE2).await;
    assert_eq!(
        ben.call("save_working_hours", json!({"store_id": 1, "staff_id": a1, "hours": null}))
            .await
            .0,
        403
    );
    // Back to the store's hours.
    assert_eq!(
        alice
            .call("save_working_hours", json!({"store_id": 1, "staff_id": a1, "hours": null}))
            .await
            .0,
        200
    );
    let wednesday = tuesday.succ_opt().unwrap();
    assert_eq!(offered(&app, "downtown", 1, wednesday, Some(a1)).await.len(), 7);
}

#[tokio::test]
async fn services_keep_their_buffers_free_name_who_performs_them_and_may_be_staff_only() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let m1 = app.sign_in(MANAGER1).await;
    assert_eq!(
        admin
            .call("save_store_hours", json!({"store_id": 1, "hours": weekdays(&[("09:00", "12:00")])}))
            .await
            .0,
        200
    );
    let a1 = app.staff_id(ASSOCIATE1).await;
    // A 60-minute colour, 30 minutes kept free after it, performed by Alice alone.
    let mut colour = service(1, "Colour deluxe", 60);
    colour["buffer_after_min"] = json!(30);
    colour["performers"] = json!([a1]);
    let (status, id) = m1.call("save_service", json!({"service": colour})).await;
    assert_eq!(status, 200, "{id}");
    let colour_id = id.as_i64().unwrap();
    let wednesday = next(&app, chrono::Weekday::Wed, 2);
    let times = offered(&app, "downtown", colour_id, wednesday, None).await;
    assert_eq!(times.first().map(String::as_str), Some("09:00"));
    assert_eq!(times.last().map(String::as_str), Some("11:00"));
    assert!(
        offered(&app, "downtown", colour_id, wednesday, Some(app.staff_id(ASSOCIATE2).await))
            .await
            .is_empty(),
        "only Alice does it"
    );

    // Booked at 9:00, Alice is kept free until 10:30: her next haircut is at 10:30.
    let nine = chrono_tz::Europe::London
        .from_local_datetime(&wednesday.and_hms_opt(9, 0, 0).unwrap())
        .unwrap()
        .timestamp();
    let mut b = booking(nine, "Cleo Colour", "cleo@example.com");
    b["request"]["service_id"] = json!(colour_id);
    b["request"]["associate_id"] = json!(a1);
    let (status, body) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{body}");
    let alice = offered(&app, "downtown", 1, wednesday, Some(a1)).await;
    assert_eq!(alice.first().map(String::as_str), Some("10:30"), "{alice:?}");

    // Staff-only: no longer on the booking page, and refused if booked anyway.
    let mut staff_only = colour.clone();
    staff_only["id"] = json!(colour_id);
    staff_only["bookable_online"] = json!(false);
    assert_eq!(m1.call("save_service", json!({"service": staff_only})).await.0, 200);
    let page = app.anonymous().call("booking_page", json!({"store": "downtown"})).await.1;
    assert!(!page["services"].as_array().unwrap().iter().any(|s| s["id"] == colour_id));
    let (status, _) = app
        .anonymous()
        .call(
            "slots",
            json!({"store": "downtown", "service_id": colour_id, "date": wednesday.to_string(), "associate_id": null}),
        )
        .await;
    assert_eq!(status, 422);

    // The catalogue lists it with its settings; bad values are clear 422s.
    let catalogue = m1.call("setup_services", json!({"store_id": 1})).await.1;
    let listed = catalogue["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == colour_id)
        .unwrap()
        .clone();
    assert_eq!(
        (listed["buffer_after_min"].clone(), listed["bookable_online"].clone()),
        (json!(30), json!(false))
    );
    let mut bad = service(1, "", 0);
    bad["buffer_before_min"] = json!(-5);
    bad["performers"] = json!([app.staff_id(MANAGER2).await]);
    let (status, body) = m1.call("save_service", json!({"service": bad})).await;
    assert_eq!(
        (status, invalid_fields(&body)),
        (422, vec!["name", "duration_min", "buffer_before_min", "performers"])
    );
}

#[tokio::test]
async fn an_admin_creates_a_store_and_a_manager_of_another_store_cannot_see_or_change_it() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let new = json!({"id": null, "name": "Uptown", "slug": "Uptown", "address": "1 Hill Road", "phone": "+44 20 7946 0000",
                     "time_zone": "Europe/Paris", "default_language": "fr", "currency": "EUR", "slot_minutes": 30, "horizon_days": 60, "min_notice_minutes": 120});
    let (status, id) = admin.call("save_store", json!({"profile": new})).await;
    assert_eq!(status, 200, "{id}");
    let uptown = id.as_i64().unwrap();
    let p = profile(&admin, uptown).await;
    assert_eq!(
        (p["slug"].clone(), p["time_zone"].clone(), p["default_language"].clone()),
        (json!("uptown"), json!("Europe/Paris"), json!("fr"))
    );
    // Closed until its hours are set; the admin manages it from the start.
    let setup = admin.call("setup_store", json!({"store_id": uptown})).await.1;
    assert!(setup["hours"]["days"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d.as_array().unwrap().is_empty()));
    assert_eq!(
        admin
            .call("save_service", json!({"service": service(uptown, "Fitting", 45)}))
            .await
            .0,
        200
    );

    // The slug is unique and validated; the time zone must be real.
    let mut clash = new.clone();
    clash["slug"] = json!("downtown");
    let (status, body) = admin.call("save_store", json!({"profile": clash})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["slug"]));
    let mut bad = new.clone();
    bad["slug"] = json!("-x");
    bad["time_zone"] = json!("Mars/Base");
    bad["slot_minutes"] = json!(7);
    bad["horizon_days"] = json!(0);
    let (status, body) = admin.call("save_store", json!({"profile": bad})).await;
    assert_eq!(
        (status, invalid_fields(&body)),
        (422, vec!["slug", "time_zone", "slot_minutes", "horizon_days"])
    );

    // A manager of Downtown: another store's services, hours and staff do not exist for them.
    let m1 = app.sign_in(MANAGER1).await;
    assert_eq!(m1.call("setup_services", json!({"store_id": uptown})).await.0, 404);
    assert_eq!(
        m1.call("save_service", json!({"service": service(uptown, "Sneaky", 30)})).await.0,
        404
    );
    assert_eq!(
        m1.call("schedule", json!({"store_id": uptown, "staff_id": app.staff_id(ASSOCIATE1).await}))
            .await
            .0,
        404
    );
    // Store profiles and hours are the admins'.
    assert_eq!(m1.call("setup_store", json!({"store_id": 1})).await.0, 403);
    assert_eq!(
        m1.call("save_store_hours", json!({"store_id": 1, "hours": weekdays(&[("09:00", "17:00")])}))
            .await
            .0,
        403
    );
    // Associates do not edit services.
    let alice = app.sign_in(ASSOCIATE1).await;
    assert_eq!(alice.call("save_service", json!({"service": service(1, "Mine", 30)})).await.0, 403);
    // Editing a service through another store's id is refused.
    let mut moved = service(1, "Haircut", 30);
    moved["id"] = json!(1);
    moved["store_id"] = json!(uptown);
    assert_eq!(admin.call("save_service", json!({"service": moved})).await.0, 404);
}

#[tokio::test]
async fn availability_follows_local_opening_hours_across_daylight_saving_changes_in_two_zones() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let mut p = profile(&admin, 1).await;
    p["horizon_days"] = json!(730);
    assert_eq!(admin.call("save_store", json!({"profile": p.clone()})).await.0, 200);
    // Open 09:00–10:00 every day, and 00:00–04:00 on Sundays.
    let h: &[(&str, &str)] = &[("09:00", "10:00")];
    assert_eq!(
        admin
            .call(
                "save_store_hours",
                json!({"store_id": 1, "hours": week([h, h, h, h, h, h, &[("00:00", "04:00")]])})
            )
            .await
            .0,
        200
    );
    let first_utc = |slots: &Value| slots.as_array().unwrap()[0]["starts_at"].as_i64().unwrap();
    let slots = |date: &str| json!({"store": "downtown", "service_id": 1, "date": date, "associate_id": null});
    let anon = app.anonymous();
    let utc = |y, m, d, h| chrono::Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().timestamp();

    // London: GMT before 28 March 2027, BST after; 09:00 local moves from 09:00 to 08:00 UTC.
    assert_eq!(first_utc(&anon.call("slots", slots("2027-03-26")).await.1), utc(2027, 3, 26, 9));
    assert_eq!(first_utc(&anon.call("slots", slots("2027-03-29")).await.1), utc(2027, 3, 29, 8));
    // The Sunday of the change is an hour short: 00:00–04:00 local is three hours.
    let sunday = anon.call("slots", slots("2027-03-28")).await.1;
    assert_eq!(
        sunday.as_array().unwrap().len(),
        11,
        "three hours of 15-minute starts for a 30-minute service: {sunday}"
    );
    assert!(!sunday.to_string().contains("\"01:"), "01:00–02:00 does not exist that night");

    // New York: EST before 14 March 2027, EDT after.
    p["time_zone"] = json!("America/New_York");
    assert_eq!(admin.call("save_store", json!({"profile": p})).await.0, 200);
    assert_eq!(first_utc(&anon.call("slots", slots("2027-03-12")).await.1), utc(2027, 3, 12, 14));
    assert_eq!(first_utc(&anon.call("slots", slots("2027-03-15")).await.1), utc(2027, 3, 15, 13));
}

#[tokio::test]
async fn the_booking_window_refuses_times_past_the_horizon_or_inside_the_notice() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let mut p = profile(&admin, 1).await;
    p["horizon_days"] = json!(7);
    p["min_notice_minutes"] = json!(48 * 60);
    assert_eq!(admin.call("save_store", json!({"profile": p})).await.0, 200);
    let far = next(&app, chrono::Weekday::Wed, 9);
    assert!(offered(&app, "downtown", 1, far, None).await.is_empty(), "past the horizon");
    let start = chrono_tz::Europe::London
        .from_local_datetime(&far.and_hms_opt(10, 0, 0).unwrap())
        .unwrap()
        .timestamp();
    let (status, body) = app.anonymous().call("book", booking(start, "Fay Far", "fay@example.com")).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["slot"]));
    assert!(body.to_string().contains("further ahead"), "{body}");
    // Tomorrow is inside the 48-hour notice.
    let tomorrow = chrono::DateTime::from_timestamp(app.running.state.clock.now_s() + 86_400, 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    assert!(offered(&app, "downtown", 1, tomorrow, None).await.is_empty());
}

#[tokio::test]
async fn time_off_over_a_booked_appointment_keeps_it_and_tells_the_managers() {
    let app = spawn_app().await;
    let a1 = app.staff_id(ASSOCIATE1).await;
    let slots = app.slots_ahead(3, Some(a1)).await;
    let mut b = booking(slots[0], "Tia Time", "tia@example.com");
    b["request"]["associate_id"] = json!(a1);
    let (status, body) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{body}");
    let id = body["appointment_id"].as_i64().unwrap();
    let day = chrono::DateTime::from_timestamp(slots[0], 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();

    let alice = app.sign_in(ASSOCIATE1).await;
    let (status, body) = alice
        .call(
            "add_time_off",
            json!({"store_id": 1, "staff_id": a1, "first_day": day.to_string(), "last_day": "", "reason": "Ill"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Still booked, with her; the managers are told; she is not (she did it).
    let m1 = app.sign_in(MANAGER1).await;
    let a = m1.call("appointment", json!({"id": id})).await.1["appointment"].clone();
    assert_eq!(
        (a["associate_id"].as_i64(), a["status"].clone()),
        (Some(a1), json!("PendingStaffApproval"))
    );
    let flagged = |inbox: Vec<(String, String, bool)>| inbox.into_iter().filter(|n| n.0 == "Appointment during time off").count();
    assert_eq!(flagged(app.inbox(MANAGER1).await), 1);
    assert_eq!(flagged(app.inbox(MANAGER2).await), 1);
    assert_eq!(flagged(app.inbox(ASSOCIATE1).await), 0);
    let text = app
        .inbox(MANAGER1)
        .await
        .into_iter()
        .find(|n| n.0 == "Appointment during time off")
        .unwrap()
        .1;
    assert!(text.contains("Alice Associate") && text.contains("Tia Time"), "{text}");
    // Time off on another day flags nothing.
    let (status, _) = alice
        .call(
            "add_time_off",
            json!({"store_id": 1, "staff_id": a1, "first_day": (day + chrono::Duration::days(1)).to_string(), "last_day": "", "reason": ""}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(flagged(app.inbox(MANAGER1).await), 1);
}

#[tokio::test]
async fn a_service_is_named_in_each_language_and_priced_in_the_stores_currency() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let m1 = app.sign_in(MANAGER1).await;
    // The store charges in euros; a currency nobody offers is a clear 422.
    let mut p = profile(&admin, 1).await;
    assert_eq!(p["currency"], "GBP", "the default");
    p["currency"] = json!("XYZ");
    let (status, body) = admin.call("save_store", json!({"profile": p})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["currency"]));
    p["currency"] = json!("EUR");
    assert_eq!(admin.call("save_store", json!({"profile": p})).await.0, 200);

    // The haircut gets a French name; a language we do not have is refused.
    let catalogue = m1.call("setup_services", json!({"store_id": 1})).await.1;
    assert_eq!(
        (catalogue["currency"].clone(), catalogue["languages"].clone()),
        (json!("EUR"), json!(["en", "fr"]))
    );
    let mut haircut = catalogue["services"][0].clone();
    assert_eq!(haircut["name"], "Haircut");
    haircut["translations"] = json!({"fr": "Coupe", "xx": "Schnitt"});
    let (status, body) = m1.call("save_service", json!({"service": haircut})).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["translations"]));
    haircut["translations"] = json!({"fr": "  Coupe  "});
    assert_eq!(m1.call("save_service", json!({"service": haircut})).await.0, 200);

    // The booking page has both names and the price in euros.
    let page = app.anonymous().call("booking_page", json!({"store": "downtown"})).await.1;
    let offered = &page["services"][0];
    assert_eq!(
        (
            offered["translations"].clone(),
            offered["currency"].clone(),
            offered["price_cents"].clone()
        ),
        (json!({"fr": "Coupe"}), json!("EUR"), json!(3500))
    );

    // A French client reads "Coupe" on their tracking page and in their message; English readers "Haircut".
    let slot = app.free_slot(1, None).await;
    let mut b = booking(slot, "Zoé Martin", "zoe@example.com");
    b["request"]["language"] = json!("fr");
    let (status, body) = app.anonymous().call("book", b).await;
    assert_eq!(status, 200, "{body}");
    let id = body["appointment_id"].as_i64().unwrap();
    let token = body["tracking_path"].as_str().unwrap().trim_start_matches("/t/").to_string();
    let c = app.anonymous();
    let french = c.call("tracking", json!({"token": token, "lang": null})).await.1;
    let english = c.call("tracking", json!({"token": token, "lang": "en"})).await.1;
    assert_eq!(
        (french["service"].clone(), english["service"].clone()),
        (json!("Coupe"), json!("Haircut"))
    );
    let mut body_text = String::new();
    for _ in 0..250 {
        if let Some((text,)) = sqlx::query_as::<_, (String,)>("SELECT body_text FROM client_messages WHERE appointment_id = ?")
            .bind(id)
            .fetch_optional(app.running.state.db.pool())
            .await
            .unwrap()
        {
            body_text = text;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(body_text.contains("Coupe"), "the message names the service in French: {body_text}");
    // Staff keep the store's own name.
    let a = m1.call("appointment", json!({"id": id})).await.1;
    assert_eq!(a["appointment"]["service"], "Haircut");
}
