//! When each associate works: their own hours per store and their time off.

use super::stores::{week_of, Week};
use super::{Conn, Tx};
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The associates of `store` who set their own hours there, with those hours
/// (the others work whenever the store is open).
pub async fn working_hours_at(conn: &mut Conn, store: StoreId) -> Result<HashMap<StaffId, Week>, AppError> {
    let rows: Vec<(StaffId, i64, i64, i64)> = sqlx::query_as(
        "SELECT staff_id, weekday, starts_min, ends_min FROM working_hours WHERE store_id = ? ORDER BY staff_id, weekday, starts_min",
    )
    .bind(store)
    .fetch_all(conn)
    .await?;
    let mut by_staff: HashMap<StaffId, Vec<(i64, i64, i64)>> = HashMap::new();
    for (staff, weekday, from, to) in rows {
        by_staff.entry(staff).or_default().push((weekday, from, to));
    }
    Ok(by_staff.into_iter().map(|(s, rows)| (s, week_of(rows))).collect())
}

/// One person's hours at one store; `None` when they follow the store's hours.
pub async fn working_hours(conn: &mut Conn, staff: StaffId, store: StoreId) -> Result<Option<Week>, AppError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT weekday, starts_min, ends_min FROM working_hours WHERE staff_id = ? AND store_id = ? ORDER BY weekday, starts_min",
    )
    .bind(staff)
    .bind(store)
    .fetch_all(conn)
    .await?;
    Ok((!rows.is_empty()).then(|| week_of(rows)))
}

/// Replaces one person's hours at one store (`None`: follow the store's hours).
pub async fn set_working_hours(tx: &mut Tx, staff: StaffId, store: StoreId, week: Option<&Week>) -> Result<(), AppError> {
    sqlx::query("DELETE FROM working_hours WHERE staff_id = ? AND store_id = ?")
        .bind(staff)
        .bind(store)
        .execute(tx.conn())
        .await?;
    for (weekday, day) in week.into_iter().flat_map(|w| w.iter().enumerate()) {
        for (from, to) in day {
            sqlx::query("INSERT INTO working_hours (staff_id, store_id, weekday, starts_min, ends_min) VALUES (?, ?, ?, ?, ?)")
                .bind(staff)
                .bind(store)
                .bind(weekday as i64)
                .bind(from)
                .bind(to)
                .execute(tx.conn())
                .await?;
        }
    }
    Ok(())
}

/// Days off: store-local dates, both included.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TimeOffRow {
    pub id: i64,
    pub staff_id: StaffId,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub reason: String,
}

/// Time off of `staff` people that ends on or after `from`.
pub async fn time_off(conn: &mut Conn, staff: &[StaffId], from: NaiveDate) -> Result<Vec<TimeOffRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, staff_id, first_day, last_day, reason FROM time_off
         WHERE staff_id IN (SELECT value FROM json_each(?)) AND last_day >= ? ORDER BY first_day",
    )
    .bind(super::json_ids(staff))
    .bind(from)
    .fetch_all(conn)
    .await?)
}

pub async fn add_time_off(
    tx: &mut Tx,
    staff: StaffId,
    first: NaiveDate,
    last: NaiveDate,
    reason: &str,
    now: UnixTime,
) -> Result<i64, AppError> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO time_off (staff_id, first_day, last_day, reason, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
            .bind(staff)
            .bind(first)
            .bind(last)
            .bind(reason)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
    Ok(id)
}

/// Removes one of `staff`'s time off; whether there was one.
pub async fn remove_time_off(tx: &mut Tx, staff: StaffId, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM time_off WHERE staff_id = ? AND id = ?")
        .bind(staff)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}
