//! Stores: their settings, opening hours and who is notified of what.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::messages::SentBy;
use crate::domain::money::Currency;
use crate::domain::payments::{DepositRule, DepositRuleKind};
use crate::domain::staff::ApprovalMode;
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::i18n::Language;
use chrono::NaiveDate;

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
    pub phone: String,
    pub horizon_days: i64,
    pub min_notice_minutes: i64,
    pub currency: Currency,
    pub client_messages_sent_by: SentBy,
    /// The meeting link of video appointments (empty: none), as `MeetingTemplate` parses it.
    pub video_url_template: String,
    pub deposit_rule: DepositRuleKind,
    /// Minor units, for `DepositRuleKind::Amount`.
    pub deposit_amount: i64,
    pub deposit_hold_minutes: i64,
}

impl StoreRow {
    /// What an online booking must pay before it counts.
    pub fn deposit(&self) -> DepositRule {
        DepositRule::from_columns(self.deposit_rule, self.deposit_amount)
    }
}

const COLUMNS: &str = "id, slug, name, time_zone, address, default_language, slot_minutes, approval_mode, notify_all_managers,
    notify_unassigned_messages, notify_overdue_conversations, overdue_conversation_minutes, escalation_minutes,
    reminder_lead_hours, recall_days, thank_you_enabled, client_cutoff_hours, phone, horizon_days, min_notice_minutes, currency,
    client_messages_sent_by, video_url_template, deposit_rule, deposit_amount, deposit_hold_minutes";

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

pub use crate::domain::hours::Week;

/// `(weekday, from, to)` rows as a week.
pub fn week_of(rows: Vec<(i64, i64, i64)>) -> Week {
    let mut week: Week = Default::default();
    for (weekday, from, to) in rows {
        if let Some(day) = usize::try_from(weekday).ok().and_then(|d| week.get_mut(d)) {
            day.push((from, to));
        }
    }
    week
}

/// Opening hours by weekday (several intervals a day; none: closed).
pub async fn hours(conn: &mut Conn, id: StoreId) -> Result<Week, AppError> {
    let rows =
        sqlx::query_as("SELECT weekday, opens_min, closes_min FROM store_opening_hours WHERE store_id = ? ORDER BY weekday, opens_min")
            .bind(id)
            .fetch_all(conn)
            .await?;
    Ok(week_of(rows))
}

/// Replaces the store's opening hours (intervals already validated: in order, not overlapping).
pub async fn set_hours(tx: &mut Tx, id: StoreId, week: &Week) -> Result<(), AppError> {
    sqlx::query("DELETE FROM store_opening_hours WHERE store_id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    for (weekday, day) in week.iter().enumerate() {
        for (opens, closes) in day {
            sqlx::query("INSERT INTO store_opening_hours (store_id, weekday, opens_min, closes_min) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(weekday as i64)
                .bind(opens)
                .bind(closes)
                .execute(tx.conn())
                .await?;
        }
    }
    Ok(())
}

/// A closed period of a store: store-local dates, both included.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ClosureRow {
    pub id: i64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub reason: String,
}

/// Closures that end on or after `from` (all of them with the earliest date).
pub async fn closures(conn: &mut Conn, id: StoreId, from: NaiveDate) -> Result<Vec<ClosureRow>, AppError> {
    Ok(
        sqlx::query_as(
            "SELECT id, first_day, last_day, reason FROM store_closures WHERE store_id = ? AND last_day >= ? ORDER BY first_day",
        )
        .bind(id)
        .bind(from)
        .fetch_all(conn)
        .await?,
    )
}

pub async fn add_closure(tx: &mut Tx, id: StoreId, first: NaiveDate, last: NaiveDate, reason: &str) -> Result<i64, AppError> {
    let (cid,): (i64,) =
        sqlx::query_as("INSERT INTO store_closures (store_id, first_day, last_day, reason) VALUES (?, ?, ?, ?) RETURNING id")
            .bind(id)
            .bind(first)
            .bind(last)
            .bind(reason)
            .fetch_one(tx.conn())
            .await?;
    Ok(cid)
}

/// Removes a closure of this store; whether there was one.
pub async fn remove_closure(tx: &mut Tx, id: StoreId, closure: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM store_closures WHERE store_id = ? AND id = ?")
        .bind(id)
        .bind(closure)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
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
    pub client_messages_sent_by: SentBy,
    pub deposit_rule: DepositRuleKind,
    pub deposit_amount: i64,
    pub deposit_hold_minutes: i64,
}

pub async fn save_settings(tx: &mut Tx, id: StoreId, s: Settings<'_>) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE stores SET notify_all_managers = ?, notify_unassigned_messages = ?, notify_overdue_conversations = ?,
             overdue_conversation_minutes = ?, escalation_minutes = ?, approval_mode = ?, reminder_lead_hours = ?,
             recall_days = ?, thank_you_enabled = ?, client_cutoff_hours = ?, client_messages_sent_by = ?, deposit_rule = ?,
             deposit_amount = ?, deposit_hold_minutes = ? WHERE id = ?",
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
    .bind(s.client_messages_sent_by)
    .bind(s.deposit_rule)
    .bind(s.deposit_amount)
    .bind(s.deposit_hold_minutes)
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
    pub hours: &'a Week,
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
    set_hours(tx, id, s.hours).await?;
    Ok(id)
}

/// The parts of a store its admin edits in Setup → Stores.
pub struct Profile<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
    pub time_zone: &'a str,
    pub default_language: Language,
    pub currency: Currency,
    pub slot_minutes: i64,
    pub horizon_days: i64,
    pub min_notice_minutes: i64,
    pub video_url_template: &'a str,
}

/// Saves a store's profile; whether the store exists. (The slug is unique:
/// the caller checks first for a clear message; the constraint is the guard.)
pub async fn update_profile(tx: &mut Tx, id: StoreId, p: &Profile<'_>) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE stores SET name = ?, slug = ?, address = ?, phone = ?, time_zone = ?, default_language = ?, slot_minutes = ?,
             horizon_days = ?, min_notice_minutes = ?, currency = ?, video_url_template = ? WHERE id = ?",
    )
    .bind(p.name)
    .bind(p.slug)
    .bind(p.address)
    .bind(p.phone)
    .bind(p.time_zone)
    .bind(p.default_language)
    .bind(p.slot_minutes)
    .bind(p.horizon_days)
    .bind(p.min_notice_minutes)
    .bind(p.currency)
    .bind(p.video_url_template)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Every store, by name.
pub async fn all(conn: &mut Conn) -> Result<Vec<StoreRow>, AppError> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM stores ORDER BY name, id")))
            .fetch_all(conn)
            .await?,
    )
}
