//! Every id is its own type, so an appointment id cannot be passed where a
//! staff id is expected. On the wire and in the database each is the bare
//! integer (serde and sqlx are transparent).

macro_rules! ids {
    ($( $(#[$meta:meta])* $name:ident ),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type, utoipa::ToSchema), sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )+};
}

ids! {
    StoreId,
    /// A staff member (associate, manager or admin).
    StaffId,
    AppointmentId,
    ClientId,
    ServiceId,
    /// A client's conversation with a store.
    ConversationId,
    /// One message in a conversation.
    ConversationMessageId,
    /// A row of the event log.
    EventId,
    /// A bell item.
    NotificationId,
    /// A message to a client (email or SMS).
    ClientMessageId,
    /// An email about a staff member's account (invitation, password reset).
    AccountEmailId,
    AttendeeId,
    /// A device's push subscription.
    DeviceId,
    /// A webhook endpoint.
    EndpointId,
    /// A webhook message (one event type of one event, rendered once).
    WebhookMessageId,
    /// One webhook message to one endpoint, with its attempts.
    DeliveryId,
    ApiKeyId,
    /// A row of the durable scheduler.
    JobId,
    /// A note that someone read notifications (for read sync across devices).
    ReadReceiptId,
    /// A payment asked of a client (one Checkout Session).
    PaymentId,
    /// Money given back on a payment.
    RefundId,
}
