//! Bell items, each person's sequence and unread counters, and read receipts
//! (which the push dispatcher turns into silent pushes to the person's other devices).

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{AppointmentId, ConversationId, EventId, NotificationId, ReadReceiptId, StaffId, StoreId};
use crate::domain::messages::NotificationKind;
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::rules::inbox::BellFilter;
use std::collections::HashMap;

/// What an event's notifications are about.
pub struct About {
    pub event_id: EventId,
    pub store_id: StoreId,
    pub appointment_id: Option<AppointmentId>,
    pub conversation_id: Option<ConversationId>,
    pub url: String,
    pub created_at: UnixTime,
}

/// One person's item about to be written.
#[derive(serde::Serialize)]
pub struct NewItem {
    pub staff_id: StaffId,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub reason: String,
}

/// An item as written: its id, the person's sequence number for it, and their unread count after.
pub struct Written {
    pub id: NotificationId,
    pub staff_id: StaffId,
    pub seq: i64,
    pub unread: i64,
}

/// Writes one event's items with two statements whatever the number of
/// recipients: bump every recipient's sequence and unread count, then insert
/// all rows from the same JSON array. (Per-row statements capped the fan-out
/// at a few thousand notifications a second; see the load benchmark.)
pub async fn write(tx: &mut Tx, about: &About, items: &[NewItem]) -> Result<Vec<Written>, AppError> {
    let json = serde_json::to_string(items).map_err(|_| AppError::Internal)?;
    let counters: Vec<(StaffId, i64)> = sqlx::query_as(
        "UPDATE staff SET notif_seq = notif_seq + 1, unread_count = unread_count + 1
         WHERE id IN (SELECT value ->> 'staff_id' FROM json_each(?)) RETURNING id, unread_count",
    )
    .bind(&json)
    .fetch_all(tx.conn())
    .await?;
    let unread: HashMap<StaffId, i64> = counters.into_iter().collect();
    let rows: Vec<(NotificationId, StaffId, i64)> = sqlx::query_as(
        "INSERT INTO notifications (staff_id, seq, event_id, store_id, appointment_id, conversation_id, kind, title, body, url, reason, created_at)
         SELECT s.id, s.notif_seq, ?1, ?2, ?3, ?7, j.value ->> 'kind', j.value ->> 'title', j.value ->> 'body', ?4, j.value ->> 'reason', ?5
         FROM json_each(?6) j JOIN staff s ON s.id = j.value ->> 'staff_id'
         RETURNING id, staff_id, seq",
    )
    .bind(about.event_id)
    .bind(about.store_id)
    .bind(about.appointment_id)
    .bind(&about.url)
    .bind(about.created_at)
    .bind(&json)
    .bind(about.conversation_id)
    .fetch_all(tx.conn())
    .await?;
    // New notifications are what the push dispatcher reads: wake it after commit.
    tx.events_appended();
    Ok(rows
        .into_iter()
        .map(|(id, staff_id, seq)| Written {
            id,
            staff_id,
            seq,
            unread: unread.get(&staff_id).copied().unwrap_or(0),
        })
        .collect())
}

/// Marks the appointment's open items of these kinds read and resolved;
/// returns `(id, person, was unread)` of each.
pub async fn resolve(
    tx: &mut Tx,
    appointment_id: AppointmentId,
    kinds: &[NotificationKind],
    now: UnixTime,
) -> Result<Vec<(NotificationId, StaffId, bool)>, AppError> {
    const OPEN: &str = "appointment_id = ? AND kind IN (SELECT value FROM json_each(?)) AND resolved_at IS NULL";
    let kinds = json_ids(kinds);
    let open: Vec<(NotificationId, StaffId, bool)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, staff_id, read_at IS NULL FROM notifications WHERE {OPEN}"
    )))
    .bind(appointment_id)
    .bind(&kinds)
    .fetch_all(tx.conn())
    .await?;
    if !open.is_empty() {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE notifications SET resolved_at = ?, read_at = COALESCE(read_at, ?) WHERE {OPEN}"
        )))
        .bind(now)
        .bind(now)
        .bind(appointment_id)
        .bind(&kinds)
        .execute(tx.conn())
        .await?;
    }
    Ok(open)
}

/// Lowers a person's unread count by `n`; returns the count after.
pub async fn lower_unread(tx: &mut Tx, staff_id: StaffId, n: i64) -> Result<i64, AppError> {
    let (unread,): (i64,) = sqlx::query_as("UPDATE staff SET unread_count = unread_count - ? WHERE id = ? RETURNING unread_count")
        .bind(n)
        .bind(staff_id)
        .fetch_one(tx.conn())
        .await?;
    Ok(unread)
}

/// Marks these of the person's items read; returns the ones that were unread.
pub async fn mark_read(tx: &mut Tx, staff_id: StaffId, ids: &[NotificationId], now: UnixTime) -> Result<Vec<NotificationId>, AppError> {
    let rows: Vec<(NotificationId,)> = sqlx::query_as(
        "UPDATE notifications SET read_at = ? WHERE staff_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?)) RETURNING id",
    )
    .bind(now)
    .bind(staff_id)
    .bind(json_ids(ids))
    .fetch_all(tx.conn())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn mark_all_read(tx: &mut Tx, staff_id: StaffId, now: UnixTime) -> Result<(), AppError> {
    sqlx::query("UPDATE notifications SET read_at = ? WHERE staff_id = ? AND read_at IS NULL")
        .bind(now)
        .bind(staff_id)
        .execute(tx.conn())
        .await?;
    sqlx::query("UPDATE staff SET unread_count = 0 WHERE id = ?")
        .bind(staff_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// What each item is about, for its push tag: `(id, appointment, conversation)`.
pub async fn subjects(
    tx: &mut Tx,
    ids: &[NotificationId],
) -> Result<Vec<(NotificationId, Option<AppointmentId>, Option<ConversationId>)>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, appointment_id, conversation_id FROM notifications WHERE id IN (SELECT value FROM json_each(?))")
            .bind(json_ids(ids))
            .fetch_all(tx.conn())
            .await?,
    )
}

/// Notes that a person read items (`tags` empty and `all_read`: everything),
/// for the push dispatcher to tell their other devices.
pub async fn insert_receipt(
    tx: &mut Tx,
    staff_id: StaffId,
    tags: &[String],
    all_read: bool,
    unread: i64,
    now: UnixTime,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO read_receipts (staff_id, tags, all_read, unread, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(staff_id)
        .bind(json_ids(tags))
        .bind(all_read)
        .bind(unread)
        .bind(now)
        .execute(tx.conn())
        .await?;
    tx.events_appended(); // wakes the push dispatcher after commit
    Ok(())
}

/// A bell item as the bell shows it.
#[derive(sqlx::FromRow)]
pub struct ItemRow {
    pub id: NotificationId,
    pub seq: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub url: String,
    pub reason: String,
    pub created_at: UnixTime,
    pub read_at: Option<UnixTime>,
    pub resolved_at: Option<UnixTime>,
    pub appointment_id: Option<AppointmentId>,
    pub archived_at: Option<UnixTime>,
}

const ITEM_COLUMNS: &str = "id, seq, kind, title, body, url, reason, created_at, read_at, resolved_at, appointment_id, archived_at";

/// Newest first, `limit` items with a sequence number below `before_seq`
/// that `filter` shows (`rules::inbox::BellFilter::matches` says the same).
pub async fn page(conn: &mut Conn, staff_id: StaffId, before_seq: i64, limit: i64, filter: &BellFilter) -> Result<Vec<ItemRow>, AppError> {
    let kinds = filter.category.map(|c| json_ids(&c.kinds()));
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLUMNS} FROM notifications
         WHERE staff_id = ? AND seq < ? AND (archived_at IS NOT NULL) = ? AND (? = 0 OR read_at IS NULL)
           AND (? IS NULL OR kind IN (SELECT value FROM json_each(?)))
         ORDER BY seq DESC LIMIT ?"
    )))
    .bind(staff_id)
    .bind(before_seq)
    .bind(filter.archived)
    .bind(filter.unread_only)
    .bind(&kinds)
    .bind(&kinds)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Archives these of the person's items, reading the unread ones; returns
/// `(archived, of which were unread)`.
pub async fn archive(
    tx: &mut Tx,
    staff_id: StaffId,
    ids: &[NotificationId],
    now: UnixTime,
) -> Result<(Vec<NotificationId>, Vec<NotificationId>), AppError> {
    const CHOSEN: &str = "staff_id = ? AND archived_at IS NULL AND id IN (SELECT value FROM json_each(?))";
    let ids = json_ids(ids);
    let rows: Vec<(NotificationId, bool)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, read_at IS NULL FROM notifications WHERE {CHOSEN}"
    )))
    .bind(staff_id)
    .bind(&ids)
    .fetch_all(tx.conn())
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE notifications SET archived_at = ?, read_at = COALESCE(read_at, ?) WHERE {CHOSEN}"
    )))
    .bind(now)
    .bind(now)
    .bind(staff_id)
    .bind(&ids)
    .execute(tx.conn())
    .await?;
    let newly_read = rows.iter().filter(|r| r.1).map(|r| r.0).collect();
    Ok((rows.into_iter().map(|r| r.0).collect(), newly_read))
}

/// Oldest first, everything after `after_seq` (a reconnecting tab's catch-up).
pub async fn after(conn: &mut Conn, staff_id: StaffId, after_seq: i64, limit: i64) -> Result<Vec<ItemRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLUMNS} FROM notifications WHERE staff_id = ? AND seq > ? ORDER BY seq LIMIT ?"
    )))
    .bind(staff_id)
    .bind(after_seq)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// An item as the push dispatcher sends it.
#[derive(sqlx::FromRow)]
pub struct PushItem {
    pub id: NotificationId,
    pub staff_id: StaffId,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub url: String,
    pub appointment_id: Option<AppointmentId>,
    pub conversation_id: Option<ConversationId>,
    /// When the appointment starts: a push about it is worthless after.
    pub starts_at: Option<UnixTime>,
    /// The recipient's unread count now (for the app badge).
    pub unread: i64,
}

/// Items written after `after` (by id), oldest first.
pub async fn for_push(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<PushItem>, AppError> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.staff_id, n.kind, n.title, n.body, n.url, n.appointment_id, n.conversation_id, a.starts_at, s.unread_count AS unread
         FROM notifications n JOIN staff s ON s.id = n.staff_id LEFT JOIN appointments a ON a.id = n.appointment_id
         WHERE n.id > ? ORDER BY n.id LIMIT ?",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

#[derive(sqlx::FromRow)]
pub struct Receipt {
    pub id: ReadReceiptId,
    pub staff_id: StaffId,
    /// A JSON array of push tags.
    pub tags: String,
    pub all_read: bool,
    pub unread: i64,
}

impl Receipt {
    pub fn tags(&self) -> Result<Vec<String>, AppError> {
        serde_json::from_str(&self.tags).map_err(|e| {
            tracing::error!("read receipt {} has unreadable tags: {e}", self.id);
            AppError::Internal
        })
    }
}

/// Receipts written after `after` (by id), oldest first.
pub async fn receipts(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<Receipt>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, staff_id, tags, all_read, unread FROM read_receipts WHERE id > ? ORDER BY id LIMIT ?")
            .bind(after)
            .bind(limit)
            .fetch_all(conn)
            .await?,
    )
}
