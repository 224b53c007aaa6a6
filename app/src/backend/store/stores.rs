//! Stores: their settings, opening hours and who is notified of what.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::staff::ApprovalMode;
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::i18n::Language;

/// A store and every setting of it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoreRow {
    pub id: StoreId,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub address: String,
    pub default_language: Language,
    pub slot_minutes: i64,
    pub approval_mode: ApprovalMode,
    pub notify_all_managers: bool,
    pub notify_unassigned_messages: bool,
    pub notify_overdue_conversations: bool,
    pub overdue_conversation_minutes: i64,
    pub escalation_minutes: i64,
    pub reminder_lead_hours: i64,
    pub recall_days: i64,
    pub thank_you_enabled: bool,
    pub client_cutoff_hours: i64,
}

const COLUMNS: &str = "id, slug, name, time_zone, address, default_language, slot_minutes, approval_mode, notify_all_managers,
    notify_unassigned_messages, notify_overdue_conversations, overdue_conversation_minutes, escalation_minutes,
    reminder_lead_hours, recall_days, thank_you_enabled, client_cutoff_hours";

pub async fn by_slug(conn: &mut Conn, slug: &str) -> Result<Option<StoreRow>, AppError> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM stores WHERE slug = ?")))
            .bind(slug)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn by_id(conn: &mut Conn, id: StoreId) -> Result<Option<StoreRow>, AppError> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM stores WHERE id = ?")))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn exists(conn: &mut Conn, id: StoreId) -> Result<bool, AppError> {
    let (found,): (bool,) = sqlx::query_as("SELECT EXISTS(SELECT 1 FROM stores WHERE id = ?)")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(found)
}

/// Opening hours by weekday, Monday first: `(opens, closes)` in minutes after local midnight.
pub async fn hours(conn: &mut Conn, id: StoreId) -> Result<[Option<(i64, i64)>; 7], AppError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT weekday, opens_min, closes_min FROM store_hours WHERE store_id = ?")
        .bind(id)
        .fetch_all(conn)
        .await?;
    let mut week = [None; 7];
    for (weekday, opens, closes) in rows {
        if let Some(day) = usize::try_from(weekday).ok().and_then(|d| week.get_mut(d)) {
            *day = Some((opens, closes));
        }
    }
    Ok(week)
}

/// The managers a store selected to hear of new requests (when it does not notify all).
pub async fn notified_managers(conn: &mut Conn, id: StoreId) -> Result<Vec<StaffId>, AppError> {
    let rows: Vec<(StaffId,)> = sqlx::query_as("SELECT staff_id FROM store_notified_managers WHERE store_id = ? ORDER BY staff_id")
        .bind(id)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The notification settings page's fields.
pub struct Settings<'a> {
    pub notify_all_managers: bool,
    pub notified_managers: &'a [StaffId],
    pub notify_unassigned_messages: bool,
    pub notify_overdue_conversations: bool,
    pub overdue_conversation_minutes: i64,
    pub escalation_minutes: i64,
    pub approval_mode: ApprovalMode,
    pub reminder_lead_hours: i64,
    pub recall_days: i64,
    pub thank_you_enabled: bool,
    pub client_cutoff_hours: i64,
}

pub async fn save_settings(tx: &mut Tx, id: StoreId, s: Settings<'_>) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE stores SET notify_all_managers = ?, notify_unassigned_messages = ?, notify_overdue_conversations = ?,
             overdue_conversation_minutes = ?, escalation_minutes = ?, approval_mode = ?, reminder_lead_hours = ?,
             recall_days = ?, thank_you_enabled = ?, client_cutoff_hours = ? WHERE id = ?",
    )
    .bind(s.notify_all_managers)
    .bind(s.notify_unassigned_messages)
    .bind(s.notify_overdue_conversations)
    .bind(s.overdue_conversation_minutes)
    .bind(s.escalation_minutes)
    .bind(s.approval_mode)
    .bind(s.reminder_lead_hours)
    .bind(s.recall_days)
    .bind(s.thank_you_enabled)
    .bind(s.client_cutoff_hours)
    .bind(id)
    .execute(tx.conn())
    .await?;
    sqlx::query("DELETE FROM store_notified_managers WHERE store_id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    sqlx::query("INSERT INTO store_notified_managers (store_id, staff_id) SELECT ?, value FROM json_each(?)")
        .bind(id)
        .bind(json_ids(s.notified_managers))
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A new store, as the first-start setup or the demo creates it.
pub struct NewStore<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub time_zone: &'a str,
    pub address: &'a str,
    pub default_language: Language,
    pub slot_minutes: i64,
    pub approval_mode: ApprovalMode,
    /// `(weekday, opens, closes)`: Monday = 0, minutes after local midnight.
    pub hours: &'a [(i64, i64, i64)],
}

pub async fn insert(tx: &mut Tx, s: NewStore<'_>, now: UnixTime) -> Result<StoreId, AppError> {
    let (id,): (StoreId,) = sqlx::query_as(
        "INSERT INTO stores (slug, name, time_zone, address, default_language, slot_minutes, notify_all_managers, approval_mode, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
    )
    .bind(s.slug)
    .bind(s.name)
    .bind(s.time_zone)
    .bind(s.address)
    .bind(s.default_language)
    .bind(s.slot_minutes)
    .bind(s.approval_mode)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    for (weekday, opens, closes) in s.hours {
        sqlx::query("INSERT INTO store_hours (store_id, weekday, opens_min, closes_min) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(weekday)
            .bind(opens)
            .bind(closes)
            .execute(tx.conn())
            .await?;
    }
    Ok(id)
}
