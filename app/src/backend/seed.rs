//! The demo store and staff a newcomer can click through at once, created
//! only when the database has no staff at all; and the first admin of a
//! Frontdesk started without them.

use super::auth::{hash_password, Password};
use super::store::{self, stores::NewStore, Db};
use crate::domain::staff::{ApprovalMode, StoreRole};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::i18n::Language;

pub const DEMO_PASSWORD: &str = "demo-password";

/// (email, name, is_admin, role in the demo store)
pub const DEMO_STAFF: &[(&str, &str, bool, Option<StoreRole>)] = &[
    ("admin@example.com", "Ada Admin", true, None),
    ("manager1@example.com", "Maya Manager", false, Some(StoreRole::Manager)),
    ("manager2@example.com", "Marc Manager", false, Some(StoreRole::Manager)),
    ("associate1@example.com", "Alice Associate", false, Some(StoreRole::Associate)),
    ("associate2@example.com", "Ben Associate", false, Some(StoreRole::Associate)),
    ("associate3@example.com", "Chloé Associate", false, Some(StoreRole::Associate)),
];

pub async fn staff_count(db: &Db) -> Result<i64, AppError> {
    store::staff::count(&mut *db.reader().await?).await
}

/// Creates the demo data if the database has no staff. Returns whether it did.
pub async fn demo_if_empty(db: &Db, now: UnixTime) -> Result<bool, AppError> {
    if staff_count(db).await? > 0 {
        return Ok(false);
    }
    // One hash per account (each with its own salt), computed off the async threads.
    let hashes = tokio::task::spawn_blocking(|| {
        DEMO_STAFF
            .iter()
            .map(|_| hash_password(&Password::new(DEMO_PASSWORD.into())))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|_| AppError::Internal)??;
    db.write(move |tx| {
        Box::pin(async move {
            if store::staff::count(tx.conn()).await? > 0 {
                return Ok(false);
            }
            let demo = NewStore {
                slug: "downtown",
                name: "Downtown",
                time_zone: "Europe/London",
                address: "12 High Street, London",
                default_language: Language::fallback(),
                slot_minutes: 15,
                approval_mode: ApprovalMode::Manual,
                // Monday to Saturday, 09:00 to 18:00 (Thursday until 20:00); closed on Sunday.
                hours: &[
                    vec![(540, 1080)],
                    vec![(540, 1080)],
                    vec![(540, 1080)],
                    vec![(540, 1200)],
                    vec![(540, 1080)],
                    vec![(540, 1080)],
                    vec![],
                ],
            };
            let store_id = store::stores::insert(tx, demo, now).await?;
            let french = Language::parse("fr").ok();
            for (name, french_name, minutes, price) in [
                ("Haircut", "Coupe", 30, 3500),
                ("Colour", "Couleur", 90, 8500),
                ("Consultation", "Consultation", 45, 0),
            ] {
                let id = store::services::insert(tx, store_id, name, minutes, price).await?;
                if let Some(fr) = french {
                    let names = std::collections::BTreeMap::from([(fr, french_name.to_string())]);
                    store::services::set_translations(tx, id, &names).await?;
                }
            }
            for ((email, name, is_admin, role), hash) in DEMO_STAFF.iter().zip(hashes) {
                let id = store::staff::insert(tx, email, name, &hash, *is_admin, now).await?;
                if let Some(role) = role {
                    store::staff::add_member(tx, store_id, id, *role).await?;
                }
            }
            Ok(true)
        })
    })
    .await
}

/// The first admin and their store, as the setup page parsed them.
pub struct FirstAdmin {
    pub name: String,
    pub email: String,
    pub password: Password,
    pub store_name: String,
    pub slug: String,
    pub time_zone: String,
}

/// First start without demo data: the first account is an admin, with their store.
pub async fn first_admin(db: &Db, setup: FirstAdmin, now: UnixTime) -> Result<(), AppError> {
    let FirstAdmin {
        name,
        email,
        password,
        store_name,
        slug,
        time_zone,
    } = setup;
    // Once set up, refused before anything is hashed (the write checks again).
    if staff_count(db).await? > 0 {
        return Err(AppError::Conflict("Frontdesk is already set up. Please sign in.".into()));
    }
    let hash = crate::backend::auth::hashing(move || hash_password(&password)).await??;
    db.write(move |tx| {
        Box::pin(async move {
            if store::staff::count(tx.conn()).await? > 0 {
                return Err(AppError::Conflict("Frontdesk is already set up. Please sign in.".into()));
            }
            let first = NewStore {
                slug: &slug,
                name: &store_name,
                time_zone: &time_zone,
                address: "",
                default_language: Language::fallback(),
                slot_minutes: 15,
                approval_mode: ApprovalMode::Manual,
                // Monday to Friday, 09:00 to 18:00, until the store sets its own.
                hours: &[
                    vec![(540, 1080)],
                    vec![(540, 1080)],
                    vec![(540, 1080)],
                    vec![(540, 1080)],
                    vec![(540, 1080)],
                    vec![],
                    vec![],
                ],
            };
            let store_id = store::stores::insert(tx, first, now).await?;
            let id = store::staff::insert(tx, &email, &name, &hash, true, now).await?;
            store::staff::add_member(tx, store_id, id, StoreRole::Manager).await
        })
    })
    .await
}
