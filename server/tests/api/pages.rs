//! The pages as a browser gets them: the product's 404, caching of the
//! hashed bundle, the client pages' language, and the client's forms posted
//! without the WASM.

use crate::helpers::*;
use serde_json::json;

/// A client that shows redirects instead of following them.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, String) {
    let mut req = browser().get(format!("{}{path}", app.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    (status, headers, res.text().await.unwrap())
}

fn html_lang(page: &str) -> &str {
    let at = page.find("<html").expect("an html element");
    let tag = &page[at..at + page[at..].find('>').unwrap()];
    tag.split("lang=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("")
}

fn title(page: &str) -> &str {
    page.split("<title>").nth(1).and_then(|s| s.split("</title>").next()).unwrap_or("")
}

#[tokio::test]
async fn unknown_addresses_get_the_products_not_found_page_with_status_404() {
    let app = spawn_app().await;
    let manager = app.sign_in(MANAGER1).await;
    for path in ["/nope", "/staff/anything", "/book/downtown/extra", "/pkg/missing.js"] {
        let mut req = browser().get(format!("{}{path}", app.base));
        if let Some(c) = &manager.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
        if !path.starts_with("/pkg/") {
            let body = res.text().await.unwrap();
            assert!(body.contains("Page not found"), "{path}: {body}");
            assert!(body.contains("<html"), "{path} is a whole page");
        }
    }
}

#[tokio::test]
async fn hashed_bundle_files_are_kept_for_a_year_and_pages_are_revalidated() {
    let app = spawn_app().await;
    let app = app
        .restart_with(|dir, config| {
            let pkg = dir.join("site/pkg");
            std::fs::create_dir_all(&pkg).unwrap();
            std::fs::write(
                dir.join("site/bundle.txt"),
                "staff frontdesk-aaaa\npublic frontdesk-public-bbbb\nstylesheet frontdesk-cccc.css\n",
            )
            .unwrap();
            std::fs::write(pkg.join("frontdesk-aaaa.js"), "export default function() {}").unwrap();
            std::fs::write(pkg.join("frontdesk-aaaa.js.br"), b"\x0b\x0e\x80export default function() {}\x03").unwrap();
            std::fs::write(pkg.join("frontdesk-cccc.css"), "body {}").unwrap();
            config
        })
        .await;

    // Staff pages load the staff bundle, the client pages their own; both the one stylesheet.
    let (status, headers, login) = get(&app, "/login", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "no-cache");
    assert!(
        login.contains("/pkg/frontdesk-aaaa.js") && login.contains("/pkg/frontdesk-aaaa_bg.wasm"),
        "{login}"
    );
    assert!(login.contains(r#"href="/pkg/frontdesk-cccc.css""#));
    let (_, headers, booking) = get(&app, "/book/downtown", &[]).await;
    assert_eq!(headers["cache-control"], "no-cache");
    assert!(booking.contains("/pkg/frontdesk-public-bbbb.js"), "{booking}");
    assert!(!booking.contains("frontdesk-aaaa.js"));
    assert!(booking.contains(r#"href="/pkg/frontdesk-cccc.css""#));

    // The hashed files: a year, immutable, and the brotli made at build time when asked for.
    let (status, headers, _) = get(&app, "/pkg/frontdesk-cccc.css", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    let (status, headers, _) = get(&app, "/pkg/frontdesk-aaaa.js", &[("accept-encoding", "br")]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    // A miss is not cached for a year.
    let (status, headers, _) = get(&app, "/pkg/frontdesk-dddd.js", &[]).await;
    assert_eq!(status, 404);
    assert_ne!(
        headers.get("cache-control").map(|v| v.to_str().unwrap()),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test]
async fn the_client_pages_speak_the_language_asked_for_else_the_browsers_else_the_stores() {
    let app = spawn_app().await;
    let french = [("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")];
    let (status, _, page) = get(&app, "/book/downtown", &french).await;
    assert_eq!(status, 200);
    assert_eq!(html_lang(&page), "fr");
    assert_eq!(title(&page), "Prendre rendez-vous · Downtown");
    assert!(page.contains("Choisissez une prestation"));

    let (_, _, page) = get(&app, "/book/downtown?lang=en", &french).await;
    assert_eq!(html_lang(&page), "en");
    assert_eq!(title(&page), "Book an appointment · Downtown");

    // A language the store does not speak falls back to the store's own.
    let (_, _, page) = get(&app, "/book/downtown", &[("accept-language", "de-DE,de;q=0.9")]).await;
    assert_eq!(html_lang(&page), "en");

    // Staff pages are English, whatever the browser asks.
    let (_, _, page) = get(&app, "/login", &french).await;
    assert_eq!(html_lang(&page), "en");

    // The tracking page of a French booking is French, with a French title.
    let start = app.free_slot(1, None).await;
    let mut req = booking(start, "Zoé Martin", "zoe@example.com");
    req["request"]["language"] = json!("fr");
    let (status, booked) = app.anonymous().call("book", req).await;
    assert_eq!(status, 200, "{booked}");
    let (status, _, page) = get(&app, booked["tracking_path"].as_str().unwrap(), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(html_lang(&page), "fr");
    assert_eq!(title(&page), "Votre rendez-vous · Downtown");
}

#[tokio::test]
async fn the_booking_calendar_marks_the_days_with_free_times_and_finds_the_next_one() {
    let app = spawn_app().await;
    let c = app.anonymous();
    let (status, month) = c
        .call(
            "booking_month",
            json!({"store": "downtown", "service_id": 1, "associate_id": null, "month": ""}),
        )
        .await;
    assert_eq!(status, 200, "{month}");
    let days = month["days"].as_array().unwrap();
    assert!((28..=31).contains(&days.len()), "{month}");
    let today = chrono::DateTime::from_timestamp(app.running.state.clock.now_s(), 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    for d in days {
        let (date, free) = (d[0].as_str().unwrap(), d[1].as_bool().unwrap());
        if date < today.as_str() {
            assert!(!free, "{date} is past");
        }
    }
    // The next free day has times, and the calendar says so.
    let next = month["next_free"].as_str().expect("a next free day").to_string();
    let (_, slots) = c
        .call(
            "slots",
            json!({"store": "downtown", "service_id": 1, "date": next, "associate_id": null}),
        )
        .await;
    assert!(!slots.as_array().unwrap().is_empty(), "{next}: {slots}");
    // The previous month of this month is not offered; a month that does not parse is refused.
    assert!(month["previous"].is_null(), "{month}");
    let (status, refused) = c
        .call(
            "booking_month",
            json!({"store": "downtown", "service_id": 1, "associate_id": null, "month": "2026-13"}),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
}

#[tokio::test]
async fn a_booking_form_posted_without_javascript_books_and_lands_on_the_confirmation() {
    let app = spawn_app().await;
    let start = app.free_slot(1, None).await;
    let res = browser()
        .post(format!("{}/book/downtown", app.base))
        .form(&[
            ("service_id", "1"),
            ("starts_at", &start.to_string()),
            ("associate_id", ""),
            ("language", "en"),
            ("date", ""),
            ("name", "Nadia Noscript"),
            ("email", "nadia@example.com"),
            ("mobile", ""),
            ("notes", "First visit"),
            ("remind_by_email", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/t/") && location.ends_with("?booked=1"), "{location}");
    let (name, notes, remind): (String, String, bool) =
        sqlx::query_as("SELECT c.name, a.notes, a.remind_by_email FROM appointments a JOIN clients c ON c.id = a.client_id")
            .fetch_one(app.running.state.db.pool())
            .await
            .unwrap();
    assert_eq!((name.as_str(), notes.as_str(), remind), ("Nadia Noscript", "First visit", true));

    let (status, _, page) = get(&app, &location, &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Request received"), "{page}");
    assert!(page.contains("Keep this link"));
}

#[tokio::test]
async fn a_refused_booking_form_comes_back_with_what_was_typed_and_why() {
    let app = spawn_app().await;
    let start = app.free_slot(1, None).await;
    let res = browser()
        .post(format!("{}/book/downtown", app.base))
        .form(&[
            ("service_id", "1"),
            ("starts_at", &start.to_string()),
            ("language", "en"),
            ("date", ""),
            ("name", ""),
            ("email", "nadia@example.com"),
            ("notes", "Allergic to lavender"),
        ])
        .send()
        .await
        .unwrap();
    let status = res.status();
    let page = res.text().await.unwrap();
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Please enter your name."), "{page}");
    assert!(page.contains(r#"value="nadia@example.com""#), "{page}");
    assert!(page.contains("Allergic to lavender"));
    assert_eq!(app.count("appointments").await, 0);

    // A time taken meanwhile: the page says so and offers another.
    let (status, _) = app.anonymous().call("book", booking(start, "Ann Lee", "ann@example.com")).await;
    assert_eq!(status, 200);
    let mut taken = None;
    for _ in 0..4 {
        let res = browser()
            .post(format!("{}/book/downtown", app.base))
            .form(&[
                ("service_id", "1"),
                ("starts_at", &start.to_string()),
                ("associate_id", ""),
                ("language", "en"),
                ("name", "Nadia"),
                ("email", "nadia@example.com"),
            ])
            .send()
            .await
            .unwrap();
        if res.status() == 409 {
            taken = Some(res.text().await.unwrap());
            break;
        }
        assert_eq!(res.status(), 303, "another associate was free");
    }
    let page = taken.expect("the time is taken once every associate is booked");
    assert!(page.contains("Choose another time"), "{page}");
}

#[tokio::test]
async fn the_tracking_pages_cancel_form_works_without_javascript() {
    let app = spawn_app().await;
    let start = app.free_slot(1, None).await;
    let (status, booked) = app.anonymous().call("book", booking(start, "Ann Lee", "ann@example.com")).await;
    assert_eq!(status, 200, "{booked}");
    let path = booked["tracking_path"].as_str().unwrap().to_string();

    // The cancel flow opens from a plain link.
    let (status, _, page) = get(&app, &format!("{path}?action=cancel"), &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!(r#"action="{path}/cancel""#)), "{page}");

    let res = browser()
        .post(format!("{}{path}/cancel", app.base))
        .form(&[("reason", "Plans changed"), ("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("{path}?lang=en&done=cancelled").as_str());
    let (status,): (String,) = sqlx::query_as("SELECT status FROM appointments")
        .fetch_one(app.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "Cancelled");
    let (_, _, page) = get(&app, &format!("{path}?lang=en&done=cancelled"), &[]).await;
    assert!(page.contains("Your booking is cancelled."), "{page}");

    // Again: refused (already cancelled), back to the page with the flow open to say why.
    let res = browser()
        .post(format!("{}{path}/cancel", app.base))
        .form(&[("reason", ""), ("lang", "fr")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("{path}?lang=fr&action=cancel").as_str());

    // A link that is not one: 404, in words.
    let res = browser()
        .post(format!("{}/t/not-a-token/cancel", app.base))
        .form(&[("reason", ""), ("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
