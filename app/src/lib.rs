//! Frontdesk's Leptos application: pages, components and server functions,
//! compiled twice: with `ssr` into the server, with `hydrate` into the WASM.
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod error;
pub mod i18n;
#[cfg(feature = "hydrate")]
pub mod js;
pub mod live;
pub mod model;
pub mod pages;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use leptos_router::SsrMode;

/// The Content-Security-Policy of a page: scripts only from this origin or
/// carrying this response's nonce (the inline scripts Leptos writes to start
/// hydration and to hand over resolved data), WebAssembly allowed to compile,
/// styles, images, fetches and the live socket from this origin only.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The HTML document around every server-rendered page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The nonce exists only while rendering on the server; the header goes out
    // with the first chunk, after this has run.
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(v) = axum::http::HeaderValue::from_str(&page_csp(&nonce)) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1d4e89" />
                <link rel="stylesheet" href="/pkg/frontdesk.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                <meta name="apple-mobile-web-app-capable" content="yes" />
                <script src="/push.js" defer></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    use pages::*;
    provide_meta_context();
    view! {
        <Title text="Frontdesk" />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=Home />
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/setup") view=SetupPage />
                <Route path=path!("/book/:store") view=BookingPage />
                // Pages opened from a link answer with the link's status (404
                // for an unknown or used one): rendered whole before the head
                // is sent (`Async`), not streamed with a 200 already out.
                <Route path=path!("/t/:token") view=TrackingPage ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view=InvitePage ssr=SsrMode::Async />
                <Route path=path!("/forgot") view=ForgotPasswordPage />
                <Route path=path!("/reset/:token") view=ResetPasswordPage ssr=SsrMode::Async />
                <ParentRoute path=path!("/staff") view=StaffLayout>
                    <Route path=path!("") view=StaffHome />
                    <Route path=path!("queue") view=QueuePage />
                    <Route path=path!("appointments/:id") view=AppointmentPage />
                    <Route path=path!("clients") view=ClientsPage />
                    <Route path=path!("conversations") view=ConversationsPage />
                    <Route path=path!("client-messages") view=ClientMessagesPage />
                    <Route path=path!("integrations") view=IntegrationsPage />
                    <Route path=path!("conversations/:id") view=ConversationPage />
                    <Route path=path!("clients/:id") view=ClientPage />
                    <Route path=path!("stores") view=StoresPage />
                    <Route path=path!("diagnostics") view=DiagnosticsPage />
                    <Route path=path!("stores/:id/notifications") view=StoreSettingsPage />
                    <Route path=path!("stores/:id") view=StoreSetupPage />
                    <Route path=path!("account") view=AccountPage />
                    <Route path=path!("people") view=PeoplePage />
                    <Route path=path!("stores/:id/services") view=ServicesPage />
                    <Route path=path!("stores/:id/schedule/:staff") view=SchedulePage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
