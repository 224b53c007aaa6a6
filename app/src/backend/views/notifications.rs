//! The bell's pages and a reconnecting tab's catch-up.

use crate::backend::store::notifications::ItemRow;
use crate::backend::store::{self, Conn};
use crate::backend::AppState;
use crate::domain::ids::StaffId;
use crate::error::AppError;
use crate::model::{NotificationPage, NotificationView};
use crate::rules::inbox::BellFilter;

fn view(r: ItemRow) -> NotificationView {
    NotificationView {
        id: r.id,
        seq: r.seq,
        kind: r.kind,
        title: r.title,
        body: r.body,
        url: r.url,
        reason: r.reason,
        created_at: r.created_at,
        read: r.read_at.is_some(),
        resolved: r.resolved_at.is_some(),
        appointment_id: r.appointment_id,
        archived: r.archived_at.is_some(),
    }
}

/// Newest first, `limit` items older than `before_seq` (or the newest) that `filter` shows.
pub async fn page(
    state: &AppState,
    staff_id: StaffId,
    before_seq: Option<i64>,
    limit: i64,
    filter: BellFilter,
) -> Result<NotificationPage, AppError> {
    let limit = limit.clamp(1, 100);
    let mut conn = state.db.reader().await?;
    let rows = store::notifications::page(&mut conn, staff_id, before_seq.unwrap_or(i64::MAX), limit + 1, &filter).await?;
    let (unread, _) = store::staff::badge(&mut conn, staff_id).await?.unwrap_or((0, 0));
    let more = rows.len() as i64 > limit;
    let items: Vec<NotificationView> = rows.into_iter().take(limit as usize).map(view).collect();
    let next_before = if more { items.last().map(|n| n.seq) } else { None };
    Ok(NotificationPage {
        items,
        unread,
        next_before,
    })
}

/// Catch-up after a reconnect: everything after `after_seq`, oldest first.
pub async fn after(conn: &mut Conn, staff_id: StaffId, after_seq: i64, limit: i64) -> Result<Vec<NotificationView>, AppError> {
    Ok(store::notifications::after(conn, staff_id, after_seq, limit)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// `(unread, last sequence number)`: what a live connection says first.
pub async fn badge(conn: &mut Conn, staff_id: StaffId) -> Result<(i64, i64), AppError> {
    store::staff::badge(conn, staff_id).await?.ok_or(AppError::Unauthorized)
}
