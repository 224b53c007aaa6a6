//! The staff inbox.

use crate::domain::ids::ConversationId;
use crate::error::AppError;
use crate::model::{ConversationSummary, ConversationThread};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "conversations", input = Json)]
pub async fn conversations() -> Result<Vec<ConversationSummary>, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::conversations::inbox(&state, &me).await }).await
}

/// A conversation's messages. Reading changes nothing: the page rendered for
/// a GET calls this, and a GET must not silence the unread alerts (a
/// cross-site link could). The open page marks it read with
/// [`mark_conversation_read`].
#[server(endpoint = "conversation", input = Json)]
pub async fn open_conversation(id: ConversationId) -> Result<ConversationThread, AppError> {
    use crate::backend::{commands, views};
    super::run::staff(|state, me| async move {
        let row = commands::conversations::check_visible(&state, &me, id).await?;
        views::conversations::thread(&state, row).await
    })
    .await
}

/// Counts the conversation as read by staff (sent by the open page, in the browser).
#[server(endpoint = "mark_conversation_read", input = Json)]
pub async fn mark_conversation_read(id: ConversationId) -> Result<(), AppError> {
    use crate::backend::commands;
    super::run::staff(|state, me| async move {
        let row = commands::conversations::check_visible(&state, &me, id).await?;
        if row.unread > 0 {
            commands::conversations::mark_read(&state, id).await?;
        }
        Ok(())
    })
    .await
}

#[server(endpoint = "reply", input = Json)]
pub async fn reply(id: ConversationId, body: String) -> Result<ConversationThread, AppError> {
    use crate::backend::{commands, views};
    super::run::staff(|state, me| async move {
        let row = commands::conversations::check_visible(&state, &me, id).await?;
        commands::conversations::reply(&state, &me, id, &body).await?;
        views::conversations::thread(&state, row).await
    })
    .await
}
