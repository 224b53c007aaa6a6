//! What clients use: the booking page, and their booking's tracking page.

use crate::domain::ids::{ServiceId, StaffId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::model::{BookingConfirmation, BookingPageInfo, BookingRequest, MonthDays, Slot, TrackingView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The booking page of a store, in `lang` if given and offered, else in the
/// browser's language (`Accept-Language`), else in the store's.
#[server(endpoint = "booking_page", input = Json)]
pub async fn booking_page(store: String, lang: Option<String>) -> Result<BookingPageInfo, AppError> {
    super::run::public(|state| async move {
        let headers = super::run::headers().await;
        let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        crate::backend::views::booking::page(&state, &store, lang.as_deref(), accept).await
    })
    .await
}

/// The days of a month (`YYYY-MM`, or empty for the next one with a free
/// time) on which `service_id` has free times.
#[server(endpoint = "booking_month", input = Json)]
pub async fn booking_month(
    store: String,
    service_id: ServiceId,
    associate_id: Option<StaffId>,
    month: String,
) -> Result<MonthDays, AppError> {
    super::run::public(|state| async move { crate::backend::views::booking::month(&state, &store, service_id, associate_id, &month).await })
        .await
}

/// Free start times for one store-local day (`YYYY-MM-DD`).
#[server(endpoint = "slots", input = Json)]
pub async fn available_slots(
    store: String,
    service_id: ServiceId,
    date: String,
    associate_id: Option<StaffId>,
) -> Result<Vec<Slot>, AppError> {
    use crate::backend::views::booking;
    super::run::public(|state| async move {
        let date = booking::parse_date(&date)?;
        booking::slots(&state, &store, service_id, date, associate_id).await
    })
    .await
}

#[server(endpoint = "book", input = Json)]
pub async fn book(request: BookingRequest) -> Result<BookingConfirmation, AppError> {
    super::run::public(|state| async move {
        let key = crate::backend::auth::idempotency_key(&super::run::headers().await)?;
        let from = super::run::client_address(&state).await;
        crate::backend::commands::book::book_online(&state, request, key, &from).await
    })
    .await
}

/// The client's booking behind a tracking link; `lang` (a language code) overrides the client's language.
#[server(endpoint = "tracking", input = Json)]
pub async fn tracking(token: String, lang: Option<String>) -> Result<TrackingView, AppError> {
    super::run::public(|state| async move { crate::backend::views::tracking::view(&state, &token, lang.as_deref()).await }).await
}

/// Free times on a date (`YYYY-MM-DD`) the client may move their booking to.
#[server(endpoint = "tracking_times", input = Json)]
pub async fn tracking_times(token: String, date: String) -> Result<Vec<Slot>, AppError> {
    super::run::public(|state| async move { crate::backend::views::tracking::free_times(&state, &token, &date).await }).await
}

#[server(endpoint = "tracking_cancel", input = Json)]
pub async fn tracking_cancel(token: String, reason: String, lang: Option<String>) -> Result<(), AppError> {
    super::run::public(|state| async move {
        client_action(&state, &token).await?;
        crate::backend::commands::change::client_cancel(&state, token, reason, lang).await
    })
    .await
}

#[server(endpoint = "tracking_confirm", input = Json)]
pub async fn tracking_confirm(token: String, lang: Option<String>) -> Result<(), AppError> {
    super::run::public(|state| async move {
        client_action(&state, &token).await?;
        crate::backend::commands::change::client_confirm(&state, token, lang).await
    })
    .await
}

#[server(endpoint = "tracking_modify", input = Json)]
pub async fn tracking_modify(token: String, starts_at: UnixTime, lang: Option<String>) -> Result<(), AppError> {
    super::run::public(|state| async move {
        client_action(&state, &token).await?;
        crate::backend::commands::change::client_modify(&state, token, starts_at, lang).await
    })
    .await
}

/// An attendee drops out through their own link.
#[server(endpoint = "tracking_leave", input = Json)]
pub async fn tracking_leave(token: String) -> Result<(), AppError> {
    super::run::public(|state| async move {
        client_action(&state, &token).await?;
        crate::backend::commands::attendees::leave(&state, &token).await
    })
    .await
}

/// A client writes to the store from their tracking page.
#[server(endpoint = "send_message", input = Json)]
pub async fn send_message(token: String, body: String) -> Result<(), AppError> {
    super::run::public(|state| async move {
        client_action(&state, &token).await?;
        crate::backend::commands::conversations::client_writes(&state, &token, &body).await
    })
    .await
}

/// Counts one action through a tracking link (`tracking::client_action`).
#[cfg(feature = "ssr")]
async fn client_action(state: &crate::backend::AppState, token: &str) -> Result<(), AppError> {
    let from = super::run::client_address(state).await;
    crate::backend::tracking::client_action(state, token, &from)
}
