//! People a client brings along. They hear of the booking's changes when its
//! `client_communication` is `ClientAndAttendees` (see the client message channel).

use crate::backend::store::{self, Tx};
use crate::backend::tracking::{self, TrackingKey};
use crate::backend::AppState;
use crate::domain::ids::{AppointmentId, AttendeeId};
use crate::domain::parse::{EmailAddress, PersonName};
use crate::domain::time::UnixTime;
use crate::error::{AppError, FieldError};
use crate::model::{AttendeeInput, Me};
use crate::rules::access::{Action, AppointmentAction};

/// A booking takes at most this many attendees.
pub const MAX: usize = 5;

/// A parsed attendee: holding one means the name and email are valid.
pub struct Attendee {
    pub name: PersonName,
    pub email: EmailAddress,
}

/// Parses the form's attendees, naming each bad field (`attendees.0.email`).
pub fn parse_all(list: &[AttendeeInput]) -> Result<Vec<Attendee>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if list.len() > MAX {
        errors.push(FieldError {
            field: "attendees".into(),
            message: format!("A booking can take at most {MAX} attendees."),
        });
        return Err(errors);
    }
    let mut out = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let name = PersonName::parse(&a.name).map_err(|m| {
            errors.push(FieldError {
                field: format!("attendees.{i}.name"),
                message: m,
            })
        });
        let email = EmailAddress::parse(&a.email).map_err(|m| {
            errors.push(FieldError {
                field: format!("attendees.{i}.email"),
                message: m,
            })
        });
        if let (Ok(name), Ok(email)) = (name, email) {
            out.push(Attendee { name, email });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Adds attendees, each with their own link.
pub async fn insert(
    tx: &mut Tx,
    key: &TrackingKey,
    appointment_id: AppointmentId,
    list: &[Attendee],
    now: UnixTime,
) -> Result<(), AppError> {
    for a in list {
        let id = store::attendees::insert(tx, appointment_id, a.name.as_str(), &a.email.as_str().to_lowercase(), now).await?;
        tracking::issue_guest(tx, key, id).await?;
    }
    Ok(())
}

/// An attendee drops out through their own link: they are told nothing more
/// and no longer listed. Leaving twice is no error.
pub async fn leave(state: &AppState, token: &str) -> Result<(), AppError> {
    let not_found = crate::backend::tracking::invalid_link;
    let guest = tracking::find_guest(&mut *state.db.reader().await?, token)
        .await?
        .ok_or_else(not_found)?;
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                store::attendees::leave(tx, guest.id, now).await?;
                Ok(())
            })
        })
        .await
}

/// Staff who may change the appointment may change who comes along.
async fn authorize(tx: &mut Tx, me: &Me, appointment_id: AppointmentId) -> Result<(), AppError> {
    let c = super::record::load(tx.conn(), appointment_id).await?;
    let action = Action::Appointment {
        action: AppointmentAction::EditAttendees,
        store: c.store_id,
        associate: c.associate_id,
    };
    super::allow(me, action, "No such appointment.")
}

pub async fn add(state: &AppState, me: &Me, appointment_id: AppointmentId, input: AttendeeInput) -> Result<(), AppError> {
    let parsed = parse_all(std::slice::from_ref(&input)).map_err(|mut errors| {
        for e in &mut errors {
            e.field = e.field.trim_start_matches("attendees.0.").to_string();
        }
        AppError::invalid(errors)
    })?;
    let now = state.clock.now();
    let me = me.clone();
    let key = state.tracking.clone();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                authorize(tx, &me, appointment_id).await?;
                if store::attendees::count(tx.conn(), appointment_id).await? as usize >= MAX {
                    return Err(AppError::field("name", format!("A booking can take at most {MAX} attendees.")));
                }
                insert(tx, &key, appointment_id, &parsed, now).await
            })
        })
        .await
}

pub async fn remove(state: &AppState, me: &Me, appointment_id: AppointmentId, attendee_id: AttendeeId) -> Result<(), AppError> {
    let me = me.clone();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                authorize(tx, &me, appointment_id).await?;
                if !store::attendees::delete(tx, appointment_id, attendee_id).await? {
                    return Err(AppError::NotFound("No such attendee.".into()));
                }
                Ok(())
            })
        })
        .await
}
