//! The client directory.

use crate::domain::ids::ClientId;
use crate::error::AppError;
use crate::model::{ClientDetailsForm, ClientProfile, ClientSummary, NewClient};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "clients", input = Json)]
pub async fn search_clients(q: String) -> Result<Vec<ClientSummary>, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::clients::search(&state, &me, &q).await }).await
}

#[server(endpoint = "client", input = Json)]
pub async fn client_details(id: ClientId) -> Result<ClientProfile, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::clients::profile(&state, &me, id).await }).await
}

#[server(endpoint = "create_client", input = Json)]
pub async fn create_client(client: NewClient) -> Result<ClientId, AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::clients::create(&state, &me, client).await }).await
}

#[server(endpoint = "update_client", input = Json)]
pub async fn update_client(id: ClientId, details: ClientDetailsForm) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::clients::update(&state, &me, id, details).await }).await
}
