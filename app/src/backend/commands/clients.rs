//! Staff add a client to one of their stores' directory, and correct a
//! client's details (the public booking form never does: see `book`).

use crate::backend::store;
use crate::backend::AppState;
use crate::domain::ids::ClientId;
use crate::domain::parse::{EmailAddress, MobileNumber, PersonName};
use crate::error::{AppError, FieldError};
use crate::i18n::Language;
use crate::model::{ClientDetailsForm, Me, NewClient};
use crate::rules::access::Action;

/// A client's details, parsed: every field's problem at once, or all of them.
struct Parsed {
    name: PersonName,
    email: Option<String>,
    mobile: Option<MobileNumber>,
    language: Language,
}

impl Parsed {
    fn details(&self) -> store::clients::Details<'_> {
        store::clients::Details {
            name: self.name.as_str(),
            email: self.email.as_deref(),
            mobile: self.mobile.as_ref().map(|m| m.as_str()),
            language: self.language,
        }
    }
}

fn parse(name: &str, email: &str, mobile: &str, language: &str) -> Result<Parsed, AppError> {
    let mut errors = Vec::new();
    let mut err = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    let name = PersonName::parse(name).map_err(|m| err("name", m)).ok();
    let parsed_email = (!email.trim().is_empty())
        .then(|| EmailAddress::parse(email).map_err(|m| err("email", m)).ok())
        .flatten();
    let parsed_mobile = (!mobile.trim().is_empty())
        .then(|| MobileNumber::parse(mobile).map_err(|m| err("mobile", m)).ok())
        .flatten();
    if email.trim().is_empty() && mobile.trim().is_empty() {
        err("email", "Give an email address or a mobile number.".into());
    }
    let language = Language::parse(language).map_err(|m| err("language", m)).ok();
    match (name, language) {
        (Some(name), Some(language)) if errors.is_empty() => Ok(Parsed {
            name,
            email: parsed_email.map(|e| e.as_str().to_lowercase()),
            mobile: parsed_mobile,
            language,
        }),
        _ => Err(AppError::invalid(errors)),
    }
}

pub async fn create(state: &AppState, me: &Me, c: NewClient) -> Result<ClientId, AppError> {
    super::allow(me, Action::Clients { store: c.store_id }, "No such store.")?;
    let parsed = parse(&c.name, &c.email, &c.mobile, &c.language)?;
    let now = state.clock.now();
    let store_id = c.store_id;
    state
        .db
        .write(move |tx| Box::pin(async move { store::clients::insert(tx, store_id, &parsed.details(), now).await }))
        .await
}

/// A staff member corrects a client's details (for example from the contact
/// a booking was made with): exactly as given.
pub async fn update(state: &AppState, me: &Me, id: ClientId, f: ClientDetailsForm) -> Result<(), AppError> {
    let row = store::clients::by_id(&mut *state.db.reader().await?, id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such client.".into()))?;
    super::allow(me, Action::Clients { store: row.store_id }, "No such client.")?;
    let parsed = parse(&f.name, &f.email, &f.mobile, &f.language)?;
    state
        .db
        .write(move |tx| Box::pin(async move { store::clients::update(tx, id, &parsed.details()).await }))
        .await
}
