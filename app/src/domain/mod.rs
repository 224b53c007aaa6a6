//! The domain's vocabulary: typed values that parse rather than validate,
//! availability, and what the event log records. Pure; no I/O.

pub mod event;
pub mod parse;
#[cfg(any(feature = "ssr", test))]
pub mod slots;
