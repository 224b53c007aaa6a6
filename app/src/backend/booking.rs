//! The booking domain: availability, online booking, assignment. Every
//! change runs in the single writer, appends one event in the same
//! transaction, and keeps a snapshot of the new version.

use super::auth::new_token;
use super::db::Tx;
use super::time;
use super::AppState;
use crate::domain::event::{Actor, AppointmentFacts, EventPayload, Happening, Source};
use crate::domain::parse::{ContactDetails, EmailAddress, Language, MobileNumber, Notes, PersonName};
use crate::domain::slots::{Busy, Day, SlotProblem};
use crate::error::{AppError, FieldError};
use crate::model::{
    AppointmentStatus, AssociateInfo, BookingConfirmation, BookingPageInfo, BookingRequest, ClientCommunication, ServiceInfo, Slot,
};
use chrono::NaiveDate;
use chrono_tz::Tz;
use sqlx::SqliteConnection;

/// Upper bound of any appointment's length, used to bound range scans.
const MAX_APPOINTMENT_S: i64 = 24 * 3600;

/// How far ahead the booking page looks for the first open day.
const LOOKAHEAD_DAYS: i64 = 60;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoreRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub address: String,
    pub slot_minutes: i64,
    pub approval_mode: String,
}

impl StoreRow {
    pub fn tz(&self) -> Tz {
        time::zone(&self.time_zone)
    }
}

const STORE_COLUMNS: &str = "id, slug, name, time_zone, address, slot_minutes, approval_mode";

pub async fn store_by_slug(conn: &mut SqliteConnection, slug: &str) -> Result<StoreRow, AppError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {STORE_COLUMNS} FROM stores WHERE slug = ?")))
        .bind(slug)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no store called \"{slug}\".")))
}

pub async fn store_by_id(conn: &mut SqliteConnection, id: i64) -> Result<StoreRow, AppError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {STORE_COLUMNS} FROM stores WHERE id = ?")))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such store.".into()))
}

/// What availability needs for a range of days, loaded in three queries.
pub struct Calendar {
    tz: Tz,
    step_s: i64,
    /// Indexed by weekday, Monday first.
    hours: [Option<(i64, i64)>; 7],
    pub associates: Vec<AssociateInfo>,
    associate_ids: Vec<i64>,
    busy: Vec<Busy>,
}

impl Calendar {
    pub async fn load(conn: &mut SqliteConnection, store: &StoreRow, from: i64, to: i64) -> Result<Self, AppError> {
        Self::load_excluding(conn, store, from, to, None).await
    }

    /// As `load`, leaving out appointment `exclude` (the one being moved).
    pub async fn load_excluding(
        conn: &mut SqliteConnection,
        store: &StoreRow,
        from: i64,
        to: i64,
        exclude: Option<i64>,
    ) -> Result<Self, AppError> {
        let mut hours = [None; 7];
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT weekday, opens_min, closes_min FROM store_hours WHERE store_id = ?")
            .bind(store.id)
            .fetch_all(&mut *conn)
            .await?;
        for (wd, o, c) in rows {
            if let Some(h) = hours.get_mut(wd as usize) {
                *h = Some((o, c));
            }
        }
        let associates: Vec<(i64, String)> = sqlx::query_as(
            "SELECT s.id, s.name FROM store_members m JOIN staff s ON s.id = m.staff_id
             WHERE m.store_id = ? AND m.role = 'associate' ORDER BY s.name",
        )
        .bind(store.id)
        .fetch_all(&mut *conn)
        .await?;
        let busy: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT starts_at, ends_at, associate_id FROM appointments
             WHERE store_id = ? AND status <> 'Cancelled' AND starts_at < ? AND ends_at > ? AND starts_at >= ? AND id IS NOT ?",
        )
        .bind(store.id)
        .bind(to)
        .bind(from)
        // No appointment lasts a day: the lower bound lets the index stop
        // scanning instead of walking every earlier appointment of the store.
        .bind(from - MAX_APPOINTMENT_S)
        .bind(exclude)
        .fetch_all(&mut *conn)
        .await?;
        Ok(Calendar {
            tz: store.tz(),
            step_s: store.slot_minutes.max(5) * 60,
            hours,
            associate_ids: associates.iter().map(|a| a.0).collect(),
            associates: associates.into_iter().map(|(id, name)| AssociateInfo { id, name }).collect(),
            busy: busy
                .into_iter()
                .map(|(start, end, associate_id)| Busy { start, end, associate_id })
                .collect(),
        })
    }

    pub fn day(&self, date: NaiveDate, duration_min: i64, not_before: i64) -> Day<'_> {
        let open = self.hours[time::weekday(date) as usize]
            .map(|(o, c)| (time::local_instant(self.tz, date, o), time::local_instant(self.tz, date, c)));
        Day {
            open,
            step_s: self.step_s,
            duration_s: duration_min * 60,
            not_before,
            associates: &self.associate_ids,
            busy: &self.busy,
        }
    }
}

fn day_bounds(tz: Tz, date: NaiveDate) -> (i64, i64) {
    (time::local_instant(tz, date, 0), time::local_instant(tz, date, 24 * 60))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: i64,
    pub name: String,
    pub duration_min: i64,
    pub price_cents: i64,
}

async fn services(conn: &mut SqliteConnection, store_id: i64) -> Result<Vec<ServiceRow>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name, duration_min, price_cents FROM services WHERE store_id = ? AND active = 1 ORDER BY id")
            .bind(store_id)
            .fetch_all(conn)
            .await?,
    )
}

async fn service(conn: &mut SqliteConnection, store_id: i64, id: i64) -> Result<Option<ServiceRow>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name, duration_min, price_cents FROM services WHERE store_id = ? AND id = ? AND active = 1")
            .bind(store_id)
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn booking_page(state: &AppState, slug: &str) -> Result<BookingPageInfo, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let store = store_by_slug(&mut conn, slug).await?;
    let services = services(&mut conn, store.id).await?;
    let now = state.clock.now();
    let tz = store.tz();
    let today = time::local_date(tz, now);
    let horizon = today + chrono::Duration::days(LOOKAHEAD_DAYS);
    let cal = Calendar::load(&mut conn, &store, day_bounds(tz, today).0, day_bounds(tz, horizon).1).await?;
    let shortest = services.iter().map(|s| s.duration_min).min();
    let first_open_day = shortest.and_then(|d| {
        today
            .iter_days()
            .take(LOOKAHEAD_DAYS as usize)
            .find(|day| !cal.day(*day, d, now).free_starts(None).is_empty())
    });
    Ok(BookingPageInfo {
        store_slug: store.slug.clone(),
        store_name: store.name.clone(),
        address: store.address.clone(),
        time_zone: store.time_zone.clone(),
        services: services
            .into_iter()
            .map(|s| ServiceInfo {
                id: s.id,
                name: s.name,
                duration_min: s.duration_min,
                price_cents: s.price_cents,
            })
            .collect(),
        associates: cal.associates.clone(),
        first_open_day: first_open_day.map(|d| d.format("%Y-%m-%d").to_string()),
    })
}

pub fn parse_date(raw: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| AppError::field("date", "Please choose a date."))
}

pub async fn available_slots(
    state: &AppState,
    slug: &str,
    service_id: i64,
    date: NaiveDate,
    associate_id: Option<i64>,
) -> Result<Vec<Slot>, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let store = store_by_slug(&mut conn, slug).await?;
    let service = service(&mut conn, store.id, service_id)
        .await?
        .ok_or_else(|| AppError::field("service", "Please choose a service from the list."))?;
    let tz = store.tz();
    let (from, to) = day_bounds(tz, date);
    let cal = Calendar::load(&mut conn, &store, from, to).await?;
    let starts = cal.day(date, service.duration_min, state.clock.now()).free_starts(associate_id);
    Ok(starts
        .into_iter()
        .map(|t| Slot {
            starts_at: t,
            label: time::clock_time(tz, t),
        })
        .collect())
}

/// Append one event to the log, in the caller's transaction.
pub async fn append_event(
    tx: &mut Tx,
    store_id: i64,
    appointment_id: i64,
    actor: Actor,
    payload: &EventPayload,
    now: i64,
) -> Result<i64, AppError> {
    let json = serde_json::to_string(payload).map_err(|_| AppError::Internal)?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO events (store_id, kind, appointment_id, conversation_id, actor_kind, actor_staff_id, payload, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(store_id)
    .bind(payload.happening.event_kind())
    .bind(appointment_id)
    .bind(payload.conversation_id)
    .bind(actor.kind())
    .bind(actor.staff_id())
    .bind(json)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    tx.events_appended();
    Ok(id)
}

/// Keep the appointment's current state as a version row.
pub async fn record_version(tx: &mut Tx, appointment_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO appointment_versions (appointment_id, version, snapshot, modified_by_kind, modified_by_staff_id, recorded_at)
         SELECT id, version, json_object(
             'store_id', store_id, 'client_id', client_id, 'service_id', service_id, 'associate_id', associate_id,
             'starts_at', starts_at, 'ends_at', ends_at, 'status', status, 'presence', presence, 'completed', completed,
             'client_communication', client_communication, 'source', source, 'notes', notes),
           modified_by_kind, modified_by_staff_id, ?
         FROM appointments WHERE id = ?",
    )
    .bind(now)
    .bind(appointment_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The booking form, parsed. Holding one means every field is valid.
struct ParsedBooking {
    name: PersonName,
    contact: ContactDetails,
    language: Language,
    notes: Notes,
    attendees: Vec<super::attendees::Attendee>,
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
    if req.starts_at <= 0 {
        err("slot", "Please choose one of the offered times.".into());
    }
    let language = Language::parse(&req.language).map_err(|m| err("language", m)).ok();
    let notes = Notes::parse(&req.notes).map_err(|m| err("notes", m)).ok();
    let attendees = super::attendees::parse_all(&req.attendees)
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

/// A client books online. Nothing is written unless every check passes.
pub async fn book_online(state: &AppState, req: BookingRequest) -> Result<BookingConfirmation, AppError> {
    let parsed = parse_booking(&req);
    // Report the slot and service alongside field errors where we can.
    let (store, service) = {
        let mut conn = state.db.read.acquire().await?;
        let store = store_by_slug(&mut conn, &req.store).await?;
        let service = service(&mut conn, store.id, req.service_id).await?;
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
    let key = state.tracking.clone();
    state
        .db
        .write(move |tx| Box::pin(async move { insert_online_booking(tx, &key, &store, &service, &req, parsed, now).await }))
        .await
}

#[allow(clippy::too_many_arguments)]
async fn insert_online_booking(
    tx: &mut Tx,
    key: &super::tracking::TrackingKey,
    store: &StoreRow,
    service: &ServiceRow,
    req: &BookingRequest,
    parsed: ParsedBooking,
    now: i64,
) -> Result<BookingConfirmation, AppError> {
    let tz = store.tz();
    let date = time::local_date(tz, req.starts_at);
    // Loaded inside the writer's transaction: nobody can take the slot between
    // this check and the commit. Only appointments overlapping the requested
    // time matter, so only those are read.
    let cal = Calendar::load(tx.conn(), store, req.starts_at, req.starts_at + service.duration_min * 60).await?;
    if let Some(a) = req.associate_id {
        if !cal.associates.iter().any(|x| x.id == a) {
            return Err(AppError::field("associate", "Please choose an associate from the list."));
        }
    }
    match cal.day(date, service.duration_min, now).check(req.starts_at, req.associate_id) {
        Ok(()) => {}
        Err(SlotProblem::Taken) => return Err(AppError::SlotTaken),
        Err(p) => return Err(AppError::field("slot", p.message())),
    }
    let client_id = find_or_create_client(tx, store.id, &parsed, now).await?;
    let status = if store.approval_mode == "automatic" {
        AppointmentStatus::Approved
    } else {
        AppointmentStatus::PendingStaffApproval
    };
    let ends_at = req.starts_at + service.duration_min * 60;
    let communication = if req.notify_attendees && !parsed.attendees.is_empty() {
        ClientCommunication::ClientAndAttendees
    } else {
        ClientCommunication::ClientOnly
    };
    let (appointment_id,): (i64,) = sqlx::query_as(
        "INSERT INTO appointments (store_id, client_id, service_id, associate_id, starts_at, ends_at, status, client_communication,
            source, notes, remind_by_email, remind_by_sms, tracking_token_hash, version, modified_by_kind, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'online', ?, ?, ?, ?, 1, 'client', ?, ?) RETURNING id",
    )
    .bind(store.id)
    .bind(client_id)
    .bind(service.id)
    .bind(req.associate_id)
    .bind(req.starts_at)
    .bind(ends_at)
    .bind(status.as_str())
    .bind(communication.as_str())
    .bind(parsed.notes.as_str())
    .bind(req.remind_by_email)
    .bind(req.remind_by_sms)
    .bind(new_token().1) // placeholder: replaced by the signed link's hash below
    .bind(now)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    let token = super::tracking::issue(tx, key, appointment_id).await?;
    super::attendees::insert(tx, appointment_id, &parsed.attendees, now).await?;
    record_version(tx, appointment_id, now).await?;
    let when = time::human(tz, req.starts_at);
    let associate = req
        .associate_id
        .and_then(|a| cal.associates.iter().find(|x| x.id == a))
        .map(|a| a.name.clone());
    let payload = EventPayload {
        conversation_id: None,
        preview: String::new(),
        happening: Happening::Created {
            source: Source::Online,
            associate_id: req.associate_id,
        },
        appointment: AppointmentFacts {
            store: store.name.clone(),
            client: parsed.name.as_str().to_string(),
            service: service.name.clone(),
            when: when.clone(),
            starts_at: req.starts_at,
            associate_id: req.associate_id,
            associate,
            status,
            version: 1,
            changed_fields: vec![],
            changes: vec![],
            by: "the client".into(),
            ends_at,
            client_communication: communication,
            previous_starts_at: None,
            previous_associate_id: None,
            previous_associate: None,
        },
    };
    append_event(tx, store.id, appointment_id, Actor::Client, &payload, now).await?;
    if req.associate_id.is_none() {
        super::scheduler::schedule_escalation(tx, store.id, appointment_id, now).await?;
    }
    super::scheduler::plan_client_jobs(tx, appointment_id, now).await?;
    Ok(BookingConfirmation {
        appointment_id,
        status,
        tracking_path: format!("/t/{token}"),
        when,
        service: service.name.clone(),
        store_name: store.name.clone(),
    })
}

/// A returning client is recognised by email, else by mobile, within the store.
async fn find_or_create_client(tx: &mut Tx, store_id: i64, p: &ParsedBooking, now: i64) -> Result<i64, AppError> {
    let email = p.contact.email().map(|e| e.as_str().to_lowercase());
    let mobile = p.contact.mobile().map(|m| m.as_str().to_string());
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM clients WHERE store_id = ?1 AND ((?2 IS NOT NULL AND email = ?2) OR (?2 IS NULL AND ?3 IS NOT NULL AND mobile = ?3))
         ORDER BY id LIMIT 1",
    )
    .bind(store_id)
    .bind(&email)
    .bind(&mobile)
    .fetch_optional(tx.conn())
    .await?;
    if let Some((id,)) = existing {
        // The latest details the client typed win.
        sqlx::query("UPDATE clients SET name = ?, mobile = COALESCE(?, mobile), email = COALESCE(?, email), language = ? WHERE id = ?")
            .bind(p.name.as_str())
            .bind(&mobile)
            .bind(&email)
            .bind(p.language.code())
            .bind(id)
            .execute(tx.conn())
            .await?;
        return Ok(id);
    }
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO clients (store_id, name, email, mobile, language, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
            .bind(store_id)
            .bind(p.name.as_str())
            .bind(&email)
            .bind(&mobile)
            .bind(p.language.code())
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct AppointmentCore {
    store_id: i64,
    associate_id: Option<i64>,
    starts_at: i64,
    ends_at: i64,
    status: String,
    version: i64,
    client: String,
    service: String,
    client_communication: String,
}

/// Is `staff_id` allowed to route appointments of `store_id`?
pub async fn can_manage(conn: &mut SqliteConnection, staff_id: i64, store_id: i64) -> Result<bool, AppError> {
    let (ok,): (bool,) = sqlx::query_as(
        "SELECT EXISTS(SELECT 1 FROM staff WHERE id = ?1 AND is_admin = 1)
             OR EXISTS(SELECT 1 FROM store_members WHERE staff_id = ?1 AND store_id = ?2 AND role = 'manager')",
    )
    .bind(staff_id)
    .bind(store_id)
    .fetch_one(conn)
    .await?;
    Ok(ok)
}

/// A manager (or admin) gives an appointment to an associate of its store.
pub async fn assign(state: &AppState, actor_id: i64, appointment_id: i64, associate_id: i64) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| Box::pin(async move { assign_in(tx, actor_id, appointment_id, associate_id, now).await }))
        .await
}

async fn assign_in(tx: &mut Tx, actor_id: i64, appointment_id: i64, associate_id: i64, now: i64) -> Result<(), AppError> {
    let appt: AppointmentCore = sqlx::query_as(
        "SELECT a.store_id, a.associate_id, a.starts_at, a.ends_at, a.status, a.version, c.name AS client, s.name AS service,
                a.client_communication
         FROM appointments a JOIN clients c ON c.id = a.client_id JOIN services s ON s.id = a.service_id WHERE a.id = ?",
    )
    .bind(appointment_id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| AppError::NotFound("No such appointment.".into()))?;
    if !can_manage(tx.conn(), actor_id, appt.store_id).await? {
        // Do not reveal whether an appointment of another store exists.
        let member: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM store_members WHERE staff_id = ? AND store_id = ?")
            .bind(actor_id)
            .bind(appt.store_id)
            .fetch_optional(tx.conn())
            .await?;
        return Err(match member {
            Some(_) => AppError::Forbidden("Only managers of this store can assign appointments.".into()),
            None => AppError::NotFound("No such appointment.".into()),
        });
    }
    if appt.status == AppointmentStatus::Cancelled.as_str() {
        return Err(AppError::Conflict("This appointment is cancelled; it cannot be assigned.".into()));
    }
    let associate: Option<(String,)> = sqlx::query_as(
        "SELECT s.name FROM store_members m JOIN staff s ON s.id = m.staff_id WHERE m.store_id = ? AND m.staff_id = ? AND m.role = 'associate'",
    )
    .bind(appt.store_id)
    .bind(associate_id)
    .fetch_optional(tx.conn())
    .await?;
    let Some((associate_name,)) = associate else {
        return Err(AppError::field("associate", "Please choose an associate of this store."));
    };
    if appt.associate_id == Some(associate_id) {
        return Ok(()); // already theirs: no change, no event
    }
    let clash: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM appointments WHERE associate_id = ? AND id <> ? AND status <> 'Cancelled' AND starts_at < ? AND ends_at > ? LIMIT 1",
    )
    .bind(associate_id)
    .bind(appointment_id)
    .bind(appt.ends_at)
    .bind(appt.starts_at)
    .fetch_optional(tx.conn())
    .await?;
    if clash.is_some() {
        return Err(AppError::Conflict(format!(
            "{associate_name} already has an appointment at that time."
        )));
    }
    let version = appt.version + 1;
    sqlx::query(
        "UPDATE appointments SET associate_id = ?, version = ?, modified_by_kind = 'staff', modified_by_staff_id = ?, updated_at = ? WHERE id = ?",
    )
    .bind(associate_id)
    .bind(version)
    .bind(actor_id)
    .bind(now)
    .bind(appointment_id)
    .execute(tx.conn())
    .await?;
    record_version(tx, appointment_id, now).await?;
    let store = store_by_id(tx.conn(), appt.store_id).await?;
    let previous_associate = match appt.associate_id {
        Some(p) => Some(super::change::staff_name(tx, p).await?),
        None => None,
    };
    let payload = EventPayload {
        conversation_id: None,
        preview: String::new(),
        happening: Happening::Assigned {
            previous: appt.associate_id,
            new: associate_id,
        },
        appointment: AppointmentFacts {
            store: store.name.clone(),
            client: appt.client,
            service: appt.service,
            when: time::human(store.tz(), appt.starts_at),
            starts_at: appt.starts_at,
            associate_id: Some(associate_id),
            associate: Some(associate_name),
            status: AppointmentStatus::parse(&appt.status).unwrap_or(AppointmentStatus::PendingStaffApproval),
            version,
            changed_fields: vec!["staff".into()],
            changes: vec![],
            by: super::change::staff_name(tx, actor_id).await?,
            ends_at: appt.ends_at,
            client_communication: crate::model::ClientCommunication::parse(&appt.client_communication).unwrap_or_default(),
            previous_starts_at: Some(appt.starts_at),
            previous_associate_id: appt.associate_id,
            previous_associate,
        },
    };
    append_event(tx, appt.store_id, appointment_id, Actor::Staff(actor_id), &payload, now).await?;
    Ok(())
}
