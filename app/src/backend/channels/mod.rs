//! The channels: each follows the event log (or a log derived from it) with
//! its own cursor and turns events into what someone receives. None knows
//! about another; the rules that decide what each says are pure functions in
//! `crate::rules`.
//!
//! - `bell`: staff notifications, live in every open tab;
//! - `push`: the bell items on every device, and read sync between devices;
//! - `client_messages`: email and SMS to clients;
//! - `webhooks`: signed deliveries to outside tools.

pub mod bell;
pub mod client_messages;
pub mod push;
pub mod webhooks;
