//! Which webhook types a committed event is published as: a pure table.

use crate::domain::event::Happening;

/// The webhook types a committed event is published as. A cancellation or a
/// completion is a status change (as the Booxi contract has it) and also
/// its own type, for consumers that only want those.
pub fn types_for(h: &Happening) -> &'static [&'static str] {
    match h {
        Happening::Created { .. } => &["appointment.created"],
        Happening::Assigned { .. } | Happening::Updated { .. } => &["appointment.updated"],
        Happening::Approved { .. } | Happening::NoShow { .. } => &["appointment.status_updated"],
        Happening::Cancelled { .. } => &["appointment.status_updated", "appointment.canceled"],
        Happening::Completed { .. } => &["appointment.status_updated", "appointment.completed"],
        Happening::Reminder => &["appointment.remind"],
        Happening::Recall => &["appointment.recall"],
        Happening::MessageReceived { .. } => &["message.received"],
        Happening::AwaitingAssignment
        | Happening::ConversationOverdue { .. }
        | Happening::WebhookEndpointDisabled { .. }
        | Happening::StaffReplied => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WEBHOOK_EVENT_TYPES as EVENT_TYPES;

    #[test]
    fn internal_happenings_map_to_the_contracts_event_types() {
        let a = Some(1);
        #[rustfmt::skip]
        let table: Vec<(Happening, &[&str])> = vec![
            (Happening::Created { source: crate::domain::event::Source::Online, associate_id: a }, &["appointment.created"]),
            (Happening::Assigned { previous: None, new: 1 }, &["appointment.updated"]),
            (Happening::Updated { associate_id: a, changes: vec![] }, &["appointment.updated"]),
            (Happening::Approved { associate_id: a }, &["appointment.status_updated"]),
            (Happening::NoShow { associate_id: a }, &["appointment.status_updated"]),
            (Happening::Cancelled { associate_id: a }, &["appointment.status_updated", "appointment.canceled"]),
            (Happening::Completed { associate_id: a }, &["appointment.status_updated", "appointment.completed"]),
            (Happening::Reminder, &["appointment.remind"]),
            (Happening::Recall, &["appointment.recall"]),
            (Happening::MessageReceived { associate_id: a }, &["message.received"]),
            (Happening::AwaitingAssignment, &[]),
        ];
        for (h, want) in table {
            assert_eq!(types_for(&h), want, "{h:?}");
            for t in want {
                assert!(EVENT_TYPES.contains(t));
            }
        }
    }
}
