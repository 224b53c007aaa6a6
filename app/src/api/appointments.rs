//! Staff work on appointments: the queue, lists, one appointment, every change.

use crate::domain::ids::{AppointmentId, AttendeeId, StaffId};
use crate::error::AppError;
use crate::model::{
    AppointmentDetail, AppointmentQuery, AppointmentSearch, AppointmentUpdate, AppointmentView, AssociateInfo, CalendarQuery, CalendarView,
    NewAppointment,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub appointment: AppointmentView,
    pub associates: Vec<AssociateInfo>,
}

#[server(endpoint = "queue", input = Json)]
pub async fn assignment_queue() -> Result<Vec<QueueItem>, AppError> {
    super::run::staff(|state, me| async move {
        let (rows, mut associates) = crate::backend::views::appointments::queue(&state, &me).await?;
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
    })
    .await
}

#[server(endpoint = "assign", input = Json)]
pub async fn assign(appointment_id: AppointmentId, associate_id: StaffId) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::change::assign(&state, &me, appointment_id, associate_id).await })
        .await
}

#[server(endpoint = "appointments", input = Json)]
pub async fn my_appointments() -> Result<Vec<AppointmentView>, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::appointments::mine(&state, &me).await }).await
}

/// The Appointments list narrowed by day range, associate, status and client.
#[server(endpoint = "find_appointments", input = Json)]
pub async fn find_appointments(query: AppointmentQuery) -> Result<AppointmentSearch, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::appointments::search(&state, &me, query).await }).await
}

/// The calendar: a store's day or week.
#[server(endpoint = "calendar", input = Json)]
pub async fn calendar(query: CalendarQuery) -> Result<CalendarView, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::calendar::calendar(&state, &me, query).await }).await
}

#[server(endpoint = "appointment", input = Json)]
pub async fn appointment(id: AppointmentId) -> Result<AppointmentDetail, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::appointments::detail(&state, &me, id).await }).await
}

/// Staff edit an appointment: time, service, associate, notes, client communication.
#[server(endpoint = "update_appointment", input = Json)]
pub async fn update_appointment(id: AppointmentId, update: AppointmentUpdate) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::change::update(&state, &me, id, update).await }).await
}

/// "approve", "no_show" or "complete".
#[server(endpoint = "appointment_step", input = Json)]
pub async fn appointment_step(id: AppointmentId, step: String) -> Result<(), AppError> {
    use crate::backend::commands::change::{self, Step};
    super::run::staff(|state, me| async move {
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
        change::step(&state, &me, id, step).await
    })
    .await
}

#[server(endpoint = "cancel_appointment", input = Json)]
pub async fn cancel_appointment(id: AppointmentId, reason: String) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::change::cancel(&state, &me, id, reason).await }).await
}

/// Staff book for a client; returns the new appointment's id.
#[server(endpoint = "create_appointment", input = Json)]
pub async fn create_appointment(appointment: NewAppointment) -> Result<AppointmentId, AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::change::create(&state, &me, appointment, None).await }).await
}

/// Staff add someone coming along to an appointment.
#[server(endpoint = "add_attendee", input = Json)]
pub async fn add_attendee(appointment_id: AppointmentId, name: String, email: String) -> Result<(), AppError> {
    super::run::staff(|state, me| async move {
        crate::backend::commands::attendees::add(&state, &me, appointment_id, crate::model::AttendeeInput { name, email }).await
    })
    .await
}

#[server(endpoint = "remove_attendee", input = Json)]
pub async fn remove_attendee(appointment_id: AppointmentId, attendee_id: AttendeeId) -> Result<(), AppError> {
    super::run::staff(
        |state, me| async move { crate::backend::commands::attendees::remove(&state, &me, appointment_id, attendee_id).await },
    )
    .await
}
