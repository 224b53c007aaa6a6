//! What clients use: the booking page, and their booking's tracking page.

use crate::domain::ids::{ServiceId, StaffId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::model::{BookingConfirmation, BookingPageInfo, BookingRequest, Slot, TrackingView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "booking_page", input = Json)]
pub async fn booking_page(store: String) -> Result<BookingPageInfo, AppError> {
    super::run::public(|state| async move { crate::backend::views::booking::page(&state, &store).await }).await
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

/// Counts one action through a tracking link against the link and the
/// client's address (429 once either is used up), so a script can neither
/// flood the store's bell through one link nor act through many links.
#[cfg(feature = "ssr")]
async fn client_action(state: &crate::backend::AppState, token: &str) -> Result<(), AppError> {
    use crate::backend::throttle::Limit;
    let from = super::run::client_address(state).await;
    // A link is keyed by what it is stored as: only its digest is kept in memory.
    let link = crate::backend::auth::token_hash(token);
    state
        .public_limits
        .take(
            &[
                (Limit::ClientActionsPerAddress, from.as_str()),
                (Limit::ClientActionsPerLink, link.as_str()),
            ],
            state.clock.now(),
        )
        .map_err(|retry_after_s| AppError::TooManyRequests { retry_after_s })
}
