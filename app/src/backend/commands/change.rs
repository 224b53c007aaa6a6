//! Every change to an appointment after it was booked: staff edits (time,
//! service, associate, notes, "ask the client to confirm"), assignment,
//! approval, no-show, completion, cancellation; staff-created appointments;
//! and the client's own actions from the tracking page. Each checks the
//! access policy (or, for the client, the booking rules the messages
//! advertise) inside the writer's transaction and ends in `record::finish`.

use super::record::{self, Change};
use crate::backend::availability::{self, Need};
use crate::backend::store::appointments::{Current, Edit};
use crate::backend::store::idempotency::{self, Once, Seen};
use crate::backend::store::stores::StoreRow;
use crate::backend::store::{self, Conn, Tx};
use crate::backend::tracking::{self, TrackingKey};
use crate::backend::{time, AppState};
use crate::domain::appointment::{AppointmentStatus, ChangedField, Presence, Source};
use crate::domain::event::{Actor, FieldChange, Happening};
use crate::domain::ids::{AppointmentId, ServiceId, StaffId, StoreId};
use crate::domain::parse::Notes;
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::model::{AppointmentUpdate, Me, NewAppointment};
use crate::rules::access::{Action, AppointmentAction};
use crate::rules::client::{BookingState, ClientAction};

const NO_SUCH_APPOINTMENT: &str = "No such appointment.";

/// `Ok` when `me` may take `action` on the appointment `c` (404 when it is not theirs to see).
pub(crate) fn allow(me: &Me, action: AppointmentAction, c: &Current) -> Result<(), AppError> {
    let a = Action::Appointment {
        action,
        store: c.store_id,
        associate: c.associate_id,
    };
    super::allow(me, a, NO_SUCH_APPOINTMENT)
}

fn ensure_open(c: &Current) -> Result<(), AppError> {
    if c.status == AppointmentStatus::Cancelled {
        return Err(AppError::Conflict("This appointment is cancelled.".into()));
    }
    if c.completed {
        return Err(AppError::Conflict("This appointment is completed.".into()));
    }
    ensure_counts(c)
}

/// Held for its deposit, nobody has been told of a booking yet, and it may
/// never count: a change now would announce (bell, webhooks) a booking that
/// does not exist for them.
fn ensure_counts(c: &Current) -> Result<(), AppError> {
    if c.held_until.is_some() {
        return Err(AppError::Conflict(
            "This online booking waits for the client's deposit: it can be changed once it is paid (unpaid, it is released).".into(),
        ));
    }
    Ok(())
}

async fn store_of(conn: &mut Conn, id: StoreId) -> Result<StoreRow, AppError> {
    store::stores::by_id(conn, id).await?.ok_or(AppError::Internal)
}

async fn associate_of_store(conn: &mut Conn, store_id: StoreId, associate_id: StaffId) -> Result<String, AppError> {
    store::staff::associate_name(conn, store_id, associate_id)
        .await?
        .ok_or_else(|| AppError::field("associate", "Please choose an associate of this store."))
}

async fn service_of_store(conn: &mut Conn, store_id: StoreId, service_id: ServiceId) -> Result<(String, Need), AppError> {
    let service = store::services::active_one(conn, store_id, service_id)
        .await?
        .ok_or_else(|| AppError::field("service", "Please choose a service of this store."))?;
    let need = Need::of(conn, &service).await?;
    Ok((service.name, need))
}

/// A manager (or admin) gives an appointment to an associate of its store.
pub async fn assign(state: &AppState, me: &Me, id: AppointmentId, associate_id: StaffId) -> Result<(), AppError> {
    let now = state.clock.now();
    let me = me.clone();
    state
        .db
        .write(move |tx| Box::pin(async move { assign_in(tx, &me, id, associate_id, now).await }))
        .await
}

async fn assign_in(tx: &mut Tx, me: &Me, id: AppointmentId, associate_id: StaffId, now: UnixTime) -> Result<(), AppError> {
    let cur = record::load(tx.conn(), id).await?;
    allow(me, AppointmentAction::Assign, &cur)?;
    if cur.status == AppointmentStatus::Cancelled {
        return Err(AppError::Conflict("This appointment is cancelled; it cannot be assigned.".into()));
    }
    ensure_counts(&cur)?;
    let associate_name = associate_of_store(tx.conn(), cur.store_id, associate_id).await?;
    if cur.associate_id == Some(associate_id) {
        return Ok(()); // already theirs: no change, no event
    }
    if store::appointments::associate_is_busy(tx.conn(), associate_id, id, cur.starts_at, cur.ends_at).await? {
        return Err(AppError::Conflict(format!(
            "{associate_name} already has an appointment at that time."
        )));
    }
    store::appointments::set_associate(tx, id, associate_id).await?;
    let change = Change {
        actor: Actor::Staff(me.id),
        happening: Happening::Assigned {
            previous: cur.associate_id,
            new: associate_id,
        },
        changed_fields: vec![ChangedField::Staff],
        changes: vec![FieldChange {
            field: "Associate".into(),
            from: cur.associate_name.clone().unwrap_or_else(|| "nobody".into()),
            to: associate_name,
        }],
    };
    record::finish(tx, id, change, &cur, now).await
}

/// Staff edit an appointment: the whole desired state.
pub async fn update(state: &AppState, me: &Me, id: AppointmentId, upd: AppointmentUpdate) -> Result<(), AppError> {
    let now = state.clock.now();
    let me = me.clone();
    state
        .db
        .write(move |tx| Box::pin(async move { update_in(tx, &me, id, upd, now).await }))
        .await
}

async fn update_in(tx: &mut Tx, me: &Me, id: AppointmentId, upd: AppointmentUpdate, now: UnixTime) -> Result<(), AppError> {
    let cur = record::load(tx.conn(), id).await?;
    allow(me, AppointmentAction::Change, &cur)?;
    ensure_open(&cur)?;
    let notes = Notes::parse(&upd.notes).map_err(|m| AppError::field("notes", m))?;
    let (service_name, need) = service_of_store(tx.conn(), cur.store_id, upd.service_id).await?;
    let associate_changed = upd.associate_id != cur.associate_id;
    if associate_changed {
        if upd.associate_id.is_none() {
            return Err(AppError::field(
                "associate",
                "An assigned appointment needs an associate; choose one.",
            ));
        }
        allow(me, AppointmentAction::Assign, &cur)?;
    }
    let new_associate_name = match upd.associate_id {
        Some(a) if associate_changed => Some(associate_of_store(tx.conn(), cur.store_id, a).await?),
        _ => cur.associate_name.clone(),
    };
    let store = store_of(tx.conn(), cur.store_id).await?;
    let time_changed = upd.starts_at != cur.starts_at || upd.service_id != cur.service_id;
    if time_changed || associate_changed {
        availability::check(tx.conn(), &store, upd.starts_at, &need, upd.associate_id, Some(id), now).await?;
    }
    let tz = time::zone(&store.time_zone);
    let mut changed_fields = Vec::new();
    let mut changes = Vec::new();
    let mut note = |field: ChangedField, label: &str, from: String, to: String| {
        changed_fields.push(field);
        changes.push(FieldChange {
            field: label.into(),
            from,
            to,
        });
    };
    if upd.starts_at != cur.starts_at {
        note(
            ChangedField::Start,
            "When",
            time::human(tz, cur.starts_at),
            time::human(tz, upd.starts_at),
        );
    }
    if upd.service_id != cur.service_id {
        note(ChangedField::Service, "Service", cur.service_name.clone(), service_name);
    }
    if associate_changed {
        note(
            ChangedField::Staff,
            "Associate",
            cur.associate_name.clone().unwrap_or_else(|| "nobody".into()),
            new_associate_name.clone().unwrap_or_default(),
        );
    }
    if notes.as_str() != cur.notes {
        let words = |n: &str| if n.is_empty() { "none".to_string() } else { n.to_string() };
        note(ChangedField::Details, "Notes", words(&cur.notes), words(notes.as_str()));
    }
    let communication_changed = upd.client_communication != cur.client_communication;
    let asks_client = upd.ask_client_to_confirm && cur.status != AppointmentStatus::PendingClientApproval;
    if asks_client {
        note(
            ChangedField::Status,
            "Status",
            "as booked".into(),
            "awaiting the client's confirmation".into(),
        );
    }
    if changes.is_empty() && !communication_changed {
        return Ok(()); // nothing changed: no version, no event
    }
    let edit = Edit {
        starts_at: upd.starts_at,
        ends_at: upd.starts_at + need.duration,
        service_id: upd.service_id,
        associate_id: upd.associate_id,
        notes: notes.as_str(),
        client_communication: upd.client_communication,
        status: if asks_client {
            AppointmentStatus::PendingClientApproval
        } else {
            cur.status
        },
    };
    store::appointments::apply_edit(tx, id, edit).await?;
    let happening = match (associate_changed, upd.associate_id) {
        (true, Some(new)) => Happening::Assigned {
            previous: cur.associate_id,
            new,
        },
        _ => Happening::Updated {
            associate_id: upd.associate_id,
            changes: changes.clone(),
        },
    };
    let change = Change {
        actor: Actor::Staff(me.id),
        happening,
        changed_fields,
        changes,
    };
    record::finish(tx, id, change, &cur, now).await
}

/// Which lifecycle step a staff member takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Step {
    Approve,
    NoShow,
    Complete,
}

pub async fn step(state: &AppState, me: &Me, id: AppointmentId, step: Step) -> Result<(), AppError> {
    let now = state.clock.now();
    let me = me.clone();
    state
        .db
        .write(move |tx| Box::pin(async move { step_in(tx, &me, id, step, now).await }))
        .await
}

async fn step_in(tx: &mut Tx, me: &Me, id: AppointmentId, step: Step, now: UnixTime) -> Result<(), AppError> {
    let cur = record::load(tx.conn(), id).await?;
    let a = cur.associate_id;
    let (happening, field) = match step {
        Step::Approve => {
            allow(me, AppointmentAction::Approve, &cur)?;
            ensure_open(&cur)?;
            if cur.status != AppointmentStatus::PendingStaffApproval {
                return Err(AppError::Conflict("Only requests awaiting approval can be approved.".into()));
            }
            store::appointments::set_status(tx, id, AppointmentStatus::Approved).await?;
            (Happening::Approved { associate_id: a }, ChangedField::Status)
        }
        Step::NoShow => {
            allow(me, AppointmentAction::MarkNoShow, &cur)?;
            ensure_open(&cur)?;
            if cur.presence == Presence::NoShow {
                return Err(AppError::Conflict("This appointment is already marked as a no-show.".into()));
            }
            if cur.starts_at > now {
                return Err(AppError::Conflict(
                    "An appointment can be marked as a no-show once its start time has passed.".into(),
                ));
            }
            store::appointments::set_presence(tx, id, Presence::NoShow).await?;
            (Happening::NoShow { associate_id: a }, ChangedField::Presence)
        }
        Step::Complete => {
            allow(me, AppointmentAction::Complete, &cur)?;
            ensure_open(&cur)?;
            if cur.status != AppointmentStatus::Approved {
                return Err(AppError::Conflict("Only confirmed appointments can be completed.".into()));
            }
            if cur.starts_at > now {
                return Err(AppError::Conflict("An appointment can be completed once it has started.".into()));
            }
            store::appointments::set_completed(tx, id).await?;
            (Happening::Completed { associate_id: a }, ChangedField::Completed)
        }
    };
    let change = Change {
        actor: Actor::Staff(me.id),
        happening,
        changed_fields: vec![field],
        changes: vec![],
    };
    record::finish(tx, id, change, &cur, now).await
}

/// A staff member cancels.
pub async fn cancel(state: &AppState, me: &Me, id: AppointmentId, reason: String) -> Result<(), AppError> {
    let now = state.clock.now();
    let me = me.clone();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let cur = record::load(tx.conn(), id).await?;
                allow(&me, AppointmentAction::Cancel, &cur)?;
                cancel_in(tx, Actor::Staff(me.id), cur, reason, now).await
            })
        })
        .await
}

/// Cancels for a staff member (checked by the caller) or the client.
async fn cancel_in(tx: &mut Tx, actor: Actor, cur: Current, reason: String, now: UnixTime) -> Result<(), AppError> {
    let reason = reason.trim().to_string();
    if reason.chars().count() > 500 {
        return Err(AppError::field("reason", "Please keep the reason under 500 characters."));
    }
    ensure_open(&cur)?;
    store::appointments::cancel(tx, cur.id, &reason).await?;
    let change = Change {
        actor,
        happening: Happening::Cancelled {
            associate_id: cur.associate_id,
        },
        changed_fields: vec![ChangedField::Status],
        changes: vec![],
    };
    record::finish(tx, cur.id, change, &cur, now).await
}

/// Staff create an appointment for a client of one of their stores. Returns
/// its id. With an idempotency key (the REST API's header, scoped to the
/// caller), the same request again returns the id the first made.
pub async fn create(
    state: &AppState,
    me: &Me,
    new: NewAppointment,
    idempotency_key: Option<(String, String)>,
) -> Result<AppointmentId, AppError> {
    let now = state.clock.now();
    let key = state.tracking.clone();
    let me = me.clone();
    let scope = format!("staff:{}", me.id);
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let once = idempotency_key.as_ref().map(|(k, request_hash)| Once {
                    scope: &scope,
                    key: k,
                    request_hash,
                });
                if let Some(o) = &once {
                    match idempotency::seen(tx, o, now).await? {
                        Seen::New => {}
                        Seen::Same(id) => return Ok(id),
                        Seen::Different => return Err(crate::backend::store::idempotency::key_reused()),
                    }
                }
                let id = create_in(tx, &key, &me, new, now).await?;
                if let Some(o) = &once {
                    idempotency::remember(tx, o, id, now).await?;
                }
                Ok(id)
            })
        })
        .await
}

async fn create_in(tx: &mut Tx, key: &TrackingKey, me: &Me, new: NewAppointment, now: UnixTime) -> Result<AppointmentId, AppError> {
    let client = store::clients::by_id(tx.conn(), new.client_id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such client.".into()))?;
    let action = Action::BookFor {
        store: client.store_id,
        associate: new.associate_id,
    };
    super::allow(me, action, "No such client.")?;
    let notes = Notes::parse(&new.notes).map_err(|m| AppError::field("notes", m))?;
    let (_, need) = service_of_store(tx.conn(), client.store_id, new.service_id).await?;
    if let Some(a) = new.associate_id {
        associate_of_store(tx.conn(), client.store_id, a).await?;
    }
    let store = store_of(tx.conn(), client.store_id).await?;
    availability::check(tx.conn(), &store, new.starts_at, &need, new.associate_id, None, now).await?;
    let status = if new.ask_client_to_confirm {
        AppointmentStatus::PendingClientApproval
    } else {
        AppointmentStatus::Approved
    };
    let actor = Actor::Staff(me.id);
    // Reminders go where the client can be reached: email, else text.
    let (remind_by_email, remind_by_sms) = (client.email.is_some(), client.email.is_none() && client.mobile.is_some());
    let id = store::appointments::insert(
        tx,
        store::appointments::NewRow {
            store_id: client.store_id,
            client_id: new.client_id,
            service_id: new.service_id,
            associate_id: new.associate_id,
            starts_at: new.starts_at,
            ends_at: new.starts_at + need.duration,
            status,
            client_communication: new.client_communication,
            source: Source::Staff,
            notes: notes.as_str(),
            remind_by_email,
            remind_by_sms,
            placeholder_token_hash: tracking::placeholder_hash(),
            actor,
            now,
            held_until: None,
        },
    )
    .await?;
    tracking::issue(tx, key, id).await?;
    let happening = Happening::Created {
        source: Source::Staff,
        associate_id: new.associate_id,
        awaiting_approval: false,
    };
    record::created(tx, id, actor, happening, now).await?;
    Ok(id)
}

/// Resolves a tracking token and checks the booking rule for `action`, in
/// the writer's transaction so nothing changes between the check and the write.
async fn client_may(tx: &mut Tx, token: &str, action: ClientAction, lang: Option<&str>, now: UnixTime) -> Result<Current, AppError> {
    let not_found = crate::backend::tracking::invalid_link;
    let id = tracking::find(tx.conn(), token).await?.ok_or_else(not_found)?;
    let cur = record::load(tx.conn(), id).await?;
    let store = store_of(tx.conn(), cur.store_id).await?;
    let state = BookingState {
        status: cur.status,
        presence: cur.presence,
        completed: cur.completed,
        starts_at: cur.starts_at,
        cutoff_hours: store.client_cutoff_hours,
        held: cur.held_until.is_some(),
    };
    if let Err(refusal) = state.check(action, now) {
        return Err(AppError::Conflict(
            refusal.message(lang.unwrap_or(cur.client_language.code()), store.client_cutoff_hours),
        ));
    }
    Ok(cur)
}

/// The client cancels from the tracking page.
pub async fn client_cancel(state: &AppState, token: String, reason: String, lang: Option<String>) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let cur = client_may(tx, &token, ClientAction::Cancel, lang.as_deref(), now).await?;
                cancel_in(tx, Actor::Client, cur, reason, now).await
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
                store::appointments::set_status(tx, cur.id, AppointmentStatus::Approved).await?;
                let change = Change {
                    actor: Actor::Client,
                    happening: Happening::Approved {
                        associate_id: cur.associate_id,
                    },
                    changed_fields: vec![ChangedField::Status],
                    changes: vec![],
                };
                record::finish(tx, cur.id, change, &cur, now).await
            })
        })
        .await
}

/// The client moves their booking to another free time, same service and
/// associate. Picking a time themselves also settles a change the store had
/// proposed.
pub async fn client_modify(state: &AppState, token: String, starts_at: UnixTime, lang: Option<String>) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let cur = client_may(tx, &token, ClientAction::Modify, lang.as_deref(), now).await?;
                if starts_at == cur.starts_at {
                    return Ok(()); // the same time: nothing to change
                }
                let store = store_of(tx.conn(), cur.store_id).await?;
                let need = Need::of_appointment(tx.conn(), cur.service_id, cur.duration()).await?;
                availability::check(tx.conn(), &store, starts_at, &need, cur.associate_id, Some(cur.id), now).await?;
                let settles_proposal = cur.status == AppointmentStatus::PendingClientApproval;
                let status = if settles_proposal {
                    AppointmentStatus::Approved
                } else {
                    cur.status
                };
                store::appointments::reschedule(tx, cur.id, starts_at, starts_at + cur.duration(), status).await?;
                let tz = time::zone(&store.time_zone);
                let changes = vec![FieldChange {
                    field: "When".into(),
                    from: time::human(tz, cur.starts_at),
                    to: time::human(tz, starts_at),
                }];
                let mut changed_fields = vec![ChangedField::Start];
                if settles_proposal {
                    changed_fields.push(ChangedField::Status);
                }
                let change = Change {
                    actor: Actor::Client,
                    happening: Happening::Updated {
                        associate_id: cur.associate_id,
                        changes: changes.clone(),
                    },
                    changed_fields,
                    changes,
                };
                record::finish(tx, cur.id, change, &cur, now).await
            })
        })
        .await
}
