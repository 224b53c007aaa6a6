//! When people work: an associate's own hours at a store and their time off,
//! set by themselves or by the store's managers.

use super::record::{self, Notice};
use crate::backend::store::{self, Tx};
use crate::backend::{time, AppState};
use crate::domain::event::{Actor, Happening};
use crate::domain::hours::{parse_week, WeekForm};
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::model::Me;
use crate::rules::access::Action;
use chrono::{NaiveDate, NaiveTime};

fn allow(me: &Me, store: StoreId, person: StaffId) -> Result<(), AppError> {
    super::allow(me, Action::Schedule { store, person }, "No such person in this store.")
}

/// Sets `person`'s hours at `store`; `None` returns them to the store's hours.
pub async fn save_hours(state: &AppState, me: &Me, store_id: StoreId, person: StaffId, week: Option<WeekForm>) -> Result<(), AppError> {
    allow(me, store_id, person)?;
    let week = week.map(|w| parse_week(&w)).transpose().map_err(|m| AppError::field("hours", m))?;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if store::staff::associate_name(tx.conn(), store_id, person).await?.is_none() {
                    return Err(AppError::NotFound("No such person in this store.".into()));
                }
                store::schedules::set_working_hours(tx, person, store_id, week.as_ref()).await
            })
        })
        .await
}

/// Adds days off for `person` (asked through one of their stores).
pub async fn add_time_off(
    state: &AppState,
    me: &Me,
    store_id: StoreId,
    person: StaffId,
    first: String,
    last: String,
    reason: String,
) -> Result<i64, AppError> {
    allow(me, store_id, person)?;
    let (first_day, last_day) = super::stores::parse_range(&first, &last)?;
    let reason = reason.trim().to_string();
    if reason.chars().count() > 200 || reason.chars().any(|c| c.is_control()) {
        return Err(AppError::field("reason", "Use at most 200 characters, on one line."));
    }
    let now = state.clock.now();
    let actor = me.id;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if store::staff::associate_name(tx.conn(), store_id, person).await?.is_none() {
                    return Err(AppError::NotFound("No such person in this store.".into()));
                }
                let id = store::schedules::add_time_off(tx, person, first_day, last_day, &reason, now).await?;
                flag_booked_during(tx, person, actor, first_day, last_day, now).await?;
                Ok(id)
            })
        })
        .await
}

pub async fn remove_time_off(state: &AppState, me: &Me, store_id: StoreId, person: StaffId, id: i64) -> Result<(), AppError> {
    allow(me, store_id, person)?;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if store::schedules::remove_time_off(tx, person, id).await? {
                    Ok(())
                } else {
                    Err(AppError::NotFound("No such time off.".into()))
                }
            })
        })
        .await
}

/// Appointments already booked with `person` inside new time off stay booked
/// (nothing is dropped silently); each becomes an event the managers are told
/// of, to reassign, move or cancel it. Days are each appointment's store-local days.
async fn flag_booked_during(
    tx: &mut Tx,
    person: StaffId,
    actor: StaffId,
    first: NaiveDate,
    last: NaiveDate,
    now: UnixTime,
) -> Result<(), AppError> {
    // Wide enough for any zone; each start is then checked in its store's own.
    let day = |d: NaiveDate| UnixTime(d.and_time(NaiveTime::MIN).and_utc().timestamp());
    let (from, to) = (day(first) - Seconds::hours(15), day(last) + Seconds::hours(24 + 15));
    for (id, zone, starts_at) in store::appointments::of_associate_between(tx.conn(), person, from, to).await? {
        let local = time::local_date(time::zone(&zone), starts_at);
        if local < first || local > last {
            continue;
        }
        let current = record::load(tx.conn(), id).await?;
        let by = record::staff_name(tx.conn(), actor).await?;
        let notice = Notice::of(Actor::Staff(actor), Happening::DuringTimeOff { associate_id: person }, by);
        record::notice(tx, &current, notice, now).await?;
    }
    Ok(())
}
