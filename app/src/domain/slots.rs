//! Slot computation: a pure function of one day's opening intervals, who
//! works when, the service's duration and buffers, and what is already
//! booked. The booking write re-runs the same check inside the writer's
//! transaction, so what the form offered and what is committed agree.
//!
//! Availability is: store hours ∩ the associate's hours − closures − time off
//! − existing appointments with their buffers. The caller (`backend::
//! availability`) turns hours, closures and time off into instants for the
//! day; this module only intersects and counts.

use super::ids::StaffId;
use super::time::{Seconds, UnixTime};

/// `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: UnixTime,
    pub end: UnixTime,
}

impl Span {
    pub fn new(start: UnixTime, end: UnixTime) -> Span {
        Span { start, end }
    }
    pub fn contains(&self, start: UnixTime, end: UnixTime) -> bool {
        self.start <= start && end <= self.end
    }
    pub fn overlaps(&self, start: UnixTime, end: UnixTime) -> bool {
        self.start < end && start < self.end
    }
}

/// `spans` with every part covered by `holes` taken out (both sorted or not;
/// the result is sorted and has no empty spans).
pub fn subtract(spans: &[Span], holes: &[Span]) -> Vec<Span> {
    let mut out: Vec<Span> = spans.to_vec();
    for h in holes {
        let mut next = Vec::with_capacity(out.len() + 1);
        for s in out {
            if !s.overlaps(h.start, h.end) {
                next.push(s);
                continue;
            }
            if s.start < h.start {
                next.push(Span::new(s.start, h.start));
            }
            if h.end < s.end {
                next.push(Span::new(h.end, s.end));
            }
        }
        out = next;
    }
    out.retain(|s| s.start < s.end);
    out.sort_by_key(|s| s.start);
    out
}

/// The parts of `a` that are also in `b`.
pub fn intersect(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let start = x.start.max(y.start);
            let end = x.end.min(y.end);
            if start < end {
                out.push(Span::new(start, end));
            }
        }
    }
    out.sort_by_key(|s| s.start);
    out
}

/// An existing, not-cancelled appointment, with the time its service keeps
/// free around it (buffers) already included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy {
    pub start: UnixTime,
    pub end: UnixTime,
    /// `None` for a request no associate has been given yet: it still takes
    /// one associate's time, we just do not know whose.
    pub associate_id: Option<StaffId>,
}

/// Someone who performs the service, and when they can this day (their hours
/// within the store's, less their time off).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Worker {
    pub id: StaffId,
    pub working: Vec<Span>,
}

/// Why a requested start time cannot be booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotProblem {
    Past,
    /// Beyond how far ahead the store takes bookings.
    TooFar,
    Closed,
    OffGrid,
    Taken,
}

impl SlotProblem {
    /// In the fallback language, like the booking form around it.
    pub fn message(self) -> &'static str {
        crate::i18n::fallback_text(match self {
            SlotProblem::Past => "slot-past",
            SlotProblem::TooFar => "slot-too-far",
            SlotProblem::Closed => "slot-closed",
            SlotProblem::OffGrid => "slot-off-grid",
            SlotProblem::Taken => "slot-taken",
        })
    }
}

/// The rules for one store-local day and one service.
#[derive(Clone, Debug)]
pub struct Day<'a> {
    /// When the store is open this day (several spans with a lunch break;
    /// none when closed or on a closure).
    pub open: Vec<Span>,
    /// Start times are every `step` from the start of each open span.
    pub step: Seconds,
    pub duration: Seconds,
    /// Kept free before and after the appointment, against other appointments.
    pub buffer_before: Seconds,
    pub buffer_after: Seconds,
    /// Earliest start that may still be booked (now plus the store's notice).
    pub not_before: UnixTime,
    /// Latest start that may be booked (now plus the store's horizon).
    pub not_after: UnixTime,
    /// The associates who perform the service, and when they work this day.
    pub workers: Vec<Worker>,
    pub busy: &'a [Busy],
}

impl Day<'_> {
    /// True when `[start, start + duration)` fits `chosen` (or, for "anyone",
    /// at least one qualified associate), while still leaving an associate for
    /// every unassigned request that overlaps.
    fn is_free(&self, start: UnixTime, chosen: Option<StaffId>) -> bool {
        let end = start + self.duration;
        let (kept_from, kept_to) = (start - self.buffer_before, end + self.buffer_after);
        let mut taken: Vec<StaffId> = Vec::new();
        let mut unassigned = 0usize;
        for b in self.busy.iter().filter(|b| b.start < kept_to && kept_from < b.end) {
            match b.associate_id {
                Some(a) => taken.push(a),
                None => unassigned += 1,
            }
        }
        let free = |w: &&Worker| !taken.contains(&w.id) && w.working.iter().any(|s| s.contains(start, end));
        let free_count = self.workers.iter().filter(free).count();
        match chosen {
            None => free_count > unassigned,
            Some(a) => self.workers.iter().filter(free).any(|w| w.id == a) && free_count > unassigned,
        }
    }

    /// Every bookable start for this day, in order.
    pub fn free_starts(&self, chosen: Option<StaffId>) -> Vec<UnixTime> {
        let mut out = Vec::new();
        for span in &self.open {
            let mut t = span.start;
            while t + self.duration <= span.end {
                if t >= self.not_before && t <= self.not_after && self.is_free(t, chosen) {
                    out.push(t);
                }
                t = t + self.step;
            }
        }
        out
    }

    /// Why `start` cannot be booked, if it cannot.
    pub fn check(&self, start: UnixTime, chosen: Option<StaffId>) -> Result<(), SlotProblem> {
        if start < self.not_before {
            return Err(SlotProblem::Past);
        }
        if start > self.not_after {
            return Err(SlotProblem::TooFar);
        }
        let Some(span) = self.open.iter().find(|s| s.contains(start, start + self.duration)) else {
            return Err(SlotProblem::Closed);
        };
        if (start - span.start).0 % self.step.0.max(1) != 0 {
            return Err(SlotProblem::OffGrid);
        }
        if !self.is_free(start, chosen) {
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
    fn span(from: i64, to: i64) -> Span {
        Span::new(at(from), at(to))
    }
    const A1: StaffId = StaffId(1);
    const A2: StaffId = StaffId(2);

    /// Open 9–12; each worker works whenever the store is open.
    fn workers(ids: &[StaffId]) -> Vec<Worker> {
        ids.iter()
            .map(|&id| Worker {
                id,
                working: vec![span(9 * H, 12 * H)],
            })
            .collect()
    }

    fn day<'a>(workers: &'a [Worker], busy: &'a [Busy]) -> Day<'a> {
        Day {
            open: vec![span(9 * H, 12 * H)],
            step: Seconds::minutes(30),
            duration: Seconds::minutes(60),
            buffer_before: Seconds(0),
            buffer_after: Seconds(0),
            not_before: at(0),
            not_after: at(100 * H),
            workers: workers.to_vec(),
            busy,
        }
    }

    #[test]
    fn an_empty_day_offers_every_start_that_fits_before_closing() {
        let w = workers(&[A1]);
        let d = day(&w, &[]);
        assert_eq!(
            d.free_starts(None),
            [9 * H, 9 * H + 30 * M, 10 * H, 10 * H + 30 * M, 11 * H].map(at).to_vec()
        );
    }

    #[test]
    fn a_closed_day_offers_nothing_and_rejects_with_closed() {
        let w = workers(&[A1]);
        let d = Day {
            open: vec![],
            ..day(&w, &[])
        };
        assert!(d.free_starts(None).is_empty());
        assert_eq!(d.check(at(10 * H), None), Err(SlotProblem::Closed));
    }

    #[test]
    fn times_before_the_notice_are_past_and_after_the_horizon_too_far() {
        let w = workers(&[A1]);
        let d = Day {
            not_before: at(10 * H + 1),
            not_after: at(11 * H - 1),
            ..day(&w, &[])
        };
        assert_eq!(d.free_starts(None), [10 * H + 30 * M].map(at).to_vec());
        assert_eq!(d.check(at(10 * H), None), Err(SlotProblem::Past));
        assert_eq!(d.check(at(11 * H), None), Err(SlotProblem::TooFar));
    }

    #[test]
    fn a_lunch_break_splits_the_day_and_the_grid_restarts_after_it() {
        let w = vec![Worker {
            id: A1,
            working: vec![span(9 * H, 18 * H)],
        }];
        let d = Day {
            open: vec![span(9 * H, 11 * H), span(12 * H + 15 * M, 14 * H)],
            ..day(&w, &[])
        };
        assert_eq!(
            d.free_starts(None),
            [9 * H, 9 * H + 30 * M, 10 * H, 12 * H + 15 * M, 12 * H + 45 * M].map(at).to_vec()
        );
        assert_eq!(d.check(at(10 * H + 30 * M), None), Err(SlotProblem::Closed), "runs into lunch");
        assert_eq!(d.check(at(12 * H + 30 * M), None), Err(SlotProblem::OffGrid));
    }

    #[test]
    fn an_associate_is_offered_only_inside_their_own_hours() {
        // A1 works 10–12 only, A2 not at all this day (time off).
        let w = vec![
            Worker {
                id: A1,
                working: vec![span(10 * H, 12 * H)],
            },
            Worker { id: A2, working: vec![] },
        ];
        let d = day(&w, &[]);
        assert_eq!(d.free_starts(Some(A1)), [10 * H, 10 * H + 30 * M, 11 * H].map(at).to_vec());
        assert!(d.free_starts(Some(A2)).is_empty());
        assert_eq!(d.free_starts(None), d.free_starts(Some(A1)), "anyone: whoever works");
        assert_eq!(d.check(at(9 * H), Some(A1)), Err(SlotProblem::Taken));
    }

    #[test]
    fn buffers_keep_time_free_around_appointments() {
        let w = workers(&[A1]);
        // A1 is busy 10:00–11:00 plus a 15-minute buffer after it (its own service's).
        let busy = [Busy {
            start: at(10 * H),
            end: at(11 * H + 15 * M),
            associate_id: Some(A1),
        }];
        let plain = day(&w, &busy);
        assert_eq!(plain.check(at(11 * H), None), Err(SlotProblem::Taken), "inside the other's buffer");
        // This service keeps 30 minutes free after itself: 9:00–10:00 plus
        // 30 minutes overlaps the 10:00 appointment; without the buffer it fits.
        let after30 = Day {
            buffer_after: Seconds::minutes(30),
            ..day(&w, &busy)
        };
        assert_eq!(after30.check(at(9 * H), None), Err(SlotProblem::Taken));
        assert_eq!(plain.check(at(9 * H), None), Ok(()));
        // This one keeps 30 minutes free before itself.
        let w_long = vec![Worker {
            id: A1,
            working: vec![span(9 * H, 13 * H)],
        }];
        let before30 = Day {
            buffer_before: Seconds::minutes(30),
            step: Seconds::minutes(15),
            open: vec![span(9 * H, 13 * H)],
            ..day(&w_long, &busy)
        };
        assert_eq!(
            before30.check(at(11 * H + 30 * M), None),
            Err(SlotProblem::Taken),
            "needs 11:00–11:30 free"
        );
        assert_eq!(before30.check(at(11 * H + 45 * M), None), Ok(()));
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
        let both = [busy_a1_10[0], unassigned_10[0]];
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
            // someone who does not perform the service (or works elsewhere) is never free here
            (&[A1, A2], &[], Some(StaffId(7)), 10 * H, Err(SlotProblem::Taken)),
            // off the grid, and running past closing
            (&[A1], &[], None, 10 * H + 10 * M, Err(SlotProblem::OffGrid)),
            (&[A1], &[], None, 11 * H + 30 * M, Err(SlotProblem::Closed)),
            (&[A1], &[], None, 8 * H, Err(SlotProblem::Closed)),
        ];
        for (i, (associates, busy, chosen, start, want)) in rows.into_iter().enumerate() {
            let w = workers(associates);
            let d = day(&w, busy);
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

    #[test]
    fn spans_subtract_and_intersect() {
        let day = [span(9 * H, 17 * H)];
        assert_eq!(
            subtract(&day, &[span(12 * H, 13 * H)]),
            vec![span(9 * H, 12 * H), span(13 * H, 17 * H)]
        );
        assert_eq!(subtract(&day, &[span(0, 24 * H)]), vec![]);
        assert_eq!(subtract(&day, &[span(17 * H, 18 * H)]), day.to_vec(), "touching is not overlapping");
        assert_eq!(
            intersect(&[span(9 * H, 12 * H), span(13 * H, 17 * H)], &[span(10 * H, 14 * H)]),
            vec![span(10 * H, 12 * H), span(13 * H, 14 * H)]
        );
    }
}
