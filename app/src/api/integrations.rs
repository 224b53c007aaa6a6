//! Webhook endpoints and API keys: administrators only.

use crate::domain::ids::{ApiKeyId, DeliveryId, EndpointId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::model::{ApiKeyView, DeliveryView, EndpointInput, EndpointView, NewApiKey};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "webhook_endpoints", input = Json)]
pub async fn webhook_endpoints() -> Result<Vec<EndpointView>, AppError> {
    super::run::admin(|state, _| async move { crate::backend::channels::webhooks::endpoints::list(&state).await }).await
}

#[server(endpoint = "create_webhook_endpoint", input = Json)]
pub async fn create_webhook_endpoint(endpoint: EndpointInput) -> Result<EndpointView, AppError> {
    super::run::admin(|state, _| async move { crate::backend::channels::webhooks::endpoints::create(&state, endpoint).await }).await
}

#[server(endpoint = "update_webhook_endpoint", input = Json)]
pub async fn update_webhook_endpoint(id: EndpointId, endpoint: EndpointInput) -> Result<EndpointView, AppError> {
    super::run::admin(|state, _| async move { crate::backend::channels::webhooks::endpoints::update(&state, id, endpoint).await }).await
}

#[server(endpoint = "delete_webhook_endpoint", input = Json)]
pub async fn delete_webhook_endpoint(id: EndpointId) -> Result<(), AppError> {
    super::run::admin(|state, _| async move { crate::backend::channels::webhooks::endpoints::delete(&state, id).await }).await
}

#[server(endpoint = "rotate_webhook_secret", input = Json)]
pub async fn rotate_webhook_secret(id: EndpointId) -> Result<EndpointView, AppError> {
    super::run::admin(|state, _| async move { crate::backend::channels::webhooks::endpoints::rotate_secret(&state, id).await }).await
}

/// Sends a `webhook.test` message to one endpoint; returns the delivery id.
#[server(endpoint = "test_webhook_endpoint", input = Json)]
pub async fn test_webhook_endpoint(id: EndpointId) -> Result<DeliveryId, AppError> {
    super::run::admin(|state, _| async move { crate::backend::channels::webhooks::endpoints::send_test(&state, id).await }).await
}

#[server(endpoint = "webhook_deliveries", input = Json)]
pub async fn webhook_deliveries(
    endpoint_id: EndpointId,
    status: Option<String>,
    before_id: Option<DeliveryId>,
) -> Result<Vec<DeliveryView>, AppError> {
    super::run::admin(|state, _| async move {
        crate::backend::channels::webhooks::endpoints::deliveries(&state, endpoint_id, status, before_id).await
    })
    .await
}

#[server(endpoint = "resend_webhook_delivery", input = Json)]
pub async fn resend_webhook_delivery(id: DeliveryId) -> Result<(), AppError> {
    super::run::admin(|state, _| async move { crate::backend::channels::webhooks::endpoints::resend(&state, id).await }).await
}

/// Sends every failed delivery of the endpoint since `since` (unix seconds) again; returns how many.
#[server(endpoint = "replay_failed_webhooks", input = Json)]
pub async fn replay_failed_webhooks(endpoint_id: EndpointId, since: UnixTime) -> Result<u64, AppError> {
    super::run::admin(
        |state, _| async move { crate::backend::channels::webhooks::endpoints::replay_failed(&state, endpoint_id, since).await },
    )
    .await
}

#[server(endpoint = "api_keys", input = Json)]
pub async fn api_keys() -> Result<Vec<ApiKeyView>, AppError> {
    super::run::admin(|state, _| async move { crate::backend::api_keys::list(&state).await }).await
}

/// Creates an integration API key; the key itself is in the answer and nowhere else.
#[server(endpoint = "create_api_key", input = Json)]
pub async fn create_api_key(name: String) -> Result<NewApiKey, AppError> {
    super::run::admin(|state, me| async move {
        let (view, key) = crate::backend::api_keys::create(&state, &me, &name).await?;
        Ok(NewApiKey { view, key })
    })
    .await
}

#[server(endpoint = "revoke_api_key", input = Json)]
pub async fn revoke_api_key(id: ApiKeyId) -> Result<(), AppError> {
    super::run::admin(|state, _| async move { crate::backend::api_keys::revoke(&state, id).await }).await
}
