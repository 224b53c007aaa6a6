//! Typed server functions: the only way the browser reads and changes data
//! (the live WebSocket only carries notifications). Each takes JSON at a
//! stable path under `/api/`, so outside callers and tests can use them too.
//! Cross-site requests are refused by the server's middleware before any of
//! these run (server functions have no CSRF protection of their own).

use crate::error::AppError;
use crate::model::*;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub appointment: AppointmentView,
    pub associates: Vec<AssociateInfo>,
}

#[cfg(feature = "ssr")]
mod ctx {
    use crate::backend::{auth, AppState};
    use crate::error::AppError;
    use crate::model::Me;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or(AppError::Internal)
    }

    pub async fn headers() -> axum::http::HeaderMap {
        leptos_axum::extract::<axum::http::HeaderMap>().await.unwrap_or_default()
    }

    /// The signed-in staff member, or 401.
    pub async fn me(state: &AppState) -> Result<Me, AppError> {
        let id = auth::staff_for_headers(state, &headers().await)
            .await?
            .ok_or(AppError::Unauthorized)?;
        auth::load_me(&state.db, id).await
    }

    pub fn set_header(name: axum::http::HeaderName, value: &str) {
        if let (Some(opts), Ok(v)) = (use_context::<ResponseOptions>(), axum::http::HeaderValue::from_str(value)) {
            opts.append_header(name, v);
        }
    }
}

#[cfg(feature = "ssr")]
fn respond<T>(r: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &r {
        e.set_response_status();
    }
    r
}

/// The signed-in staff member, or `None` for visitors.
#[server(endpoint = "me", input = Json)]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            match crate::backend::auth::staff_for_headers(&state, &ctx::headers().await).await? {
                Some(id) => crate::backend::auth::load_me(&state.db, id).await.map(Some),
                None => Ok(None),
            }
        }
        .await,
    )
}

#[server(endpoint = "sign_in", input = Json)]
pub async fn sign_in(email: String, password: String) -> Result<Me, AppError> {
    use crate::backend::auth;
    respond(
        async {
            if email.trim().is_empty() {
                return Err(AppError::field("email", "Please enter your email address."));
            }
            if password.is_empty() || password.len() > 1024 {
                return Err(AppError::field("password", "Please enter your password."));
            }
            let state = ctx::state()?;
            let (token, id) = auth::sign_in(&state, &email, auth::Password::new(password)).await?;
            ctx::set_header(
                axum::http::header::SET_COOKIE,
                &auth::session_cookie(&token, state.config.secure_cookies),
            );
            auth::load_me(&state.db, id).await
        }
        .await,
    )
}

#[server(endpoint = "sign_out", input = Json)]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::backend::auth;
    respond(
        async {
            let state = ctx::state()?;
            if let Some(token) = auth::token_from_headers(&ctx::headers().await) {
                auth::sign_out(&state.db, token).await?;
            }
            ctx::set_header(axum::http::header::SET_COOKIE, &auth::clear_cookie(state.config.secure_cookies));
            Ok(())
        }
        .await,
    )
}

/// Whether the first-admin setup step is open (no staff exist yet).
#[server(endpoint = "needs_setup", input = Json)]
pub async fn needs_setup() -> Result<bool, AppError> {
    respond(async { Ok(crate::backend::seed::staff_count(&ctx::state()?.db).await? == 0) }.await)
}

#[server(endpoint = "setup", input = Json)]
pub async fn setup_first_admin(
    name: String,
    email: String,
    password: String,
    store_name: String,
    store_slug: String,
    time_zone: String,
) -> Result<(), AppError> {
    use crate::domain::parse::{EmailAddress, PersonName};
    use crate::error::FieldError;
    respond(
        async {
            let state = ctx::state()?;
            let mut errors = Vec::new();
            let name = PersonName::parse(&name)
                .map_err(|m| {
                    errors.push(FieldError {
                        field: "name".into(),
                        message: m,
                    })
                })
                .ok();
            let email = EmailAddress::parse(&email)
                .map_err(|m| {
                    errors.push(FieldError {
                        field: "email".into(),
                        message: m,
                    })
                })
                .ok();
            if password.chars().count() < 10 || password.len() > 1024 {
                errors.push(FieldError {
                    field: "password".into(),
                    message: "Use at least 10 characters.".into(),
                });
            }
            let store = PersonName::parse(&store_name)
                .map_err(|_| {
                    errors.push(FieldError {
                        field: "store_name".into(),
                        message: "Please name the store.".into(),
                    })
                })
                .ok();
            let slug = store_slug.trim().to_lowercase();
            if slug.is_empty() || slug.len() > 40 || !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                errors.push(FieldError {
                    field: "store_slug".into(),
                    message: "Use lowercase letters, digits and dashes, like downtown.".into(),
                });
            }
            if time_zone.parse::<chrono_tz::Tz>().is_err() {
                errors.push(FieldError {
                    field: "time_zone".into(),
                    message: "Use a time zone name like Europe/London.".into(),
                });
            }
            let (Some(name), Some(email), Some(store)) = (name, email, store) else {
                return Err(AppError::invalid(errors));
            };
            if !errors.is_empty() {
                return Err(AppError::invalid(errors));
            }
            let now = state.clock.now();
            let setup = crate::backend::seed::FirstAdmin {
                name: name.as_str().into(),
                email: email.as_str().into(),
                password: crate::backend::auth::Password::new(password),
                store_name: store.as_str().into(),
                slug,
                time_zone,
            };
            crate::backend::seed::first_admin(&state.db, setup, now).await
        }
        .await,
    )
}

#[server(endpoint = "booking_page", input = Json)]
pub async fn booking_page(store: String) -> Result<BookingPageInfo, AppError> {
    respond(async { crate::backend::booking::booking_page(&ctx::state()?, &store).await }.await)
}

/// Free start times for one store-local day (`YYYY-MM-DD`).
#[server(endpoint = "slots", input = Json)]
pub async fn available_slots(store: String, service_id: i64, date: String, associate_id: Option<i64>) -> Result<Vec<Slot>, AppError> {
    use crate::backend::booking;
    respond(
        async {
            let date = booking::parse_date(&date)?;
            booking::available_slots(&ctx::state()?, &store, service_id, date, associate_id).await
        }
        .await,
    )
}

#[server(endpoint = "book", input = Json)]
pub async fn book(request: BookingRequest) -> Result<BookingConfirmation, AppError> {
    respond(async { crate::backend::booking::book_online(&ctx::state()?, request).await }.await)
}

/// The client's booking behind a tracking link; `lang` ("en", "fr") overrides the client's language.
#[server(endpoint = "tracking", input = Json)]
pub async fn tracking(token: String, lang: Option<String>) -> Result<TrackingView, AppError> {
    respond(async { crate::backend::tracking_page::view(&ctx::state()?, &token, lang.as_deref()).await }.await)
}

/// Free times on a date (`YYYY-MM-DD`) the client may move their booking to.
#[server(endpoint = "tracking_times", input = Json)]
pub async fn tracking_times(token: String, date: String) -> Result<Vec<Slot>, AppError> {
    respond(async { crate::backend::tracking_page::free_times(&ctx::state()?, &token, &date).await }.await)
}

#[server(endpoint = "tracking_cancel", input = Json)]
pub async fn tracking_cancel(token: String, reason: String, lang: Option<String>) -> Result<(), AppError> {
    respond(async { crate::backend::change::client_cancel(&ctx::state()?, token, reason, lang).await }.await)
}

#[server(endpoint = "tracking_confirm", input = Json)]
pub async fn tracking_confirm(token: String, lang: Option<String>) -> Result<(), AppError> {
    respond(async { crate::backend::change::client_confirm(&ctx::state()?, token, lang).await }.await)
}

#[server(endpoint = "tracking_modify", input = Json)]
pub async fn tracking_modify(token: String, starts_at: i64, lang: Option<String>) -> Result<(), AppError> {
    respond(async { crate::backend::change::client_modify(&ctx::state()?, token, starts_at, lang).await }.await)
}

#[server(endpoint = "queue", input = Json)]
pub async fn assignment_queue() -> Result<Vec<QueueItem>, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            let (rows, mut associates) = crate::backend::queries::queue(&state, &me).await?;
            Ok(rows
                .into_iter()
                .map(|a| {
                    let list = associates.entry(a.store_id).or_default().clone();
                    QueueItem {
                        appointment: a,
                        associates: list,
                    }
                })
                .collect())
        }
        .await,
    )
}

#[server(endpoint = "assign", input = Json)]
pub async fn assign(appointment_id: i64, associate_id: i64) -> Result<(), AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::booking::assign(&state, me.id, appointment_id, associate_id).await
        }
        .await,
    )
}

#[server(endpoint = "appointments", input = Json)]
pub async fn my_appointments() -> Result<Vec<AppointmentView>, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::queries::my_appointments(&state, &me).await
        }
        .await,
    )
}

#[server(endpoint = "appointment", input = Json)]
pub async fn appointment(id: i64) -> Result<AppointmentDetail, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::queries::appointment_detail(&state, &me, id).await
        }
        .await,
    )
}

/// The bell panel: newest first, `before_seq` pages further back.
#[server(endpoint = "notifications", input = Json)]
pub async fn notifications(before_seq: Option<i64>) -> Result<NotificationPage, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::queries::notifications_page(&state, me.id, before_seq, 20).await
        }
        .await,
    )
}

/// Returns the unread count afterwards.
#[server(endpoint = "mark_read", input = Json)]
pub async fn mark_read(ids: Vec<i64>) -> Result<i64, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::notify::mark_read(&state, me.id, ids).await
        }
        .await,
    )
}

#[server(endpoint = "mark_all_read", input = Json)]
pub async fn mark_all_read() -> Result<(), AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::notify::mark_all_read(&state, me.id).await
        }
        .await,
    )
}

/// Staff edit an appointment: time, service, associate, notes, client communication.
#[server(endpoint = "update_appointment", input = Json)]
pub async fn update_appointment(id: i64, update: AppointmentUpdate) -> Result<(), AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::change::update(&state, me.id, id, update).await
        }
        .await,
    )
}

/// "approve", "no_show" or "complete".
#[server(endpoint = "appointment_step", input = Json)]
pub async fn appointment_step(id: i64, step: String) -> Result<(), AppError> {
    use crate::backend::change::{self, Step};
    respond(
        async {
            let step = match step.as_str() {
                "approve" => Step::Approve,
                "no_show" => Step::NoShow,
                "complete" => Step::Complete,
                other => {
                    return Err(AppError::BadRequest(format!(
                        "Unknown step \"{other}\": use approve, no_show or complete."
                    )))
                }
            };
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            change::step(&state, me.id, id, step).await
        }
        .await,
    )
}

#[server(endpoint = "cancel_appointment", input = Json)]
pub async fn cancel_appointment(id: i64, reason: String) -> Result<(), AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::change::cancel(&state, crate::domain::event::Actor::Staff(me.id), id, reason).await
        }
        .await,
    )
}

/// Staff book for a client; returns the new appointment's id.
#[server(endpoint = "create_appointment", input = Json)]
pub async fn create_appointment(appointment: NewAppointment) -> Result<i64, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::change::create(&state, me.id, appointment).await
        }
        .await,
    )
}

#[server(endpoint = "clients", input = Json)]
pub async fn search_clients(q: String) -> Result<Vec<ClientSummary>, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::stores::search_clients(&state, &me, &q).await
        }
        .await,
    )
}

#[server(endpoint = "client", input = Json)]
pub async fn client_details(id: i64) -> Result<ClientProfile, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::stores::client_profile(&state, &me, id).await
        }
        .await,
    )
}

#[server(endpoint = "create_client", input = Json)]
pub async fn create_client(client: NewClient) -> Result<i64, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::stores::create_client(&state, &me, client).await
        }
        .await,
    )
}

#[server(endpoint = "store_settings", input = Json)]
pub async fn store_settings(store_id: i64) -> Result<StoreSettingsPage, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::stores::settings(&state, &me, store_id).await
        }
        .await,
    )
}

#[server(endpoint = "save_store_settings", input = Json)]
pub async fn save_store_settings(settings: StoreSettingsForm) -> Result<(), AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::stores::save_settings(&state, &me, settings).await
        }
        .await,
    )
}

/// A client writes to the store from their tracking page.
#[server(endpoint = "send_message", input = Json)]
pub async fn send_message(token: String, body: String) -> Result<(), AppError> {
    respond(async { crate::backend::conversations::client_writes(&ctx::state()?, &token, &body).await }.await)
}

#[server(endpoint = "conversations", input = Json)]
pub async fn conversations() -> Result<Vec<ConversationSummary>, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::conversations::inbox(&state, &me).await
        }
        .await,
    )
}

/// Opens a conversation (and counts it as read by staff).
#[server(endpoint = "conversation", input = Json)]
pub async fn open_conversation(id: i64) -> Result<ConversationThread, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::conversations::open(&state, &me, id).await
        }
        .await,
    )
}

#[server(endpoint = "reply", input = Json)]
pub async fn reply(id: i64, body: String) -> Result<ConversationThread, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::conversations::reply(&state, &me, id, &body).await
        }
        .await,
    )
}

/// The server's VAPID public key (base64url), for `pushManager.subscribe`.
#[server(endpoint = "vapid_public_key", input = Json)]
pub async fn vapid_public_key() -> Result<String, AppError> {
    respond(async { Ok(ctx::state()?.vapid.public_b64.clone()) }.await)
}

/// Stores this device's push subscription for the signed-in staff member.
#[server(endpoint = "subscribe_push", input = Json)]
pub async fn subscribe_push(endpoint: String, p256dh: String, auth: String, label: String) -> Result<i64, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::push::subscribe(&state, me.id, endpoint, p256dh, auth, label).await
        }
        .await,
    )
}

#[server(endpoint = "devices", input = Json)]
pub async fn my_devices() -> Result<Vec<DeviceView>, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::push::devices(&state, me.id).await
        }
        .await,
    )
}

/// Renames a device, or removes it when `label` is null.
#[server(endpoint = "edit_device", input = Json)]
pub async fn edit_device(id: i64, label: Option<String>) -> Result<(), AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::push::edit_device(&state, me.id, id, label).await
        }
        .await,
    )
}

/// Sends a test push to each of my devices; returns how many.
#[server(endpoint = "test_push", input = Json)]
pub async fn test_push() -> Result<usize, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::push::send_test(&state, me.id).await
        }
        .await,
    )
}

/// Staff add someone coming along to an appointment.
#[server(endpoint = "add_attendee", input = Json)]
pub async fn add_attendee(appointment_id: i64, name: String, email: String) -> Result<(), AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::attendees::add(&state, &me, appointment_id, AttendeeInput { name, email }).await
        }
        .await,
    )
}

#[server(endpoint = "remove_attendee", input = Json)]
pub async fn remove_attendee(appointment_id: i64, attendee_id: i64) -> Result<(), AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::attendees::remove(&state, &me, appointment_id, attendee_id).await
        }
        .await,
    )
}

/// The "Client messages" page: newest first, optionally one status, paged by `before_id`.
#[server(endpoint = "client_messages", input = Json)]
pub async fn client_messages(status: Option<String>, before_id: Option<i64>) -> Result<Vec<ClientMessageView>, AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::client_messages::recent(&state, &me, status, before_id).await
        }
        .await,
    )
}

/// A manager checks the email or SMS channel: a test message to `recipient`.
#[server(endpoint = "send_test_message", input = Json)]
pub async fn send_test_message(store_id: i64, channel: String, recipient: String) -> Result<(), AppError> {
    respond(
        async {
            let state = ctx::state()?;
            let me = ctx::me(&state).await?;
            crate::backend::client_messages::test_from_staff(&state, &me, store_id, &channel, &recipient).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn admin() -> Result<crate::backend::AppState, AppError> {
    let state = ctx::state()?;
    let me = ctx::me(&state).await?;
    if !me.is_admin {
        return Err(AppError::Forbidden("Only administrators manage integrations.".into()));
    }
    Ok(state)
}

#[server(endpoint = "webhook_endpoints", input = Json)]
pub async fn webhook_endpoints() -> Result<Vec<EndpointView>, AppError> {
    respond(async { crate::backend::webhooks::endpoints::list(&admin().await?).await }.await)
}

#[server(endpoint = "create_webhook_endpoint", input = Json)]
pub async fn create_webhook_endpoint(endpoint: EndpointInput) -> Result<EndpointView, AppError> {
    respond(async { crate::backend::webhooks::endpoints::create(&admin().await?, endpoint).await }.await)
}

#[server(endpoint = "update_webhook_endpoint", input = Json)]
pub async fn update_webhook_endpoint(id: i64, endpoint: EndpointInput) -> Result<EndpointView, AppError> {
    respond(async { crate::backend::webhooks::endpoints::update(&admin().await?, id, endpoint).await }.await)
}

#[server(endpoint = "delete_webhook_endpoint", input = Json)]
pub async fn delete_webhook_endpoint(id: i64) -> Result<(), AppError> {
    respond(async { crate::backend::webhooks::endpoints::delete(&admin().await?, id).await }.await)
}

#[server(endpoint = "rotate_webhook_secret", input = Json)]
pub async fn rotate_webhook_secret(id: i64) -> Result<EndpointView, AppError> {
    respond(async { crate::backend::webhooks::endpoints::rotate_secret(&admin().await?, id).await }.await)
}

/// Sends a `webhook.test` message to one endpoint; returns the delivery id.
#[server(endpoint = "test_webhook_endpoint", input = Json)]
pub async fn test_webhook_endpoint(id: i64) -> Result<i64, AppError> {
    respond(async { crate::backend::webhooks::endpoints::send_test(&admin().await?, id).await }.await)
}

#[server(endpoint = "webhook_deliveries", input = Json)]
pub async fn webhook_deliveries(endpoint_id: i64, status: Option<String>, before_id: Option<i64>) -> Result<Vec<DeliveryView>, AppError> {
    respond(async { crate::backend::webhooks::endpoints::deliveries(&admin().await?, endpoint_id, status, before_id).await }.await)
}

#[server(endpoint = "resend_webhook_delivery", input = Json)]
pub async fn resend_webhook_delivery(id: i64) -> Result<(), AppError> {
    respond(async { crate::backend::webhooks::endpoints::resend(&admin().await?, id).await }.await)
}

/// Sends every failed delivery of the endpoint since `since` (unix seconds) again; returns how many.
#[server(endpoint = "replay_failed_webhooks", input = Json)]
pub async fn replay_failed_webhooks(endpoint_id: i64, since: i64) -> Result<u64, AppError> {
    respond(async { crate::backend::webhooks::endpoints::replay_failed(&admin().await?, endpoint_id, since).await }.await)
}

#[server(endpoint = "api_keys", input = Json)]
pub async fn api_keys() -> Result<Vec<ApiKeyView>, AppError> {
    respond(async { crate::backend::api_keys::list(&admin().await?).await }.await)
}

/// Creates an integration API key; the key itself is in the answer and nowhere else.
#[server(endpoint = "create_api_key", input = Json)]
pub async fn create_api_key(name: String) -> Result<NewApiKey, AppError> {
    respond(
        async {
            let state = admin().await?;
            let me = ctx::me(&state).await?;
            let (view, key) = crate::backend::api_keys::create(&state, &me, &name).await?;
            Ok(NewApiKey { view, key })
        }
        .await,
    )
}

#[server(endpoint = "revoke_api_key", input = Json)]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    respond(async { crate::backend::api_keys::revoke(&admin().await?, id).await }.await)
}
