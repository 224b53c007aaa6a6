//! The reference pages, served by the server itself (they are not part of the Leptos app).

use crate::helpers::*;

async fn get_page(app: &TestApp, path: &str) -> String {
    let res = reqwest::get(format!("{}{path}", app.base)).await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/html"), "{path}: {content_type}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn the_docs_pages_are_whole_html_documents_with_the_site_stylesheet() {
    let app = spawn_app_with(false).await;
    let webhooks = get_page(&app, "/docs/webhooks").await;
    assert!(webhooks.contains("content.booking.start.utc"));
    assert!(webhooks.contains("webhook-signature"));
    let api = get_page(&app, "/docs/api").await;
    assert!(api.contains("/api/v1/webhooks/endpoints/{id}/rotate-secret"));
    assert!(api.contains("/api/v1/appointments"));
    for page in [&webhooks, &api] {
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains(r#"<html lang="en">"#));
        assert!(page.contains(r#"href="/pkg/frontdesk.css""#));
        assert!(page.contains(r#"<main class="docs">"#));
    }
}
