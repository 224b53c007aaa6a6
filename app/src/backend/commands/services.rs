//! Setup → Services (admins, and managers of the store): create, edit,
//! reorder and deactivate what a store offers, and who performs it.

use crate::backend::store::{self, services::ServiceEdit};
use crate::backend::AppState;
use crate::domain::ids::{ServiceId, StoreId};
use crate::domain::parse::PersonName;
use crate::domain::staff::StoreRole;
use crate::error::{AppError, FieldError};
use crate::model::{Me, ServiceForm};
use crate::rules::access::Action;

fn check(errors: &mut Vec<FieldError>, field: &str, ok: bool, message: &str) {
    if !ok {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
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
    let associates = store::staff::with_role(&mut *state.db.reader().await?, f.store_id, StoreRole::Associate).await?;
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
                    duration_min: f.duration_min,
                    price_cents: f.price_cents,
                    buffer_before_min: f.buffer_before_min,
                    buffer_after_min: f.buffer_after_min,
                    bookable_online: f.bookable_online,
                    active: f.active,
                    performers: &f.performers,
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
