//! Client ↔ store conversations. A client writes from their tracking page:
//! the message is stored, an event appended (staff are told per the rules),
//! and an "overdue" job scheduled from the first unread message. Staff read
//! and reply from their inbox; reading clears the unread count, so the
//! overdue job finds nothing to chase; a reply is an event too (the client
//! is written to).

use super::record::{self, Notice};
use crate::backend::store::{self, Tx};
use crate::backend::tracking;
use crate::backend::AppState;
use crate::domain::event::{Actor, Happening};
use crate::domain::ids::ConversationId;
use crate::domain::jobs::JobKind;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::model::Me;
use crate::rules::access::Action;

const MAX_MESSAGE: usize = 2000;
const NO_SUCH_CONVERSATION: &str = "No such conversation.";

fn parse_body(raw: &str) -> Result<String, AppError> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(AppError::field("body", "Please write a message."));
    }
    if body.chars().count() > MAX_MESSAGE {
        return Err(AppError::field(
            "body",
            format!("Messages are limited to {MAX_MESSAGE} characters."),
        ));
    }
    Ok(body.to_string())
}

/// The start of a message, for bell items and lists.
pub fn preview(body: &str) -> String {
    let mut p: String = body.chars().take(80).collect();
    if body.chars().count() > 80 {
        p.push('…');
    }
    p
}

/// A client writes to the store from their booking's tracking page.
pub async fn client_writes(state: &AppState, token: &str, body: &str) -> Result<(), AppError> {
    let body = parse_body(body)?;
    let token = token.to_string();
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let not_found = crate::backend::tracking::invalid_link;
                let appointment_id = tracking::find(tx.conn(), &token).await?.ok_or_else(not_found)?;
                let current = record::load(tx.conn(), appointment_id).await?;
                let (conversation_id, associate) = store::conversations::client_wrote(
                    tx,
                    current.store_id,
                    current.client_id,
                    appointment_id,
                    current.associate_id,
                    &body,
                    now,
                )
                .await?;
                let notice = Notice {
                    actor: Actor::Client,
                    happening: Happening::MessageReceived { associate_id: associate },
                    by: "the client".into(),
                    conversation: Some(conversation_id),
                    preview: preview(&body),
                    message: body.clone(),
                    payment: None,
                };
                record::notice(tx, &current, notice, now).await?;
                // Counted from the first unread message: later ones do not push it back.
                let store = store::stores::by_id(tx.conn(), current.store_id).await?.ok_or(AppError::Internal)?;
                let due = now + Seconds::minutes(store.overdue_conversation_minutes);
                store::jobs::schedule_for_conversation(tx, JobKind::ConversationOverdue, conversation_id, due, now).await
            })
        })
        .await
}

/// The scheduler's job: tell the associate if the client is still waiting.
pub async fn overdue(tx: &mut Tx, id: ConversationId, now: UnixTime) -> Result<(), AppError> {
    let Some(conversation) = store::conversations::state(tx.conn(), id).await? else {
        return Ok(());
    };
    let Some(appointment_id) = conversation.appointment_id else {
        return Ok(());
    };
    if conversation.unread_by_staff == 0 {
        return Ok(()); // someone read it in time
    }
    let body = store::conversations::last_from_client(tx.conn(), id).await?.unwrap_or_default();
    let current = record::load(tx.conn(), appointment_id).await?;
    let notice = Notice {
        actor: Actor::System,
        happening: Happening::ConversationOverdue {
            associate_id: conversation.associate_id,
        },
        by: "Frontdesk".into(),
        conversation: Some(id),
        preview: preview(&body),
        message: String::new(),
        payment: None,
    };
    record::notice(tx, &current, notice, now).await
}

/// The conversation if `me` may read it; 404 otherwise (as for a missing one).
pub async fn check_visible(state: &AppState, me: &Me, id: ConversationId) -> Result<store::conversations::SummaryRow, AppError> {
    let mut conn = state.db.reader().await?;
    let row = store::conversations::summary(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH_CONVERSATION.into()))?;
    let action = Action::Conversation {
        store: row.store_id,
        associate: row.associate_id,
    };
    super::allow(me, action, NO_SUCH_CONVERSATION)?;
    Ok(row)
}

/// Staff opened the conversation: it counts as read.
pub async fn mark_read(state: &AppState, id: ConversationId) -> Result<(), AppError> {
    state
        .db
        .write(move |tx| Box::pin(async move { store::conversations::mark_read_by_staff(tx, id).await }))
        .await
}

/// A staff reply (the caller checked `me` may read the conversation); it also counts as reading it.
pub async fn reply(state: &AppState, me: &Me, id: ConversationId, body: &str) -> Result<(), AppError> {
    let body = parse_body(body)?;
    let (now, staff_id) = (state.clock.now(), me.id);
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                store::conversations::staff_replied(tx, id, staff_id, &body, now).await?;
                // The reply goes to the client by email or SMS, from the log like every client message.
                let conversation = store::conversations::state(tx.conn(), id).await?.ok_or(AppError::Internal)?;
                if let Some(appointment_id) = conversation.appointment_id {
                    let current = record::load(tx.conn(), appointment_id).await?;
                    let notice = Notice {
                        actor: Actor::Staff(staff_id),
                        happening: Happening::StaffReplied,
                        by: record::staff_name(tx.conn(), staff_id).await?,
                        conversation: Some(id),
                        // A staff reply's event carries the whole text: the client is sent it.
                        preview: body.clone(),
                        message: String::new(),
                        payment: None,
                    };
                    record::notice(tx, &current, notice, now).await?;
                }
                Ok(())
            })
        })
        .await
}
