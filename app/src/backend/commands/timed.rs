//! What the scheduler's jobs do when they fall due. Each runs in the
//! writer transaction that claimed the job, so it runs once; each checks that
//! what it is about still calls for it (a change after the job was written
//! may have made it moot).

use super::record::{self, Notice};
use crate::backend::store::{self, Tx};
use crate::domain::appointment::{AppointmentStatus, Presence};
use crate::domain::event::{Actor, Happening};
use crate::domain::ids::AppointmentId;
use crate::domain::time::UnixTime;
use crate::error::AppError;

fn system(happening: Happening) -> Notice {
    Notice::of(Actor::System, happening, "Frontdesk".into())
}

/// Still unassigned (or unapproved) after the store's threshold: the managers hear of it
/// again, and again after each threshold, until someone takes it.
pub async fn escalate(tx: &mut Tx, id: AppointmentId, now: UnixTime) -> Result<(), AppError> {
    let current = record::load(tx.conn(), id).await?;
    if !current.awaits_staff() {
        return Ok(()); // someone took and approved it, or it is gone: nothing to chase
    }
    record::notice(tx, &current, system(Happening::AwaitingAssignment), now).await?;
    let store = store::stores::by_id(tx.conn(), current.store_id).await?.ok_or(AppError::Internal)?;
    super::plan::escalate_later(tx, &current, &store, now).await
}

/// The client's reminder, if the appointment is still on and still to come.
pub async fn remind(tx: &mut Tx, id: AppointmentId, now: UnixTime) -> Result<(), AppError> {
    let current = record::load(tx.conn(), id).await?;
    let on = current.status == AppointmentStatus::Approved && current.presence == Presence::Expecting && !current.completed;
    if !on || current.starts_at <= now {
        return Ok(());
    }
    let reminder = Happening::Reminder {
        associate_id: current.associate_id,
    };
    record::notice(tx, &current, system(reminder), now).await
}

/// Time to book again, unless the client already has something booked at the store.
pub async fn recall(tx: &mut Tx, id: AppointmentId, now: UnixTime) -> Result<(), AppError> {
    let current = record::load(tx.conn(), id).await?;
    if store::appointments::client_has_upcoming(tx.conn(), current.client_id, current.store_id, id, now).await? {
        return Ok(());
    }
    record::notice(tx, &current, system(Happening::Recall), now).await
}
