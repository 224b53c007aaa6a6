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
