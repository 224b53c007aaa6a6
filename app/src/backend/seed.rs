//! The demo store and staff a newcomer can click through at once, created
//! only when the database has no staff at all.

use super::auth::{hash_password, Password};
use super::Db;
use crate::error::AppError;

pub const DEMO_PASSWORD: &str = "demo-password";

/// (email, name, is_admin, role in the demo store)
pub const DEMO_STAFF: &[(&str, &str, bool, Option<&str>)] = &[
    ("admin@example.com", "Ada Admin", true, None),
    ("manager1@example.com", "Maya Manager", false, Some("manager")),
    ("manager2@example.com", "Marc Manager", false, Some("manager")),
    ("associate1@example.com", "Alice Associate", false, Some("associate")),
    ("associate2@example.com", "Ben Associate", false, Some("associate")),
    ("associate3@example.com", "Chloé Associate", false, Some("associate")),
];

pub async fn staff_count(db: &Db) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff").fetch_one(&db.read).await?;
    Ok(n)
}

/// Creates the demo data if the database has no staff. Returns whether it did.
pub async fn demo_if_empty(db: &Db, now: i64) -> Result<bool, AppError> {
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
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff").fetch_one(tx.conn()).await?;
            if n > 0 {
                return Ok(false);
            }
            let (store_id,): (i64,) = sqlx::query_as(
                "INSERT INTO stores (slug, name, time_zone, address, default_language, slot_minutes, notify_all_managers, approval_mode, created_at)
                 VALUES ('downtown', 'Downtown', 'Europe/London', '12 High Street, London', 'en', 15, 1, 'manual', ?) RETURNING id",
            )
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
            // Monday to Saturday, 09:00 to 18:00 (Thursday until 20:00); closed on Sunday.
            for (weekday, opens, closes) in [(0, 9, 18), (1, 9, 18), (2, 9, 18), (3, 9, 20), (4, 9, 18), (5, 9, 18)] {
                sqlx::query("INSERT INTO store_hours (store_id, weekday, opens_min, closes_min) VALUES (?, ?, ?, ?)")
                    .bind(store_id)
                    .bind(weekday)
                    .bind(opens * 60)
                    .bind(closes * 60)
                    .execute(tx.conn())
                    .await?;
            }
            for (name, minutes, price) in [("Haircut", 30, 3500), ("Colour", 90, 8500), ("Consultation", 45, 0)] {
                sqlx::query("INSERT INTO services (store_id, name, duration_min, price_cents) VALUES (?, ?, ?, ?)")
                    .bind(store_id)
                    .bind(name)
                    .bind(minutes)
                    .bind(price)
                    .execute(tx.conn())
                    .await?;
            }
            for ((email, name, is_admin, role), hash) in DEMO_STAFF.iter().zip(hashes) {
                let (id,): (i64,) =
                    sqlx::query_as("INSERT INTO staff (email, name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
                        .bind(email)
                        .bind(name)
                        .bind(hash)
                        .bind(is_admin)
                        .bind(now)
                        .fetch_one(tx.conn())
                        .await?;
                if let Some(role) = role {
                    sqlx::query("INSERT INTO store_members (store_id, staff_id, role) VALUES (?, ?, ?)")
                        .bind(store_id)
                        .bind(id)
                        .bind(role)
                        .execute(tx.conn())
                        .await?;
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
pub async fn first_admin(db: &Db, setup: FirstAdmin, now: i64) -> Result<(), AppError> {
    let FirstAdmin {
        name,
        email,
        password,
        store_name,
        slug,
        time_zone,
    } = setup;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::Internal)??;
    db.write(move |tx| {
        Box::pin(async move {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff").fetch_one(tx.conn()).await?;
            if n > 0 {
                return Err(AppError::Conflict("Frontdesk is already set up. Please sign in.".into()));
            }
            let (store_id,): (i64,) =
                sqlx::query_as("INSERT INTO stores (slug, name, time_zone, created_at) VALUES (?, ?, ?, ?) RETURNING id")
                    .bind(&slug)
                    .bind(&store_name)
                    .bind(&time_zone)
                    .bind(now)
                    .fetch_one(tx.conn())
                    .await?;
            for weekday in 0..5 {
                sqlx::query("INSERT INTO store_hours (store_id, weekday, opens_min, closes_min) VALUES (?, ?, 540, 1080)")
                    .bind(store_id)
                    .bind(weekday)
                    .execute(tx.conn())
                    .await?;
            }
            let (id,): (i64,) =
                sqlx::query_as("INSERT INTO staff (email, name, password_hash, is_admin, created_at) VALUES (?, ?, ?, 1, ?) RETURNING id")
                    .bind(&email)
                    .bind(&name)
                    .bind(hash)
                    .bind(now)
                    .fetch_one(tx.conn())
                    .await?;
            sqlx::query("INSERT INTO store_members (store_id, staff_id, role) VALUES (?, ?, 'manager')")
                .bind(store_id)
                .bind(id)
                .execute(tx.conn())
                .await?;
            Ok(())
        })
    })
    .await
}
