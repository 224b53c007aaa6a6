//! A store's settings and what its clients were sent.

use crate::domain::ids::{ClientMessageId, StoreId};
use crate::error::AppError;
use crate::model::{ClientMessageView, StoreSettingsForm, StoreSettingsPage};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "store_settings", input = Json)]
pub async fn store_settings(store_id: StoreId) -> Result<StoreSettingsPage, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::settings::page(&state, &me, store_id).await }).await
}

#[server(endpoint = "save_store_settings", input = Json)]
pub async fn save_store_settings(settings: StoreSettingsForm) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::settings::save(&state, &me, settings).await }).await
}

/// The "Client messages" page: newest first, optionally one status, paged by `before_id`.
#[server(endpoint = "client_messages", input = Json)]
pub async fn client_messages(status: Option<String>, before_id: Option<ClientMessageId>) -> Result<Vec<ClientMessageView>, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::client_messages::recent(&state, &me, status, before_id).await }).await
}

/// A manager checks the email or SMS channel: a test message to `recipient`.
#[server(endpoint = "send_test_message", input = Json)]
pub async fn send_test_message(store_id: StoreId, channel: String, recipient: String) -> Result<(), AppError> {
    super::run::staff(|state, me| async move {
        crate::backend::channels::client_messages::send_test(&state, &me, store_id, &channel, &recipient).await
    })
    .await
}
