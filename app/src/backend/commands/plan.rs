//! The jobs an appointment's state calls for, kept in step after every
//! change (`record::created` and `record::finish` call `after_change`):
//!
//! - the client's reminder: one pending at (start − the store's lead time)
//!   while the booking is confirmed and still to come, none otherwise; a
//!   reminder already sent for this very start time is not sent again;
//! - the escalation of a request: scheduled when it is created or comes back
//!   to the queue, removed once it has an associate and is approved, or is over;
//! - the recall: scheduled when the appointment is completed.

use crate::backend::store::appointments::Current;
use crate::backend::store::stores::StoreRow;
use crate::backend::store::{self, Tx};
use crate::domain::appointment::{AppointmentStatus, Presence};
use crate::domain::event::Happening;
use crate::domain::jobs::JobKind;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;

pub async fn after_change(tx: &mut Tx, after: &Current, happening: &Happening, now: UnixTime) -> Result<(), AppError> {
    let store = store::stores::by_id(tx.conn(), after.store_id).await?.ok_or(AppError::Internal)?;
    plan_reminder(tx, after, &store, now).await?;
    if !after.awaits_staff() {
        store::jobs::unschedule(tx, JobKind::Escalate, after.id).await?;
    } else {
        // Created, or back in the queue (its associate left, was deactivated):
        // chased from now on. One already pending keeps its time.
        store::jobs::schedule_unless_pending(
            tx,
            JobKind::Escalate,
            after.id,
            now + Seconds::minutes(store.escalation_minutes),
            now,
        )
        .await?;
    }
    if matches!(happening, Happening::Completed { .. }) && store.recall_days > 0 {
        store::jobs::schedule(tx, JobKind::Recall, after.id, now + Seconds::days(store.recall_days), now).await?;
    }
    Ok(())
}

/// Tells the managers again after the store's threshold, unless someone takes it first.
pub async fn escalate_later(tx: &mut Tx, c: &Current, store: &StoreRow, now: UnixTime) -> Result<(), AppError> {
    store::jobs::schedule(tx, JobKind::Escalate, c.id, now + Seconds::minutes(store.escalation_minutes), now).await
}

async fn plan_reminder(tx: &mut Tx, c: &Current, store: &StoreRow, now: UnixTime) -> Result<(), AppError> {
    let due = c.starts_at - Seconds::hours(store.reminder_lead_hours);
    // Booked inside the lead time: the confirmation is the reminder.
    let wanted = c.status == AppointmentStatus::Approved
        && c.presence == Presence::Expecting
        && !c.completed
        && store.reminder_lead_hours > 0
        && due > now;
    if !wanted {
        return store::jobs::unschedule(tx, JobKind::Remind, c.id).await;
    }
    if store::jobs::exists_due_at(tx.conn(), JobKind::Remind, c.id, due).await? {
        return Ok(());
    }
    store::jobs::schedule(tx, JobKind::Remind, c.id, due, now).await
}
