//! The client's forms as plain HTML form posts, for a browser that has not
//! loaded the WASM yet (a slow network) or will not: booking
//! (`POST /book/:store`) and the tracking page's cancel and confirm
//! (`POST /t/:token/cancel|confirm`). They run the same commands, limits
//! included, as the server functions the hydrated page calls, and answer
//! 303 to the page that shows the outcome. A refused booking is drawn again
//! with what was typed and why (`app::pages::booking::PostedBooking`).

use app::backend::{commands, throttle, tracking, AppState};
use app::error::AppError;
use app::model::BookingRequest;
use app::pages::booking::{Choice, PostedBooking};
use axum::extract::{ConnectInfo, Form, Path, Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use leptos::prelude::provide_context;
use std::collections::HashMap;
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/book/{store}", post(book))
        .route("/t/{token}/cancel", post(cancel))
        .route("/t/{token}/confirm", post(confirm))
}

fn client_address(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    throttle::client_address(Some(peer.ip()), &forwarded, &state.config.trusted_proxies)
}

/// A form field as typed (absent is empty).
fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

fn booking_request(store: &str, form: &HashMap<String, String>) -> BookingRequest {
    BookingRequest {
        store: store.to_string(),
        // An id or time that does not parse is "none chosen", which the
        // booking refuses with its own message.
        service_id: field(form, "service_id").trim().parse().unwrap_or_default(),
        starts_at: app::domain::time::UnixTime(field(form, "starts_at").trim().parse().unwrap_or_default()),
        associate_id: field(form, "associate_id").trim().parse().ok(),
        name: field(form, "name"),
        email: field(form, "email"),
        mobile: field(form, "mobile"),
        language: field(form, "language"),
        notes: field(form, "notes"),
        // A checkbox is sent only when ticked.
        remind_by_email: form.contains_key("remind_by_email"),
        remind_by_sms: form.contains_key("remind_by_sms"),
        attendees: vec![],
        notify_attendees: false,
    }
}

async fn book(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(store): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let request = booking_request(&store, &form);
    let from = client_address(&state, peer, &headers);
    match commands::book::book_online(&state, request.clone(), None, &from).await {
        Ok(c) => Redirect::to(&format!("{}?booked=1", c.tracking_path)).into_response(),
        Err(error) => {
            // The details step again, with the same choices in its address.
            let page = Choice {
                service: Some(request.service_id),
                associate: request.associate_id,
                date: Some(field(&form, "date")).filter(|d| !d.is_empty()),
                slot: Some(request.starts_at),
                month: None,
                lang: Some(request.language.clone()).filter(|l| !l.is_empty()),
            }
            .href(&store);
            redraw(state, headers, page, PostedBooking { request, error }).await
        }
    }
}

/// Renders the booking page at `uri` as a GET would, with the refused post
/// in context (the page sets the status from its error).
async fn redraw(state: AppState, headers: HeaderMap, uri: String, posted: PostedBooking) -> Response {
    let mut req = Request::builder().method("GET").uri(&uri);
    for name in [
        axum::http::header::ACCEPT_LANGUAGE,
        axum::http::header::HOST,
        axum::http::header::COOKIE,
    ] {
        if let Some(v) = headers.get(&name) {
            req = req.header(name, v);
        }
    }
    let Ok(req) = req.body(axum::body::Body::empty()) else {
        return failure(AppError::Internal);
    };
    let (options, bundles) = (state.leptos_options.clone(), state.bundles.clone());
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(posted.clone());
        },
        move || app::shell(options.clone(), bundles.clone()),
    );
    render(req).await.into_response()
}

/// Where a tracking-page form lands: the page, in the form's language, saying
/// what happened (`done`) or, refused, with the flow open again so the page
/// says why (`action`).
fn back_to_tracking(token: &str, form: &HashMap<String, String>, outcome: Result<(), AppError>, done: &str, action: &str) -> Response {
    let lang = app::i18n::Language::parse(&field(form, "lang")).unwrap_or_else(|_| app::i18n::Language::fallback());
    let lang = lang.code();
    match outcome {
        Ok(()) => Redirect::to(&format!("/t/{token}?lang={lang}&done={done}")).into_response(),
        Err(e @ (AppError::NotFound(_) | AppError::TooManyRequests { .. })) => failure(e),
        Err(e) => {
            tracing::info!("a tracking-page form was refused: {e}");
            Redirect::to(&format!("/t/{token}?lang={lang}&action={action}")).into_response()
        }
    }
}

async fn cancel(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    act(state, peer, token, headers, form, FormAction::Cancel).await
}

async fn confirm(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    act(state, peer, token, headers, form, FormAction::Confirm).await
}

/// What a tracking page posts without the WASM (a move needs the free times,
/// so it goes through the page's server function only).
#[derive(Clone, Copy)]
enum FormAction {
    Cancel,
    Confirm,
}

/// A tracking-page form: counted against the link and the address, then
/// the same command the page's server function runs.
async fn act(
    state: AppState,
    peer: SocketAddr,
    token: String,
    headers: HeaderMap,
    form: HashMap<String, String>,
    action: FormAction,
) -> Response {
    let from = client_address(&state, peer, &headers);
    let lang = Some(field(&form, "lang")).filter(|l| !l.is_empty());
    let outcome = match tracking::client_action(&state, &token, &from) {
        Ok(()) => match action {
            FormAction::Cancel => commands::change::client_cancel(&state, token.clone(), field(&form, "reason"), lang).await,
            FormAction::Confirm => commands::change::client_confirm(&state, token.clone(), lang).await,
        },
        Err(e) => Err(e),
    };
    let (done, open_again) = match action {
        FormAction::Cancel => ("cancelled", "cancel"),
        FormAction::Confirm => ("confirmed", "confirm"),
    };
    back_to_tracking(&token, &form, outcome, done, open_again)
}

/// An error no page can show: its status and its sentence, as plain text.
fn failure(e: AppError) -> Response {
    let status = axum::http::StatusCode::from_u16(e.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = (status, e.to_string()).into_response();
    if let AppError::TooManyRequests { retry_after_s } = e {
        if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after_s.to_string()) {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
    }
    res
}
