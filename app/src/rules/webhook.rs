//! Which webhook types a committed event is published as: a pure table.

use crate::domain::event::Happening;
use crate::domain::webhooks::WebhookEventType as T;

/// The webhook types a committed event is published as. A cancellation or a
/// completion is a status change (as the Booxi contract has it) and also
/// its own type, for consumers that only want those.
pub fn types_for(h: &Happening) -> &'static [T] {
    match h {
        Happening::Created { .. } => &[T::AppointmentCreated],
        Happening::Assigned { .. } | Happening::Updated { .. } => &[T::AppointmentUpdated],
        Happening::Approved { .. } | Happening::NoShow { .. } => &[T::AppointmentStatusUpdated],
        Happening::Cancelled { .. } => &[T::AppointmentStatusUpdated, T::AppointmentCanceled],
        Happening::Completed { .. } => &[T::AppointmentStatusUpdated, T::AppointmentCompleted],
        Happening::Reminder { .. } => &[T::AppointmentRemind],
        Happening::Recall => &[T::AppointmentRecall],
        Happening::MessageReceived { .. } => &[T::MessageReceived],
        Happening::PaymentReceived { .. } => &[T::PaymentReceived],
        // Asking for a payment and refunding are the store's own doing; the contract has no type for them.
        Happening::PaymentRequested { .. } | Happening::PaymentRefunded { .. } => &[],
        // A booking waiting for its deposit does not exist for integrations
        // yet: Booxi creates an appointment once, and sends one event, when it
        // counts (here: when the deposit is paid, as `Created`).
        Happening::DepositHeld | Happening::HoldReleased => &[],
        Happening::AwaitingAssignment
        | Happening::ConversationOverdue { .. }
        | Happening::WebhookEndpointDisabled { .. }
        | Happening::StaffReplied
        | Happening::DuringTimeOff { .. } => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appointment::Source;
    use crate::domain::ids::{EndpointId, StaffId};

    #[test]
    fn internal_happenings_map_to_the_contracts_event_types() {
        let a = Some(StaffId(1));
        #[rustfmt::skip]
        let table: Vec<(Happening, &[T])> = vec![
            (Happening::Created { source: Source::Online, associate_id: a, awaiting_approval: true }, &[T::AppointmentCreated]),
            (Happening::Assigned { previous: None, new: StaffId(1) }, &[T::AppointmentUpdated]),
            (Happening::Updated { associate_id: a, changes: vec![] }, &[T::AppointmentUpdated]),
            (Happening::Approved { associate_id: a }, &[T::AppointmentStatusUpdated]),
            (Happening::NoShow { associate_id: a }, &[T::AppointmentStatusUpdated]),
            (Happening::Cancelled { associate_id: a }, &[T::AppointmentStatusUpdated, T::AppointmentCanceled]),
            (Happening::Completed { associate_id: a }, &[T::AppointmentStatusUpdated, T::AppointmentCompleted]),
            (Happening::Reminder { associate_id: None }, &[T::AppointmentRemind]),
            (Happening::Recall, &[T::AppointmentRecall]),
            (Happening::MessageReceived { associate_id: a }, &[T::MessageReceived]),
            (Happening::PaymentReceived { associate_id: a }, &[T::PaymentReceived]),
            (Happening::PaymentRequested { associate_id: a }, &[]),
            (Happening::PaymentRefunded { associate_id: a }, &[]),
            (Happening::AwaitingAssignment, &[]),
            (Happening::ConversationOverdue { associate_id: a }, &[]),
            (Happening::StaffReplied, &[]),
            (Happening::DuringTimeOff { associate_id: StaffId(1) }, &[]),
            (Happening::WebhookEndpointDisabled { endpoint_id: EndpointId(1) }, &[]),
            (Happening::DepositHeld, &[]),
            (Happening::HoldReleased, &[]),
        ];
        for (h, want) in table {
            assert_eq!(types_for(&h), want, "{h:?}");
            for t in want {
                assert!(T::SUBSCRIBABLE.contains(t), "{t} can be subscribed to");
            }
        }
    }
}
