//! A staff member's devices with notifications on.

use crate::domain::ids::DeviceId;
use crate::error::AppError;
use crate::model::DeviceView;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The server's VAPID public key (base64url), for `pushManager.subscribe`.
#[server(endpoint = "vapid_public_key", input = Json)]
pub async fn vapid_public_key() -> Result<String, AppError> {
    super::run::public(|state| async move { Ok(state.vapid.public_b64.clone()) }).await
}

/// Stores this device's push subscription for the signed-in staff member.
#[server(endpoint = "subscribe_push", input = Json)]
pub async fn subscribe_push(endpoint: String, p256dh: String, auth: String, label: String) -> Result<DeviceId, AppError> {
    super::run::staff(|state, me| async move {
        crate::backend::channels::push::devices::subscribe(&state, me.id, endpoint, p256dh, auth, label).await
    })
    .await
}

#[server(endpoint = "devices", input = Json)]
pub async fn my_devices() -> Result<Vec<DeviceView>, AppError> {
    super::run::staff(|state, me| async move { crate::backend::channels::push::devices::list(&state, me.id).await }).await
}

/// Renames a device, or removes it when `label` is null.
#[server(endpoint = "edit_device", input = Json)]
pub async fn edit_device(id: DeviceId, label: Option<String>) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::channels::push::devices::edit(&state, me.id, id, label).await }).await
}

/// Sends a test push to each of my devices; returns how many.
#[server(endpoint = "test_push", input = Json)]
pub async fn test_push() -> Result<usize, AppError> {
    super::run::staff(|state, me| async move { crate::backend::channels::push::send_test(&state, me.id).await }).await
}
