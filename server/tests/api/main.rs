//! Integration tests: the real server on port 0 with a fresh SQLite file per
//! test, driven over HTTP and the live WebSocket like a browser would.
//! One test binary (one link), one module per area.

mod account;
mod client_side;
mod conversations;
mod docs;
mod foundation;
mod hardening;
mod health;
mod helpers;
mod outbound;
mod pages;
mod payments;
mod people;
mod push;
mod requests;
mod rest;
mod setup;
mod sms_provider;
mod smtp_sink;
mod staff_actions;
mod webhook_receiver;
mod webhooks;
