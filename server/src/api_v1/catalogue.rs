//! What a store offers, for integrators: its stores, their services (read,
//! create, update), their staff, and the free start times of a service on a
//! day, from the same computation the booking page uses.

use super::{ApiError, ApiResult, Body, Caller, Failure, Q};
use app::backend::commands::services as service_commands;
use app::backend::store;
use app::backend::views::{booking, setup};
use app::backend::AppState;
use app::domain::ids::{ServiceId, StaffId, StoreId};
use app::domain::staff::StoreRole;
use app::domain::time::UnixTime;
use app::error::AppError;
use app::model::{ServiceForm, StoreProfileForm};
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::{request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// A store as integrators see it.
#[derive(Serialize, ToSchema)]
pub struct Store {
    id: StoreId,
    /// The public booking page is `/book/{slug}`.
    slug: String,
    name: String,
    address: String,
    phone: String,
    /// IANA name, e.g. Europe/London: every local time of the store is in it.
    time_zone: String,
    /// Language code of clients with no preference, e.g. en; services are named in it.
    default_language: String,
    /// ISO 4217 code of the currency its prices are in, e.g. GBP.
    currency: String,
    /// Start times are offered every this many minutes.
    slot_minutes: i64,
    /// Clients may book this many days ahead.
    horizon_days: i64,
    /// The least notice a booking needs, in minutes.
    min_notice_minutes: i64,
}

impl From<StoreProfileForm> for Store {
    fn from(p: StoreProfileForm) -> Self {
        Store {
            id: p.id.unwrap_or_default(),
            slug: p.slug,
            name: p.name,
            address: p.address,
            phone: p.phone,
            time_zone: p.time_zone,
            default_language: p.default_language,
            currency: p.currency,
            slot_minutes: p.slot_minutes,
            horizon_days: p.horizon_days,
            min_notice_minutes: p.min_notice_minutes,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Service {
    #[serde(default)]
    id: ServiceId,
    /// In the store's default language.
    name: String,
    /// Its name in other languages, by language code (e.g. {"fr": "Coupe"});
    /// a language left out reads `name`. Replaced as a whole on update.
    #[serde(default)]
    translations: BTreeMap<String, String>,
    duration_min: i64,
    /// In hundredths of the store's currency (cents, pence); 0 is free.
    #[serde(default)]
    price_cents: i64,
    /// Kept free before and after each appointment, in minutes.
    #[serde(default)]
    buffer_before_min: i64,
    #[serde(default)]
    buffer_after_min: i64,
    /// Offered on the public booking page (otherwise staff and the API only).
    #[serde(default = "yes")]
    bookable_online: bool,
    /// Offered at all.
    #[serde(default = "yes")]
    active: bool,
    /// Associates who perform it; empty: every associate of the store.
    #[serde(default)]
    performers: Vec<StaffId>,
    /// Held by video, at the store's meeting link.
    #[serde(default)]
    video: bool,
}

fn yes() -> bool {
    true
}

impl From<ServiceForm> for Service {
    fn from(s: ServiceForm) -> Self {
        Service {
            id: s.id.unwrap_or_default(),
            name: s.name,
            translations: s.translations,
            duration_min: s.duration_min,
            price_cents: s.price_cents,
            buffer_before_min: s.buffer_before_min,
            buffer_after_min: s.buffer_after_min,
            bookable_online: s.bookable_online,
            active: s.active,
            performers: s.performers,
            video: s.video,
        }
    }
}

impl Service {
    fn form(self, store_id: StoreId, id: Option<ServiceId>) -> ServiceForm {
        ServiceForm {
            id,
            store_id,
            name: self.name,
            translations: self.translations,
            duration_min: self.duration_min,
            price_cents: self.price_cents,
            buffer_before_min: self.buffer_before_min,
            buffer_after_min: self.buffer_after_min,
            bookable_online: self.bookable_online,
            active: self.active,
            performers: self.performers,
            video: self.video,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StaffMember {
    id: StaffId,
    name: String,
    /// manager or associate
    role: StoreRole,
}

#[derive(Serialize, ToSchema)]
pub struct FreeTime {
    /// Unix seconds, UTC.
    starts_at: UnixTime,
    /// The store-local time, e.g. 09:30.
    label: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    service_id: ServiceId,
    /// The store-local date, YYYY-MM-DD.
    date: String,
    /// A given associate; none: anyone who performs the service.
    associate_id: Option<StaffId>,
}

/// Two ids in the path: the store's and one of its things'.
pub struct StoreAnd(i64, i64);

impl<S: Send + Sync> FromRequestParts<S> for StoreAnd {
    type Rejection = Failure;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        Path::<(i64, i64)>::from_request_parts(parts, state)
            .await
            .map(|Path((a, b))| StoreAnd(a, b))
            .map_err(|e: PathRejection| {
                Failure::bad(
                    "bad_request",
                    format!("The ids in the path must be whole numbers ({})", e.body_text()),
                    None,
                )
            })
    }
}

fn no_store() -> Failure {
    AppError::NotFound("No such store.".into()).into()
}

#[utoipa::path(get, path = "/api/v1/stores", tag = "catalogue",
    responses((status = 200, body = [Store]), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn list_stores(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<Vec<Store>>> {
    Ok(Json(setup::stores(&state, &me).await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/stores/{id}/services", tag = "catalogue", params(("id" = i64, Path)),
    responses((status = 200, body = [Service]), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn list_services(State(state): State<AppState>, Caller(me): Caller, super::Id(id): super::Id) -> ApiResult<Json<Vec<Service>>> {
    let catalogue = setup::services(&state, &me, StoreId(id)).await?;
    Ok(Json(catalogue.services.into_iter().map(Into::into).collect()))
}

async fn one_service(state: &AppState, me: &app::model::Me, store: StoreId, id: ServiceId) -> ApiResult<Service> {
    setup::services(state, me, store)
        .await?
        .services
        .into_iter()
        .find(|s| s.id == Some(id))
        .map(Into::into)
        .ok_or_else(|| AppError::NotFound("No such service.".into()).into())
}

#[utoipa::path(post, path = "/api/v1/stores/{id}/services", tag = "catalogue", params(("id" = i64, Path)), request_body = Service,
    responses((status = 201, body = Service), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_service(
    State(state): State<AppState>,
    Caller(me): Caller,
    super::Id(id): super::Id,
    Body(b): Body<Service>,
) -> ApiResult<Response> {
    let store = StoreId(id);
    let created = service_commands::save(&state, &me, b.form(store, None)).await?;
    Ok((StatusCode::CREATED, Json(one_service(&state, &me, store, created).await?)).into_response())
}

#[utoipa::path(put, path = "/api/v1/stores/{id}/services/{service_id}", tag = "catalogue",
    params(("id" = i64, Path), ("service_id" = i64, Path)), request_body = Service,
    responses((status = 200, body = Service), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_service(
    State(state): State<AppState>,
    Caller(me): Caller,
    StoreAnd(store, service): StoreAnd,
    Body(b): Body<Service>,
) -> ApiResult<Json<Service>> {
    let (store, service) = (StoreId(store), ServiceId(service));
    service_commands::save(&state, &me, b.form(store, Some(service))).await?;
    Ok(Json(one_service(&state, &me, store, service).await?))
}

#[utoipa::path(get, path = "/api/v1/stores/{id}/staff", tag = "catalogue", params(("id" = i64, Path)),
    responses((status = 200, body = [StaffMember]), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn list_staff(State(state): State<AppState>, Caller(me): Caller, super::Id(id): super::Id) -> ApiResult<Json<Vec<StaffMember>>> {
    let store_id = StoreId(id);
    app::backend::commands::allow(&me, app::rules::access::Action::Services { store: store_id }, "No such store.")?;
    let mut conn = state.db.reader().await?;
    if !store::stores::exists(&mut conn, store_id).await? {
        return Err(no_store());
    }
    let mut out = Vec::new();
    for role in [StoreRole::Manager, StoreRole::Associate] {
        for (id, name) in store::staff::with_role(&mut conn, store_id, role).await? {
            out.push(StaffMember { id, name, role });
        }
    }
    Ok(Json(out))
}

#[utoipa::path(get, path = "/api/v1/stores/{id}/availability", tag = "catalogue", params(("id" = i64, Path), AvailabilityQuery),
    responses((status = 200, body = [FreeTime]), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn availability(
    State(state): State<AppState>,
    Caller(me): Caller,
    super::Id(id): super::Id,
    Q(q): Q<AvailabilityQuery>,
) -> ApiResult<Json<Vec<FreeTime>>> {
    let store_id = StoreId(id);
    app::backend::commands::allow(&me, app::rules::access::Action::Services { store: store_id }, "No such store.")?;
    let date = booking::parse_date(&q.date)?;
    let mut conn = state.db.reader().await?;
    let store = store::stores::by_id(&mut conn, store_id).await?.ok_or_else(no_store)?;
    // Only dates clients could book are asked about (which also keeps the
    // date arithmetic far from the calendar's ends).
    let today = app::backend::time::local_date(app::backend::time::zone(&store.time_zone), state.clock.now());
    let days = (date - today).num_days();
    if !(-1..=store.horizon_days + 1).contains(&days) {
        return Err(AppError::field("date", format!("Choose a date from today to {} days ahead.", store.horizon_days)).into());
    }
    let service = store::services::active_one(&mut conn, store_id, q.service_id)
        .await?
        .ok_or_else(|| Failure::from(AppError::field("service_id", "No such active service in this store.")))?;
    let times = booking::free_starts(&mut conn, &store, &service, date, q.associate_id, state.clock.now()).await?;
    Ok(Json(
        times
            .into_iter()
            .map(|s| FreeTime {
                starts_at: s.starts_at,
                label: s.label,
            })
            .collect(),
    ))
}
