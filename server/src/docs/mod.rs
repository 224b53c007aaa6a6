//! Reference pages for integrators, public and static: the webhooks
//! (`/docs/webhooks`) and the REST API (`/docs/api`). They are rendered here,
//! outside the Leptos app, so that their text is not compiled into the WASM
//! every visitor downloads; nothing on them is interactive, so they are sent
//! as plain HTML without hydration scripts. Links to them from the app need
//! `rel="external"`, or the client router would look for them in vain.

mod api;
mod webhooks;

use app::backend::AppState;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use std::sync::{Arc, OnceLock};

/// `stylesheet` is the site's hashed CSS (`app::Bundles::stylesheet_href`).
pub fn routes(stylesheet: String) -> Router<AppState> {
    Router::new()
        .route(
            "/docs/webhooks",
            page("Webhooks · Frontdesk docs", stylesheet.clone(), webhooks::WebhookDocsPage),
        )
        .route("/docs/api", page("REST API · Frontdesk docs", stylesheet, api::ApiDocsPage))
}

/// A reference page: it never changes while the server runs, so it is
/// rendered once, when first asked for.
fn page<S: Clone + Send + Sync + 'static, V: IntoView + 'static>(
    title: &'static str,
    stylesheet: String,
    view: fn() -> V,
) -> axum::routing::MethodRouter<S> {
    let rendered = Arc::new(OnceLock::<String>::new());
    get(move || async move { Html(rendered.get_or_init(|| document(title, &stylesheet, view)).clone()) })
}

/// The HTML document around a page: the head of the app's pages (`app::shell`)
/// without the hydration and push scripts or the install (manifest) links,
/// plus the page's title and CSS.
fn document<V: IntoView + 'static>(title: &'static str, stylesheet: &str, page: impl FnOnce() -> V) -> String {
    let stylesheet = stylesheet.to_string();
    // Components expect a reactive owner, as they have under leptos_axum.
    Owner::new().with(|| {
        view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <meta charset="utf-8" />
                    <meta name="viewport" content="width=device-width, initial-scale=1" />
                    <meta name="theme-color" content="#1d4e89" />
                    <title>{title}</title>
                    <link rel="stylesheet" href=stylesheet />
                    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                    <style>{DOCS_CSS}</style>
                </head>
                <body>{page()}</body>
            </html>
        }
        .to_html()
    })
}

/// A little layout for long reference pages: readable tables and code.
const DOCS_CSS: &str = "
.docs { max-width: 60rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
.docs h3 { font-size: 1rem; margin: 1.4em 0 0.4em; }
.docs table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.9rem; background: var(--card, #fff); }
.docs th, .docs td { border: 1px solid var(--line, #dfe4ea); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
.docs th { background: #eef2f6; }
.docs pre { background: #1b2430; color: #f3f5f8; padding: 0.8rem 1rem; border-radius: 8px; overflow-x: auto; font-size: 0.82rem; line-height: 1.45; }
.docs code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; }
.docs td code, .docs p code, .docs li code { background: #eef2f6; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
.docs nav.toc ul { columns: 2; }
.docs .method { font-weight: 700; }
";

/// A table of (name, type, meaning) rows.
#[component]
fn FieldTable(
    rows: &'static [(&'static str, &'static str, &'static str)],
    #[prop(default = "Field")] first: &'static str,
) -> impl IntoView {
    view! {
        <table>
            <thead>
                <tr>
                    <th scope="col">{first}</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Meaning"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .iter()
                    .map(|(name, ty, meaning)| {
                        view! {
                            <tr>
                                <td>
                                    <code>{*name}</code>
                                </td>
                                <td>{*ty}</td>
                                <td>{*meaning}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_pages_render() {
        let webhooks_page = document("Webhooks · Frontdesk docs", "/pkg/frontdesk-abc.css", webhooks::WebhookDocsPage);
        let api_page = document("REST API · Frontdesk docs", "/pkg/frontdesk-abc.css", api::ApiDocsPage);
        let html = webhooks_page.as_str();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<title>Webhooks · Frontdesk docs</title>"));
        assert!(html.contains("content.booking.start.utc") && html.contains("msg_vlSa1yFNTn3oFKsl1P055G8RVS3"));
        let html = api_page.as_str();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<title>REST API · Frontdesk docs</title>"));
        assert!(html.contains("/api/v1/webhooks/endpoints/{id}/rotate-secret") && html.contains("next_after_id"));
        // Static pages: nothing to hydrate.
        assert!(![webhooks_page.as_str(), api_page.as_str()].iter().any(|h| h.contains("<script")));
        // The bundle's stylesheet, by its hashed name.
        assert!(html.contains(r#"href="/pkg/frontdesk-abc.css""#));
    }
}
