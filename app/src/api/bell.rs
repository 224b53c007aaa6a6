//! The bell's pages and marking items read.

use crate::domain::ids::NotificationId;
use crate::error::AppError;
use crate::model::NotificationPage;
use crate::rules::inbox::BellFilter;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The bell panel: newest first, `before_seq` pages further back; `filter`
/// (absent: everything not archived) narrows it to unread, one category, or the archive.
#[server(endpoint = "notifications", input = Json)]
pub async fn notifications(before_seq: Option<i64>, filter: Option<BellFilter>) -> Result<NotificationPage, AppError> {
    super::run::staff(|state, me| async move {
        crate::backend::views::notifications::page(&state, me.id, before_seq, 20, filter.unwrap_or_default()).await
    })
    .await
}

/// Archives items (and reads them); returns the unread count afterwards.
#[server(endpoint = "archive_notifications", input = Json)]
pub async fn archive_notifications(ids: Vec<NotificationId>) -> Result<i64, AppError> {
    super::run::staff(|state, me| async move { crate::backend::channels::bell::read::archive(&state, me.id, ids).await }).await
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
