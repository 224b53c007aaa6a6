//! Availability of a store over a range of days: its opening hours, its
//! associates and what is already booked, loaded in three queries and then
//! asked, day by day, through the pure `domain::slots`. The booking commands
//! load it inside the writer's transaction, so the check and the write see
//! the same state; pages load it from a reader.

use super::store::stores::StoreRow;
use super::store::{self, Conn};
use super::time;
use crate::domain::ids::{AppointmentId, StaffId};
use crate::domain::slots::{Busy, Day, SlotProblem};
use crate::domain::staff::StoreRole;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::model::AssociateInfo;
use chrono::NaiveDate;
use chrono_tz::Tz;

pub struct Calendar {
    tz: Tz,
    step: Seconds,
    /// Opening hours by weekday, Monday first, in minutes after local midnight.
    hours: [Option<(i64, i64)>; 7],
    pub associates: Vec<AssociateInfo>,
    associate_ids: Vec<StaffId>,
    busy: Vec<Busy>,
}

impl Calendar {
    /// The store over `[from, to)`, leaving out appointment `exclude` (the one being moved).
    pub async fn load(
        conn: &mut Conn,
        store: &StoreRow,
        from: UnixTime,
        to: UnixTime,
        exclude: Option<AppointmentId>,
    ) -> Result<Self, AppError> {
        let hours = store::stores::hours(conn, store.id).await?;
        let associates = store::staff::with_role(conn, store.id, StoreRole::Associate).await?;
        let busy = store::appointments::busy(conn, store.id, from, to, exclude).await?;
        Ok(Calendar {
            tz: time::zone(&store.time_zone),
            // A step under five minutes would offer a wall of times; the setting never allows it.
            step: Seconds::minutes(store.slot_minutes.max(5)),
            hours,
            associate_ids: associates.iter().map(|a| a.0).collect(),
            associates: associates.into_iter().map(|(id, name)| AssociateInfo { id, name }).collect(),
            busy,
        })
    }

    /// One store-local day, for an appointment of `duration`, bookable from `not_before`.
    pub fn day(&self, date: NaiveDate, duration: Seconds, not_before: UnixTime) -> Day<'_> {
        let open = self.hours[time::weekday(date)].map(|(opens, closes)| {
            (
                time::local_instant(self.tz, date, opens),
                time::local_instant(self.tz, date, closes),
            )
        });
        Day {
            open,
            step: self.step,
            duration,
            not_before,
            associates: &self.associate_ids,
            busy: &self.busy,
        }
    }

    pub fn has_associate(&self, id: StaffId) -> bool {
        self.associate_ids.contains(&id)
    }
}

/// Checks that `start`, for `duration`, with `associate` (or anyone), fits the
/// store's hours and every other appointment (not `exclude`).
pub async fn check(
    conn: &mut Conn,
    store: &StoreRow,
    start: UnixTime,
    duration: Seconds,
    associate: Option<StaffId>,
    exclude: Option<AppointmentId>,
    now: UnixTime,
) -> Result<(), AppError> {
    // Only appointments overlapping the requested time matter, so only those are read.
    let cal = Calendar::load(conn, store, start, start + duration, exclude).await?;
    let tz = time::zone(&store.time_zone);
    match cal.day(time::local_date(tz, start), duration, now).check(start, associate) {
        Ok(()) => Ok(()),
        Err(SlotProblem::Taken) => Err(AppError::SlotTaken),
        Err(p) => Err(AppError::field("slot", p.message())),
    }
}
