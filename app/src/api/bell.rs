//! The bell's pages and marking items read.

use crate::domain::ids::NotificationId;
use crate::error::AppError;
use crate::model::NotificationPage;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The bell panel: newest first, `before_seq` pages further back.
#[server(endpoint = "notifications", input = Json)]
pub async fn notifications(before_seq: Option<i64>) -> Result<NotificationPage, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::notifications::page(&state, me.id, before_seq, 20).await }).await
}

/// Returns the unread count afterwards.
#[server(endpoint = "mark_read", input = Json)]
pub async fn mark_read(ids: Vec<NotificationId>) -> Result<i64, AppError> {
    super::run::staff(|state, me| async move { crate::backend::channels::bell::read::mark_read(&state, me.id, ids).await }).await
}

#[server(endpoint = "mark_all_read", input = Json)]
pub async fn mark_all_read() -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::channels::bell::read::mark_all_read(&state, me.id).await }).await
}
