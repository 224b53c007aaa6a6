//! When people work: an associate's own hours at a store and their time off,
//! set by themselves or by the store's managers.

use crate::backend::store;
use crate::backend::AppState;
use crate::domain::hours::{parse_week, WeekForm};
use crate::domain::ids::{StaffId, StoreId};
use crate::error::AppError;
use crate::model::Me;
use crate::rules::access::Action;

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
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if store::staff::associate_name(tx.conn(), store_id, person).await?.is_none() {
                    return Err(AppError::NotFound("No such person in this store.".into()));
                }
                store::schedules::add_time_off(tx, person, first_day, last_day, &reason, now).await
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
