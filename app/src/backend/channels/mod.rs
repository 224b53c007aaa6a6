//! The channels: each follows the event log (or a log derived from it) with
//! its own cursor and turns events into what someone receives. None knows
//! about another; the rules that decide what each says are pure functions in
//! `crate::rules`.
//!
//! - `bell`: staff notifications, live in every open tab;
//! - `push`: the bell items on every device (held in quiet hours, then one summary), and read sync between devices;
//! - `staff_email`: the bell items by email, for the topics a person chose email for;
//! - `client_messages`: email and SMS to clients;
//! - `webhooks`: signed deliveries to outside tools.

pub mod bell;
pub mod client_messages;
pub mod push;
pub mod staff_email;
pub mod webhooks;
