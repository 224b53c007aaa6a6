//! What the client's tracking page reads: the booking in the client's
//! language, the actions its rules allow, free times to move to, and the
//! calendar file. The actions themselves are in `change` (`client_*`).

use super::booking::{Calendar, StoreRow};
use super::templates::human_date;
use super::time;
use super::tracking;
use super::AppState;
use crate::domain::parse::Language;
use crate::error::AppError;
use crate::model::{AppointmentStatus, Slot, TrackingView};
use crate::rules::client::{BookingState, ClientAction};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    store_id: i64,
    associate_id: Option<i64>,
    starts_at: i64,
    ends_at: i64,
    status: String,
    presence: String,
    completed: bool,
    cancel_reason: String,
    version: i64,
    client_name: String,
    client_language: String,
    service: String,
    associate_name: Option<String>,
    store_name: String,
    store_slug: String,
    address: String,
    time_zone: String,
    default_language: String,
    client_cutoff_hours: i64,
    previous_starts_at: Option<i64>,
}

fn not_found() -> AppError {
    AppError::NotFound("This booking link is not valid. Please check the link in your message.".into())
}

async fn load(state: &AppState, token: &str) -> Result<Row, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let id = tracking::find(&mut conn, token).await?.ok_or_else(not_found)?;
    sqlx::query_as(
        "SELECT a.id, a.store_id, a.associate_id, a.starts_at, a.ends_at, a.status, a.presence, a.completed,
                a.cancel_reason, a.version, c.name AS client_name, c.language AS client_language, sv.name AS service,
                st.name AS associate_name, s.name AS store_name, s.slug AS store_slug, s.address, s.time_zone, s.default_language,
                s.client_cutoff_hours,
                (SELECT json_extract(v.snapshot, '$.starts_at') FROM appointment_versions v
                  WHERE v.appointment_id = a.id AND v.version = a.version - 1) AS previous_starts_at
         FROM appointments a JOIN clients c ON c.id = a.client_id JOIN services sv ON sv.id = a.service_id
         JOIN stores s ON s.id = a.store_id LEFT JOIN staff st ON st.id = a.associate_id WHERE a.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(not_found)
}

impl Row {
    fn booking_state(&self) -> BookingState {
        BookingState {
            status: AppointmentStatus::parse(&self.status).unwrap_or(AppointmentStatus::Cancelled),
            no_show: self.presence == "NoShow",
            completed: self.completed,
            starts_at: self.starts_at,
            cutoff_hours: self.client_cutoff_hours,
        }
    }
}

/// `lang` wins when it is one we write; then the client's, then the store's.
fn page_language(lang: Option<&str>, client: &str, store: &str) -> Language {
    lang.and_then(|l| Language::parse(l).ok())
        .unwrap_or_else(|| super::client_messages::language_for(client, store))
}

pub async fn view(state: &AppState, token: &str, lang: Option<&str>) -> Result<TrackingView, AppError> {
    let r = load(state, token).await?;
    let language = page_language(lang, &r.client_language, &r.default_language);
    let tz = time::zone(&r.time_zone);
    let now = state.clock.now();
    let booking = r.booking_state();
    let refusal = |action| {
        booking
            .check(action, now)
            .err()
            .map(|x| x.message(language.code(), r.client_cutoff_hours))
    };
    let status = booking.status;
    Ok(TrackingView {
        lang: language.code().into(),
        when: human_date(language, tz, r.starts_at),
        previous_when: r
            .previous_starts_at
            .filter(|p| status == AppointmentStatus::PendingClientApproval && *p != r.starts_at)
            .map(|p| human_date(language, tz, p)),
        can_modify: refusal(ClientAction::Modify).is_none(),
        can_cancel: refusal(ClientAction::Cancel).is_none(),
        can_confirm: refusal(ClientAction::Confirm).is_none(),
        modify_refusal: refusal(ClientAction::Modify),
        cancel_refusal: refusal(ClientAction::Cancel),
        confirm_refusal: refusal(ClientAction::Confirm),
        local_date: time::local_date(tz, r.starts_at).format("%Y-%m-%d").to_string(),
        status,
        no_show: booking.no_show,
        completed: r.completed,
        store_name: r.store_name,
        address: r.address,
        service: r.service,
        associate_name: r.associate_name,
        cancel_reason: r.cancel_reason,
        client_name: r.client_name,
        store_slug: r.store_slug,
    })
}

/// Free times on `date` for the same service and associate, the booking's own time left out of the way.
pub async fn free_times(state: &AppState, token: &str, date: &str) -> Result<Vec<Slot>, AppError> {
    let r = load(state, token).await?;
    let date = super::booking::parse_date(date)?;
    let mut conn = state.db.read.acquire().await?;
    let store: StoreRow = super::booking::store_by_id(&mut conn, r.store_id).await?;
    let tz = store.tz();
    let (from, to) = (time::local_instant(tz, date, 0), time::local_instant(tz, date, 24 * 60));
    let cal = Calendar::load_excluding(&mut conn, &store, from, to, Some(r.id)).await?;
    let duration_min = (r.ends_at - r.starts_at) / 60;
    Ok(cal
        .day(date, duration_min, state.clock.now())
        .free_starts(r.associate_id)
        .into_iter()
        .filter(|t| *t != r.starts_at)
        .map(|t| Slot {
            starts_at: t,
            label: time::clock_time(tz, t),
        })
        .collect())
}

/// The booking as an `.ics` file for the client's calendar.
pub async fn calendar_file(state: &AppState, token: &str) -> Result<String, AppError> {
    let r = load(state, token).await?;
    let url = tracking::url(&state.config.public_url, token);
    let summary = format!("{} — {}", r.service, r.store_name);
    let description = match &r.associate_name {
        Some(a) => format!("{} with {a}\n{url}", r.service),
        None => format!("{}\n{url}", r.service),
    };
    Ok(super::ics::render(&super::ics::CalendarEvent {
        uid: &format!("appointment-{}@frontdesk", r.id),
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        summary: &summary,
        location: &r.address,
        description: &description,
        url: &url,
        sequence: r.version,
        cancelled: r.status == AppointmentStatus::Cancelled.as_str(),
        now: state.clock.now(),
    }))
}
