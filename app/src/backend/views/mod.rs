//! The read side: what pages and the live channel show, assembled from the
//! store and filtered by the access policy. Nothing here writes.

pub mod appointments;
pub mod booking;
pub mod calendar;
pub mod client_messages;
pub mod clients;
pub mod conversations;
pub mod notifications;
pub mod payments;
pub mod people;
pub mod settings;
pub mod setup;
pub mod tracking;

use crate::backend::store::services::ServiceRow;
use crate::model::ServiceInfo;

/// A service as pages offer it.
fn service_info(s: ServiceRow) -> ServiceInfo {
    ServiceInfo {
        id: s.id,
        name: s.name,
        translations: s.translations.0,
        duration_min: s.duration_min,
        price_cents: s.price_cents,
        currency: s.currency,
    }
}
