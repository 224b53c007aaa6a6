//! The Frontdesk server: axum serving the Leptos app (SSR + hydration),
//! the typed server functions under `/api/`, the live WebSocket, the
//! reference pages under `/docs/` (server-rendered, not in the WASM), and the
//! static site. `start` is used by `main` and by the integration tests.
#![recursion_limit = "256"]

mod api_v1;
mod docs;
mod forms;
pub mod hosts;
mod live;
mod serve;

use app::backend::channels::client_messages::outbound::{MailConfig, Outbound, SmsConfig};
use app::backend::channels::{bell, client_messages, push, webhooks};
use app::backend::events::follow;
use app::backend::{scheduler, seed, tracking, AppState, Clock, Db, Hub, Settings};
use app::domain::time::{Seconds, UnixTime};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// Where `cargo xtask build` put the WASM, JS, CSS and public files.
    pub site_root: PathBuf,
    /// Create the demo store and staff when the database is empty.
    pub demo: bool,
    pub secure_cookies: bool,
    /// Accept http:// push endpoints (tests only).
    pub allow_insecure_push: bool,
    /// The VAPID `sub` claim: a mailto: or https: contact for push services.
    pub vapid_subject: String,
    /// Seconds added to the system clock (tests restarting "later").
    pub clock_offset_s: i64,
    /// Where clients reach the server, for links in their messages; `http://{addr}` when unset.
    pub public_url: Option<String>,
    /// Email to clients by SMTP; without it messages are rendered and recorded as skipped.
    pub mail: Option<MailConfig>,
    /// SMS to clients through a Twilio-compatible API; likewise optional.
    pub sms: Option<SmsConfig>,
    /// Private addresses webhooks may reach anyway (comma-separated IPs or CIDRs); empty in production.
    pub webhook_allow: String,
    /// Reverse proxies whose `X-Forwarded-For` is believed (comma-separated IPs or CIDRs).
    pub trusted_proxies: String,
    /// Limits on what the public may do without signing in (off only for load tests).
    pub rate_limits: bool,
    /// Push services devices may subscribe through (comma-separated hosts; empty: the browsers' own).
    pub push_services: String,
    /// Base URL of Stripe's API ("https://api.stripe.com"; tests run a local one).
    pub stripe_api: String,
    /// The bearer token that reads `/metrics`; unset, `/metrics` answers 404.
    pub metrics_token: Option<String>,
}

pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    pub demo_created: bool,
    pub server: tokio::task::JoinHandle<()>,
    stop: tokio::sync::watch::Sender<bool>,
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting requests, closes live sockets, stops the dispatchers
    /// and the scheduler, and waits for them: as if the process had exited.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        self.server.abort();
        let _ = self.server.await;
        for b in self.background {
            b.abort();
            let _ = b.await;
        }
    }
}

pub async fn start(config: Config) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| format!("cannot create data directory {}: {e}", config.data_dir.display()))?;
    let hub = Hub::default();
    let db = Db::open(&config.data_dir.join("frontdesk.db"), hub.clone()).await?;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr()?;
    let bundles = bundles(&config.site_root);
    let leptos_options = LeptosOptions::builder()
        // The page shell picks the staff or the client pages' bundle (`app::shell`).
        .output_name(bundles.staff.clone())
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let vapid = push::vapid::load_or_create(&db, config.vapid_subject.clone(), UnixTime(chrono::Utc::now().timestamp()))
        .await
        .map_err(|e| format!("VAPID key: {e}"))?;
    let clock = Clock::default();
    clock.advance(Seconds(config.clock_offset_s));
    let tracking_key = tracking::TrackingKey::load_or_create(&db, clock.now())
        .await
        .map_err(|e| format!("tracking key: {e}"))?;
    tracking::reissue_legacy(&db, &tracking_key)
        .await
        .map_err(|e| format!("tracking links: {e}"))?;
    let allow = webhooks::ssrf::AllowList::parse(&config.webhook_allow).map_err(|e| format!("webhook allow-list: {e}"))?;
    let push_services = push::PushServices::parse(&config.push_services).map_err(|e| format!("push services: {e}"))?;
    let pushes = push::Pushes::new(&allow, &push_services)?;
    let read_sync = push::ReadSync::new(&allow, &push_services)?;
    let summary_client = push::summary_client(&allow, &push_services)?;
    let deliverer = Arc::new(webhooks::deliver::Webhooks::new(allow)?);
    let outbound = Outbound::new(config.mail.clone(), config.sms.clone()).map_err(|e| format!("client messages: {e}"))?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_string();
    let state = AppState {
        db,
        hub,
        clock,
        config: Arc::new(Settings {
            // Served over https, cookies are always Secure (and `__Host-`).
            secure_cookies: config.secure_cookies || public_url.starts_with("https://"),
            allow_insecure_push: config.allow_insecure_push,
            push_services,
            trusted_proxies: webhooks::ssrf::AllowList::parse(&config.trusted_proxies).map_err(|e| format!("trusted proxies: {e}"))?,
            public_url,
            demo: config.demo,
            metrics_token: config.metrics_token.as_deref().and_then(app::backend::metrics::MetricsToken::new),
        }),
        leptos_options,
        bundles,
        stopping: stopped.clone(),
        vapid,
        tracking: tracking_key,
        messaging: client_messages::Messaging::new(outbound),
        webhooks: deliverer,
        sign_ins: Default::default(),
        public_limits: Arc::new(app::backend::throttle::Limiter::new(config.rate_limits)),
        payments: Arc::new(app::backend::payments::stripe::Stripe::new(&config.stripe_api)?),
        held_pushes: Default::default(),
        sends: Default::default(),
    };
    let demo_created = if config.demo {
        seed::demo_if_empty(&state.db, state.clock.now())
            .await
            .map_err(|e| format!("demo data: {e}"))?
    } else {
        false
    };
    // Sends the process this one replaces had claimed were cut off: due again
    // now, not after the claim window (at most those in flight repeat).
    let now = state.clock.now();
    let released = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                use app::backend::store;
                Ok(store::client_messages::release_claims(tx, now).await?
                    + store::account_emails::release_claims(tx, now).await?
                    + store::webhooks::release_claims(tx, now).await?)
            })
        })
        .await
        .map_err(|e| format!("releasing claims: {e:?}"))?;
    if released > 0 {
        tracing::warn!("{released} sends were cut off by the last stop; they are due again now");
    }
    let background = vec![
        // The followers of the event log (and of the logs derived from it), each with its cursor.
        tokio::spawn(follow(state.clone(), bell::Bell)),
        tokio::spawn(follow(state.clone(), pushes)),
        tokio::spawn(follow(state.clone(), read_sync)),
        tokio::spawn(follow(state.clone(), client_messages::ClientMessages)),
        tokio::spawn(follow(state.clone(), webhooks::dispatch::Dispatch)),
        tokio::spawn(follow(state.clone(), app::backend::channels::staff_email::StaffEmail)),
        // The workers that act when something falls due.
        tokio::spawn(scheduler::run(state.clone())),
        tokio::spawn(client_messages::sender::run(state.clone())),
        tokio::spawn(webhooks::deliver::run(state.clone())),
        tokio::spawn(push::summaries(state.clone(), summary_client)),
    ];
    let hosts = hosts::Hosts::new(config.public_url.as_deref(), addr)?;
    let router = router(state.clone(), hosts);
    let server = tokio::spawn(serve::serve(listener, router, stopped));
    Ok(Running {
        addr,
        state,
        demo_created,
        server,
        stop,
        background,
    })
}

/// The site's file names, which `cargo xtask build` hashes from their content
/// and lists in `bundle.txt` in the site root; a site built some other way has
/// the plain `frontdesk.js` / `frontdesk_bg.wasm` / `frontdesk.css`.
fn bundles(site_root: &std::path::Path) -> app::Bundles {
    std::fs::read_to_string(site_root.join("bundle.txt"))
        .map(|t| app::Bundles::parse(&t))
        .unwrap_or_default()
}

/// Every follower started above, with the log it reads, for `/readyz`.
fn followers() -> [(&'static str, app::backend::store::cursors::Log); 6] {
    use app::backend::channels::staff_email::StaffEmail;
    use app::backend::events::Follower;
    [
        (bell::Bell::NAME, bell::Bell::LOG),
        (push::Pushes::NAME, push::Pushes::LOG),
        (push::ReadSync::NAME, push::ReadSync::LOG),
        (client_messages::ClientMessages::NAME, client_messages::ClientMessages::LOG),
        (webhooks::dispatch::Dispatch::NAME, webhooks::dispatch::Dispatch::LOG),
        (StaffEmail::NAME, StaffEmail::LOG),
    ]
}

/// Alive: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// The Prometheus exposition, for a scraper holding the metrics token.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.metrics_token.as_ref() else {
        return (StatusCode::NOT_FOUND, "Not found.").into_response();
    };
    if !token.admits(headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok())) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "The metrics token is required.",
        )
            .into_response();
    }
    let lags = match app::backend::health::lags(&state, &followers()).await {
        Ok(lags) => lags,
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, format!("The database does not answer: {e}")).into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        app::backend::metrics::render(&state, &lags),
    )
        .into_response()
}

/// Ready to do its work: 200 with the figures, or 503 saying what is wrong.
async fn readyz(State(state): State<AppState>) -> Response {
    let r = app::backend::health::readiness(&state, &followers()).await;
    let status = if r.ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, [(header::CACHE_CONTROL, "no-store")], axum::Json(r)).into_response()
}

pub fn router(state: AppState, hosts: hosts::Hosts) -> Router {
    let routes = generate_route_list(app::App);
    let ctx_state = state.clone();
    let fn_state = state.clone();
    let not_found_state = state.clone();
    let site_root = state.leptos_options.site_root.to_string();
    // Anything no route and no file answers: the app's own "Page not found",
    // with status 404 (set by the page), not an empty body.
    let not_found = tower::service_fn(move |req: Request<Body>| {
        let s = not_found_state.clone();
        async move {
            let (options, bundles) = (s.leptos_options.clone(), s.bundles.clone());
            let render = leptos_axum::render_app_async_with_context(
                move || provide_context(s.clone()),
                move || app::shell(options.clone(), bundles.clone()),
            );
            Ok::<_, std::convert::Infallible>(render(req).await.into_response())
        }
    });
    Router::new()
        .route("/api/live", get(live::upgrade))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/t/{token}/calendar.ics", get(calendar_file))
        .route("/t/{token}/qr.svg", get(qr_svg))
        .route("/t/{token}/qr.png", get(qr_png))
        .route("/hooks/stripe/{store}", post(stripe_event))
        .route("/pay/{reference}", get(payment_way_back))
        .merge(api_v1::routes())
        .merge(forms::routes())
        .merge(docs::routes(state.bundles.stylesheet_href(&state.leptos_options)))
        .route(
            "/api/{*fn_name}",
            post(move |req: Request<Body>| {
                let s = fn_state.clone();
                handle_server_fns_with_context(move || provide_context(s.clone()), req)
            }),
        )
        .leptos_routes_with_context(&state, routes, move || provide_context(ctx_state.clone()), {
            let (options, bundles) = (state.leptos_options.clone(), state.bundles.clone());
            move || app::shell(options.clone(), bundles.clone())
        })
        .nest_service(
            "/pkg",
            tower_http::services::ServeDir::new(PathBuf::from(&site_root).join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .fallback_service(tower_http::services::ServeDir::new(&site_root).not_found_service(not_found))
        .layer(middleware::from_fn(cache_control))
        .layer(middleware::from_fn_with_state(state.clone(), staff_pages_need_a_session))
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn(read_bodies_whole))
        .layer(tower_http::compression::CompressionLayer::new())
        // A request that takes longer than this is answered 408 rather than
        // holding its connection (the live socket has upgraded long before).
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // The last resort: a bug that panics still gets an answer, never a dropped connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(answer_panic))
        .layer(middleware::from_fn_with_state(Arc::new(hosts), answer_only_our_host))
        .layer(middleware::from_fn_with_state(
            state.config.public_url.starts_with("https://"),
            security_headers,
        ))
        .with_state(state)
}

/// A request for another host is answered 421 before anything else runs.
async fn answer_only_our_host(State(hosts): State<Arc<hosts::Hosts>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    if !hosts.allows(host) {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "This server does not answer for that host name. Use the address you were given.",
        )
            .into_response();
    }
    next.run(req).await
}

/// Headers every answer carries: no sniffing, no framing by other sites, no
/// referrer leaving the site (tracking links carry tokens), and, served over
/// https, HSTS. A handler's own value wins.
async fn security_headers(State(https): State<bool>, req: Request<Body>, next: Next) -> Response {
    use axum::http::HeaderValue;
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        header::CONTENT_SECURITY_POLICY,
        // Pages set their own, with the nonce of their inline scripts
        // (`app::page_csp`); everything else (the API documentation's inline
        // stylesheet included) may run no inline script at all.
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    res
}

/// The bundle under `/pkg/` has content-hashed names: a browser may keep each
/// file for a year without asking again. Everything else (pages, the service
/// worker, the manifest, icons, API answers) is revalidated on every use, so a
/// new release is seen at once. A handler's own value wins.
async fn cache_control(req: Request<Body>, next: Next) -> Response {
    use axum::http::HeaderValue;
    let immutable = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let value = if immutable && res.status() == StatusCode::OK {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    res
}

/// How long one request may take before it is answered 408.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

fn answer_panic(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(serde_json::json!({"Internal": "Something went wrong on our side. Please try again."})),
    )
        .into_response()
}

/// The client's booking as an `.ics` file ("add to calendar" on the tracking page).
/// Stripe's signed events for one store's account (the URL an admin gives
/// Stripe as the webhook endpoint). 2xx once acted on or known; 400 for a
/// forged or stale signature (nothing changes); 409 for a refund of a payment
/// not known as paid yet, so Stripe tries again later.
async fn stripe_event(
    State(state): State<AppState>,
    axum::extract::Path(store): axum::extract::Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Ok(store) = store.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "No such store.").into_response();
    };
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    match app::backend::payments::receive(&state, app::domain::ids::StoreId(store), signature, body.to_vec()).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.to_string()).into_response()
        }
    }
}

/// Where the provider's payment page sends the client back (`?paid=1` after
/// paying): their tracking page, which shows what they paid.
async fn payment_way_back(
    State(state): State<AppState>,
    axum::extract::Path(reference): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    match app::backend::payments::way_back(&state, &reference, query.contains_key("paid")).await {
        Ok(path) => axum::response::Redirect::to(&path).into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.to_string()).into_response()
        }
    }
}

async fn calendar_file(State(state): State<AppState>, axum::extract::Path(token): axum::extract::Path<String>) -> Response {
    match app::backend::views::tracking::calendar_file(&state, &token).await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"booking.ics\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            ics,
        )
            .into_response(),
        Err(e) => (StatusCode::NOT_FOUND, e.to_string()).into_response(),
    }
}

/// The QR code of a tracking link (the webhook's `trackingQRCodeUrl`), for
/// an integration's own messages or a printed confirmation.
async fn qr_code(state: &AppState, token: &str, format: app::backend::views::tracking::QrFormat) -> Response {
    use app::backend::views::tracking::QrFormat;
    let content_type = match format {
        QrFormat::Svg => "image/svg+xml",
        QrFormat::Png => "image/png",
    };
    match app::backend::views::tracking::qr_code(state, token, format).await {
        Ok(image) => ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-store")], image).into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.to_string()).into_response()
        }
    }
}

async fn qr_svg(State(state): State<AppState>, axum::extract::Path(token): axum::extract::Path<String>) -> Response {
    qr_code(&state, &token, app::backend::views::tracking::QrFormat::Svg).await
}

async fn qr_png(State(state): State<AppState>, axum::extract::Path(token): axum::extract::Path<String>) -> Response {
    qr_code(&state, &token, app::backend::views::tracking::QrFormat::Png).await
}

/// The most a request body may be, read whole before any handler runs.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// A handler that refuses a request before reading its body (no API key, a
/// body over the extractors' 2 MiB) would have hyper close the connection
/// under a client still sending, which sees a dropped connection instead of
/// the answer, and so would the next request on that connection. Reading the
/// body first lets every refusal be heard; past `MAX_BODY`, 413.
async fn read_bodies_whole(req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(_) => (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response(),
    }
}

/// Server functions have no CSRF protection of their own: every state-changing
/// request must come from our own pages. Browsers always send `Sec-Fetch-Site`
/// or `Origin` on such requests; callers without either are not browsers
/// (scripts, tests, integrations) and cannot be driven by another site.
async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD && !same_origin(req.headers()) {
        return (StatusCode::FORBIDDEN, "Cross-site requests are not accepted.").into_response();
    }
    next.run(req).await
}

/// Staff pages are streamed, so a redirect decided inside the page would come
/// after the 200 status. Decide it here instead: no live session, no page.
async fn staff_pages_need_a_session(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() == Method::GET && (path == "/staff" || path.starts_with("/staff/")) {
        match app::backend::auth::staff_for_headers(&state, req.headers()).await {
            Ok(Some(_)) => {}
            Ok(None) => return axum::response::Redirect::to("/login").into_response(),
            Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "Try again shortly.").into_response(),
        }
    }
    next.run(req).await
}

pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) == Some(host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}
