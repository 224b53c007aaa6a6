//! The integration REST API, `/api/v1`, for outside tools. Authenticated by
//! admin-created API keys (`Authorization: Bearer fdk_…`). Every change goes
//! through the same domain code and event log as the staff app, so
//! notifications, client messages and webhooks follow the same rules.
//! The OpenAPI 3.1 document at `/api/openapi.json` is generated from the
//! annotations on these handlers and the types they take and give.

use app::backend::channels::webhooks::endpoints;
use app::backend::commands::change;
use app::backend::store::appointments::Filter;
use app::backend::views::appointments as views;
use app::backend::{api_keys, AppState};
use app::domain::appointment::{AppointmentStatus, ClientCommunication, Presence, Source};
use app::domain::ids::{AppointmentId, ClientId, DeliveryId, EndpointId, ServiceId, StaffId, StoreId};
use app::domain::time::UnixTime;
use app::error::AppError;
use app::model::{
    AppointmentUpdate, AppointmentView, AttemptView, DeliveryView, EndpointInput, EndpointView, Me, NewAppointment, OAuthInput,
};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

mod catalogue;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Frontdesk integration API",
        version = "1",
        description = "Stores, services, staff and free times; appointments; and webhook endpoints for outside tools. Authenticate with an API key an administrator created: `Authorization: Bearer fdk_…`. Errors are JSON: `{\"error\": {\"code\", \"message\", \"fields\"}}`; `fields` names each bad field."
    ),
    paths(
        list_appointments, get_appointment, create_appointment, update_appointment, cancel_appointment,
        list_endpoints, create_endpoint, get_endpoint, update_endpoint, delete_endpoint, rotate_secret, test_endpoint,
        list_deliveries, resend_delivery, replay_failed,
        catalogue::list_stores, catalogue::list_services, catalogue::create_service, catalogue::update_service,
        catalogue::list_staff, catalogue::availability
    ),
    components(schemas(ApiError, ErrorBody, FieldProblem, Appointment, AppointmentPage, NewAppointmentBody, AppointmentPatch, CancelBody,
        EndpointInput, OAuthInput, EndpointView, DeliveryView, AttemptView, TestSent, ReplayBody, Replayed,
        catalogue::Store, catalogue::Service, catalogue::StaffMember, catalogue::FreeTime)),
    modifiers(&BearerKey),
    tags((name = "appointments"), (name = "catalogue"), (name = "webhooks"))
)]
pub struct ApiDoc;

struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("api_key", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        openapi.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
            "api_key",
            Vec::<String>::new(),
        )]);
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/v1/appointments", get(list_appointments).post(create_appointment))
        .route("/api/v1/appointments/{id}", get(get_appointment).patch(update_appointment))
        .route("/api/v1/appointments/{id}/cancel", post(cancel_appointment))
        .route("/api/v1/webhooks/endpoints", get(list_endpoints).post(create_endpoint))
        .route(
            "/api/v1/webhooks/endpoints/{id}",
            get(get_endpoint).put(update_endpoint).delete(delete_endpoint),
        )
        .route("/api/v1/webhooks/endpoints/{id}/rotate-secret", post(rotate_secret))
        .route("/api/v1/webhooks/endpoints/{id}/test", post(test_endpoint))
        .route("/api/v1/webhooks/endpoints/{id}/deliveries", get(list_deliveries))
        .route("/api/v1/webhooks/endpoints/{id}/replay", post(replay_failed))
        .route("/api/v1/webhooks/deliveries/{id}/resend", post(resend_delivery))
        .route("/api/v1/stores", get(catalogue::list_stores))
        .route(
            "/api/v1/stores/{id}/services",
            get(catalogue::list_services).post(catalogue::create_service),
        )
        .route("/api/v1/stores/{id}/services/{service_id}", put(catalogue::update_service))
        .route("/api/v1/stores/{id}/staff", get(catalogue::list_staff))
        .route("/api/v1/stores/{id}/availability", get(catalogue::availability))
}

async fn openapi_json() -> Response {
    ([(header::CACHE_CONTROL, "no-cache")], Json(ApiDoc::openapi())).into_response()
}

// ---------------------------------------------------------------- errors

/// Every error: a JSON body naming what was wrong.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    error: ErrorBody,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// invalid, bad_request, unauthorized, forbidden, not_found, conflict, slot_taken or internal
    code: String,
    message: String,
    /// For `invalid`: each bad field and what is wrong with it.
    fields: Vec<FieldProblem>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    field: String,
    message: String,
}

pub struct Failure(StatusCode, ApiError);

impl Failure {
    fn bad(code: &str, message: String, field: Option<&str>) -> Self {
        let status = if code == "invalid" {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::BAD_REQUEST
        };
        Failure(
            status,
            ApiError {
                error: ErrorBody {
                    code: code.into(),
                    fields: field
                        .map(|f| {
                            vec![FieldProblem {
                                field: f.into(),
                                message: message.clone(),
                            }]
                        })
                        .unwrap_or_default(),
                    message,
                },
            },
        )
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let code = match &e {
            AppError::Invalid { .. } => "invalid",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::SlotTaken => "slot_taken",
            _ => "internal",
        };
        let fields = match &e {
            AppError::Invalid { fields, .. } => fields
                .iter()
                .map(|f| FieldProblem {
                    field: body_field(&f.field).to_string(),
                    message: f.message.clone(),
                })
                .collect(),
            _ => vec![],
        };
        Failure(
            status,
            ApiError {
                error: ErrorBody {
                    code: code.into(),
                    message: e.to_string(),
                    fields,
                },
            },
        )
    }
}

/// The domain names fields as the staff forms do; the API's bodies say `*_id` and `starts_at`.
fn body_field(domain: &str) -> &str {
    match domain {
        "service" => "service_id",
        "associate" => "associate_id",
        "slot" => "starts_at",
        other => other,
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut res = (self.0, Json(self.1)).into_response();
        if self.0 == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        res
    }
}

type ApiResult<T> = Result<T, Failure>;

/// JSON bodies whose rejections are our JSON errors, not axum's plain text.
pub struct Body<T>(T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Failure;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Failure> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(Failure::bad("invalid", e.body_text(), Some("body"))),
            Err(e) => Err(Failure::bad("bad_request", e.body_text(), None)),
        }
    }
}

/// Query strings, likewise.
pub struct Q<T>(T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for Q<T> {
    type Rejection = Failure;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Q(v))
            .map_err(|e: QueryRejection| Failure::bad("bad_request", e.body_text(), None))
    }
}

/// A numeric id in the path.
pub struct Id(i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Failure;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| Id(id))
            .map_err(|e: PathRejection| {
                Failure::bad(
                    "bad_request",
                    format!("The id in the path must be a whole number ({})", e.body_text()),
                    None,
                )
            })
    }
}

/// The admin the request's API key acts as.
pub struct Caller(Me);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Failure;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        let auth = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        Ok(Caller(api_keys::authenticate(state, auth).await?))
    }
}

// ---------------------------------------------------------------- appointments

/// An appointment as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct Appointment {
    id: AppointmentId,
    store_id: StoreId,
    store_name: String,
    client_id: ClientId,
    client_name: String,
    client_email: Option<String>,
    client_mobile: Option<String>,
    service_id: ServiceId,
    service: String,
    duration_min: i64,
    /// Unix seconds, UTC.
    starts_at: UnixTime,
    associate_id: Option<StaffId>,
    associate_name: Option<String>,
    status: AppointmentStatus,
    presence: Presence,
    completed: bool,
    client_communication: ClientCommunication,
    source: Source,
    notes: String,
    cancel_reason: String,
    /// Goes up by one with every change.
    version: i64,
    /// Unix seconds, UTC.
    created_at: UnixTime,
}

impl From<AppointmentView> for Appointment {
    fn from(a: AppointmentView) -> Self {
        Self {
            id: a.id,
            store_id: a.store_id,
            store_name: a.store_name,
            client_id: a.client_id,
            client_name: a.client_name,
            client_email: a.client_email,
            client_mobile: a.client_mobile,
            service_id: a.service_id,
            service: a.service,
            duration_min: a.duration_min,
            starts_at: a.starts_at,
            associate_id: a.associate_id,
            associate_name: a.associate_name,
            status: a.status,
            presence: a.presence,
            completed: a.completed,
            client_communication: a.client_communication,
            source: a.source,
            notes: a.notes,
            cancel_reason: a.cancel_reason,
            version: a.version,
            created_at: a.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AppointmentPage {
    data: Vec<Appointment>,
    /// Pass as `after_id` for the next page; null on the last.
    next_after_id: Option<AppointmentId>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    store_id: Option<StoreId>,
    /// PendingStaffApproval, Approved, PendingClientApproval or Cancelled
    status: Option<String>,
    client_id: Option<ClientId>,
    /// Starting at or after (unix seconds).
    from: Option<UnixTime>,
    /// Starting before (unix seconds).
    to: Option<UnixTime>,
    after_id: Option<AppointmentId>,
    /// 1 to 200 (default 50).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/appointments", tag = "appointments", params(ListQuery),
    responses((status = 200, body = AppointmentPage), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn list_appointments(State(state): State<AppState>, Caller(me): Caller, Q(q): Q<ListQuery>) -> ApiResult<Json<AppointmentPage>> {
    let limit = q.limit.unwrap_or(50);
    let filter = Filter {
        store_id: q.store_id,
        status: q.status.as_deref().map(views::parse_status).transpose()?,
        client_id: q.client_id,
        from: q.from,
        to: q.to,
        after_id: q.after_id,
        limit,
    };
    let list = views::filtered(&state, &me, &filter).await?;
    let next_after_id = (list.len() as i64 == limit).then(|| list.last().map(|a| a.id)).flatten();
    Ok(Json(AppointmentPage {
        data: list.into_iter().map(Into::into).collect(),
        next_after_id,
    }))
}

#[utoipa::path(get, path = "/api/v1/appointments/{id}", tag = "appointments", params(("id" = i64, Path)),
    responses((status = 200, body = Appointment), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn get_appointment(State(state): State<AppState>, Caller(me): Caller, Id(id): Id) -> ApiResult<Json<Appointment>> {
    Ok(Json(views::one(&state, &me, AppointmentId(id)).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewAppointmentBody {
    client_id: ClientId,
    service_id: ServiceId,
    associate_id: Option<StaffId>,
    /// Unix seconds, UTC: one of the store's free times.
    starts_at: UnixTime,
    #[serde(default)]
    notes: String,
    /// DoNotSend, ClientOnly (default) or ClientAndAttendees
    client_communication: Option<String>,
    /// Book it as PendingClientApproval: the client confirms from their tracking page.
    #[serde(default)]
    ask_client_to_confirm: bool,
}

fn communication(raw: Option<&str>) -> Result<Option<ClientCommunication>, Failure> {
    match raw {
        None => Ok(None),
        Some(s) => ClientCommunication::parse(s).map(Some).ok_or_else(|| {
            Failure::bad(
                "invalid",
                "Use DoNotSend, ClientOnly or ClientAndAttendees.".into(),
                Some("client_communication"),
            )
        }),
    }
}

#[utoipa::path(post, path = "/api/v1/appointments", tag = "appointments", request_body = NewAppointmentBody,
    params(("Idempotency-Key" = Option<String>, Header,
            description = "Up to 255 visible ASCII characters. The same key with the same body within a day answers with the appointment the first request made; no second one is created.")),
    responses((status = 201, body = Appointment), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
async fn create_appointment(
    State(state): State<AppState>,
    Caller(me): Caller,
    headers: axum::http::HeaderMap,
    Body(b): Body<NewAppointmentBody>,
) -> ApiResult<Response> {
    let key = app::backend::auth::idempotency_key(&headers)?;
    let new = NewAppointment {
        client_id: b.client_id,
        service_id: b.service_id,
        associate_id: b.associate_id,
        starts_at: b.starts_at,
        notes: b.notes,
        client_communication: communication(b.client_communication.as_deref())?.unwrap_or_default(),
        ask_client_to_confirm: b.ask_client_to_confirm,
    };
    let key = match key {
        Some(k) => Some((
            k,
            app::backend::auth::token_hash(&serde_json::to_string(&new).map_err(|_| AppError::Internal)?),
        )),
        None => None,
    };
    let id = change::create(&state, &me, new, key).await?;
    let a: Appointment = views::one(&state, &me, id).await?.into();
    Ok((StatusCode::CREATED, Json(a)).into_response())
}

/// Only the fields given change.
#[derive(Deserialize, ToSchema)]
pub struct AppointmentPatch {
    starts_at: Option<UnixTime>,
    service_id: Option<ServiceId>,
    associate_id: Option<StaffId>,
    notes: Option<String>,
    client_communication: Option<String>,
    #[serde(default)]
    ask_client_to_confirm: bool,
}

#[utoipa::path(patch, path = "/api/v1/appointments/{id}", tag = "appointments", params(("id" = i64, Path)), request_body = AppointmentPatch,
    responses((status = 200, body = Appointment), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
async fn update_appointment(
    State(state): State<AppState>,
    Caller(me): Caller,
    Id(id): Id,
    Body(p): Body<AppointmentPatch>,
) -> ApiResult<Json<Appointment>> {
    let id = AppointmentId(id);
    let cur = views::one(&state, &me, id).await?;
    let update = AppointmentUpdate {
        starts_at: p.starts_at.unwrap_or(cur.starts_at),
        service_id: p.service_id.unwrap_or(cur.service_id),
        associate_id: p.associate_id.or(cur.associate_id),
        notes: p.notes.unwrap_or(cur.notes),
        client_communication: communication(p.client_communication.as_deref())?.unwrap_or(cur.client_communication),
        ask_client_to_confirm: p.ask_client_to_confirm,
    };
    change::update(&state, &me, id, update).await?;
    Ok(Json(views::one(&state, &me, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct CancelBody {
    #[serde(default)]
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/cancel", tag = "appointments", params(("id" = i64, Path)), request_body = CancelBody,
    responses((status = 200, body = Appointment), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
async fn cancel_appointment(
    State(state): State<AppState>,
    Caller(me): Caller,
    Id(id): Id,
    Body(b): Body<CancelBody>,
) -> ApiResult<Json<Appointment>> {
    // Same answer as for a missing one when it is out of the caller's reach.
    let id = AppointmentId(id);
    views::one(&state, &me, id).await?;
    change::cancel(&state, &me, id, b.reason).await?;
    let a = views::one(&state, &me, id).await?;
    debug_assert_eq!(a.status, AppointmentStatus::Cancelled);
    Ok(Json(a.into()))
}

// ---------------------------------------------------------------- webhooks

#[utoipa::path(get, path = "/api/v1/webhooks/endpoints", tag = "webhooks",
    responses((status = 200, body = Vec<EndpointView>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn list_endpoints(State(state): State<AppState>, Caller(_): Caller) -> ApiResult<Json<Vec<EndpointView>>> {
    Ok(Json(endpoints::list(&state).await?))
}

#[utoipa::path(post, path = "/api/v1/webhooks/endpoints", tag = "webhooks", request_body = EndpointInput,
    responses((status = 201, body = EndpointView), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn create_endpoint(State(state): State<AppState>, Caller(_): Caller, Body(input): Body<EndpointInput>) -> ApiResult<Response> {
    let created: EndpointView = endpoints::create(&state, input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[utoipa::path(get, path = "/api/v1/webhooks/endpoints/{id}", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 200, body = EndpointView), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn get_endpoint(State(state): State<AppState>, Caller(_): Caller, Id(id): Id) -> ApiResult<Json<EndpointView>> {
    Ok(Json(endpoints::get(&state, EndpointId(id)).await?))
}

#[utoipa::path(put, path = "/api/v1/webhooks/endpoints/{id}", tag = "webhooks", params(("id" = i64, Path)), request_body = EndpointInput,
    responses((status = 200, body = EndpointView), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn update_endpoint(
    State(state): State<AppState>,
    Caller(_): Caller,
    Id(id): Id,
    Body(input): Body<EndpointInput>,
) -> ApiResult<Json<EndpointView>> {
    Ok(Json(endpoints::update(&state, EndpointId(id), input).await?))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/endpoints/{id}", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted, with its deliveries"), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn delete_endpoint(State(state): State<AppState>, Caller(_): Caller, Id(id): Id) -> ApiResult<StatusCode> {
    endpoints::delete(&state, EndpointId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/webhooks/endpoints/{id}/rotate-secret", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 200, body = EndpointView, description = "The new secret; the old one keeps signing alongside for 24 hours"),
              (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn rotate_secret(State(state): State<AppState>, Caller(_): Caller, Id(id): Id) -> ApiResult<Json<EndpointView>> {
    Ok(Json(endpoints::rotate_secret(&state, EndpointId(id)).await?))
}

#[derive(Serialize, ToSchema)]
pub struct TestSent {
    delivery_id: DeliveryId,
}

#[utoipa::path(post, path = "/api/v1/webhooks/endpoints/{id}/test", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 202, body = TestSent, description = "A webhook.test message is on its way"), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn test_endpoint(State(state): State<AppState>, Caller(_): Caller, Id(id): Id) -> ApiResult<Response> {
    let delivery_id = endpoints::send_test(&state, EndpointId(id)).await?;
    Ok((StatusCode::ACCEPTED, Json(TestSent { delivery_id })).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// pending, succeeded or failed
    status: Option<String>,
    before_id: Option<DeliveryId>,
}

#[utoipa::path(get, path = "/api/v1/webhooks/endpoints/{id}/deliveries", tag = "webhooks", params(("id" = i64, Path), DeliveryQuery),
    responses((status = 200, body = Vec<DeliveryView>), (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn list_deliveries(
    State(state): State<AppState>,
    Caller(_): Caller,
    Id(id): Id,
    Q(q): Q<DeliveryQuery>,
) -> ApiResult<Json<Vec<DeliveryView>>> {
    Ok(Json(endpoints::deliveries(&state, EndpointId(id), q.status, q.before_id).await?))
}

#[utoipa::path(post, path = "/api/v1/webhooks/deliveries/{id}/resend", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 202, description = "Queued again, with the same webhook-id"), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn resend_delivery(State(state): State<AppState>, Caller(_): Caller, Id(id): Id) -> ApiResult<StatusCode> {
    endpoints::resend(&state, DeliveryId(id)).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
pub struct ReplayBody {
    /// Replay failed deliveries created at or after this time (unix seconds).
    since: UnixTime,
}

#[derive(Serialize, ToSchema)]
pub struct Replayed {
    count: u64,
}

#[utoipa::path(post, path = "/api/v1/webhooks/endpoints/{id}/replay", tag = "webhooks", params(("id" = i64, Path)), request_body = ReplayBody,
    responses((status = 202, body = Replayed), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn replay_failed(State(state): State<AppState>, Caller(_): Caller, Id(id): Id, Body(b): Body<ReplayBody>) -> ApiResult<Response> {
    let count = endpoints::replay_failed(&state, EndpointId(id), b.since).await?;
    Ok((StatusCode::ACCEPTED, Json(Replayed { count })).into_response())
}
