//! The read side of Setup: a store's profile, hours and closures; its
//! services; a person's schedule.

use crate::backend::store::{self, stores::StoreRow};
use crate::backend::{time, AppState};
use crate::domain::hours::week_form;
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::staff::StoreRole;
use crate::error::AppError;
use crate::i18n::Language;
use crate::model::{
    AssociateInfo, ClosureView, Me, ScheduleView, ServiceCatalogue, ServiceForm, StoreProfileForm, StoreSetup, TimeOffView,
};
use crate::rules::access::Action;

fn no_store() -> AppError {
    AppError::NotFound("No such store.".into())
}

fn profile(s: &StoreRow) -> StoreProfileForm {
    StoreProfileForm {
        id: Some(s.id),
        name: s.name.clone(),
        slug: s.slug.clone(),
        address: s.address.clone(),
        phone: s.phone.clone(),
        time_zone: s.time_zone.clone(),
        default_language: s.default_language.code().into(),
        currency: s.currency.as_str().into(),
        slot_minutes: s.slot_minutes,
        horizon_days: s.horizon_days,
        min_notice_minutes: s.min_notice_minutes,
        video_url_template: s.video_url_template.clone(),
    }
}

/// Every store, for the admin's list.
pub async fn stores(state: &AppState, me: &Me) -> Result<Vec<StoreProfileForm>, AppError> {
    crate::backend::commands::allow(me, Action::Stores, "No such store.")?;
    Ok(store::stores::all(&mut *state.db.reader().await?)
        .await?
        .iter()
        .map(profile)
        .collect())
}

pub async fn store(state: &AppState, me: &Me, id: StoreId) -> Result<StoreSetup, AppError> {
    crate::backend::commands::allow(me, Action::Stores, "No such store.")?;
    let mut conn = state.db.reader().await?;
    let s = store::stores::by_id(&mut conn, id).await?.ok_or_else(no_store)?;
    let today = time::local_date(time::zone(&s.time_zone), state.clock.now());
    let closures = store::stores::closures(&mut conn, id, today)
        .await?
        .into_iter()
        .map(|c| ClosureView {
            id: c.id,
            first_day: c.first_day.to_string(),
            last_day: c.last_day.to_string(),
            reason: c.reason,
        })
        .collect();
    let hours = week_form(&store::stores::hours(&mut conn, id).await?);
    drop(conn);
    Ok(StoreSetup {
        profile: profile(&s),
        hours,
        closures,
        payments: super::payments::account(state, me, id).await?,
    })
}

pub async fn services(state: &AppState, me: &Me, store_id: StoreId) -> Result<ServiceCatalogue, AppError> {
    crate::backend::commands::allow(me, Action::Services { store: store_id }, "No such store.")?;
    let mut conn = state.db.reader().await?;
    let shop = store::stores::by_id(&mut conn, store_id).await?.ok_or_else(no_store)?;
    let mut languages = vec![shop.default_language];
    languages.extend(Language::all().into_iter().filter(|l| *l != shop.default_language));
    let mut services = Vec::new();
    for s in store::services::all(&mut conn, store_id).await? {
        let performers = store::services::performers(&mut conn, s.id).await?;
        services.push(ServiceForm {
            id: Some(s.id),
            store_id,
            translations: s.translations.0.iter().map(|(l, n)| (l.code().to_string(), n.clone())).collect(),
            name: s.name,
            duration_min: s.duration_min,
            price_cents: s.price_cents,
            buffer_before_min: s.buffer_before_min,
            buffer_after_min: s.buffer_after_min,
            bookable_online: s.bookable_online,
            active: s.active,
            performers,
            video: s.video,
        });
    }
    let associates = store::staff::with_role(&mut conn, store_id, StoreRole::Associate)
        .await?
        .into_iter()
        .map(|(id, name)| AssociateInfo { id, name })
        .collect();
    Ok(ServiceCatalogue {
        services,
        associates,
        currency: shop.currency,
        languages,
    })
}

pub async fn schedule(state: &AppState, me: &Me, store_id: StoreId, person: StaffId) -> Result<ScheduleView, AppError> {
    crate::backend::commands::allow(me, Action::Schedule { store: store_id, person }, "No such person in this store.")?;
    let mut conn = state.db.reader().await?;
    let staff_name = store::staff::associate_name(&mut conn, store_id, person)
        .await?
        .ok_or_else(|| AppError::NotFound("No such person in this store.".into()))?;
    let s = store::stores::by_id(&mut conn, store_id).await?.ok_or_else(no_store)?;
    let today = time::local_date(time::zone(&s.time_zone), state.clock.now());
    let time_off = store::schedules::time_off(&mut conn, &[person], today)
        .await?
        .into_iter()
        .map(|t| TimeOffView {
            id: t.id,
            first_day: t.first_day.to_string(),
            last_day: t.last_day.to_string(),
            reason: t.reason,
        })
        .collect();
    Ok(ScheduleView {
        staff_id: person,
        staff_name,
        store_id,
        own_hours: store::schedules::working_hours(&mut conn, person, store_id)
            .await?
            .map(|w| week_form(&w)),
        store_hours: week_form(&store::stores::hours(&mut conn, store_id).await?),
        time_off,
    })
}
