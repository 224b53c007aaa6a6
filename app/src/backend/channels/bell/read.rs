//! Reading bell items: marking some or all read (every tab hears of it at
//! once), and the read receipt written with it, from which the push channel
//! closes the same notifications on the person's other devices.

use crate::backend::store::{self, Tx};
use crate::backend::AppState;
use crate::domain::ids::{AppointmentId, NotificationId, StaffId};
use crate::domain::messages::{push_tag, NotificationKind};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::model::LiveMsg;
use std::collections::{BTreeSet, HashMap};

/// Notes, in the caller's transaction, that `staff_id` read these items
/// (`None`: all of them), with the push tags of what they were about.
async fn record_read(tx: &mut Tx, staff_id: StaffId, ids: Option<&[NotificationId]>, unread: i64, now: UnixTime) -> Result<(), AppError> {
    let tags: BTreeSet<String> = match ids {
        Some(ids) => store::notifications::subjects(tx, ids)
            .await?
            .into_iter()
            .map(|(id, appointment, conversation)| push_tag(id, appointment, conversation))
            .collect(),
        None => BTreeSet::new(),
    };
    let tags: Vec<String> = tags.into_iter().collect();
    store::notifications::insert_receipt(tx, staff_id, &tags, ids.is_none(), unread, now).await
}

/// The alerts about a request that has been handled (`rules::bell::resolved_by`):
/// read and resolved for everyone who got one, and their badges drop live.
pub async fn resolve(tx: &mut Tx, appointment_id: AppointmentId, kinds: &[NotificationKind], now: UnixTime) -> Result<(), AppError> {
    let resolved = store::notifications::resolve(tx, appointment_id, kinds, now).await?;
    let mut by_staff: HashMap<StaffId, (Vec<NotificationId>, i64)> = HashMap::new();
    for (id, staff_id, was_unread) in resolved {
        let e = by_staff.entry(staff_id).or_default();
        e.0.push(id);
        e.1 += i64::from(was_unread);
    }
    for (staff_id, (ids, newly_read)) in by_staff {
        let unread = store::notifications::lower_unread(tx, staff_id, newly_read).await?;
        record_read(tx, staff_id, Some(&ids), unread, now).await?;
        tx.publish(staff_id, LiveMsg::Read { ids, unread });
    }
    Ok(())
}

/// Marks some of `staff_id`'s items read; every tab hears of it. Returns the unread count after.
pub async fn mark_read(state: &AppState, staff_id: StaffId, ids: Vec<NotificationId>) -> Result<i64, AppError> {
    if ids.is_empty() || ids.len() > 500 {
        return Err(AppError::BadRequest("Give between 1 and 500 notification ids.".into()));
    }
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let changed = store::notifications::mark_read(tx, staff_id, &ids, now).await?;
                let unread = store::notifications::lower_unread(tx, staff_id, changed.len() as i64).await?;
                if !changed.is_empty() {
                    record_read(tx, staff_id, Some(&changed), unread, now).await?;
                    tx.publish(staff_id, LiveMsg::Read { ids: changed, unread });
                }
                Ok(unread)
            })
        })
        .await
}

pub async fn mark_all_read(state: &AppState, staff_id: StaffId) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                store::notifications::mark_all_read(tx, staff_id, now).await?;
                record_read(tx, staff_id, None, 0, now).await?;
                tx.publish(staff_id, LiveMsg::AllRead { unread: 0 });
                Ok(())
            })
        })
        .await
}

/// Archives some of `staff_id`'s items: kept, out of the panel, and read (the
/// badge and the person's other devices follow, as for reading). Every tab
/// hears of it. Returns the unread count after.
pub async fn archive(state: &AppState, staff_id: StaffId, ids: Vec<NotificationId>) -> Result<i64, AppError> {
    if ids.is_empty() || ids.len() > 500 {
        return Err(AppError::BadRequest("Give between 1 and 500 notification ids.".into()));
    }
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let (archived, newly_read) = store::notifications::archive(tx, staff_id, &ids, now).await?;
                let unread = store::notifications::lower_unread(tx, staff_id, newly_read.len() as i64).await?;
                if !newly_read.is_empty() {
                    record_read(tx, staff_id, Some(&newly_read), unread, now).await?;
                }
                if !archived.is_empty() {
                    tx.publish(staff_id, LiveMsg::Archived { ids: archived, unread });
                }
                Ok(unread)
            })
        })
        .await
}
