//! Changes to existing appointments (update, approve, ask the client to
//! confirm, cancel, no-show, complete) and staff-created appointments. Every
//! change goes through `finish`: bump the version, keep the new snapshot,
//! append the event, all in the caller's writer transaction.

use super::auth::new_token;
use super::booking::{append_event, can_manage, record_version, store_by_id, Calendar};
use super::db::Tx;
use super::scheduler;
use super::time;
use super::tracking::{self, TrackingKey};
use super::AppState;
use crate::domain::event::{Actor, FieldChange, Happening, Source};
use crate::domain::event::{AppointmentFacts, EventPayload};
use crate::domain::parse::Notes;
use crate::domain::slots::SlotProblem;
use crate::error::AppError;
use crate::model::{AppointmentStatus, AppointmentUpdate, ClientCommunication, NewAppointment};
use crate::rules::client::{BookingState, ClientAction};

/// An appointment as it is now, with the names its texts need.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Current {
    pub id: i64,
    pub store_id: i64,
    pub client_id: i64,
    pub service_id: i64,
    pub associate_id: Option<i64>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub status: String,
    pub presence: String,
    pub completed: bool,
    pub notes: String,
    pub version: i64,
    pub client_communication: String,
    pub client_name: String,
    pub service_name: String,
    pub associate_name: Option<String>,
}

pub async fn load_current(tx: &mut Tx, id: i64) -> Result<Current, AppError> {
    sqlx::query_as(
        "SELECT a.id, a.store_id, a.client_id, a.service_id, a.associate_id, a.starts_at, a.ends_at, a.status, a.presence,
                a.completed, a.notes, a.version, a.client_communication, c.name AS client_name, s.name AS service_name,
                st.name AS associate_name
         FROM appointments a JOIN clients c ON c.id = a.client_id JOIN services s ON s.id = a.service_id
         LEFT JOIN staff st ON st.id = a.associate_id WHERE a.id = ?",
    )
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| AppError::NotFound("No such appointment.".into()))
}

pub async fn staff_name(tx: &mut Tx, id: i64) -> Result<String, AppError> {
    let (name,): (String,) = sqlx::query_as("SELECT name FROM staff WHERE id = ?")
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
    Ok(name)
}

async fn actor_words(tx: &mut Tx, actor: Actor) -> Result<String, AppError> {
    Ok(match actor {
        Actor::Staff(id) => staff_name(tx, id).await?,
        Actor::Client => "the client".into(),
        Actor::System => "Frontdesk".into(),
    })
}

pub async fn facts_for(
    tx: &mut Tx,
    c: &Current,
    changed_fields: Vec<String>,
    changes: Vec<FieldChange>,
    by: String,
) -> Result<AppointmentFacts, AppError> {
    let store = store_by_id(tx.conn(), c.store_id).await?;
    Ok(AppointmentFacts {
        store: store.name.clone(),
        client: c.client_name.clone(),
        service: c.service_name.clone(),
        when: time::human(store.tz(), c.starts_at),
        starts_at: c.starts_at,
        associate_id: c.associate_id,
        associate: c.associate_name.clone(),
        status: AppointmentStatus::parse(&c.status).unwrap_or(AppointmentStatus::PendingStaffApproval),
        version: c.version,
        changed_fields,
        changes,
        by,
        ends_at: c.ends_at,
        client_communication: ClientCommunication::parse(&c.client_communication).unwrap_or_default(),
        previous_starts_at: None,
        previous_associate_id: None,
        previous_associate: None,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Manager,
    ManagerOrAssignedAssociate,
}

async fn authorize(tx: &mut Tx, actor_id: i64, c: &Current, need: Need, what: &str) -> Result<(), AppError> {
    if can_manage(tx.conn(), actor_id, c.store_id).await? {
        return Ok(());
    }
    if need == Need::ManagerOrAssignedAssociate && c.associate_id == Some(actor_id) {
        return Ok(());
    }
    let member: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM store_members WHERE staff_id = ? AND store_id = ?")
        .bind(actor_id)
        .bind(c.store_id)
        .fetch_optional(tx.conn())
        .await?;
    Err(match member {
        Some(_) => AppError::Forbidden(format!("Only managers of this store (or the appointment's associate) can {what}.")),
        None => AppError::NotFound("No such appointment.".into()),
    })
}

fn ensure_open(c: &Current) -> Result<(), AppError> {
    if c.status == AppointmentStatus::Cancelled.as_str() {
        return Err(AppError::Conflict("This appointment is cancelled.".into()));
    }
    if c.completed {
        return Err(AppError::Conflict("This appointment is completed.".into()));
    }
    Ok(())
}

/// Version, snapshot and event for a change whose domain columns the caller already updated.
#[allow(clippy::too_many_arguments)]
async fn finish(
    tx: &mut Tx,
    id: i64,
    actor: Actor,
    happening: Happening,
    changed_fields: Vec<String>,
    changes: Vec<FieldChange>,
    before: &Current,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE appointments SET version = version + 1, modified_by_kind = ?, modified_by_staff_id = ?, updated_at = ? WHERE id = ?",
    )
    .bind(actor.kind())
    .bind(actor.staff_id())
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    record_version(tx, id, now).await?;
    let after = load_current(tx, id).await?;
    let by = actor_words(tx, actor).await?;
    let mut facts = facts_for(tx, &after, changed_fields, changes, by).await?;
    facts.previous_starts_at = Some(before.starts_at);
    facts.previous_associate_id = before.associate_id;
    facts.previous_associate = before.associate_name.clone();
    let payload = EventPayload {
        conversation_id: None,
        preview: String::new(),
        happening,
        appointment: facts,
    };
    append_event(tx, after.store_id, id, actor, &payload, now).await?;
    scheduler::plan_client_jobs(tx, id, now).await
}

/// Checks a time for `service_duration_min` with `associate` against the
/// store's hours and every other appointment (not `exclude`).
async fn check_time(
    tx: &mut Tx,
    store_id: i64,
    start: i64,
    duration_min: i64,
    associate: Option<i64>,
    exclude: Option<i64>,
    now: i64,
) -> Result<(), AppError> {
    let store = store_by_id(tx.conn(), store_id).await?;
    let cal = Calendar::load_excluding(tx.conn(), &store, start, start + duration_min * 60, exclude).await?;
    match cal
        .day(time::local_date(store.tz(), start), duration_min, now)
        .check(start, associate)
    {
        Ok(()) => Ok(()),
        Err(SlotProblem::Taken) => Err(AppError::SlotTaken),
        Err(p) => Err(AppError::field("slot", p.message())),
    }
}

async fn associate_of_store(tx: &mut Tx, store_id: i64, associate_id: i64) -> Result<String, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT s.name FROM store_members m JOIN staff s ON s.id = m.staff_id WHERE m.store_id = ? AND m.staff_id = ? AND m.role = 'associate'",
    )
    .bind(store_id)
    .bind(associate_id)
    .fetch_optional(tx.conn())
    .await?;
    row.map(|r| r.0)
        .ok_or_else(|| AppError::field("associate", "Please choose an associate of this store."))
}

async fn service_of_store(tx: &mut Tx, store_id: i64, service_id: i64) -> Result<(String, i64), AppError> {
    let row: Option<(String, i64)> = sqlx::query_as("SELECT name, duration_min FROM services WHERE id = ? AND store_id = ? AND active = 1")
        .bind(service_id)
        .bind(store_id)
        .fetch_optional(tx.conn())
        .await?;
    row.ok_or_else(|| AppError::field("service", "Please choose a service of this store."))
}

pub async fn update(state: &AppState, actor_id: i64, id: i64, upd: AppointmentUpdate) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| Box::pin(async move { update_in(tx, actor_id, id, upd, now).await }))
        .await
}

async fn update_in(tx: &mut Tx, actor_id: i64, id: i64, upd: AppointmentUpdate, now: i64) -> Result<(), AppError> {
    let cur = load_current(tx, id).await?;
    authorize(tx, actor_id, &cur, Need::ManagerOrAssignedAssociate, "change it").await?;
    ensure_open(&cur)?;
    let notes = Notes::parse(&upd.notes).map_err(|m| AppError::field("notes", m))?;
    let (service_name, duration) = service_of_store(tx, cur.store_id, upd.service_id).await?;
    let associate_changed = upd.associate_id != cur.associate_id;
    if associate_changed {
        if upd.associate_id.is_none() {
            return Err(AppError::field(
                "associate",
                "An assigned appointment needs an associate; choose one.",
            ));
        }
        if !can_manage(tx.conn(), actor_id, cur.store_id).await? {
            return Err(AppError::Forbidden(
                "Only managers can give an appointment to another associate.".into(),
            ));
        }
    }
    let new_associate_name = match upd.associate_id {
        Some(a) if associate_changed => Some(associate_of_store(tx, cur.store_id, a).await?),
        _ => cur.associate_name.clone(),
    };
    let time_changed = upd.starts_at != cur.starts_at || upd.service_id != cur.service_id;
    if time_changed || associate_changed {
        check_time(tx, cur.store_id, upd.starts_at, duration, upd.associate_id, Some(id), now).await?;
    }
    let tz = store_by_id(tx.conn(), cur.store_id).await?.tz();
    let mut changed_fields = Vec::new();
    let mut changes = Vec::new();
    let mut note = |field: &str, label: &str, from: String, to: String| {
        changed_fields.push(field.to_string());
        changes.push(FieldChange {
            field: label.into(),
            from,
            to,
        });
    };
    if upd.starts_at != cur.starts_at {
        note("start", "When", time::human(tz, cur.starts_at), time::human(tz, upd.starts_at));
    }
    if upd.service_id != cur.service_id {
        note("service", "Service", cur.service_name.clone(), service_name);
    }
    if associate_changed {
        note(
            "staff",
            "Associate",
            cur.associate_name.clone().unwrap_or_else(|| "nobody".into()),
            new_associate_name.clone().unwrap_or_default(),
        );
    }
    if notes.as_str() != cur.notes {
        note(
            "details",
            "Notes",
            if cur.notes.is_empty() { "none".into() } else { cur.notes.clone() },
            if notes.as_str().is_empty() {
                "none".into()
            } else {
                notes.as_str().into()
            },
        );
    }
    let communication_changed = upd.client_communication.as_str() != cur.client_communication;
    let asks_client = upd.ask_client_to_confirm && cur.status != AppointmentStatus::PendingClientApproval.as_str();
    if asks_client {
        note("status", "Status", "as booked".into(), "awaiting the client's confirmation".into());
    }
    if changes.is_empty() && !communication_changed {
        return Ok(()); // nothing changed: no version, no event
    }
    sqlx::query(
        "UPDATE appointments SET starts_at = ?, ends_at = ?, service_id = ?, associate_id = ?, notes = ?, client_communication = ?,
             status = CASE WHEN ? THEN 'PendingClientApproval' ELSE status END
         WHERE id = ?",
    )
    .bind(upd.starts_at)
    .bind(upd.starts_at + duration * 60)
    .bind(upd.service_id)
    .bind(upd.associate_id)
    .bind(notes.as_str())
    .bind(upd.client_communication.as_str())
    .bind(asks_client)
    .bind(id)
    .execute(tx.conn())
    .await?;
    let happening = match (associate_changed, upd.associate_id) {
        (true, Some(new)) => {
            scheduler::unschedule(tx, scheduler::ESCALATE, id).await?;
            Happening::Assigned {
                previous: cur.associate_id,
                new,
            }
        }
        _ => Happening::Updated {
            associate_id: upd.associate_id,
            changes: changes.clone(),
        },
    };
    finish(tx, id, Actor::Staff(actor_id), happening, changed_fields, changes, &cur, now).await
}

/// Which lifecycle step a staff member takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Step {
    Approve,
    NoShow,
    Complete,
}

pub async fn step(state: &AppState, actor_id: i64, id: i64, step: Step) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| Box::pin(async move { step_in(tx, actor_id, id, step, now).await }))
        .await
}

async fn step_in(tx: &mut Tx, actor_id: i64, id: i64, step: Step, now: i64) -> Result<(), AppError> {
    let cur = load_current(tx, id).await?;
    let a = cur.associate_id;
    let (happening, field, sql) = match step {
        Step::Approve => {
            authorize(tx, actor_id, &cur, Need::Manager, "approve requests").await?;
            ensure_open(&cur)?;
            if cur.status != AppointmentStatus::PendingStaffApproval.as_str() {
                return Err(AppError::Conflict("Only requests awaiting approval can be approved.".into()));
            }
            (
                Happening::Approved { associate_id: a },
                "status",
                "UPDATE appointments SET status = 'Approved' WHERE id = ?",
            )
        }
        Step::NoShow => {
            authorize(tx, actor_id, &cur, Need::ManagerOrAssignedAssociate, "mark no-shows").await?;
            ensure_open(&cur)?;
            if cur.presence == "NoShow" {
                return Err(AppError::Conflict("This appointment is already marked as a no-show.".into()));
            }
            if cur.starts_at > now {
                return Err(AppError::Conflict(
                    "An appointment can be marked as a no-show once its start time has passed.".into(),
                ));
            }
            (
                Happening::NoShow { associate_id: a },
                "presence",
                "UPDATE appointments SET presence = 'NoShow' WHERE id = ?",
            )
        }
        Step::Complete => {
            authorize(tx, actor_id, &cur, Need::ManagerOrAssignedAssociate, "complete appointments").await?;
            ensure_open(&cur)?;
            if cur.status != AppointmentStatus::Approved.as_str() {
                return Err(AppError::Conflict("Only confirmed appointments can be completed.".into()));
            }
            if cur.starts_at > now {
                return Err(AppError::Conflict("An appointment can be completed once it has started.".into()));
            }
            (
                Happening::Completed { associate_id: a },
                "completed",
                "UPDATE appointments SET completed = 1 WHERE id = ?",
            )
        }
    };
    sqlx::query(sql).bind(id).execute(tx.conn()).await?;
    if step == Step::Complete {
        scheduler::schedule_recall(tx, id, now).await?;
    }
    finish(tx, id, Actor::Staff(actor_id), happening, vec![field.into()], vec![], &cur, now).await
}

pub async fn cancel(state: &AppState, actor: Actor, id: i64, reason: String) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| Box::pin(async move { cancel_in(tx, actor, id, reason, now).await }))
        .await
}

/// Cancels for a staff member or (from the tracking page) the client.
pub async fn cancel_in(tx: &mut Tx, actor: Actor, id: i64, reason: String, now: i64) -> Result<(), AppError> {
    let reason = reason.trim().to_string();
    if reason.chars().count() > 500 {
        return Err(AppError::field("reason", "Please keep the reason under 500 characters."));
    }
    let cur = load_current(tx, id).await?;
    if let Actor::Staff(actor_id) = actor {
        authorize(tx, actor_id, &cur, Need::ManagerOrAssignedAssociate, "cancel it").await?;
    }
    ensure_open(&cur)?;
    sqlx::query("UPDATE appointments SET status = 'Cancelled', cancel_reason = ? WHERE id = ?")
        .bind(&reason)
        .bind(id)
        .execute(tx.conn())
        .await?;
    scheduler::unschedule(tx, scheduler::ESCALATE, id).await?;
    finish(
        tx,
        id,
        actor,
        Happening::Cancelled {
            associate_id: cur.associate_id,
        },
        vec!["status".into()],
        vec![],
        &cur,
        now,
    )
    .await
}

/// Staff create an appointment for a client of one of their stores. Returns its id.
pub async fn create(state: &AppState, actor_id: i64, new: NewAppointment) -> Result<i64, AppError> {
    let now = state.clock.now();
    let key = state.tracking.clone();
    state
        .db
        .write(move |tx| Box::pin(async move { create_in(tx, &key, actor_id, new, now).await }))
        .await
}

async fn create_in(tx: &mut Tx, key: &TrackingKey, actor_id: i64, new: NewAppointment, now: i64) -> Result<i64, AppError> {
    let client: Option<(i64, String, bool, bool)> =
        sqlx::query_as("SELECT store_id, name, email IS NOT NULL, mobile IS NOT NULL FROM clients WHERE id = ?")
            .bind(new.client_id)
            .fetch_optional(tx.conn())
            .await?;
    let Some((store_id, client_name, has_email, has_mobile)) = client else {
        return Err(AppError::NotFound("No such client.".into()));
    };
    let manager = can_manage(tx.conn(), actor_id, store_id).await?;
    let role: Option<(String,)> = sqlx::query_as("SELECT role FROM store_members WHERE staff_id = ? AND store_id = ?")
        .bind(actor_id)
        .bind(store_id)
        .fetch_optional(tx.conn())
        .await?;
    if !manager && role.is_none() {
        return Err(AppError::NotFound("No such client.".into()));
    }
    if !manager && new.associate_id != Some(actor_id) {
        return Err(AppError::Forbidden("Associates can only book appointments with themselves.".into()));
    }
    let notes = Notes::parse(&new.notes).map_err(|m| AppError::field("notes", m))?;
    let (service_name, duration) = service_of_store(tx, store_id, new.service_id).await?;
    let associate_name = match new.associate_id {
        Some(a) => Some(associate_of_store(tx, store_id, a).await?),
        None => None,
    };
    check_time(tx, store_id, new.starts_at, duration, new.associate_id, None, now).await?;
    let status = if new.ask_client_to_confirm {
        AppointmentStatus::PendingClientApproval
    } else {
        AppointmentStatus::Approved
    };
    // The placeholder hash is replaced by the signed link's right below.
    let (_, placeholder_hash) = new_token();
    // Reminders go where the client can be reached: email, else text.
    let (remind_by_email, remind_by_sms) = (has_email, !has_email && has_mobile);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO appointments (store_id, client_id, service_id, associate_id, starts_at, ends_at, status, client_communication,
            source, notes, remind_by_email, remind_by_sms, tracking_token_hash, version, modified_by_kind, modified_by_staff_id,
            created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'staff', ?, ?, ?, ?, 1, 'staff', ?, ?, ?) RETURNING id",
    )
    .bind(store_id)
    .bind(new.client_id)
    .bind(new.service_id)
    .bind(new.associate_id)
    .bind(new.starts_at)
    .bind(new.starts_at + duration * 60)
    .bind(status.as_str())
    .bind(new.client_communication.as_str())
    .bind(notes.as_str())
    .bind(remind_by_email)
    .bind(remind_by_sms)
    .bind(placeholder_hash)
    .bind(actor_id)
    .bind(now)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    tracking::issue(tx, key, id).await?;
    record_version(tx, id, now).await?;
    let store = store_by_id(tx.conn(), store_id).await?;
    let payload = EventPayload {
        conversation_id: None,
        preview: String::new(),
        happening: Happening::Created {
            source: Source::Staff,
            associate_id: new.associate_id,
        },
        appointment: AppointmentFacts {
            store: store.name.clone(),
            client: client_name,
            service: service_name,
            when: time::human(store.tz(), new.starts_at),
            starts_at: new.starts_at,
            associate_id: new.associate_id,
            associate: associate_name,
            status,
            version: 1,
            changed_fields: vec![],
            changes: vec![],
            by: staff_name(tx, actor_id).await?,
            ends_at: new.starts_at + duration * 60,
            client_communication: new.client_communication,
            previous_starts_at: None,
            previous_associate_id: None,
            previous_associate: None,
        },
    };
    append_event(tx, store_id, id, Actor::Staff(actor_id), &payload, now).await?;
    if new.associate_id.is_none() {
        scheduler::schedule_escalation(tx, store_id, id, now).await?;
    }
    scheduler::plan_client_jobs(tx, id, now).await?;
    Ok(id)
}

/// The client's side of an appointment, as the tracking page acts on it.
#[derive(sqlx::FromRow)]
struct ClientView {
    id: i64,
    status: String,
    presence: String,
    completed: bool,
    starts_at: i64,
    client_cutoff_hours: i64,
    language: String,
}

/// Resolves a tracking token and checks the rule for `action`, in the
/// writer's transaction so nothing changes between the check and the write.
async fn client_may(tx: &mut Tx, token: &str, action: ClientAction, lang: Option<&str>, now: i64) -> Result<Current, AppError> {
    let not_found = || AppError::NotFound("This booking link is not valid. Please check the link in your message.".into());
    let id = tracking::find(tx.conn(), token).await?.ok_or_else(not_found)?;
    let v: ClientView = sqlx::query_as(
        "SELECT a.id, a.status, a.presence, a.completed, a.starts_at, s.client_cutoff_hours, c.language
         FROM appointments a JOIN stores s ON s.id = a.store_id JOIN clients c ON c.id = a.client_id WHERE a.id = ?",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    let state = BookingState {
        status: AppointmentStatus::parse(&v.status).unwrap_or(AppointmentStatus::Cancelled),
        no_show: v.presence == "NoShow",
        completed: v.completed,
        starts_at: v.starts_at,
        cutoff_hours: v.client_cutoff_hours,
    };
    if let Err(refusal) = state.check(action, now) {
        return Err(AppError::Conflict(
            refusal.message(lang.unwrap_or(&v.language), v.client_cutoff_hours),
        ));
    }
    load_current(tx, v.id).await
}

/// The client cancels from the tracking page.
pub async fn client_cancel(state: &AppState, token: String, reason: String, lang: Option<String>) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let cur = client_may(tx, &token, ClientAction::Cancel, lang.as_deref(), now).await?;
                cancel_in(tx, Actor::Client, cur.id, reason, now).await
            })
        })
        .await
}

/// The client accepts the change the store proposed.
pub async fn client_confirm(state: &AppState, token: String, lang: Option<String>) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let cur = client_may(tx, &token, ClientAction::Confirm, lang.as_deref(), now).await?;
                sqlx::query("UPDATE appointments SET status = 'Approved' WHERE id = ?")
                    .bind(cur.id)
                    .execute(tx.conn())
                    .await?;
                let happening = Happening::Approved {
                    associate_id: cur.associate_id,
                };
                finish(tx, cur.id, Actor::Client, happening, vec!["status".into()], vec![], &cur, now).await
            })
        })
        .await
}

/// The client moves their booking to another free time, same service and
/// associate. Picking a time themselves also settles a change the store had
/// proposed.
pub async fn client_modify(state: &AppState, token: String, starts_at: i64, lang: Option<String>) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let cur = client_may(tx, &token, ClientAction::Modify, lang.as_deref(), now).await?;
                if starts_at == cur.starts_at {
                    return Ok(()); // the same time: nothing to change
                }
                let duration_min = (cur.ends_at - cur.starts_at) / 60;
                check_time(tx, cur.store_id, starts_at, duration_min, cur.associate_id, Some(cur.id), now).await?;
                let settles_proposal = cur.status == AppointmentStatus::PendingClientApproval.as_str();
                sqlx::query(
                    "UPDATE appointments SET starts_at = ?, ends_at = ?, status = CASE WHEN ? THEN 'Approved' ELSE status END WHERE id = ?",
                )
                .bind(starts_at)
                .bind(starts_at + duration_min * 60)
                .bind(settles_proposal)
                .bind(cur.id)
                .execute(tx.conn())
                .await?;
                let tz = store_by_id(tx.conn(), cur.store_id).await?.tz();
                let changes = vec![FieldChange {
                    field: "When".into(),
                    from: time::human(tz, cur.starts_at),
                    to: time::human(tz, starts_at),
                }];
                let mut fields = vec!["start".to_string()];
                if settles_proposal {
                    fields.push("status".into());
                }
                let happening = Happening::Updated {
                    associate_id: cur.associate_id,
                    changes: changes.clone(),
                };
                finish(tx, cur.id, Actor::Client, happening, fields, changes, &cur, now).await
            })
        })
        .await
}
