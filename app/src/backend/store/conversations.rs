//! A client's conversation with a store, one per (store, client), and its messages.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{AppointmentId, ClientId, ConversationId, ConversationMessageId, StaffId, StoreId};
use crate::domain::messages::SenderKind;
use crate::domain::time::UnixTime;
use crate::error::AppError;

/// A client wrote: the conversation is created or counts one more unread
/// message; it follows the appointment written from (and its associate, if
/// it has one; else it keeps the one it had). Returns
/// `(conversation, its associate)`.
pub async fn client_wrote(
    tx: &mut Tx,
    store_id: StoreId,
    client_id: ClientId,
    appointment_id: AppointmentId,
    appointment_associate: Option<StaffId>,
    body: &str,
    now: UnixTime,
) -> Result<(ConversationId, Option<StaffId>), AppError> {
    let (id, associate): (ConversationId, Option<StaffId>) = sqlx::query_as(
        "INSERT INTO conversations (store_id, client_id, associate_id, appointment_id, unread_by_staff, last_message_at, created_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)
         ON CONFLICT (store_id, client_id) DO UPDATE SET unread_by_staff = unread_by_staff + 1, last_message_at = ?5,
             appointment_id = ?4, associate_id = COALESCE(?3, associate_id)
         RETURNING id, associate_id",
    )
    .bind(store_id)
    .bind(client_id)
    .bind(appointment_associate)
    .bind(appointment_id)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    insert_message(tx, id, SenderKind::Client, None, body, now).await?;
    Ok((id, associate))
}

/// The appointment a conversation is about changed hands: the conversation
/// goes with it, so the new associate reads, answers and hears of it, and the
/// previous one no longer does.
pub async fn follow_assignment(tx: &mut Tx, appointment_id: AppointmentId, associate_id: StaffId) -> Result<(), AppError> {
    sqlx::query("UPDATE conversations SET associate_id = ? WHERE appointment_id = ?")
        .bind(associate_id)
        .bind(appointment_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A staff member answered: their message, and the conversation counts as read.
pub async fn staff_replied(tx: &mut Tx, id: ConversationId, staff_id: StaffId, body: &str, now: UnixTime) -> Result<(), AppError> {
    insert_message(tx, id, SenderKind::Staff, Some(staff_id), body, now).await?;
    sqlx::query("UPDATE conversations SET unread_by_staff = 0, last_message_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

async fn insert_message(
    tx: &mut Tx,
    id: ConversationId,
    sender: SenderKind,
    staff_id: Option<StaffId>,
    body: &str,
    now: UnixTime,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO messages (conversation_id, sender_kind, sender_staff_id, body, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(id)
        .bind(sender)
        .bind(staff_id)
        .bind(body)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn mark_read_by_staff(tx: &mut Tx, id: ConversationId) -> Result<(), AppError> {
    sqlx::query("UPDATE conversations SET unread_by_staff = 0 WHERE id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A conversation's state, as the overdue job and replies read it.
#[derive(sqlx::FromRow)]
pub struct State {
    pub store_id: StoreId,
    pub associate_id: Option<StaffId>,
    pub unread_by_staff: i64,
    pub appointment_id: Option<AppointmentId>,
}

pub async fn state(conn: &mut Conn, id: ConversationId) -> Result<Option<State>, AppError> {
    Ok(
        sqlx::query_as("SELECT store_id, associate_id, unread_by_staff, appointment_id FROM conversations WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The client's latest message.
pub async fn last_from_client(conn: &mut Conn, id: ConversationId) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT body FROM messages WHERE conversation_id = ? AND sender_kind = ? ORDER BY id DESC LIMIT 1")
            .bind(id)
            .bind(SenderKind::Client)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|r| r.0))
}

/// A conversation as the inbox lists it.
#[derive(sqlx::FromRow)]
pub struct SummaryRow {
    pub id: ConversationId,
    pub store_id: StoreId,
    pub associate_id: Option<StaffId>,
    pub client_id: ClientId,
    pub client_name: String,
    pub store_name: String,
    pub associate_name: Option<String>,
    pub unread: i64,
    pub last_message_at: UnixTime,
    /// The latest message, whoever wrote it.
    pub last_message: Option<String>,
}

const SUMMARY_SELECT: &str = "SELECT v.id, v.store_id, v.associate_id, v.client_id, c.name AS client_name, st.name AS store_name,
        sf.name AS associate_name, v.unread_by_staff AS unread, v.last_message_at,
        (SELECT body FROM messages m WHERE m.conversation_id = v.id ORDER BY m.id DESC LIMIT 1) AS last_message
    FROM conversations v JOIN clients c ON c.id = v.client_id JOIN stores st ON st.id = v.store_id
    LEFT JOIN staff sf ON sf.id = v.associate_id";

/// `associate`'s conversations and every one of `stores`, most recent first.
pub async fn inbox(conn: &mut Conn, associate: StaffId, stores: &[StoreId]) -> Result<Vec<SummaryRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY_SELECT} WHERE v.associate_id = ? OR v.store_id IN (SELECT value FROM json_each(?)) ORDER BY v.last_message_at DESC LIMIT 200"
    )))
    .bind(associate)
    .bind(json_ids(stores))
    .fetch_all(conn)
    .await?)
}

pub async fn summary(conn: &mut Conn, id: ConversationId) -> Result<Option<SummaryRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUMMARY_SELECT} WHERE v.id = ?")))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

#[derive(sqlx::FromRow)]
pub struct MessageRow {
    pub id: ConversationMessageId,
    pub sender_kind: SenderKind,
    pub staff_name: Option<String>,
    pub body: String,
    pub created_at: UnixTime,
}

pub async fn messages(conn: &mut Conn, id: ConversationId) -> Result<Vec<MessageRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.sender_kind, s.name AS staff_name, m.body, m.created_at FROM messages m
         LEFT JOIN staff s ON s.id = m.sender_staff_id WHERE m.conversation_id = ? ORDER BY m.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}
