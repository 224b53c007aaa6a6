//! A client books online. The form is parsed into domain types first (every
//! bad field reported at once); the slot is checked again inside the writer's
//! transaction, so two requests for the last free time cannot both succeed.

use super::attendees::{self, Attendee};
use super::record;
use crate::backend::availability::{Calendar, Need};
use crate::backend::payments;
use crate::backend::store::idempotency::{self, Once, Seen};
use crate::backend::store::services::ServiceRow;
use crate::backend::store::stores::StoreRow;
use crate::backend::store::{self, Tx};
use crate::backend::throttle::Limit;
use crate::backend::tracking::{self, TrackingKey};
use crate::backend::{time, AppState};
use crate::domain::appointment::{AppointmentStatus, ClientCommunication, Source};
use crate::domain::event::{Actor, Happening};
use crate::domain::ids::{AppointmentId, ClientId};
use crate::domain::parse::{ContactDetails, EmailAddress, MobileNumber, Notes, PersonName};
use crate::domain::slots::SlotProblem;
use crate::domain::staff::ApprovalMode;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::{AppError, FieldError};
use crate::i18n::Language;
use crate::model::{BookingConfirmation, BookingRequest, DepositDue};

/// The booking form, parsed. Holding one means every field is valid.
struct ParsedBooking {
    name: PersonName,
    contact: ContactDetails,
    language: Language,
    notes: Notes,
    attendees: Vec<Attendee>,
}

impl ParsedBooking {
    /// Everyone this booking would send messages to, spelled one way each.
    fn contacts(&self) -> Vec<String> {
        let email = self.contact.email().map(|e| e.as_str().to_lowercase());
        let mobile = self.contact.mobile().map(|m| m.as_str().to_string());
        let attendees = self.attendees.iter().map(|a| a.email.as_str().to_lowercase());
        let mut all: Vec<String> = email.into_iter().chain(mobile).chain(attendees).collect();
        all.sort();
        all.dedup();
        all
    }
}

fn parse_booking(req: &BookingRequest) -> Result<ParsedBooking, AppError> {
    let mut errors = Vec::new();
    let mut err = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    let name = PersonName::parse(&req.name).map_err(|m| err("name", m)).ok();
    let email = (!req.email.trim().is_empty())
        .then(|| EmailAddress::parse(&req.email).map_err(|m| err("email", m)).ok())
        .flatten();
    let mobile = (!req.mobile.trim().is_empty())
        .then(|| MobileNumber::parse(&req.mobile).map_err(|m| err("mobile", m)).ok())
        .flatten();
    if req.email.trim().is_empty() && req.mobile.trim().is_empty() {
        err(
            "email",
            "Please give an email address or a mobile number so the store can reach you.".into(),
        );
    }
    if req.remind_by_sms && req.mobile.trim().is_empty() {
        err("mobile", "Text reminders need a mobile number.".into());
    }
    if req.remind_by_email && req.email.trim().is_empty() && !req.mobile.trim().is_empty() {
        err("email", "Email reminders need an email address.".into());
    }
    if req.starts_at.secs() <= 0 {
        err("slot", "Please choose one of the offered times.".into());
    }
    let language = Language::parse(&req.language).map_err(|m| err("language", m)).ok();
    let notes = Notes::parse(&req.notes).map_err(|m| err("notes", m)).ok();
    let attendees = attendees::parse_all(&req.attendees)
        .map_err(|fields| {
            for f in fields {
                err(&f.field, f.message)
            }
        })
        .ok();
    let contact = match (email, mobile) {
        (Some(e), Some(m)) => Some(ContactDetails::Both(e, m)),
        (Some(e), None) => Some(ContactDetails::Email(e)),
        (None, Some(m)) => Some(ContactDetails::Mobile(m)),
        (None, None) => None,
    };
    match (name, contact, language, notes, attendees) {
        (Some(name), Some(contact), Some(language), Some(notes), Some(attendees)) if errors.is_empty() => Ok(ParsedBooking {
            name,
            contact,
            language,
            notes,
            attendees,
        }),
        _ => Err(AppError::invalid(errors)),
    }
}

/// A client books online. Nothing is written unless every check passes. With
/// an idempotency key, a retry of the same request answers with the booking
/// the first made (never a second booking).
///
/// `from` is the client's address: bookings are limited per address and per
/// contact (each address or number the booking would send a message to).
pub async fn book_online(
    state: &AppState,
    req: BookingRequest,
    idempotency_key: Option<String>,
    from: &str,
) -> Result<BookingConfirmation, AppError> {
    let parsed = parse_booking(&req);
    // Report the slot and service alongside field errors where we can.
    let (store, service) = {
        let mut conn = state.db.reader().await?;
        let store = store::stores::by_slug(&mut conn, &req.store)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("There is no store called \"{}\".", req.store)))?;
        let service = store::services::active_one(&mut conn, store.id, req.service_id)
            .await?
            .filter(|s| s.bookable_online);
        (store, service)
    };
    let Some(service) = service else {
        let mut fields = vec![FieldError {
            field: "service".into(),
            message: "Please choose a service from the list.".into(),
        }];
        if let Err(AppError::Invalid { fields: more, .. }) = parsed {
            fields.extend(more);
        }
        return Err(AppError::invalid(fields));
    };
    let parsed = parsed?;
    let now = state.clock.now();
    let contacts = parsed.contacts();
    let mut limits = vec![(Limit::BookingsPerAddress, from)];
    limits.extend(contacts.iter().map(|c| (Limit::BookingsPerContact, c.as_str())));
    state
        .public_limits
        .take(&limits, now)
        .map_err(|retry_after_s| AppError::TooManyRequests { retry_after_s })?;
    let key = state.tracking.clone();
    let request_hash = crate::backend::auth::token_hash(&serde_json::to_string(&req).map_err(|_| AppError::Internal)?);
    // A store that takes a deposit: its payment page first, outside the writer.
    let email = parsed.contact.email().map(|e| e.as_str().to_string());
    let deposit = payments::deposit_page(state, &store, &service, req.starts_at, email.as_deref(), parsed.language).await?;
    // The writer's job owns its copy; this one closes the page if the booking is not written.
    let page = deposit.clone();
    let result = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let once = idempotency_key.as_deref().map(|k| Once {
                    scope: "book",
                    key: k,
                    request_hash: &request_hash,
                });
                if let Some(o) = &once {
                    match idempotency::seen(tx, o, now).await? {
                        Seen::New => {}
                        Seen::Same(id) => return Ok((confirmation(tx, &key, id).await?, false)),
                        Seen::Different => return Err(idempotency::key_reused()),
                    }
                }
                let made = insert_online_booking(
                    tx,
                    &key,
                    Offer {
                        store: &store,
                        service: &service,
                        deposit: page.as_ref(),
                    },
                    &req,
                    parsed,
                    now,
                )
                .await?;
                if let Some(o) = &once {
                    idempotency::remember(tx, o, made.appointment_id, now).await?;
                }
                Ok((made, true))
            })
        })
        .await;
    let written = matches!(result, Ok((_, true)));
    if let (false, Some(page)) = (written, deposit) {
        payments::abandon(state, page);
    }
    result.map(|(made, _)| made)
}

/// The answer a booking's first request got, for a retry of it.
async fn confirmation(tx: &mut Tx, key: &TrackingKey, id: AppointmentId) -> Result<BookingConfirmation, AppError> {
    let c = record::load(tx.conn(), id).await?;
    let store = store::stores::by_id(tx.conn(), c.store_id).await?.ok_or(AppError::Internal)?;
    let generation = store::appointments::tracking_generation(tx.conn(), id).await?;
    let tz = time::zone(&store.time_zone);
    let deposit = match c.held_until {
        Some(_) => store::payments::open_deposit(tx.conn(), id).await?,
        None => None,
    };
    Ok(BookingConfirmation {
        appointment_id: id,
        status: c.status,
        tracking_path: format!("/t/{}", key.token(id, generation)),
        when: time::human(tz, c.starts_at),
        service: c.service_name,
        store_name: store.name,
        deposit: deposit.map(|p| DepositDue {
            amount: p.currency.amount(p.amount),
            pay_url: p.pay_url,
            held_until: c.held_until.map(|t| time::human(tz, t)).unwrap_or_default(),
        }),
    })
}

/// What the store offers this booking: the service, and the deposit page if it asks for one.
struct Offer<'a> {
    store: &'a StoreRow,
    service: &'a ServiceRow,
    deposit: Option<&'a payments::DepositPage>,
}

async fn insert_online_booking(
    tx: &mut Tx,
    key: &TrackingKey,
    offer: Offer<'_>,
    req: &BookingRequest,
    parsed: ParsedBooking,
    now: UnixTime,
) -> Result<BookingConfirmation, AppError> {
    let Offer { store, service, deposit } = offer;
    let tz = time::zone(&store.time_zone);
    let need = Need::of(tx.conn(), service).await?;
    let duration = need.duration;
    // Loaded inside the writer's transaction: nobody can take the slot between
    // this check and the commit. Only appointments overlapping the requested
    // time matter, so only those are read.
    let reach = Seconds::hours(4); // buffers of neighbouring appointments
    let cal = Calendar::load(tx.conn(), store, req.starts_at - reach, req.starts_at + duration + reach, None).await?;
    if let Some(a) = req.associate_id {
        if !cal.has_associate(a) {
            return Err(AppError::field("associate", "Please choose an associate from the list."));
        }
    }
    match cal
        .day(time::local_date(tz, req.starts_at), &need, now)
        .check(req.starts_at, req.associate_id)
    {
        Ok(()) => {}
        Err(SlotProblem::Taken) => return Err(AppError::SlotTaken),
        Err(p) => return Err(AppError::field("slot", p.message())),
    }
    let email = parsed.contact.email().map(|e| e.as_str().to_lowercase());
    let contact = store::clients::Details {
        name: parsed.name.as_str(),
        email: email.as_deref(),
        mobile: parsed.contact.mobile().map(|m| m.as_str()),
        language: parsed.language,
    };
    let client_id = find_or_create_client(tx, store, &contact, now).await?;
    let status = match store.approval_mode {
        ApprovalMode::Automatic => AppointmentStatus::Approved,
        ApprovalMode::Manual => AppointmentStatus::PendingStaffApproval,
    };
    let client_communication = if req.notify_attendees && !parsed.attendees.is_empty() {
        ClientCommunication::ClientAndAttendees
    } else {
        ClientCommunication::ClientOnly
    };
    let id = store::appointments::insert(
        tx,
        store::appointments::NewRow {
            store_id: store.id,
            client_id,
            service_id: service.id,
            associate_id: req.associate_id,
            starts_at: req.starts_at,
            ends_at: req.starts_at + duration,
            status,
            client_communication,
            source: Source::Online,
            notes: parsed.notes.as_str(),
            remind_by_email: req.remind_by_email,
            remind_by_sms: req.remind_by_sms,
            placeholder_token_hash: tracking::placeholder_hash(),
            actor: Actor::Client,
            now,
            held_until: deposit.map(|d| d.held_until()),
        },
    )
    .await?;
    let token = tracking::issue(tx, key, id).await?;
    store::clients::record_booking_contact(tx, id, &contact).await?;
    attendees::insert(tx, key, id, &parsed.attendees, now).await?;
    if let Some(page) = deposit {
        // Not a request yet: announced when the deposit is paid.
        payments::hold(tx, id, page, now).await?;
    } else {
        let happening = Happening::Created {
            source: Source::Online,
            associate_id: req.associate_id,
            awaiting_approval: status == AppointmentStatus::PendingStaffApproval,
        };
        record::created(tx, id, Actor::Client, happening, now).await?;
    }
    Ok(BookingConfirmation {
        deposit: deposit.map(|d| DepositDue {
            amount: store.currency.amount(d.amount()),
            pay_url: d.pay_url().to_string(),
            held_until: time::human(tz, d.held_until()),
        }),
        appointment_id: id,
        status,
        tracking_path: format!("/t/{token}"),
        when: time::human(tz, req.starts_at),
        service: service.name.clone(),
        store_name: store.name.clone(),
    })
}

/// A returning client is recognised by email, else by mobile, within the
/// store, and left as they are: a public form proves nothing about who typed
/// it, so it must not redirect a client's messages (their tracking link goes
/// in every SMS) to another number. The contact as typed is kept with the
/// booking (`record_booking_contact`) for staff to act on.
async fn find_or_create_client(
    tx: &mut Tx,
    store: &StoreRow,
    contact: &store::clients::Details<'_>,
    now: UnixTime,
) -> Result<ClientId, AppError> {
    match store::clients::find(tx.conn(), store.id, contact.email, contact.mobile).await? {
        Some(id) => Ok(id),
        None => store::clients::insert(tx, store.id, contact, now).await,
    }
}
