//! Staff add a client to one of their stores' directory.

use crate::backend::store;
use crate::backend::AppState;
use crate::domain::ids::ClientId;
use crate::domain::parse::{EmailAddress, MobileNumber, PersonName};
use crate::error::{AppError, FieldError};
use crate::i18n::Language;
use crate::model::{Me, NewClient};
use crate::rules::access::Action;

pub async fn create(state: &AppState, me: &Me, c: NewClient) -> Result<ClientId, AppError> {
    super::allow(me, Action::Clients { store: c.store_id }, "No such store.")?;
    let mut errors = Vec::new();
    let mut err = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    let name = PersonName::parse(&c.name).map_err(|m| err("name", m)).ok();
    let email = (!c.email.trim().is_empty())
        .then(|| EmailAddress::parse(&c.email).map_err(|m| err("email", m)).ok())
        .flatten();
    let mobile = (!c.mobile.trim().is_empty())
        .then(|| MobileNumber::parse(&c.mobile).map_err(|m| err("mobile", m)).ok())
        .flatten();
    if c.email.trim().is_empty() && c.mobile.trim().is_empty() {
        err("email", "Give an email address or a mobile number.".into());
    }
    let language = Language::parse(&c.language).map_err(|m| err("language", m)).ok();
    let (Some(name), Some(language)) = (name, language) else {
        return Err(AppError::invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    let now = state.clock.now();
    let store_id = c.store_id;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let email = email.map(|e| e.as_str().to_lowercase());
                let details = store::clients::Details {
                    name: name.as_str(),
                    email: email.as_deref(),
                    mobile: mobile.as_ref().map(|m| m.as_str()),
                    language,
                };
                store::clients::insert(tx, store_id, &details, now).await
            })
        })
        .await
}
