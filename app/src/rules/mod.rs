//! Who is told what, which client message, which webhook, who may do what:
//! pure functions of the domain, each with its table-driven test beside it.

#[cfg(any(feature = "ssr", test))]
pub mod access;
#[cfg(any(feature = "ssr", test))]
pub mod bell;
pub mod client;
pub mod inbox;
#[cfg(any(feature = "ssr", test))]
pub mod preferences;
#[cfg(any(feature = "ssr", test))]
pub mod webhook;
