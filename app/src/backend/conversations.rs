//! Client ↔ store conversations. A client writes from their tracking page;
//! the message is stored, an event appended (staff are told per the rules),
//! and an "overdue" job scheduled from the first unread message. Staff read
//! and reply from their inbox; reading clears the unread count, so the
//! overdue job finds nothing to chase.

use super::auth::token_hash;
use super::booking::{append_event, can_manage};
use super::change::{facts_for, load_current};
use super::db::Tx;
use super::AppState;
use crate::domain::event::EventPayload;
use crate::domain::event::{Actor, Happening};
use crate::error::AppError;
use crate::model::{ConversationSummary, ConversationThread, Me, MessageView};

pub const OVERDUE: &str = "conversation_overdue";
const MAX_MESSAGE: usize = 2000;

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

fn preview(body: &str) -> String {
    let mut p: String = body.chars().take(80).collect();
    if body.chars().count() > 80 {
        p.push('…');
    }
    p
}

/// A client writes to the store from their booking's tracking page.
pub async fn client_writes(state: &AppState, token: &str, body: &str) -> Result<(), AppError> {
    let body = parse_body(body)?;
    let hash = token_hash(token);
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let found: Option<(i64, i64, i64, Option<i64>)> =
                    sqlx::query_as("SELECT id, store_id, client_id, associate_id FROM appointments WHERE tracking_token_hash = ?")
                        .bind(hash)
                        .fetch_optional(tx.conn())
                        .await?;
                let Some((appointment_id, store_id, client_id, associate_id)) = found else {
                    return Err(AppError::NotFound("This booking link is not valid. Please check the link in your message.".into()));
                };
                let (conversation_id, conversation_associate): (i64, Option<i64>) = sqlx::query_as(
                    "INSERT INTO conversations (store_id, client_id, associate_id, appointment_id, unread_by_staff, last_message_at, created_at)
                     VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)
                     ON CONFLICT (store_id, client_id) DO UPDATE SET unread_by_staff = unread_by_staff + 1, last_message_at = ?5,
                         appointment_id = ?4, associate_id = COALESCE(associate_id, ?3)
                     RETURNING id, associate_id",
                )
                .bind(store_id)
                .bind(client_id)
                .bind(associate_id)
                .bind(appointment_id)
                .bind(now)
                .fetch_one(tx.conn())
                .await?;
                sqlx::query("INSERT INTO messages (conversation_id, sender_kind, body, created_at) VALUES (?, 'client', ?, ?)")
                    .bind(conversation_id)
                    .bind(&body)
                    .bind(now)
                    .execute(tx.conn())
                    .await?;
                let current = load_current(tx, appointment_id).await?;
                let payload = EventPayload {
                    happening: Happening::MessageReceived { associate_id: conversation_associate },
                    appointment: facts_for(tx, &current, vec![], vec![], "the client".into()).await?,
                    conversation_id: Some(conversation_id),
                    preview: preview(&body),
                };
                append_event(tx, store_id, appointment_id, Actor::Client, &payload, now).await?;
                // Counted from the first unread message: later ones do not push it back.
                let (minutes,): (i64,) =
                    sqlx::query_as("SELECT overdue_conversation_minutes FROM stores WHERE id = ?").bind(store_id).fetch_one(tx.conn()).await?;
                sqlx::query(
                    "INSERT INTO jobs (kind, conversation_id, due_at, created_at) VALUES (?, ?, ?, ?)
                     ON CONFLICT (kind, conversation_id) WHERE done_at IS NULL AND conversation_id IS NOT NULL DO NOTHING",
                )
                .bind(OVERDUE)
                .bind(conversation_id)
                .bind(now + minutes * 60)
                .bind(now)
                .execute(tx.conn())
                .await?;
                Ok(())
            })
        })
        .await
}

/// The scheduler's job: tell the associate if the client is still waiting.
pub async fn overdue(tx: &mut Tx, conversation_id: i64, now: i64) -> Result<(), AppError> {
    let row: Option<(i64, Option<i64>, i64, Option<i64>)> =
        sqlx::query_as("SELECT store_id, associate_id, unread_by_staff, appointment_id FROM conversations WHERE id = ?")
            .bind(conversation_id)
            .fetch_optional(tx.conn())
            .await?;
    let Some((store_id, associate_id, unread, Some(appointment_id))) = row else {
        return Ok(());
    };
    if unread == 0 {
        return Ok(()); // someone read it in time
    }
    let (body,): (String,) =
        sqlx::query_as("SELECT body FROM messages WHERE conversation_id = ? AND sender_kind = 'client' ORDER BY id DESC LIMIT 1")
            .bind(conversation_id)
            .fetch_one(tx.conn())
            .await?;
    let current = load_current(tx, appointment_id).await?;
    let payload = EventPayload {
        happening: Happening::ConversationOverdue { associate_id },
        appointment: facts_for(tx, &current, vec![], vec![], "Frontdesk".into()).await?,
        conversation_id: Some(conversation_id),
        preview: preview(&body),
    };
    append_event(tx, store_id, appointment_id, Actor::System, &payload, now).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    store_id: i64,
    associate_id: Option<i64>,
    client_id: i64,
    client_name: String,
    store_name: String,
    associate_name: Option<String>,
    unread: i64,
    last_message_at: i64,
    preview: Option<String>,
}

const SUMMARY_SELECT: &str = "SELECT v.id, v.store_id, v.associate_id, v.client_id, c.name AS client_name, st.name AS store_name,
        sf.name AS associate_name, v.unread_by_staff AS unread, v.last_message_at,
        (SELECT body FROM messages m WHERE m.conversation_id = v.id ORDER BY m.id DESC LIMIT 1) AS preview
    FROM conversations v JOIN clients c ON c.id = v.client_id JOIN stores st ON st.id = v.store_id
    LEFT JOIN staff sf ON sf.id = v.associate_id";

impl From<SummaryRow> for ConversationSummary {
    fn from(r: SummaryRow) -> Self {
        ConversationSummary {
            id: r.id,
            client_name: r.client_name,
            store_name: r.store_name,
            associate_name: r.associate_name,
            unread: r.unread,
            last_message_at: r.last_message_at,
            preview: preview(&r.preview.unwrap_or_default()),
        }
    }
}

fn managed(me: &Me) -> String {
    let ids: Vec<i64> = me
        .stores
        .iter()
        .filter(|s| me.is_admin || s.role == crate::model::StoreRole::Manager)
        .map(|s| s.id)
        .collect();
    serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())
}

/// An associate's own conversations; a manager's stores' ones. Most recent first.
pub async fn inbox(state: &AppState, me: &Me) -> Result<Vec<ConversationSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY_SELECT} WHERE v.associate_id = ? OR v.store_id IN (SELECT value FROM json_each(?)) ORDER BY v.last_message_at DESC LIMIT 200"
    )))
    .bind(me.id)
    .bind(managed(me))
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

async fn visible(state: &AppState, me: &Me, id: i64) -> Result<SummaryRow, AppError> {
    let row: SummaryRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUMMARY_SELECT} WHERE v.id = ?")))
        .bind(id)
        .fetch_optional(&state.db.read)
        .await?
        .ok_or_else(|| AppError::NotFound("No such conversation.".into()))?;
    let mut conn = state.db.read.acquire().await?;
    if row.associate_id != Some(me.id) && !can_manage(&mut conn, me.id, row.store_id).await? {
        return Err(AppError::NotFound("No such conversation.".into()));
    }
    Ok(row)
}

/// Opens a conversation: its messages, and it counts as read by staff.
pub async fn open(state: &AppState, me: &Me, id: i64) -> Result<ConversationThread, AppError> {
    let row = visible(state, me, id).await?;
    if row.unread > 0 {
        state
            .db
            .write(move |tx| {
                Box::pin(async move {
                    sqlx::query("UPDATE conversations SET unread_by_staff = 0 WHERE id = ?")
                        .bind(id)
                        .execute(tx.conn())
                        .await?;
                    Ok(())
                })
            })
            .await?;
    }
    thread(state, row).await
}

async fn thread(state: &AppState, row: SummaryRow) -> Result<ConversationThread, AppError> {
    let messages: Vec<(i64, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT m.id, m.sender_kind, s.name, m.body, m.created_at FROM messages m LEFT JOIN staff s ON s.id = m.sender_staff_id
         WHERE m.conversation_id = ? ORDER BY m.id",
    )
    .bind(row.id)
    .fetch_all(&state.db.read)
    .await?;
    let client_name = row.client_name.clone();
    let client_id = row.client_id;
    let mut summary: ConversationSummary = row.into();
    summary.unread = 0;
    Ok(ConversationThread {
        summary,
        client_id,
        messages: messages
            .into_iter()
            .map(|(id, kind, staff, body, at)| MessageView {
                id,
                from_client: kind == "client",
                author: if kind == "client" {
                    client_name.clone()
                } else {
                    staff.unwrap_or_else(|| "Staff".into())
                },
                body,
                at,
            })
            .collect(),
    })
}

/// A staff reply; it also counts as reading the conversation.
pub async fn reply(state: &AppState, me: &Me, id: i64, body: &str) -> Result<ConversationThread, AppError> {
    let body = parse_body(body)?;
    let row = visible(state, me, id).await?;
    let (now, staff_id) = (state.clock.now(), me.id);
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO messages (conversation_id, sender_kind, sender_staff_id, body, created_at) VALUES (?, 'staff', ?, ?, ?)",
                )
                .bind(id)
                .bind(staff_id)
                .bind(&body)
                .bind(now)
                .execute(tx.conn())
                .await?;
                sqlx::query("UPDATE conversations SET unread_by_staff = 0, last_message_at = ? WHERE id = ?")
                    .bind(now)
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
                // The reply goes to the client by email or SMS, from the log like every client message.
                let (store_id, appointment_id): (i64, Option<i64>) =
                    sqlx::query_as("SELECT store_id, appointment_id FROM conversations WHERE id = ?")
                        .bind(id)
                        .fetch_one(tx.conn())
                        .await?;
                if let Some(appointment_id) = appointment_id {
                    let current = load_current(tx, appointment_id).await?;
                    let by = super::change::staff_name(tx, staff_id).await?;
                    let payload = EventPayload {
                        happening: Happening::StaffReplied,
                        appointment: facts_for(tx, &current, vec![], vec![], by).await?,
                        conversation_id: Some(id),
                        preview: body.clone(),
                    };
                    append_event(tx, store_id, appointment_id, Actor::Staff(staff_id), &payload, now).await?;
                }
                Ok(())
            })
        })
        .await?;
    thread(state, row).await
}
