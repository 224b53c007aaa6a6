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

/// The names `cargo xtask build` gave the site's files, content-hashed so
/// browsers may keep them for a year (`bundle.txt` in the site root): the
/// staff app's WASM and JS, the client pages' smaller pair, and the stylesheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundles {
    /// The stem of `<stem>.js` and `<stem>_bg.wasm` for every page but the client's.
    pub staff: String,
    /// The same for `/book/:store` and `/t/:token` ([`PublicApp`]).
    pub public: String,
    /// `pkg/<stylesheet>`.
    pub stylesheet: String,
}

impl Default for Bundles {
    /// A site built without hashing: `frontdesk.js`, `frontdesk_bg.wasm`, `frontdesk.css`.
    fn default() -> Self {
        Bundles {
            staff: "frontdesk".into(),
            public: "frontdesk".into(),
            stylesheet: "frontdesk.css".into(),
        }
    }
}

impl Bundles {
    /// Reads `bundle.txt`: one `<part> <file name>` per line. Parts it does not
    /// name keep their default; the client pages fall back to the staff bundle,
    /// which holds them too.
    pub fn parse(text: &str) -> Bundles {
        let mut b = Bundles::default();
        let mut public = None;
        for line in text.lines() {
            match line.split_once(' ').map(|(k, v)| (k.trim(), v.trim())) {
                Some(("staff", v)) if !v.is_empty() => b.staff = v.to_string(),
                Some(("public", v)) if !v.is_empty() => public = Some(v.to_string()),
                Some(("stylesheet", v)) if !v.is_empty() => b.stylesheet = v.to_string(),
                _ => {}
            }
        }
        b.public = public.unwrap_or_else(|| b.staff.clone());
        b
    }

    pub fn stylesheet_href(&self, options: &LeptosOptions) -> String {
        format!("/{}/{}", options.site_pkg_dir, self.stylesheet)
    }
}

/// The HTML document around every server-rendered page.
pub fn shell(options: LeptosOptions, bundles: Bundles) -> impl IntoView {
    // The nonce exists only while rendering on the server; the header goes out
    // with the first chunk, after this has run.
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(v) = axum::http::HeaderValue::from_str(&page_csp(&nonce)) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    let stylesheet = bundles.stylesheet_href(&options);
    // Staff pages are in English; the client's pages (booking, tracking) are
    // in the client's language, which they set themselves (`leptos_meta::Html`)
    // once they know it, and load the client pages' bundle.
    #[cfg(feature = "ssr")]
    let client_page = use_context::<axum::http::request::Parts>().is_some_and(|p| is_public_page(p.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let client_page = false;
    let lang = (!client_page).then_some("en");
    let mut options = options;
    options.output_name = if client_page { bundles.public } else { bundles.staff }.into();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1d4e89" />
                <link rel="stylesheet" href=stylesheet />
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
                // The client's pages: also in `PublicApp`, with the same modes.
                <Route path=path!("/book/:store") view=BookingPage ssr=SsrMode::Async />
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
                    <Route path=path!("calendar") view=CalendarPage />
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

/// The client's pages alone, hydrated by the small WASM bundle that
/// `/book/:store` and `/t/:token` load (`frontend --features public`): a
/// client on a phone downloads the booking flow and not the staff app. Its
/// routes render exactly as in [`App`], which the server always renders.
#[component]
pub fn PublicApp() -> impl IntoView {
    use pages::*;
    provide_meta_context();
    view! {
        <Title text="Frontdesk" />
        <Router>
            <Routes fallback=|| view! { <LeavePublicBundle /> }>
                <Route path=path!("/book/:store") view=BookingPage ssr=SsrMode::Async />
                <Route path=path!("/t/:token") view=TrackingPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

/// Whether a path is one of [`PublicApp`]'s pages (and gets its bundle).
pub fn is_public_page(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    matches!((parts.next(), parts.next(), parts.next()), (Some("book" | "t"), Some(s), None) if !s.is_empty())
}

/// A link from a client page to one the public bundle does not hold (the
/// sign-in page, say): load it from the server, whose page brings the
/// bundle that can run it.
#[component]
fn LeavePublicBundle() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        let target = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
        if let Some(w) = web_sys::window() {
            let _ = w.location().assign(&target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_client_pages_get_the_public_bundle() {
        for (path, public) in [
            ("/book/downtown", true),
            ("/t/abc.def", true),
            ("/book/", false),
            ("/book/downtown/extra", false),
            ("/t/abc/calendar.ics", false),
            ("/staff", false),
            ("/login", false),
            ("/booking/x", false),
            ("/", false),
        ] {
            assert_eq!(is_public_page(path), public, "{path}");
        }
    }

    #[test]
    fn bundle_names_are_read_from_bundle_txt() {
        let b = Bundles::parse("staff frontdesk-aaa\npublic frontdesk-public-bbb\nstylesheet frontdesk-ccc.css\n");
        assert_eq!(b.staff, "frontdesk-aaa");
        assert_eq!(b.public, "frontdesk-public-bbb");
        assert_eq!(b.stylesheet, "frontdesk-ccc.css");
        // A development build has one bundle for every page.
        let dev = Bundles::parse("staff frontdesk-aaa\nstylesheet frontdesk-ccc.css");
        assert_eq!(dev.public, "frontdesk-aaa");
        assert_eq!(Bundles::parse(""), Bundles::default());
    }
}
