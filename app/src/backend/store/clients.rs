//! Clients of a store: found by email (else mobile) when they book again.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{AppointmentId, ClientId, StoreId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::i18n::Language;

/// A client's details as a booking or a staff member gives them (email lower-cased by the caller).
pub struct Details<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub mobile: Option<&'a str>,
    pub language: Language,
}

/// A returning client: the first one of the store with this email, else (when no email is given) this mobile.
pub async fn find(conn: &mut Conn, store_id: StoreId, email: Option<&str>, mobile: Option<&str>) -> Result<Option<ClientId>, AppError> {
    let row: Option<(ClientId,)> = sqlx::query_as(
        "SELECT id FROM clients WHERE store_id = ?1 AND ((?2 IS NOT NULL AND email = ?2) OR (?2 IS NULL AND ?3 IS NOT NULL AND mobile = ?3))
         ORDER BY id LIMIT 1",
    )
    .bind(store_id)
    .bind(email)
    .bind(mobile)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// A staff member's correction of a client's details: exactly as given.
pub async fn update(tx: &mut Tx, id: ClientId, d: &Details<'_>) -> Result<(), AppError> {
    sqlx::query("UPDATE clients SET name = ?, mobile = ?, email = ?, language = ? WHERE id = ?")
        .bind(d.name)
        .bind(d.mobile)
        .bind(d.email)
        .bind(d.language)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// What a client typed with an online booking, kept beside it.
pub async fn record_booking_contact(tx: &mut Tx, appointment_id: AppointmentId, d: &Details<'_>) -> Result<(), AppError> {
    sqlx::query("INSERT INTO booking_contacts (appointment_id, name, email, mobile, language) VALUES (?, ?, ?, ?, ?)")
        .bind(appointment_id)
        .bind(d.name)
        .bind(d.email)
        .bind(d.mobile)
        .bind(d.language)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The contact typed with an online booking: (name, email, mobile, language).
pub async fn booking_contact(
    conn: &mut Conn,
    appointment_id: AppointmentId,
) -> Result<Option<(String, Option<String>, Option<String>, Language)>, AppError> {
    Ok(
        sqlx::query_as("SELECT name, email, mobile, language FROM booking_contacts WHERE appointment_id = ?")
            .bind(appointment_id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn insert(tx: &mut Tx, store_id: StoreId, d: &Details<'_>, now: UnixTime) -> Result<ClientId, AppError> {
    let (id,): (ClientId,) =
        sqlx::query_as("INSERT INTO clients (store_id, name, email, mobile, language, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
            .bind(store_id)
            .bind(d.name)
            .bind(d.email)
            .bind(d.mobile)
            .bind(d.language)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
    Ok(id)
}

/// A client with their store's name, as the directory lists them.
#[derive(sqlx::FromRow)]
pub struct ClientRow {
    pub id: ClientId,
    pub store_id: StoreId,
    pub store_name: String,
    pub name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub language: Language,
}

const SELECT: &str =
    "SELECT c.id, c.store_id, s.name AS store_name, c.name, c.email, c.mobile, c.language FROM clients c JOIN stores s ON s.id = c.store_id";

/// Clients of `stores` whose name, email or mobile contains `text`, by name.
pub async fn search(conn: &mut Conn, stores: &[StoreId], text: &str) -> Result<Vec<ClientRow>, AppError> {
    let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.store_id IN (SELECT value FROM json_each(?))
           AND (c.name LIKE ?2 ESCAPE '\\' OR c.email LIKE ?2 ESCAPE '\\' OR c.mobile LIKE ?2 ESCAPE '\\')
         ORDER BY c.name LIMIT 30"
    )))
    .bind(json_ids(stores))
    .bind(pattern)
    .fetch_all(conn)
    .await?)
}

pub async fn by_id(conn: &mut Conn, id: ClientId) -> Result<Option<ClientRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.id = ?")))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}
