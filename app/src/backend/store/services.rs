//! What a store offers.

use super::{Conn, Tx};
use crate::domain::ids::{ServiceId, StoreId};
use crate::error::AppError;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: ServiceId,
    pub name: String,
    pub duration_min: i64,
    pub price_cents: i64,
}

/// The store's services clients can book, in the order they were added.
pub async fn active(conn: &mut Conn, store_id: StoreId) -> Result<Vec<ServiceRow>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name, duration_min, price_cents FROM services WHERE store_id = ? AND active = 1 ORDER BY id")
            .bind(store_id)
            .fetch_all(conn)
            .await?,
    )
}

/// One active service of the store.
pub async fn active_one(conn: &mut Conn, store_id: StoreId, id: ServiceId) -> Result<Option<ServiceRow>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name, duration_min, price_cents FROM services WHERE store_id = ? AND id = ? AND active = 1")
            .bind(store_id)
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
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
pub async fn names(conn: &mut Conn, ids: &[ServiceId]) -> Result<std::collections::HashMap<ServiceId, String>, AppError> {
    let rows: Vec<(ServiceId, String)> = sqlx::query_as("SELECT id, name FROM services WHERE id IN (SELECT value FROM json_each(?))")
        .bind(super::json_ids(ids))
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}
