//! Setup: stores (profile, opening hours, closures), services, and people's
//! working hours and time off.

use crate::domain::hours::WeekForm;
use crate::domain::ids::{ServiceId, StaffId, StoreId};
use crate::error::AppError;
use crate::model::{ScheduleView, ServiceCatalogue, ServiceForm, StoreProfileForm, StoreSetup};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "setup_stores", input = Json)]
pub async fn setup_stores() -> Result<Vec<StoreProfileForm>, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::setup::stores(&state, &me).await }).await
}

#[server(endpoint = "setup_store", input = Json)]
pub async fn setup_store(store_id: StoreId) -> Result<StoreSetup, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::setup::store(&state, &me, store_id).await }).await
}

/// Creates a store (`profile.id` empty) or saves its profile; returns its id.
#[server(endpoint = "save_store", input = Json)]
pub async fn save_store(profile: StoreProfileForm) -> Result<StoreId, AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::stores::save_profile(&state, &me, profile).await }).await
}

#[server(endpoint = "save_store_hours", input = Json)]
pub async fn save_store_hours(store_id: StoreId, hours: WeekForm) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::stores::save_hours(&state, &me, store_id, hours).await }).await
}

#[server(endpoint = "add_closure", input = Json)]
pub async fn add_closure(store_id: StoreId, first_day: String, last_day: String, reason: String) -> Result<i64, AppError> {
    super::run::staff(|state, me| async move {
        crate::backend::commands::stores::add_closure(&state, &me, store_id, first_day, last_day, reason).await
    })
    .await
}

#[server(endpoint = "remove_closure", input = Json)]
pub async fn remove_closure(store_id: StoreId, closure_id: i64) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::stores::remove_closure(&state, &me, store_id, closure_id).await })
        .await
}

#[server(endpoint = "setup_services", input = Json)]
pub async fn setup_services(store_id: StoreId) -> Result<ServiceCatalogue, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::setup::services(&state, &me, store_id).await }).await
}

#[server(endpoint = "save_service", input = Json)]
pub async fn save_service(service: ServiceForm) -> Result<ServiceId, AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::services::save(&state, &me, service).await }).await
}

#[server(endpoint = "reorder_services", input = Json)]
pub async fn reorder_services(store_id: StoreId, order: Vec<ServiceId>) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::services::reorder(&state, &me, store_id, order).await }).await
}

#[server(endpoint = "schedule", input = Json)]
pub async fn schedule(store_id: StoreId, staff_id: StaffId) -> Result<ScheduleView, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::setup::schedule(&state, &me, store_id, staff_id).await }).await
}

/// Sets someone's hours at a store; `hours: null` returns them to the store's hours.
#[server(endpoint = "save_working_hours", input = Json)]
pub async fn save_working_hours(store_id: StoreId, staff_id: StaffId, hours: Option<WeekForm>) -> Result<(), AppError> {
    super::run::staff(
        |state, me| async move { crate::backend::commands::schedules::save_hours(&state, &me, store_id, staff_id, hours).await },
    )
    .await
}

#[server(endpoint = "add_time_off", input = Json)]
pub async fn add_time_off(
    store_id: StoreId,
    staff_id: StaffId,
    first_day: String,
    last_day: String,
    reason: String,
) -> Result<i64, AppError> {
    super::run::staff(|state, me| async move {
        crate::backend::commands::schedules::add_time_off(&state, &me, store_id, staff_id, first_day, last_day, reason).await
    })
    .await
}

#[server(endpoint = "remove_time_off", input = Json)]
pub async fn remove_time_off(store_id: StoreId, staff_id: StaffId, time_off_id: i64) -> Result<(), AppError> {
    super::run::staff(|state, me| async move {
        crate::backend::commands::schedules::remove_time_off(&state, &me, store_id, staff_id, time_off_id).await
    })
    .await
}
