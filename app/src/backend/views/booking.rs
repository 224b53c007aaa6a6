//! The public booking page: the store, its services and associates, and the
//! free times of a day (from the same availability the booking checks).

use crate::backend::availability::{Calendar, Need};
use crate::backend::store::services::ServiceRow;
use crate::backend::store::stores::StoreRow;
use crate::backend::store::{self, Conn};
use crate::backend::{time, AppState};
use crate::domain::ids::{ServiceId, StaffId};
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::i18n::Language;
use crate::model::{BookingPageInfo, MonthDays, Slot};
use chrono::{Datelike, NaiveDate};

/// How far ahead the booking page looks for the first open day.
const LOOKAHEAD_DAYS: i64 = 60;

fn no_such_store(slug: &str) -> AppError {
    AppError::NotFound(format!("There is no store called \"{slug}\"."))
}

/// `wanted` (the page's `?lang=`) if we have it, else the browser's
/// `Accept-Language`, else the store's own language.
pub async fn page(state: &AppState, slug: &str, wanted: Option<&str>, accept_language: Option<&str>) -> Result<BookingPageInfo, AppError> {
    let mut conn = state.db.reader().await?;
    let store = store::stores::by_slug(&mut conn, slug).await?.ok_or_else(|| no_such_store(slug))?;
    let services: Vec<_> = store::services::active(&mut conn, store.id)
        .await?
        .into_iter()
        .filter(|s| s.bookable_online)
        .collect();
    let now = state.clock.now();
    let tz = time::zone(&store.time_zone);
    let today = time::local_date(tz, now);
    let horizon = today + chrono::Duration::days(LOOKAHEAD_DAYS);
    let cal = Calendar::load(
        &mut conn,
        &store,
        time::day_bounds(tz, today).0,
        time::day_bounds(tz, horizon).1,
        None,
    )
    .await?;
    let mut needs = Vec::with_capacity(services.len());
    for s in &services {
        needs.push(Need::of(&mut conn, s).await?);
    }
    let first_open_day = today
        .iter_days()
        .take(LOOKAHEAD_DAYS as usize)
        .find(|day| needs.iter().any(|n| !cal.day(*day, n, now).free_starts(None).is_empty()));
    let language = wanted
        .and_then(|l| Language::parse(l).ok())
        .or_else(|| accept_language.and_then(Language::negotiate))
        .unwrap_or(store.default_language);
    Ok(BookingPageInfo {
        store_slug: store.slug.clone(),
        store_name: store.name.clone(),
        address: store.address.clone(),
        phone: store.phone.clone(),
        time_zone: store.time_zone.clone(),
        city: time::city(&store.time_zone),
        language,
        today: today.format("%Y-%m-%d").to_string(),
        services: services.into_iter().map(super::service_info).collect(),
        associates: cal.associates.clone(),
        first_open_day: first_open_day.map(|d| d.format("%Y-%m-%d").to_string()),
    })
}

/// Which days of one month have a free time for `service` (with `associate`,
/// or anyone), for the booking page's calendar; `month` is `YYYY-MM`, or
/// empty for the month of the next free day. Also says where the next free
/// day is, so the page can jump there.
pub async fn month(
    state: &AppState,
    slug: &str,
    service_id: ServiceId,
    associate_id: Option<StaffId>,
    month: &str,
) -> Result<MonthDays, AppError> {
    let mut conn = state.db.reader().await?;
    let (store, service) = bookable(&mut conn, slug, service_id).await?;
    let need = Need::of(&mut conn, &service).await?;
    let tz = time::zone(&store.time_zone);
    let now = state.clock.now();
    let today = time::local_date(tz, now);
    // Bookings open no further ahead than the store's horizon: nothing past it is free.
    let last = today + chrono::Duration::days(store.horizon_days.max(0));
    let reach = Seconds::hours(4); // buffers of neighbouring appointments
    let cal = Calendar::load(
        &mut conn,
        &store,
        time::day_bounds(tz, today).0 - reach,
        time::day_bounds(tz, last).1 + reach,
        None,
    )
    .await?;
    // Each bookable day is looked at once, for the month shown and the next free day alike.
    let free_days: std::collections::BTreeSet<NaiveDate> = today
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| !cal.day(*d, &need, now).free_starts(associate_id).is_empty())
        .collect();
    let next_free = free_days.first().copied();
    let first = match month.trim() {
        "" => next_free.unwrap_or(today).with_day(1),
        m => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok(),
    }
    .filter(|d| (2000..=2999).contains(&d.year()))
    .ok_or_else(|| AppError::field("month", "Please choose a month (YYYY-MM)."))?;
    let next_month = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let days = first
        .iter_days()
        .take_while(|d| *d < next_month)
        .map(|d| (d.format("%Y-%m-%d").to_string(), free_days.contains(&d)))
        .collect();
    let month_of = |d: NaiveDate| d.format("%Y-%m").to_string();
    Ok(MonthDays {
        month: month_of(first),
        year: first.year(),
        month_number: first.month(),
        first_weekday: first.weekday().number_from_monday(),
        days,
        previous: (first > today).then(|| month_of(first - chrono::Duration::days(1))),
        next: (next_month <= last).then(|| month_of(next_month)),
        next_free: next_free.map(|d| d.format("%Y-%m-%d").to_string()),
    })
}

/// A date as the pages send it, `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        // Years past any booking window, kept far from the edges of date arithmetic.
        .filter(|d| (2000..=2999).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| AppError::field("date", "Please choose a date (YYYY-MM-DD)."))
}

/// A store by its booking address and one of its services clients may book online.
async fn bookable(conn: &mut Conn, slug: &str, service_id: ServiceId) -> Result<(StoreRow, ServiceRow), AppError> {
    let store = store::stores::by_slug(conn, slug).await?.ok_or_else(|| no_such_store(slug))?;
    let service = store::services::active_one(conn, store.id, service_id)
        .await?
        .filter(|s| s.bookable_online)
        .ok_or_else(|| AppError::field("service", "Please choose a service from the list."))?;
    Ok((store, service))
}

/// Free start times on one store-local day.
pub async fn slots(
    state: &AppState,
    slug: &str,
    service_id: ServiceId,
    date: NaiveDate,
    associate_id: Option<StaffId>,
) -> Result<Vec<Slot>, AppError> {
    let mut conn = state.db.reader().await?;
    let (store, service) = bookable(&mut conn, slug, service_id).await?;
    free_starts(&mut conn, &store, &service, date, associate_id, state.clock.now()).await
}

/// The free start times of `service` on one store-local day, with `associate`
/// or anyone: the one computation behind the booking page, staff booking and
/// the integration API.
pub async fn free_starts(
    conn: &mut Conn,
    store: &StoreRow,
    service: &ServiceRow,
    date: NaiveDate,
    associate_id: Option<StaffId>,
    now: UnixTime,
) -> Result<Vec<Slot>, AppError> {
    let need = Need::of(conn, service).await?;
    let tz = time::zone(&store.time_zone);
    let (from, to) = time::day_bounds(tz, date);
    let reach = Seconds::hours(4); // buffers of neighbouring appointments
    let cal = Calendar::load(conn, store, from - reach, to + reach, None).await?;
    let starts = cal.day(date, &need, now).free_starts(associate_id);
    Ok(starts
        .into_iter()
        .map(|t| Slot {
            starts_at: t,
            label: time::clock_time(tz, t),
        })
        .collect())
}
