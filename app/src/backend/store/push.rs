//! Devices' push subscriptions and every push attempt made to them.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{DeviceId, NotificationId, StaffId};
use crate::domain::time::UnixTime;
use crate::error::AppError;

/// A browser's subscription, as `pushManager.subscribe` gave it.
pub struct Subscription<'a> {
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
    pub label: &'a str,
}

/// Stores the subscription, or moves it to `staff_id` (a shared device signed in as someone else).
pub async fn subscribe(tx: &mut Tx, staff_id: StaffId, s: Subscription<'_>, now: UnixTime) -> Result<DeviceId, AppError> {
    let (id,): (DeviceId,) = sqlx::query_as(
        "INSERT INTO push_subscriptions (staff_id, endpoint, p256dh, auth, label, created_at, last_used_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT (endpoint) DO UPDATE SET staff_id = ?1, p256dh = ?3, auth = ?4, label = ?5, last_used_at = ?6
         RETURNING id",
    )
    .bind(staff_id)
    .bind(s.endpoint)
    .bind(s.p256dh)
    .bind(s.auth)
    .bind(s.label)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    // A person has at most a handful of devices: the longest unused go.
    sqlx::query(
        "DELETE FROM push_subscriptions WHERE staff_id = ?1 AND id NOT IN
             (SELECT id FROM push_subscriptions WHERE staff_id = ?1 ORDER BY last_used_at DESC, id DESC LIMIT ?2)",
    )
    .bind(staff_id)
    .bind(DEVICES_PER_PERSON)
    .execute(tx.conn())
    .await?;
    Ok(id)
}

/// Devices one person may have notifications on.
pub const DEVICES_PER_PERSON: i64 = 10;

#[derive(sqlx::FromRow)]
pub struct DeviceRow {
    pub id: DeviceId,
    pub label: String,
    pub endpoint: String,
    pub created_at: UnixTime,
    pub last_used_at: UnixTime,
    pub last_status: Option<i64>,
    pub last_result: Option<String>,
    pub last_attempt_at: Option<UnixTime>,
}

/// For each person with a device: how many devices, and when a push last reached one.
pub async fn reach(conn: &mut Conn) -> Result<std::collections::HashMap<StaffId, (i64, Option<UnixTime>)>, AppError> {
    let rows: Vec<(StaffId, i64, Option<UnixTime>)> = sqlx::query_as(
        "SELECT d.staff_id, COUNT(*),
                (SELECT MAX(a.attempted_at) FROM push_attempts a WHERE a.staff_id = d.staff_id AND a.status BETWEEN 200 AND 299)
         FROM push_subscriptions d GROUP BY d.staff_id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id, n, at)| (id, (n, at))).collect())
}

pub async fn devices(conn: &mut Conn, staff_id: StaffId) -> Result<Vec<DeviceRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, label, endpoint, created_at, last_used_at, last_status, last_result, last_attempt_at
         FROM push_subscriptions WHERE staff_id = ? ORDER BY id",
    )
    .bind(staff_id)
    .fetch_all(conn)
    .await?)
}

/// Whether the device was the person's (and is now renamed).
pub async fn rename(tx: &mut Tx, staff_id: StaffId, id: DeviceId, label: &str) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE push_subscriptions SET label = ? WHERE id = ? AND staff_id = ?")
        .bind(label)
        .bind(id)
        .bind(staff_id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether the device was the person's (and is now gone).
pub async fn remove(tx: &mut Tx, staff_id: StaffId, id: DeviceId) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM push_subscriptions WHERE id = ? AND staff_id = ?")
        .bind(id)
        .bind(staff_id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Where to push: one device of a person.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Target {
    pub id: DeviceId,
    pub staff_id: StaffId,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// Every device of these people, in one query.
pub async fn targets(conn: &mut Conn, staff: &[StaffId]) -> Result<Vec<Target>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, staff_id, endpoint, p256dh, auth FROM push_subscriptions WHERE staff_id IN (SELECT value FROM json_each(?))",
    )
    .bind(json_ids(staff))
    .fetch_all(conn)
    .await?)
}

/// One attempt to push to one device.
#[derive(Debug)]
pub struct Attempt {
    pub device_id: DeviceId,
    pub staff_id: StaffId,
    pub notification_id: Option<NotificationId>,
    /// The push service's HTTP status, when it answered.
    pub status: Option<u16>,
    pub result: String,
    /// The push service said the subscription is gone (404/410): forget it.
    pub gone: bool,
}

/// Records attempts, and forgets the subscriptions the push service no longer knows.
pub async fn record_attempts(tx: &mut Tx, attempts: &[Attempt], now: UnixTime) -> Result<(), AppError> {
    for a in attempts {
        sqlx::query(
            "INSERT INTO push_attempts (subscription_id, staff_id, notification_id, status, result, attempted_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(a.device_id)
        .bind(a.staff_id)
        .bind(a.notification_id)
        .bind(a.status.map(i64::from))
        .bind(&a.result)
        .bind(now)
        .execute(tx.conn())
        .await?;
        if a.gone {
            sqlx::query("DELETE FROM push_subscriptions WHERE id = ?")
                .bind(a.device_id)
                .execute(tx.conn())
                .await?;
        } else {
            sqlx::query("UPDATE push_subscriptions SET last_status = ?, last_result = ?, last_attempt_at = ? WHERE id = ?")
                .bind(a.status.map(i64::from))
                .bind(&a.result)
                .bind(now)
                .bind(a.device_id)
                .execute(tx.conn())
                .await?;
        }
    }
    Ok(())
}
