//! What a store offers.

use super::{Conn, Tx};
use crate::domain::ids::{ServiceId, StaffId, StoreId};
use crate::domain::money::Currency;
use crate::error::AppError;
use crate::i18n::Language;
use sqlx::types::Json;
use std::collections::BTreeMap;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: ServiceId,
    /// In the store's default language.
    pub name: String,
    /// Its names in the store's other languages.
    pub translations: Json<BTreeMap<Language, String>>,
    pub duration_min: i64,
    pub price_cents: i64,
    /// The store's: a service is priced in the currency of the store it is in.
    pub currency: Currency,
    pub buffer_before_min: i64,
    pub buffer_after_min: i64,
    pub bookable_online: bool,
    pub active: bool,
    /// Held by video.
    pub video: bool,
}

impl ServiceRow {
    pub fn name_in(&self, language: Language) -> &str {
        self.translations.get(&language).map_or(&self.name, |n| n)
    }
}

const COLUMNS: &str = "id, name,
    (SELECT json_group_object(n.language, n.name) FROM service_names n WHERE n.service_id = services.id) AS translations,
    duration_min, price_cents, (SELECT st.currency FROM stores st WHERE st.id = services.store_id) AS currency,
    buffer_before_min, buffer_after_min, bookable_online, active, video";

/// The store's services staff can book, in the store's order.
pub async fn active(conn: &mut Conn, store_id: StoreId) -> Result<Vec<ServiceRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM services WHERE store_id = ? AND active = 1 ORDER BY position, id"
    )))
    .bind(store_id)
    .fetch_all(conn)
    .await?)
}

/// Every service of the store, deactivated ones included, in the store's order.
pub async fn all(conn: &mut Conn, store_id: StoreId) -> Result<Vec<ServiceRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM services WHERE store_id = ? ORDER BY active DESC, position, id"
    )))
    .bind(store_id)
    .fetch_all(conn)
    .await?)
}

/// One active service of the store.
pub async fn active_one(conn: &mut Conn, store_id: StoreId, id: ServiceId) -> Result<Option<ServiceRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM services WHERE store_id = ? AND id = ? AND active = 1"
    )))
    .bind(store_id)
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// A service of any store, active or not (for the store check of its editor).
pub async fn by_id(conn: &mut Conn, id: ServiceId) -> Result<Option<(StoreId, ServiceRow)>, AppError> {
    let row: Option<(StoreId,)> = sqlx::query_as("SELECT store_id FROM services WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((store,)) = row else { return Ok(None) };
    let service: ServiceRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM services WHERE id = ?")))
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(Some((store, service)))
}

/// Who performs the service; empty: every associate of its store.
pub async fn performers(conn: &mut Conn, id: ServiceId) -> Result<Vec<StaffId>, AppError> {
    let rows: Vec<(StaffId,)> = sqlx::query_as("SELECT staff_id FROM service_associates WHERE service_id = ? ORDER BY staff_id")
        .bind(id)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// A service as its editor saves it.
pub struct ServiceEdit<'a> {
    pub name: &'a str,
    pub translations: &'a BTreeMap<Language, String>,
    pub duration_min: i64,
    pub price_cents: i64,
    pub buffer_before_min: i64,
    pub buffer_after_min: i64,
    pub bookable_online: bool,
    pub active: bool,
    pub performers: &'a [StaffId],
    pub video: bool,
}

pub async fn create(tx: &mut Tx, store_id: StoreId, e: &ServiceEdit<'_>) -> Result<ServiceId, AppError> {
    let (id,): (ServiceId,) = sqlx::query_as(
        "INSERT INTO services (store_id, name, duration_min, price_cents, buffer_before_min, buffer_after_min, bookable_online, active, video, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM services WHERE store_id = ?)) RETURNING id",
    )
    .bind(store_id)
    .bind(e.name)
    .bind(e.duration_min)
    .bind(e.price_cents)
    .bind(e.buffer_before_min)
    .bind(e.buffer_after_min)
    .bind(e.bookable_online)
    .bind(e.active)
    .bind(e.video)
    .bind(store_id)
    .fetch_one(tx.conn())
    .await?;
    set_performers(tx, id, e.performers).await?;
    set_translations(tx, id, e.translations).await?;
    Ok(id)
}

pub async fn update(tx: &mut Tx, id: ServiceId, e: &ServiceEdit<'_>) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE services SET name = ?, duration_min = ?, price_cents = ?, buffer_before_min = ?, buffer_after_min = ?,
             bookable_online = ?, active = ?, video = ? WHERE id = ?",
    )
    .bind(e.name)
    .bind(e.duration_min)
    .bind(e.price_cents)
    .bind(e.buffer_before_min)
    .bind(e.buffer_after_min)
    .bind(e.bookable_online)
    .bind(e.active)
    .bind(e.video)
    .bind(id)
    .execute(tx.conn())
    .await?;
    set_performers(tx, id, e.performers).await?;
    set_translations(tx, id, e.translations).await
}

/// Replaces the service's names in other languages.
pub async fn set_translations(tx: &mut Tx, id: ServiceId, names: &BTreeMap<Language, String>) -> Result<(), AppError> {
    sqlx::query("DELETE FROM service_names WHERE service_id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    for (language, name) in names {
        sqlx::query("INSERT INTO service_names (service_id, language, name) VALUES (?, ?, ?)")
            .bind(id)
            .bind(language)
            .bind(name)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

async fn set_performers(tx: &mut Tx, id: ServiceId, staff: &[StaffId]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM service_associates WHERE service_id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    for s in staff {
        sqlx::query("INSERT INTO service_associates (service_id, staff_id) VALUES (?, ?)")
            .bind(id)
            .bind(s)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// Puts the store's services in this order (ids of other stores are ignored).
pub async fn reorder(tx: &mut Tx, store_id: StoreId, order: &[ServiceId]) -> Result<(), AppError> {
    for (position, id) in order.iter().enumerate() {
        sqlx::query("UPDATE services SET position = ? WHERE id = ? AND store_id = ?")
            .bind(position as i64 + 1)
            .bind(id)
            .bind(store_id)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

pub async fn insert(tx: &mut Tx, store_id: StoreId, name: &str, duration_min: i64, price_cents: i64) -> Result<ServiceId, AppError> {
    let (id,): (ServiceId,) =
        sqlx::query_as("INSERT INTO services (store_id, name, duration_min, price_cents) VALUES (?, ?, ?, ?) RETURNING id")
            .bind(store_id)
            .bind(name)
            .bind(duration_min)
            .bind(price_cents)
            .fetch_one(tx.conn())
            .await?;
    Ok(id)
}

/// Names of these services (active or not: history names what was booked).
/// The names of many services in their stores' other languages.
pub async fn translations(
    conn: &mut Conn,
    ids: &[ServiceId],
) -> Result<std::collections::HashMap<ServiceId, BTreeMap<Language, String>>, AppError> {
    let rows: Vec<(ServiceId, Language, String)> =
        sqlx::query_as("SELECT service_id, language, name FROM service_names WHERE service_id IN (SELECT value FROM json_each(?))")
            .bind(super::json_ids(ids))
            .fetch_all(conn)
            .await?;
    let mut out: std::collections::HashMap<ServiceId, BTreeMap<Language, String>> = std::collections::HashMap::new();
    for (id, language, name) in rows {
        out.entry(id).or_default().insert(language, name);
    }
    Ok(out)
}

pub async fn names(conn: &mut Conn, ids: &[ServiceId]) -> Result<std::collections::HashMap<ServiceId, String>, AppError> {
    let rows: Vec<(ServiceId, String)> = sqlx::query_as("SELECT id, name FROM services WHERE id IN (SELECT value FROM json_each(?))")
        .bind(super::json_ids(ids))
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}
