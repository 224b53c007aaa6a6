//! The webhook contract's vocabulary.

text_enum! {
    /// A webhook message's `type`. `reservation.status_updated` (group
    /// bookings) does not exist here.
    pub enum WebhookEventType {
        AppointmentCreated = "appointment.created",
        AppointmentUpdated = "appointment.updated",
        AppointmentCanceled = "appointment.canceled",
        AppointmentCompleted = "appointment.completed",
        AppointmentStatusUpdated = "appointment.status_updated",
        AppointmentRemind = "appointment.remind",
        AppointmentRecall = "appointment.recall",
        MessageReceived = "message.received",
        PaymentReceived = "payment.received",
        /// A test send: goes to one endpoint whatever it subscribes to.
        Test = "webhook.test",
    }
}

impl WebhookEventType {
    /// The types an endpoint can subscribe to (every one but the test).
    pub const SUBSCRIBABLE: [WebhookEventType; 9] = [
        WebhookEventType::AppointmentCreated,
        WebhookEventType::AppointmentUpdated,
        WebhookEventType::AppointmentCanceled,
        WebhookEventType::AppointmentCompleted,
        WebhookEventType::AppointmentStatusUpdated,
        WebhookEventType::AppointmentRemind,
        WebhookEventType::AppointmentRecall,
        WebhookEventType::MessageReceived,
        WebhookEventType::PaymentReceived,
    ];
}

text_enum! {
    /// Where one delivery to one endpoint stands.
    pub enum DeliveryStatus {
        /// Due now or at `next_attempt_at`.
        Pending = "pending",
        Succeeded = "succeeded",
        /// Given up (attempts exhausted, endpoint gone or disabled).
        Failed = "failed",
    }
}

text_enum! {
    /// How an endpoint takes deliveries.
    #[derive(Default)]
    pub enum WebhookMethod {
        #[default]
        Post = "POST",
        Put = "PUT",
    }
}
