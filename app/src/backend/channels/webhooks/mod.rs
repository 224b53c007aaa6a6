//! Webhooks: every booking event to outside tools, signed (Standard
//! Webhooks), delivered at least once and retried for days.
//!
//! - `dispatch` follows the event log and, for each
//!   endpoint that takes the event's type, records a message (the body,
//!   rendered once) and a delivery, in one transaction with the cursor;
//! - `deliver` sends due deliveries in the background, bounded per endpoint,
//!   and records every attempt; retries follow `schedule`;
//! - `endpoints` is what admins (UI and REST API) do with endpoints.
//!
//! Nothing is sent inside a request, and a restart loses nothing: pending
//! deliveries are rows with a due time.

pub mod deliver;
pub mod dispatch;
pub mod endpoints;
pub mod payload;
pub mod schedule;
pub mod signing;
pub mod ssrf;
