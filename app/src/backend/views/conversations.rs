//! The staff inbox and one conversation's thread.

use crate::backend::commands::conversations::preview;
use crate::backend::store;
use crate::backend::store::conversations::SummaryRow;
use crate::backend::AppState;
use crate::domain::messages::SenderKind;
use crate::error::AppError;
use crate::model::{ConversationSummary, ConversationThread, Me, MessageView};
use crate::rules::access;

fn summary(r: SummaryRow) -> ConversationSummary {
    ConversationSummary {
        id: r.id,
        client_name: r.client_name,
        store_name: r.store_name,
        associate_name: r.associate_name,
        unread: r.unread,
        last_message_at: r.last_message_at,
        preview: preview(&r.last_message.unwrap_or_default()),
    }
}

/// An associate's own conversations; a manager's stores' ones. Most recent first.
pub async fn inbox(state: &AppState, me: &Me) -> Result<Vec<ConversationSummary>, AppError> {
    let mut conn = state.db.reader().await?;
    let rows = store::conversations::inbox(&mut conn, me.id, &access::managed_stores(me)).await?;
    Ok(rows.into_iter().map(summary).collect())
}

/// The thread of a conversation whose visibility the caller checked, its
/// unread count as stored (the open page marks it read when it is above 0).
pub async fn thread(state: &AppState, row: SummaryRow) -> Result<ConversationThread, AppError> {
    let mut conn = state.db.reader().await?;
    let messages = store::conversations::messages(&mut conn, row.id).await?;
    let client_name = row.client_name.clone();
    let client_id = row.client_id;
    let summary = summary(row);
    Ok(ConversationThread {
        summary,
        client_id,
        messages: messages
            .into_iter()
            .map(|m| MessageView {
                id: m.id,
                from_client: m.sender_kind == SenderKind::Client,
                author: match m.sender_kind {
                    SenderKind::Client => client_name.clone(),
                    SenderKind::Staff => m.staff_name.unwrap_or_else(|| "Staff".into()),
                },
                body: m.body,
                at: m.created_at,
            })
            .collect(),
    })
}
