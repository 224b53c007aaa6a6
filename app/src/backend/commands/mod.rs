//! Commands: everything that changes the domain. Each runs in the single
//! writer, checks what it needs inside the transaction, changes the rows, and
//! appends one event in the same transaction (`record::finish` for changes to
//! an appointment, `record::created` for new ones), so the channels hear of
//! every change that committed and of nothing else.

pub mod account_mail;
pub mod attendees;
pub mod book;
pub mod change;
pub mod clients;
pub mod conversations;
pub mod password_reset;
pub mod people;
pub mod plan;
pub mod preferences;
pub mod record;
pub mod schedules;
pub mod services;
pub mod settings;
pub mod stores;
pub mod timed;

use crate::error::AppError;
use crate::model::Me;
use crate::rules::access::{decide, Action, Decision};

/// `Ok` when the policy allows `action`; 403 with its reason, or 404 saying
/// `missing` when the thing is not the person's to know about.
pub fn allow(me: &Me, action: Action, missing: &str) -> Result<(), AppError> {
    match decide(me, action) {
        Decision::Allowed => Ok(()),
        Decision::Forbidden(why) => Err(AppError::Forbidden(why.into())),
        Decision::Hidden => Err(AppError::NotFound(missing.into())),
    }
}
