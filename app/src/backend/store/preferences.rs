//! Staff's own notification preferences, and the pushes held in their quiet hours.

use super::{json_ids, Conn, Tx};
use crate::domain::ids::{NotificationId, StaffId};
use crate::domain::preferences::{Delivery, QuietHours, Topic};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use std::collections::HashMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prefs {
    /// The topics they chose for; the others are `Delivery::default()`.
    pub topics: HashMap<Topic, Delivery>,
    /// Their quiet hours, and the time zone they are in.
    pub quiet: Option<(QuietHours, String)>,
    /// The weekdays (0 is Monday) they have working hours on, in any store;
    /// `None` when they have none (they work whenever their stores are open).
    pub working_days: Option<[bool; 7]>,
    /// The zone their days are counted in: their quiet hours', else the zone of a store they have hours at.
    pub zone: String,
}

pub async fn of_many(conn: &mut Conn, staff: &[StaffId]) -> Result<HashMap<StaffId, Prefs>, AppError> {
    let mut out: HashMap<StaffId, Prefs> = HashMap::new();
    let rows: Vec<(StaffId, Topic, bool, bool)> = sqlx::query_as(
        "SELECT staff_id, topic, push, email FROM notification_preferences WHERE staff_id IN (SELECT value FROM json_each(?))",
    )
    .bind(json_ids(staff))
    .fetch_all(&mut *conn)
    .await?;
    for (id, topic, push, email) in rows {
        out.entry(id).or_default().topics.insert(topic, Delivery { push, email });
    }
    let quiet: Vec<(StaffId, i64, i64, String)> = sqlx::query_as(
        "SELECT id, quiet_from, quiet_until, quiet_time_zone FROM staff
         WHERE id IN (SELECT value FROM json_each(?)) AND quiet_from IS NOT NULL AND quiet_until IS NOT NULL",
    )
    .bind(json_ids(staff))
    .fetch_all(&mut *conn)
    .await?;
    for (id, from, until, zone) in quiet {
        // The columns' CHECKs keep them in a day; a pair that is not quiet hours reads as none.
        if let Ok(q) = QuietHours::new(from as u16, until as u16) {
            let p = out.entry(id).or_default();
            p.zone = zone.clone();
            p.quiet = Some((q, zone));
        }
    }
    let days: Vec<(StaffId, i64, String)> = sqlx::query_as(
        "SELECT DISTINCT w.staff_id, w.weekday, st.time_zone FROM working_hours w JOIN stores st ON st.id = w.store_id
         WHERE w.staff_id IN (SELECT value FROM json_each(?))",
    )
    .bind(json_ids(staff))
    .fetch_all(&mut *conn)
    .await?;
    for (id, weekday, zone) in days {
        let p = out.entry(id).or_default();
        if p.zone.is_empty() {
            p.zone = zone;
        }
        p.working_days.get_or_insert([false; 7])[weekday.clamp(0, 6) as usize] = true;
    }
    Ok(out)
}

/// A person's time off ending on or after a date: the ranges (local dates,
/// both ends included) and the zone of a store they work in, where those
/// dates are counted.
#[derive(Clone, Debug, Default)]
pub struct TimeOff {
    pub days: Vec<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub zone: String,
}

/// Time off of `staff` that ends on or after `from`, by person: pushes wait through it.
pub async fn time_off_of(conn: &mut Conn, staff: &[StaffId], from: chrono::NaiveDate) -> Result<HashMap<StaffId, TimeOff>, AppError> {
    let rows: Vec<(StaffId, chrono::NaiveDate, chrono::NaiveDate, Option<String>)> = sqlx::query_as(
        "SELECT t.staff_id, t.first_day, t.last_day,
                (SELECT s.time_zone FROM store_members m JOIN stores s ON s.id = m.store_id
                  WHERE m.staff_id = t.staff_id ORDER BY m.store_id LIMIT 1)
         FROM time_off t WHERE t.staff_id IN (SELECT value FROM json_each(?)) AND t.last_day >= ?",
    )
    .bind(json_ids(staff))
    .bind(from.format("%Y-%m-%d").to_string())
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<StaffId, TimeOff> = HashMap::new();
    for (id, first, last, zone) in rows {
        let t = out.entry(id).or_default();
        t.days.push((first, last));
        t.zone = zone.unwrap_or_default();
    }
    Ok(out)
}

pub async fn save(
    tx: &mut Tx,
    staff: StaffId,
    topics: &[(Topic, Delivery)],
    quiet: Option<QuietHours>,
    zone: &str,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM notification_preferences WHERE staff_id = ?")
        .bind(staff)
        .execute(tx.conn())
        .await?;
    for (topic, d) in topics {
        sqlx::query("INSERT INTO notification_preferences (staff_id, topic, push, email) VALUES (?, ?, ?, ?)")
            .bind(staff)
            .bind(topic)
            .bind(d.push)
            .bind(d.email)
            .execute(tx.conn())
            .await?;
    }
    sqlx::query("UPDATE staff SET quiet_from = ?, quiet_until = ?, quiet_time_zone = ? WHERE id = ?")
        .bind(quiet.map(|q| q.from as i64))
        .bind(quiet.map(|q| q.until as i64))
        .bind(zone)
        .bind(staff)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub struct Held {
    pub staff_id: StaffId,
    pub notification_id: NotificationId,
    pub release_at: UnixTime,
}

pub async fn hold(tx: &mut Tx, held: &[Held]) -> Result<(), AppError> {
    for h in held {
        sqlx::query("INSERT INTO held_pushes (staff_id, notification_id, release_at) VALUES (?, ?, ?)")
            .bind(h.staff_id)
            .bind(h.notification_id)
            .bind(h.release_at)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// Due held pushes, by person: (person, held row ids, how many of their items are still unread).
pub async fn due(conn: &mut Conn, now: UnixTime) -> Result<Vec<(StaffId, Vec<i64>, i64)>, AppError> {
    let rows: Vec<(StaffId, i64, i64)> = sqlx::query_as(
        "SELECT h.staff_id, h.id, s.unread_count FROM held_pushes h JOIN staff s ON s.id = h.staff_id
         WHERE h.release_at <= ? ORDER BY h.staff_id, h.id LIMIT 1000",
    )
    .bind(now)
    .fetch_all(conn)
    .await?;
    let mut by: Vec<(StaffId, Vec<i64>, i64)> = Vec::new();
    for (staff, id, unread) in rows {
        match by.last_mut() {
            Some(last) if last.0 == staff => last.1.push(id),
            _ => by.push((staff, vec![id], unread)),
        }
    }
    Ok(by)
}

pub async fn release(tx: &mut Tx, ids: &[i64]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM held_pushes WHERE id IN (SELECT value FROM json_each(?))")
        .bind(json_ids(ids))
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn next_release(conn: &mut Conn) -> Result<Option<UnixTime>, AppError> {
    let (at,): (Option<UnixTime>,) = sqlx::query_as("SELECT MIN(release_at) FROM held_pushes").fetch_one(conn).await?;
    Ok(at)
}
