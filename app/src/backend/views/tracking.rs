//! What the client's tracking page reads: the booking in the client's
//! language, the actions its rules allow, free times to move to, and the
//! calendar file. The actions themselves are in `change` (`client_*`).

use crate::backend::availability::{Calendar, Need};
use crate::backend::channels::client_messages::templates::human_date;
use crate::backend::store::appointments::TrackingRow;
use crate::backend::store::attendees::GuestLink;
use crate::backend::store::{self, Conn};
use crate::backend::{ics, time, tracking, AppState};
use crate::domain::appointment::{AppointmentStatus, Presence};
use crate::domain::time::Seconds;
use crate::error::AppError;
use crate::i18n::Language;
use crate::model::{GuestView, Slot, TrackingView};
use crate::rules::client::{BookingState, ClientAction};

use tracking::invalid_link as not_found;

async fn load(conn: &mut Conn, token: &str) -> Result<TrackingRow, AppError> {
    let id = tracking::find(conn, token).await?.ok_or_else(not_found)?;
    store::appointments::tracking_row(conn, id).await?.ok_or_else(not_found)
}

/// The booking behind a client's link, or behind an attendee's (with who they are).
async fn load_any(conn: &mut Conn, token: &str) -> Result<(TrackingRow, Option<GuestLink>), AppError> {
    let (id, guest) = match tracking::find(conn, token).await? {
        Some(id) => (id, None),
        None => {
            let guest = tracking::find_guest(conn, token).await?.ok_or_else(not_found)?;
            (guest.appointment_id, Some(guest))
        }
    };
    let row = store::appointments::tracking_row(conn, id).await?.ok_or_else(not_found)?;
    Ok((row, guest))
}

fn booking_state(r: &TrackingRow) -> BookingState {
    BookingState {
        status: r.status,
        presence: r.presence,
        completed: r.completed,
        starts_at: r.starts_at,
        cutoff_hours: r.client_cutoff_hours,
        held: r.held_until.is_some(),
    }
}

/// `lang` (from the link) wins when it is one we write; else the client's.
fn page_language(lang: Option<&str>, client: Language) -> Language {
    lang.and_then(|l| Language::parse(l).ok()).unwrap_or(client)
}

pub async fn view(state: &AppState, token: &str, lang: Option<&str>) -> Result<TrackingView, AppError> {
    let mut conn = state.db.reader().await?;
    let (r, guest) = load_any(&mut conn, token).await?;
    let payments = match guest {
        Some(_) => vec![],
        None => super::payments::for_client(&mut conn, r.id).await?,
    };
    let video_url = store::appointments::audiences(&mut conn, &[r.id])
        .await?
        .get(&r.id)
        .and_then(|a| a.video_url(|| state.tracking.video_room(r.id), crate::domain::video::Role::Guest));
    drop(conn);
    let language = page_language(lang, r.client_language);
    let tz = time::zone(&r.time_zone);
    let now = state.clock.now();
    let booking = booking_state(&r);
    // An attendee's link offers none of the client's actions (and says no
    // more about why than that they are not theirs to take).
    let offered = |action| guest.is_none() && booking.check(action, now).is_ok();
    let refusal = |action| match guest {
        Some(_) => None,
        None => booking
            .check(action, now)
            .err()
            .map(|x| x.message(language.code(), r.client_cutoff_hours)),
    };
    let status = booking.status;
    Ok(TrackingView {
        lang: language.code().into(),
        link: crate::backend::tracking::url(&state.config.public_url, token),
        when: human_date(language, tz, r.starts_at.secs()),
        previous_when: r
            .previous_starts_at
            .filter(|p| status == AppointmentStatus::PendingClientApproval && *p != r.starts_at)
            .map(|p| human_date(language, tz, p.secs())),
        can_modify: offered(ClientAction::Modify),
        can_cancel: offered(ClientAction::Cancel),
        can_confirm: offered(ClientAction::Confirm),
        modify_refusal: refusal(ClientAction::Modify),
        cancel_refusal: refusal(ClientAction::Cancel),
        confirm_refusal: refusal(ClientAction::Confirm),
        local_date: time::iso_date(tz, r.starts_at),
        status,
        no_show: booking.presence == Presence::NoShow,
        completed: r.completed,
        store_name: r.store_name,
        address: r.address,
        service: r.service_translations.0.get(&language).cloned().unwrap_or(r.service),
        associate_name: r.associate_name,
        cancel_reason: r.cancel_reason,
        client_name: r.client_name,
        store_slug: r.store_slug,
        guest: guest.map(|g| GuestView {
            name: g.name,
            left: g.left_at.is_some(),
        }),
        held_until: r
            .held_until
            .filter(|_| status != AppointmentStatus::Cancelled)
            .map(|t| human_date(language, tz, t.secs())),
        payments,
        video_url,
    })
}

/// Free times on `date` for the same service and associate, the booking's own time left out of the way.
pub async fn free_times(state: &AppState, token: &str, date: &str) -> Result<Vec<Slot>, AppError> {
    let mut conn = state.db.reader().await?;
    let r = load(&mut conn, token).await?;
    let date = super::booking::parse_date(date)?;
    let store = store::stores::by_id(&mut conn, r.store_id).await?.ok_or(AppError::Internal)?;
    let tz = time::zone(&store.time_zone);
    let (from, to) = time::day_bounds(tz, date);
    let need = Need::of_appointment(&mut conn, r.service_id, r.ends_at - r.starts_at).await?;
    let reach = Seconds::hours(4); // buffers of neighbouring appointments
    let cal = Calendar::load(&mut conn, &store, from - reach, to + reach, Some(r.id)).await?;
    Ok(cal
        .day(date, &need, state.clock.now())
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
    let (r, _) = load_any(&mut *state.db.reader().await?, token).await?;
    let url = tracking::url(&state.config.public_url, token);
    let summary = format!("{} — {}", r.service, r.store_name);
    let description = match &r.associate_name {
        Some(a) => format!("{} with {a}\n{url}", r.service),
        None => format!("{}\n{url}", r.service),
    };
    Ok(ics::render(&ics::CalendarEvent {
        uid: &format!("appointment-{}@frontdesk", r.id),
        starts_at: r.starts_at.secs(),
        ends_at: r.ends_at.secs(),
        summary: &summary,
        location: &r.address,
        description: &description,
        url: &url,
        sequence: r.version,
        cancelled: r.status == AppointmentStatus::Cancelled,
        now: state.clock.now().secs(),
    }))
}

/// An image format a tracking link's QR code is served in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrFormat {
    Svg,
    Png,
}

/// The QR code of a client's or an attendee's link, once the link is known to be live.
pub async fn qr_code(state: &AppState, token: &str, format: QrFormat) -> Result<Vec<u8>, AppError> {
    load_any(&mut *state.db.reader().await?, token).await?;
    let url = tracking::url(&state.config.public_url, token);
    match format {
        QrFormat::Svg => crate::backend::qr::svg(&url).map(String::into_bytes),
        QrFormat::Png => crate::backend::qr::png(&url),
    }
}
