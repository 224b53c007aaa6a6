//! The staff calendar: one store's day with a column per associate (a
//! manager's; an associate sees their own), or its week with a column per day.
//! It reads the same rows and access scope as the Appointments list; the page
//! refetches it whenever the live channel says an appointment changed.

use super::appointments::{associates_by_store, scope};
use crate::backend::store::appointments::{ListRow, Search};
use crate::backend::store::{self};
use crate::backend::{time, AppState};
use crate::domain::appointment::AppointmentStatus;
use crate::domain::ids::StoreId;
use crate::error::AppError;
use crate::model::{CalendarColumn, CalendarItem, CalendarQuery, CalendarView, Me};
use crate::rules::access;
use chrono::{Datelike, NaiveDate};

/// The grid shows at least this much of the day; earlier or later bookings widen it.
const DEFAULT_HOURS: (i64, i64) = (8, 20);

pub async fn calendar(state: &AppState, me: &Me, q: CalendarQuery) -> Result<CalendarView, AppError> {
    let stores: Vec<(StoreId, String)> = me.stores.iter().map(|s| (s.id, s.name.clone())).collect();
    let store_id = match q.store_id {
        Some(id) if stores.iter().any(|s| s.0 == id) => id,
        // A store this person does not work in is one that does not exist, for them.
        Some(_) => return Err(AppError::NotFound("There is no such store.".into())),
        None => stores
            .first()
            .map(|s| s.0)
            .ok_or_else(|| AppError::NotFound("You work in no store yet.".into()))?,
    };
    let mut conn = state.db.reader().await?;
    let store = store::stores::by_id(&mut conn, store_id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such store.".into()))?;
    let tz = time::zone(&store.time_zone);
    let today = time::local_date(tz, state.clock.now());
    let day = match q.date.trim() {
        "" => today,
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| AppError::field("date", "Please give a day as YYYY-MM-DD."))?,
    };
    let (first_day, days) = if q.week {
        (day - chrono::Duration::days(day.weekday().num_days_from_monday() as i64), 7)
    } else {
        (day, 1)
    };
    let last_day = first_day + chrono::Duration::days(days - 1);
    let manages = access::managed_stores(me).contains(&store_id);
    let mut associates = if manages {
        associates_by_store(&mut conn, &[store_id])
            .await?
            .remove(&store_id)
            .unwrap_or_default()
    } else {
        vec![]
    };
    associates.sort_by(|a, b| a.name.cmp(&b.name));
    let managed = access::managed_stores(me);
    let search = Search {
        from: Some(time::day_bounds(tz, first_day).0),
        to: Some(time::day_bounds(tz, last_day).1),
        // An associate's calendar is their own; a manager's week may be one person's.
        associate: if manages { q.associate_id.filter(|_| q.week) } else { Some(me.id) },
        status: None,
        client: String::new(),
        store: Some(store_id),
    };
    let rows: Vec<ListRow> = store::appointments::search(&mut conn, scope(me, &managed), &search)
        .await?
        .into_iter()
        .filter(|r| r.status != AppointmentStatus::Cancelled)
        .collect();
    let item = |r: &ListRow| {
        let start = r.starts_at;
        let end = start + crate::domain::time::Seconds(r.duration_min * 60);
        let midnight = time::day_bounds(tz, time::local_date(tz, start)).0;
        CalendarItem {
            id: r.id,
            start_minute: (start.secs() - midnight.secs()) / 60,
            end_minute: (end.secs() - midnight.secs()) / 60,
            time: format!("{}–{}", time::clock_time(tz, start), time::clock_time(tz, end)),
            client_name: r.client_name.clone(),
            service: r.service.clone(),
            associate_name: r.associate_name.clone(),
            status: r.status,
        }
    };
    let columns: Vec<CalendarColumn> = if q.week {
        (0..days)
            .map(|i| {
                let d = first_day + chrono::Duration::days(i);
                CalendarColumn {
                    heading: d.format("%a %-d %b").to_string(),
                    items: rows.iter().filter(|r| time::local_date(tz, r.starts_at) == d).map(item).collect(),
                }
            })
            .collect()
    } else if manages {
        let mut cols: Vec<CalendarColumn> = associates
            .iter()
            .map(|a| CalendarColumn {
                heading: a.name.clone(),
                items: rows.iter().filter(|r| r.associate_id == Some(a.id)).map(item).collect(),
            })
            .collect();
        let unassigned: Vec<CalendarItem> = rows.iter().filter(|r| r.associate_id.is_none()).map(item).collect();
        if !unassigned.is_empty() {
            cols.push(CalendarColumn {
                heading: "Unassigned".into(),
                items: unassigned,
            });
        }
        cols
    } else {
        vec![CalendarColumn {
            heading: me.name.clone(),
            items: rows.iter().map(item).collect(),
        }]
    };
    let (mut first_minute, mut last_minute) = (DEFAULT_HOURS.0 * 60, DEFAULT_HOURS.1 * 60);
    for i in columns.iter().flat_map(|c| &c.items) {
        first_minute = first_minute.min(i.start_minute / 60 * 60);
        last_minute = last_minute.max((i.end_minute + 59) / 60 * 60).min(24 * 60);
    }
    let step = chrono::Duration::days(days);
    let title = if q.week {
        format!("{} – {}", first_day.format("%-d %b"), last_day.format("%-d %b %Y"))
    } else {
        day.format("%A %-d %B %Y").to_string()
    };
    Ok(CalendarView {
        stores,
        store_id,
        store_name: store.name,
        title,
        date: day.to_string(),
        week: q.week,
        associate_id: search.associate.filter(|_| manages),
        previous: (day - step).to_string(),
        next: (day + step).to_string(),
        today: today.to_string(),
        associates,
        columns,
        first_minute,
        last_minute,
    })
}
