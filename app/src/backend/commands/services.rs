//! Setup → Services (admins, and managers of the store): create, edit,
//! reorder and deactivate what a store offers, and who performs it.

use crate::backend::store::{self, services::ServiceEdit};
use crate::backend::AppState;
use crate::domain::ids::{ServiceId, StoreId};
use crate::domain::parse::PersonName;
use crate::domain::staff::StoreRole;
use crate::error::{AppError, FieldError};
use crate::i18n::Language;
use crate::model::{Me, ServiceForm};
use crate::rules::access::Action;
use std::collections::BTreeMap;

fn check(errors: &mut Vec<FieldError>, field: &str, ok: bool, message: &str) {
    if !ok {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
}

/// The names in other languages, by language: blank ones read the default
/// name, and one for the default language is `name` itself.
fn translations(errors: &mut Vec<FieldError>, raw: &BTreeMap<String, String>, default: Language) -> BTreeMap<Language, String> {
    let mut names = BTreeMap::new();
    for (code, name) in raw {
        if name.trim().is_empty() {
            continue;
        }
        let language = match Language::parse(code) {
            Ok(l) if l == default => continue,
            Ok(l) => l,
            Err(m) => {
                check(errors, "translations", false, &m);
                continue;
            }
        };
        match PersonName::parse(name) {
            Ok(n) => {
                names.insert(language, n.as_str().to_string());
            }
            Err(_) => check(
                errors,
                "translations",
                false,
                &format!("Write its name in {} on one line, in up to 100 characters.", language.name()),
            ),
        }
    }
    names
}

/// Creates (`id: None`) or saves a service; returns its id.
pub async fn save(state: &AppState, me: &Me, f: ServiceForm) -> Result<ServiceId, AppError> {
    super::allow(me, Action::Services { store: f.store_id }, "No such store.")?;
    let mut errors = Vec::new();
    let name = PersonName::parse(&f.name)
        .map_err(|_| check(&mut errors, "name", false, "Please name the service (up to 100 characters)."))
        .ok();
    check(
        &mut errors,
        "duration_min",
        (5..=12 * 60).contains(&f.duration_min),
        "Choose between 5 minutes and 12 hours.",
    );
    check(
        &mut errors,
        "price_cents",
        (0..=100_000_000).contains(&f.price_cents),
        "Enter a price of zero or more.",
    );
    check(
        &mut errors,
        "buffer_before_min",
        (0..=240).contains(&f.buffer_before_min),
        "Choose between 0 and 240 minutes.",
    );
    check(
        &mut errors,
        "buffer_after_min",
        (0..=240).contains(&f.buffer_after_min),
        "Choose between 0 and 240 minutes.",
    );
    let mut conn = state.db.reader().await?;
    let default_language = store::stores::by_id(&mut conn, f.store_id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such store.".into()))?
        .default_language;
    let translations = translations(&mut errors, &f.translations, default_language);
    let associates = store::staff::with_role(&mut conn, f.store_id, StoreRole::Associate).await?;
    drop(conn);
    check(
        &mut errors,
        "performers",
        f.performers.iter().all(|p| associates.iter().any(|a| a.0 == *p)),
        "Only associates of this store can perform its services.",
    );
    let (Some(name), true) = (name, errors.is_empty()) else {
        return Err(AppError::invalid(errors));
    };
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let edit = ServiceEdit {
                    name: name.as_str(),
                    translations: &translations,
                    duration_min: f.duration_min,
                    price_cents: f.price_cents,
                    buffer_before_min: f.buffer_before_min,
                    buffer_after_min: f.buffer_after_min,
                    bookable_online: f.bookable_online,
                    active: f.active,
                    performers: &f.performers,
                    video: f.video,
                };
                match f.id {
                    None => store::services::create(tx, f.store_id, &edit).await,
                    Some(id) => {
                        // A service is edited in its own store only: another store's id is "no such service".
                        match store::services::by_id(tx.conn(), id).await? {
                            Some((store, _)) if store == f.store_id => {}
                            _ => return Err(AppError::NotFound("No such service.".into())),
                        }
                        store::services::update(tx, id, &edit).await?;
                        Ok(id)
                    }
                }
            })
        })
        .await
}

/// Puts the store's services in this order.
pub async fn reorder(state: &AppState, me: &Me, store_id: StoreId, order: Vec<ServiceId>) -> Result<(), AppError> {
    super::allow(me, Action::Services { store: store_id }, "No such store.")?;
    if order.len() > 500 {
        return Err(AppError::field("order", "Too many services."));
    }
    state
        .db
        .write(move |tx| Box::pin(async move { store::services::reorder(tx, store_id, &order).await }))
        .await
}
