//! Slot computation: a pure function of opening hours, service duration and
//! existing appointments. The booking write re-runs the same check inside the
//! writer's transaction, so what the form offered and what is committed agree.

use super::ids::StaffId;
use super::time::{Seconds, UnixTime};

/// An existing, not-cancelled appointment: `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy {
    pub start: UnixTime,
    pub end: UnixTime,
    /// `None` for a request no associate has been given yet: it still takes
    /// one associate's time, we just do not know whose.
    pub associate_id: Option<StaffId>,
}

/// Why a requested start time cannot be booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotProblem {
    Past,
    Closed,
    OffGrid,
    Taken,
}

impl SlotProblem {
    /// In the fallback language, like the booking form around it.
    pub fn message(self) -> &'static str {
        crate::i18n::fallback_text(match self {
            SlotProblem::Past => "slot-past",
            SlotProblem::Closed => "slot-closed",
            SlotProblem::OffGrid => "slot-off-grid",
            SlotProblem::Taken => "slot-taken",
        })
    }
}

/// The rules for one store-local day.
#[derive(Clone, Debug)]
pub struct Day<'a> {
    /// Opening and closing instants of the day, `None` when closed.
    pub open: Option<(UnixTime, UnixTime)>,
    pub step: Seconds,
    pub duration: Seconds,
    /// Earliest start that may still be booked (now plus any lead time).
    pub not_before: UnixTime,
    pub associates: &'a [StaffId],
    pub busy: &'a [Busy],
}

/// True when an appointment `[start, end)` fits: the chosen associate (or, for
/// "anyone", at least one associate) is free, while still leaving an associate
/// for every unassigned request that overlaps.
pub fn is_free(start: UnixTime, end: UnixTime, associates: &[StaffId], busy: &[Busy], chosen: Option<StaffId>) -> bool {
    let mut taken: Vec<StaffId> = Vec::new();
    let mut unassigned = 0usize;
    for b in busy.iter().filter(|b| b.start < end && start < b.end) {
        match b.associate_id {
            Some(a) => taken.push(a),
            None => unassigned += 1,
        }
    }
    let free = associates.iter().filter(|a| !taken.contains(a)).count();
    match chosen {
        None => free > unassigned,
        Some(a) => associates.contains(&a) && !taken.contains(&a) && free > unassigned,
    }
}

impl Day<'_> {
    /// Every bookable start for this day, in order.
    pub fn free_starts(&self, chosen: Option<StaffId>) -> Vec<UnixTime> {
        let Some((open, close)) = self.open else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut t = open;
        while t + self.duration <= close {
            if t >= self.not_before && is_free(t, t + self.duration, self.associates, self.busy, chosen) {
                out.push(t);
            }
            t = t + self.step;
        }
        out
    }

    /// Why `start` cannot be booked, if it cannot.
    pub fn check(&self, start: UnixTime, chosen: Option<StaffId>) -> Result<(), SlotProblem> {
        if start < self.not_before {
            return Err(SlotProblem::Past);
        }
        let Some((open, close)) = self.open else {
            return Err(SlotProblem::Closed);
        };
        if start < open || start + self.duration > close {
            return Err(SlotProblem::Closed);
        }
        if (start - open).0 % self.step.0 != 0 {
            return Err(SlotProblem::OffGrid);
        }
        if !is_free(start, start + self.duration, self.associates, self.busy, chosen) {
            return Err(SlotProblem::Taken);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600;
    const M: i64 = 60;

    /// An instant `s` seconds into the test day.
    const fn at(s: i64) -> UnixTime {
        UnixTime(s)
    }
    const A1: StaffId = StaffId(1);
    const A2: StaffId = StaffId(2);

    fn day<'a>(associates: &'a [StaffId], busy: &'a [Busy]) -> Day<'a> {
        Day {
            open: Some((at(9 * H), at(12 * H))),
            step: Seconds::minutes(30),
            duration: Seconds::minutes(60),
            not_before: at(0),
            associates,
            busy,
        }
    }

    #[test]
    fn an_empty_day_offers_every_start_that_fits_before_closing() {
        let d = day(&[A1], &[]);
        assert_eq!(
            d.free_starts(None),
            [9 * H, 9 * H + 30 * M, 10 * H, 10 * H + 30 * M, 11 * H].map(at).to_vec()
        );
    }

    #[test]
    fn a_closed_day_offers_nothing_and_rejects_with_closed() {
        let d = Day {
            open: None,
            ..day(&[A1], &[])
        };
        assert!(d.free_starts(None).is_empty());
        assert_eq!(d.check(at(10 * H), None), Err(SlotProblem::Closed));
    }

    #[test]
    fn times_before_not_before_are_past() {
        let d = Day {
            not_before: at(10 * H + 1),
            ..day(&[A1], &[])
        };
        assert_eq!(d.free_starts(None), [10 * H + 30 * M, 11 * H].map(at).to_vec());
        assert_eq!(d.check(at(10 * H), None), Err(SlotProblem::Past));
    }

    #[test]
    #[allow(clippy::type_complexity)] // a table row: one tuple per case
    fn the_table_of_availability() {
        // (associates, busy, chosen, start, expected)
        let busy_a1_10 = [Busy {
            start: at(10 * H),
            end: at(11 * H),
            associate_id: Some(A1),
        }];
        let unassigned_10 = [Busy {
            start: at(10 * H),
            end: at(11 * H),
            associate_id: None,
        }];
        let both = [
            Busy {
                start: at(10 * H),
                end: at(11 * H),
                associate_id: Some(A1),
            },
            Busy {
                start: at(10 * H),
                end: at(11 * H),
                associate_id: None,
            },
        ];
        let rows: Vec<(&[StaffId], &[Busy], Option<StaffId>, i64, Result<(), SlotProblem>)> = vec![
            // one associate, booked at 10: 10:00 and the overlapping 9:30 / 10:30 are taken
            (&[A1], &busy_a1_10, None, 10 * H, Err(SlotProblem::Taken)),
            (&[A1], &busy_a1_10, None, 9 * H + 30 * M, Err(SlotProblem::Taken)),
            (&[A1], &busy_a1_10, None, 10 * H + 30 * M, Err(SlotProblem::Taken)),
            (&[A1], &busy_a1_10, None, 9 * H, Ok(())),
            (&[A1], &busy_a1_10, None, 11 * H, Ok(())),
            // two associates: the other one is still free, for "anyone" and by name
            (&[A1, A2], &busy_a1_10, None, 10 * H, Ok(())),
            (&[A1, A2], &busy_a1_10, Some(A2), 10 * H, Ok(())),
            (&[A1, A2], &busy_a1_10, Some(A1), 10 * H, Err(SlotProblem::Taken)),
            // an unassigned request uses up one associate, whoever it will be
            (&[A1], &unassigned_10, None, 10 * H, Err(SlotProblem::Taken)),
            (&[A1, A2], &unassigned_10, None, 10 * H, Ok(())),
            (&[A1, A2], &unassigned_10, Some(A1), 10 * H, Ok(())),
            (&[A1, A2], &both, None, 10 * H, Err(SlotProblem::Taken)),
            (&[A1, A2], &both, Some(A2), 10 * H, Err(SlotProblem::Taken)),
            // an associate of another store is never free here
            (&[A1, A2], &[], Some(StaffId(7)), 10 * H, Err(SlotProblem::Taken)),
            // off the grid, and running past closing
            (&[A1], &[], None, 10 * H + 10 * M, Err(SlotProblem::OffGrid)),
            (&[A1], &[], None, 11 * H + 30 * M, Err(SlotProblem::Closed)),
            (&[A1], &[], None, 8 * H, Err(SlotProblem::Closed)),
        ];
        for (i, (associates, busy, chosen, start, want)) in rows.into_iter().enumerate() {
            let d = day(associates, busy);
            assert_eq!(d.check(at(start), chosen), want, "row {i}");
            assert_eq!(
                d.free_starts(chosen).contains(&at(start)),
                want.is_ok(),
                "row {i} free_starts agrees with check"
            );
        }
    }

    #[test]
    fn no_associates_means_no_slots() {
        assert!(day(&[], &[]).free_starts(None).is_empty());
    }
}
