//! Availability of a store over a range of days: its opening hours and
//! closures, who performs the service and when they work (their own hours,
//! their time off), and what is already booked with its buffers, loaded in a
//! few queries and then asked, day by day, through the pure `domain::slots`.
//! The booking commands load it inside the writer's transaction, so the check
//! and the write see the same state; pages load it from a reader.

use super::store::services::ServiceRow;
use super::store::stores::{StoreRow, Week};
use super::store::{self, Conn};
use super::time;
use crate::domain::ids::{AppointmentId, ServiceId, StaffId};
use crate::domain::slots::{intersect, Busy, Day, SlotProblem, Span, Worker};
use crate::domain::staff::StoreRole;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::model::AssociateInfo;
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;

/// What one service asks of the calendar.
#[derive(Clone, Debug)]
pub struct Need {
    pub duration: Seconds,
    pub buffer_before: Seconds,
    pub buffer_after: Seconds,
    /// Who performs it; `None`: every associate of the store.
    pub performers: Option<Vec<StaffId>>,
}

impl Need {
    pub async fn of(conn: &mut Conn, service: &ServiceRow) -> Result<Need, AppError> {
        let performers = store::services::performers(conn, service.id).await?;
        Ok(Need {
            duration: Seconds::minutes(service.duration_min),
            buffer_before: Seconds::minutes(service.buffer_before_min),
            buffer_after: Seconds::minutes(service.buffer_after_min),
            performers: (!performers.is_empty()).then_some(performers),
        })
    }

    /// The service's needs with another duration (an appointment whose length was set by hand).
    pub fn lasting(self, duration: Seconds) -> Need {
        Need { duration, ..self }
    }

    /// What an existing appointment needs to move: its service's buffers and
    /// performers (even if the service was since deactivated), its own length.
    pub async fn of_appointment(conn: &mut Conn, service: ServiceId, duration: Seconds) -> Result<Need, AppError> {
        let (_, s) = store::services::by_id(conn, service).await?.ok_or(AppError::Internal)?;
        Ok(Need::of(conn, &s).await?.lasting(duration))
    }
}

/// One associate's week at the store and their days off.
struct Schedule {
    id: StaffId,
    /// Their own hours; `None`: whenever the store is open.
    hours: Option<Week>,
    off: Vec<(NaiveDate, NaiveDate)>,
}

pub struct Calendar {
    tz: Tz,
    step: Seconds,
    hours: Week,
    closures: Vec<(NaiveDate, NaiveDate)>,
    schedules: Vec<Schedule>,
    pub associates: Vec<AssociateInfo>,
    busy: Vec<Busy>,
    notice: Seconds,
    horizon: Seconds,
}

fn on(day: NaiveDate, ranges: &[(NaiveDate, NaiveDate)]) -> bool {
    ranges.iter().any(|(first, last)| *first <= day && day <= *last)
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
        let tz = time::zone(&store.time_zone);
        let first_day = time::local_date(tz, from).pred_opt().unwrap_or(NaiveDate::MIN);
        let hours = store::stores::hours(conn, store.id).await?;
        let closures = store::stores::closures(conn, store.id, first_day)
            .await?
            .into_iter()
            .map(|c| (c.first_day, c.last_day))
            .collect();
        let associates = store::staff::with_role(conn, store.id, StoreRole::Associate).await?;
        let ids: Vec<StaffId> = associates.iter().map(|a| a.0).collect();
        let mut own = store::schedules::working_hours_at(conn, store.id).await?;
        let mut off: HashMap<StaffId, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
        for t in store::schedules::time_off(conn, &ids, first_day).await? {
            off.entry(t.staff_id).or_default().push((t.first_day, t.last_day));
        }
        let schedules = ids
            .iter()
            .map(|id| Schedule {
                id: *id,
                hours: own.remove(id),
                off: off.remove(id).unwrap_or_default(),
            })
            .collect();
        let busy = store::appointments::busy(conn, store.id, from, to, exclude).await?;
        Ok(Calendar {
            tz,
            // A step under five minutes would offer a wall of times; the setting never allows it.
            step: Seconds::minutes(store.slot_minutes.max(5)),
            hours,
            closures,
            schedules,
            associates: associates.into_iter().map(|(id, name)| AssociateInfo { id, name }).collect(),
            busy,
            notice: Seconds::minutes(store.min_notice_minutes),
            horizon: Seconds::days(store.horizon_days),
        })
    }

    fn spans(&self, date: NaiveDate, day: &[(i64, i64)]) -> Vec<Span> {
        day.iter()
            .map(|(from, to)| Span::new(time::local_instant(self.tz, date, *from), time::local_instant(self.tz, date, *to)))
            .collect()
    }

    /// One store-local day for `need`, as seen at `now` (notice and horizon count from it).
    pub fn day(&self, date: NaiveDate, need: &Need, now: UnixTime) -> Day<'_> {
        let weekday = time::weekday(date);
        let open = if on(date, &self.closures) {
            vec![]
        } else {
            self.spans(date, &self.hours[weekday])
        };
        let workers = self
            .schedules
            .iter()
            .filter(|s| need.performers.as_ref().is_none_or(|p| p.contains(&s.id)))
            .map(|s| Worker {
                id: s.id,
                working: if on(date, &s.off) {
                    vec![]
                } else {
                    match &s.hours {
                        Some(week) => intersect(&open, &self.spans(date, &week[weekday])),
                        None => open.clone(),
                    }
                },
            })
            .collect();
        Day {
            open,
            step: self.step,
            duration: need.duration,
            buffer_before: need.buffer_before,
            buffer_after: need.buffer_after,
            not_before: now + self.notice,
            not_after: now + self.horizon,
            workers,
            busy: &self.busy,
        }
    }

    pub fn has_associate(&self, id: StaffId) -> bool {
        self.schedules.iter().any(|s| s.id == id)
    }
}

/// Checks that `start`, for `need`, with `associate` (or anyone), fits the
/// store's hours, the associate's, and every other appointment (not `exclude`).
pub async fn check(
    conn: &mut Conn,
    store: &StoreRow,
    start: UnixTime,
    need: &Need,
    associate: Option<StaffId>,
    exclude: Option<AppointmentId>,
    now: UnixTime,
) -> Result<(), AppError> {
    // Only appointments overlapping the requested time (with buffers) matter, so only those are read.
    let reach = Seconds::hours(4);
    let cal = Calendar::load(conn, store, start - reach, start + need.duration + reach, exclude).await?;
    let tz = time::zone(&store.time_zone);
    match cal.day(time::local_date(tz, start), need, now).check(start, associate) {
        Ok(()) => Ok(()),
        Err(SlotProblem::Taken) => Err(AppError::SlotTaken),
        Err(p) => Err(AppError::field("slot", p.message())),
    }
}
