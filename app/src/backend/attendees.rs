//! People a client brings along. They hear of the booking's changes when its
//! `client_communication` is `ClientAndAttendees` (see `client_messages`).

use super::booking::can_manage;
use super::db::Tx;
use super::AppState;
use crate::domain::parse::{EmailAddress, PersonName};
use crate::error::{AppError, FieldError};
use crate::model::{AttendeeInput, AttendeeView, Me};

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

pub async fn insert(tx: &mut Tx, appointment_id: i64, list: &[Attendee], now: i64) -> Result<(), AppError> {
    for a in list {
        sqlx::query("INSERT INTO attendees (appointment_id, name, email, created_at) VALUES (?, ?, ?, ?)")
            .bind(appointment_id)
            .bind(a.name.as_str())
            .bind(a.email.as_str().to_lowercase())
            .bind(now)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

pub async fn list(state: &AppState, appointment_id: i64) -> Result<Vec<AttendeeView>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as("SELECT id, name, email FROM attendees WHERE appointment_id = ? ORDER BY id")
        .bind(appointment_id)
        .fetch_all(&state.db.read)
        .await?;
    Ok(rows.into_iter().map(|(id, name, email)| AttendeeView { id, name, email }).collect())
}

/// Staff who may change the appointment may change who comes along.
async fn authorize(tx: &mut Tx, me: &Me, appointment_id: i64) -> Result<(), AppError> {
    let row: Option<(i64, Option<i64>)> = sqlx::query_as("SELECT store_id, associate_id FROM appointments WHERE id = ?")
        .bind(appointment_id)
        .fetch_optional(tx.conn())
        .await?;
    let Some((store_id, associate_id)) = row else {
        return Err(AppError::NotFound("No such appointment.".into()));
    };
    if associate_id == Some(me.id) || can_manage(tx.conn(), me.id, store_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("No such appointment.".into()))
    }
}

pub async fn add(state: &AppState, me: &Me, appointment_id: i64, input: AttendeeInput) -> Result<(), AppError> {
    let parsed = parse_all(std::slice::from_ref(&input)).map_err(|mut errors| {
        for e in &mut errors {
            e.field = e.field.trim_start_matches("attendees.0.").to_string();
        }
        AppError::invalid(errors)
    })?;
    let now = state.clock.now();
    let me = me.clone();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                authorize(tx, &me, appointment_id).await?;
                let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attendees WHERE appointment_id = ?")
                    .bind(appointment_id)
                    .fetch_one(tx.conn())
                    .await?;
                if count as usize >= MAX {
                    return Err(AppError::field("name", format!("A booking can take at most {MAX} attendees.")));
                }
                insert(tx, appointment_id, &parsed, now).await
            })
        })
        .await
}

pub async fn remove(state: &AppState, me: &Me, appointment_id: i64, attendee_id: i64) -> Result<(), AppError> {
    let me = me.clone();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                authorize(tx, &me, appointment_id).await?;
                let done = sqlx::query("DELETE FROM attendees WHERE id = ? AND appointment_id = ?")
                    .bind(attendee_id)
                    .bind(appointment_id)
                    .execute(tx.conn())
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(AppError::NotFound("No such attendee.".into()));
                }
                Ok(())
            })
        })
        .await
}
