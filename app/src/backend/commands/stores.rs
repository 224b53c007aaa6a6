//! Setup → Stores (admins): create a store, edit its profile, its opening
//! hours (several intervals a day) and its closures.

use crate::backend::store::{self, stores::NewStore};
use crate::backend::AppState;
use crate::domain::hours::{parse_week, WeekForm};
use crate::domain::ids::StoreId;
use crate::domain::money::Currency;
use crate::domain::parse::{PersonName, StoreSlug, TimeZoneName};
use crate::domain::staff::ApprovalMode;
use crate::domain::video::MeetingTemplate;
use crate::error::{AppError, FieldError};
use crate::i18n::Language;
use crate::model::{Me, StoreProfileForm};
use crate::rules::access::Action;
use chrono::NaiveDate;

/// A profile, parsed: every field's problem at once.
struct Profile {
    name: String,
    slug: StoreSlug,
    address: String,
    phone: String,
    time_zone: TimeZoneName,
    language: Language,
    currency: Currency,
    slot_minutes: i64,
    horizon_days: i64,
    min_notice_minutes: i64,
    video: MeetingTemplate,
}

fn short_text(errors: &mut Vec<FieldError>, field: &str, raw: &str, max: usize) -> String {
    let s = raw.trim();
    if s.chars().count() > max || s.chars().any(|c| c.is_control()) {
        errors.push(FieldError {
            field: field.into(),
            message: format!("Use at most {max} characters, on one line."),
        });
    }
    s.to_string()
}

fn parse_profile(f: &StoreProfileForm) -> Result<Profile, AppError> {
    let mut errors = Vec::new();
    let err = |errors: &mut Vec<FieldError>, field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    let name = PersonName::parse(&f.name)
        .map_err(|_| err(&mut errors, "name", "Please name the store.".into()))
        .ok();
    let slug = StoreSlug::parse(&f.slug).map_err(|m| err(&mut errors, "slug", m)).ok();
    let address = short_text(&mut errors, "address", &f.address, 200);
    let phone = short_text(&mut errors, "phone", &f.phone, 40);
    let time_zone = TimeZoneName::parse(&f.time_zone).map_err(|m| err(&mut errors, "time_zone", m)).ok();
    let language = Language::parse(&f.default_language)
        .map_err(|m| err(&mut errors, "default_language", m))
        .ok();
    let currency = Currency::parse(f.currency.trim()).ok_or_else(|| {
        let offered: Vec<&str> = Currency::ALL.iter().map(|c| c.as_str()).collect();
        err(
            &mut errors,
            "currency",
            format!("Choose one of the currencies offered: {}.", offered.join(", ")),
        )
    });
    if ![5, 10, 15, 20, 30, 60].contains(&f.slot_minutes) {
        err(
            &mut errors,
            "slot_minutes",
            "Offer a time every 5, 10, 15, 20, 30 or 60 minutes.".into(),
        );
    }
    if !(1..=730).contains(&f.horizon_days) {
        err(&mut errors, "horizon_days", "Choose between 1 and 730 days.".into());
    }
    if !(0..=30 * 24 * 60).contains(&f.min_notice_minutes) {
        err(&mut errors, "min_notice_minutes", "Choose between 0 minutes and 30 days.".into());
    }
    let video = MeetingTemplate::parse(&f.video_url_template)
        .map_err(|m| err(&mut errors, "video_url_template", m))
        .unwrap_or_default();
    match (name, slug, time_zone, language, currency) {
        (Some(name), Some(slug), Some(time_zone), Some(language), Ok(currency)) if errors.is_empty() => Ok(Profile {
            name: name.as_str().into(),
            slug,
            address,
            phone,
            time_zone,
            language,
            currency,
            slot_minutes: f.slot_minutes,
            horizon_days: f.horizon_days,
            min_notice_minutes: f.min_notice_minutes,
            video,
        }),
        _ => Err(AppError::invalid(errors)),
    }
}

fn slug_taken() -> AppError {
    AppError::field("slug", "Another store already uses this address; choose another.")
}

/// Creates a store (`id: None`) or saves its profile; returns its id. The
/// admin who creates a store manages it, so it has a manager from the start.
pub async fn save_profile(state: &AppState, me: &Me, f: StoreProfileForm) -> Result<StoreId, AppError> {
    super::allow(me, Action::Stores, "No such store.")?;
    let p = parse_profile(&f)?;
    let now = state.clock.now();
    let me_id = me.id;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if let Some(other) = store::stores::by_slug(tx.conn(), p.slug.as_str()).await? {
                    if Some(other.id) != f.id {
                        return Err(slug_taken());
                    }
                }
                let profile = store::stores::Profile {
                    name: &p.name,
                    slug: p.slug.as_str(),
                    address: &p.address,
                    phone: &p.phone,
                    time_zone: p.time_zone.as_str(),
                    default_language: p.language,
                    currency: p.currency,
                    slot_minutes: p.slot_minutes,
                    horizon_days: p.horizon_days,
                    min_notice_minutes: p.min_notice_minutes,
                    video_url_template: p.video.as_str(),
                };
                match f.id {
                    Some(id) => {
                        if !store::stores::update_profile(tx, id, &profile).await? {
                            return Err(AppError::NotFound("No such store.".into()));
                        }
                        Ok(id)
                    }
                    None => {
                        let new = NewStore {
                            slug: profile.slug,
                            name: profile.name,
                            time_zone: profile.time_zone,
                            address: profile.address,
                            default_language: profile.default_language,
                            slot_minutes: profile.slot_minutes,
                            approval_mode: ApprovalMode::Manual,
                            // Closed until its hours are set: nothing is offered by accident.
                            hours: &Default::default(),
                        };
                        let id = store::stores::insert(tx, new, now).await?;
                        store::stores::update_profile(tx, id, &profile).await?;
                        store::staff::add_member(tx, id, me_id, crate::domain::staff::StoreRole::Manager).await?;
                        Ok(id)
                    }
                }
            })
        })
        .await
}

pub async fn save_hours(state: &AppState, me: &Me, store_id: StoreId, week: WeekForm) -> Result<(), AppError> {
    super::allow(me, Action::Stores, "No such store.")?;
    let week = parse_week(&week).map_err(|m| AppError::field("hours", m))?;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if !store::stores::exists(tx.conn(), store_id).await? {
                    return Err(AppError::NotFound("No such store.".into()));
                }
                store::stores::set_hours(tx, store_id, &week).await
            })
        })
        .await
}

/// Two dates of a range, as the forms send them; the last may be empty (one day).
pub fn parse_range(first: &str, last: &str) -> Result<(NaiveDate, NaiveDate), AppError> {
    let date =
        |raw: &str, field: &str| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| AppError::field(field, "Choose a date."));
    let first_day = date(first, "first_day")?;
    let last_day = if last.trim().is_empty() {
        first_day
    } else {
        date(last, "last_day")?
    };
    if last_day < first_day {
        return Err(AppError::field("last_day", "The last day comes before the first."));
    }
    if (last_day - first_day).num_days() > 366 || first_day.year_ce().1 > 9000 {
        return Err(AppError::field("last_day", "Choose a range of at most a year."));
    }
    Ok((first_day, last_day))
}

use chrono::Datelike;

pub async fn add_closure(
    state: &AppState,
    me: &Me,
    store_id: StoreId,
    first: String,
    last: String,
    reason: String,
) -> Result<i64, AppError> {
    super::allow(me, Action::Stores, "No such store.")?;
    let (first_day, last_day) = parse_range(&first, &last)?;
    let mut errors = Vec::new();
    let reason = short_text(&mut errors, "reason", &reason, 200);
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if !store::stores::exists(tx.conn(), store_id).await? {
                    return Err(AppError::NotFound("No such store.".into()));
                }
                store::stores::add_closure(tx, store_id, first_day, last_day, &reason).await
            })
        })
        .await
}

pub async fn remove_closure(state: &AppState, me: &Me, store_id: StoreId, closure: i64) -> Result<(), AppError> {
    super::allow(me, Action::Stores, "No such store.")?;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                if store::stores::remove_closure(tx, store_id, closure).await? {
                    Ok(())
                } else {
                    Err(AppError::NotFound("No such closure.".into()))
                }
            })
        })
        .await
}
