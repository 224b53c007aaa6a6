//! Appointments: the rows, their version history and the read models built
//! from them. Every change to a row is followed, in the same transaction, by
//! `stamp_change` + `record_version` (the commands' `finish` does both).

use super::{json_ids, Conn, Tx};
use crate::domain::appointment::{AppointmentSnapshot, AppointmentStatus, ClientCommunication, Presence, Source};
use crate::domain::event::{Actor, ActorKind};
use crate::domain::ids::{AppointmentId, ClientId, ServiceId, StaffId, StoreId};
use crate::domain::slots::Busy;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::i18n::Language;
use std::collections::{BTreeMap, HashMap};

/// Upper bound of any appointment's length, used to bound range scans.
const MAX_APPOINTMENT: Seconds = Seconds::hours(24);

/// An appointment as it is now, with the names its texts need.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Current {
    pub id: AppointmentId,
    pub store_id: StoreId,
    pub client_id: ClientId,
    pub service_id: ServiceId,
    pub associate_id: Option<StaffId>,
    pub starts_at: UnixTime,
    pub ends_at: UnixTime,
    pub status: AppointmentStatus,
    pub presence: Presence,
    pub completed: bool,
    pub notes: String,
    pub version: i64,
    pub client_communication: ClientCommunication,
    pub cancel_reason: String,
    pub client_name: String,
    pub client_language: Language,
    pub service_name: String,
    /// The service's name in the store's other languages.
    pub service_translations: sqlx::types::Json<BTreeMap<Language, String>>,
    pub associate_name: Option<String>,
    /// Waiting for its deposit until then: holds its time, nobody told yet.
    pub held_until: Option<UnixTime>,
}

impl Audience {
    /// The appointment's meeting link for `role`, when it is held by video and the store has a meeting link.
    pub fn video_url(&self, room: impl FnOnce() -> String, role: crate::domain::video::Role) -> Option<String> {
        if !self.service_video {
            return None;
        }
        // Stored only after `MeetingTemplate::parse` accepted it.
        crate::domain::video::MeetingTemplate::parse(&self.video_url_template)
            .ok()
            .and_then(|t| t.join(&room(), role))
    }
}

impl Current {
    /// Neither cancelled nor completed: it can still change.
    pub fn is_open(&self) -> bool {
        self.status != AppointmentStatus::Cancelled && !self.completed
    }
    /// Open and still needing a manager: nobody has it, or the store has not
    /// approved it yet (a request naming an associate, in manual approval).
    /// A booking held for its deposit does not: the store has not heard of it.
    pub fn awaits_staff(&self) -> bool {
        self.is_open()
            && self.held_until.is_none()
            && (self.associate_id.is_none() || self.status == AppointmentStatus::PendingStaffApproval)
    }
    pub fn duration(&self) -> Seconds {
        self.ends_at - self.starts_at
    }
}

pub async fn current(conn: &mut Conn, id: AppointmentId) -> Result<Option<Current>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.store_id, a.client_id, a.service_id, a.associate_id, a.starts_at, a.ends_at, a.status, a.presence,
                a.completed, a.notes, a.version, a.client_communication, a.cancel_reason, c.name AS client_name,
                c.language AS client_language, s.name AS service_name, st.name AS associate_name,
                (SELECT json_group_object(n.language, n.name) FROM service_names n WHERE n.service_id = a.service_id)
                    AS service_translations, a.held_until
         FROM appointments a JOIN clients c ON c.id = a.client_id JOIN services s ON s.id = a.service_id
         LEFT JOIN staff st ON st.id = a.associate_id WHERE a.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// A new appointment's row, as a booking or a staff member made it.
pub struct NewRow<'a> {
    pub store_id: StoreId,
    pub client_id: ClientId,
    pub service_id: ServiceId,
    pub associate_id: Option<StaffId>,
    pub starts_at: UnixTime,
    pub ends_at: UnixTime,
    pub status: AppointmentStatus,
    pub client_communication: ClientCommunication,
    pub source: Source,
    pub notes: &'a str,
    pub remind_by_email: bool,
    pub remind_by_sms: bool,
    /// Unique until the tracking link is issued right after (its hash replaces it).
    pub placeholder_token_hash: String,
    pub actor: Actor,
    pub now: UnixTime,
    /// An online booking that waits for its deposit until then.
    pub held_until: Option<UnixTime>,
}

pub async fn insert(tx: &mut Tx, r: NewRow<'_>) -> Result<AppointmentId, AppError> {
    let (id,): (AppointmentId,) = sqlx::query_as(
        "INSERT INTO appointments (store_id, client_id, service_id, associate_id, starts_at, ends_at, status, client_communication,
            source, notes, remind_by_email, remind_by_sms, tracking_token_hash, version, modified_by_kind, modified_by_staff_id,
            created_at, updated_at, held_until)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(r.store_id)
    .bind(r.client_id)
    .bind(r.service_id)
    .bind(r.associate_id)
    .bind(r.starts_at)
    .bind(r.ends_at)
    .bind(r.status)
    .bind(r.client_communication)
    .bind(r.source)
    .bind(r.notes)
    .bind(r.remind_by_email)
    .bind(r.remind_by_sms)
    .bind(r.placeholder_token_hash)
    .bind(r.actor.kind())
    .bind(r.actor.staff_id())
    .bind(r.now)
    .bind(r.now)
    .bind(r.held_until)
    .fetch_one(tx.conn())
    .await?;
    Ok(id)
}

/// The whole editable state, as a staff edit sets it.
pub struct Edit<'a> {
    pub starts_at: UnixTime,
    pub ends_at: UnixTime,
    pub service_id: ServiceId,
    pub associate_id: Option<StaffId>,
    pub notes: &'a str,
    pub client_communication: ClientCommunication,
    pub status: AppointmentStatus,
}

pub async fn apply_edit(tx: &mut Tx, id: AppointmentId, e: Edit<'_>) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE appointments SET starts_at = ?, ends_at = ?, service_id = ?, associate_id = ?, notes = ?, client_communication = ?,
             status = ? WHERE id = ?",
    )
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(e.service_id)
    .bind(e.associate_id)
    .bind(e.notes)
    .bind(e.client_communication)
    .bind(e.status)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn set_associate(tx: &mut Tx, id: AppointmentId, associate_id: StaffId) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET associate_id = ? WHERE id = ?")
        .bind(associate_id)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Back to the store's queue: nobody has it.
pub async fn clear_associate(tx: &mut Tx, id: AppointmentId) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET associate_id = NULL WHERE id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn set_status(tx: &mut Tx, id: AppointmentId, status: AppointmentStatus) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET status = ? WHERE id = ?")
        .bind(status)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn set_presence(tx: &mut Tx, id: AppointmentId, presence: Presence) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET presence = ? WHERE id = ?")
        .bind(presence)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn set_completed(tx: &mut Tx, id: AppointmentId) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET completed = 1 WHERE id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The deposit came: the booking counts from now on.
pub async fn clear_hold(tx: &mut Tx, id: AppointmentId) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET held_until = NULL WHERE id = ?")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn cancel(tx: &mut Tx, id: AppointmentId, reason: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET status = ?, cancel_reason = ? WHERE id = ?")
        .bind(AppointmentStatus::Cancelled)
        .bind(reason)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Moves the appointment, keeping its length; `status` is the status after the move.
pub async fn reschedule(
    tx: &mut Tx,
    id: AppointmentId,
    starts_at: UnixTime,
    ends_at: UnixTime,
    status: AppointmentStatus,
) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET starts_at = ?, ends_at = ?, status = ? WHERE id = ?")
        .bind(starts_at)
        .bind(ends_at)
        .bind(status)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The next version: who made it and when. Returns the new version number.
pub async fn stamp_change(tx: &mut Tx, id: AppointmentId, actor: Actor, now: UnixTime) -> Result<i64, AppError> {
    let (version,): (i64,) = sqlx::query_as(
        "UPDATE appointments SET version = version + 1, modified_by_kind = ?, modified_by_staff_id = ?, updated_at = ?
         WHERE id = ? RETURNING version",
    )
    .bind(actor.kind())
    .bind(actor.staff_id())
    .bind(now)
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    Ok(version)
}

/// Keeps the appointment's current state as a version row (see `AppointmentSnapshot`).
pub async fn record_version(tx: &mut Tx, id: AppointmentId, now: UnixTime) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO appointment_versions (appointment_id, version, snapshot, modified_by_kind, modified_by_staff_id, recorded_at)
         SELECT id, version, json_object(
             'store_id', store_id, 'client_id', client_id, 'service_id', service_id, 'associate_id', associate_id,
             'starts_at', starts_at, 'ends_at', ends_at, 'status', status, 'presence', presence, 'completed', completed,
             'client_communication', client_communication, 'source', source, 'notes', notes),
           modified_by_kind, modified_by_staff_id, ?
         FROM appointments WHERE id = ?",
    )
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Versions `(appointment, version)` of many appointments in one query.
pub async fn snapshots(
    conn: &mut Conn,
    wanted: &[(AppointmentId, i64)],
) -> Result<HashMap<(AppointmentId, i64), AppointmentSnapshot>, AppError> {
    let rows: Vec<(AppointmentId, i64, String)> = sqlx::query_as(
        "SELECT v.appointment_id, v.version, v.snapshot FROM appointment_versions v
         JOIN json_each(?) j ON v.appointment_id = j.value ->> 0 AND v.version = j.value ->> 1",
    )
    .bind(json_ids(wanted))
    .fetch_all(conn)
    .await?;
    let mut out = HashMap::new();
    for (id, version, json) in rows {
        match serde_json::from_str::<AppointmentSnapshot>(&json) {
            Ok(s) => {
                out.insert((id, version), s);
            }
            Err(e) => {
                tracing::error!("appointment {id} version {version} has an unreadable snapshot: {e}");
                return Err(AppError::Internal);
            }
        }
    }
    Ok(out)
}

/// One row of an appointment's history.
#[derive(sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub modified_by_kind: ActorKind,
    pub staff_name: Option<String>,
    pub recorded_at: UnixTime,
    pub snapshot: String,
}

impl VersionRow {
    pub fn snapshot(&self) -> Result<AppointmentSnapshot, AppError> {
        serde_json::from_str(&self.snapshot).map_err(|e| {
            tracing::error!("version {} has an unreadable snapshot: {e}", self.version);
            AppError::Internal
        })
    }
}

pub async fn history(conn: &mut Conn, id: AppointmentId) -> Result<Vec<VersionRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT v.version, v.modified_by_kind, s.name AS staff_name, v.recorded_at, v.snapshot FROM appointment_versions v
         LEFT JOIN staff s ON s.id = v.modified_by_staff_id WHERE v.appointment_id = ? ORDER BY v.version",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// The store's appointments (not cancelled) overlapping `[from, to)`, except `exclude`.
pub async fn busy(
    conn: &mut Conn,
    store_id: StoreId,
    from: UnixTime,
    to: UnixTime,
    exclude: Option<AppointmentId>,
) -> Result<Vec<Busy>, AppError> {
    // Each appointment keeps its service's buffers free around it.
    let rows: Vec<(UnixTime, UnixTime, Option<StaffId>)> = sqlx::query_as(
        "SELECT a.starts_at - sv.buffer_before_min * 60 AS kept_from, a.ends_at + sv.buffer_after_min * 60 AS kept_to, a.associate_id
         FROM appointments a JOIN services sv ON sv.id = a.service_id
         WHERE a.store_id = ? AND a.status <> ? AND kept_from < ? AND kept_to > ? AND a.starts_at >= ? AND a.id IS NOT ?",
    )
    .bind(store_id)
    .bind(AppointmentStatus::Cancelled)
    .bind(to)
    .bind(from)
    // No appointment lasts a day: the lower bound lets the index stop
    // scanning instead of walking every earlier appointment of the store.
    .bind(from - MAX_APPOINTMENT)
    .bind(exclude)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(start, end, associate_id)| Busy { start, end, associate_id })
        .collect())
}

/// Whether `associate` has another appointment (not cancelled) overlapping `[start, end)`.
pub async fn associate_is_busy(
    conn: &mut Conn,
    associate: StaffId,
    exclude: AppointmentId,
    start: UnixTime,
    end: UnixTime,
) -> Result<bool, AppError> {
    let (busy,): (bool,) = sqlx::query_as(
        "SELECT EXISTS(SELECT 1 FROM appointments WHERE associate_id = ? AND id <> ? AND status <> ? AND starts_at < ? AND ends_at > ?)",
    )
    .bind(associate)
    .bind(exclude)
    .bind(AppointmentStatus::Cancelled)
    .bind(end)
    .bind(start)
    .fetch_one(conn)
    .await?;
    Ok(busy)
}

/// Whether the client has something else booked at the store after `now`.
pub async fn client_has_upcoming(
    conn: &mut Conn,
    client_id: ClientId,
    store_id: StoreId,
    except: AppointmentId,
    now: UnixTime,
) -> Result<bool, AppError> {
    let (booked,): (bool,) = sqlx::query_as(
        "SELECT EXISTS(SELECT 1 FROM appointments WHERE client_id = ? AND store_id = ? AND id <> ? AND status <> ? AND starts_at > ?)",
    )
    .bind(client_id)
    .bind(store_id)
    .bind(except)
    .bind(AppointmentStatus::Cancelled)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(booked)
}

// ------------------------------------------------------------ tracking links

/// The appointment whose current link hashes to `hash`.
pub async fn by_tracking_hash(conn: &mut Conn, hash: &str) -> Result<Option<AppointmentId>, AppError> {
    let row: Option<(AppointmentId,)> = sqlx::query_as("SELECT id FROM appointments WHERE tracking_token_hash = ?")
        .bind(hash)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.0))
}

/// A new link generation, `generation` (random: see `tracking::issue`); never 0, which marks a legacy row.
pub async fn set_tracking_generation(tx: &mut Tx, id: AppointmentId, generation: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET tracking_generation = ? WHERE id = ?")
        .bind(generation)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn set_tracking_hash(tx: &mut Tx, id: AppointmentId, hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE appointments SET tracking_token_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn tracking_generation(conn: &mut Conn, id: AppointmentId) -> Result<i64, AppError> {
    let (generation,): (i64,) = sqlx::query_as("SELECT tracking_generation FROM appointments WHERE id = ?")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(generation)
}

/// Appointments booked before signed links existed.
pub async fn without_signed_link(tx: &mut Tx) -> Result<Vec<AppointmentId>, AppError> {
    let rows: Vec<(AppointmentId,)> = sqlx::query_as("SELECT id FROM appointments WHERE tracking_generation = 0")
        .fetch_all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ------------------------------------------------------------ read models

/// An appointment as staff lists and pages show it.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ListRow {
    pub id: AppointmentId,
    pub store_id: StoreId,
    pub store_name: String,
    pub time_zone: String,
    pub client_name: String,
    pub client_email: Option<String>,
    pub client_mobile: Option<String>,
    pub service: String,
    pub duration_min: i64,
    pub starts_at: UnixTime,
    pub associate_id: Option<StaffId>,
    pub associate_name: Option<String>,
    pub status: AppointmentStatus,
    pub source: Source,
    pub notes: String,
    pub version: i64,
    pub created_at: UnixTime,
    pub service_id: ServiceId,
    pub client_id: ClientId,
    pub presence: Presence,
    pub completed: bool,
    pub client_communication: ClientCommunication,
    pub cancel_reason: String,
    pub held_until: Option<UnixTime>,
}

const LIST_SELECT: &str = "SELECT a.id, a.store_id, st.name AS store_name, st.time_zone, c.name AS client_name, c.email AS client_email,
        c.mobile AS client_mobile, sv.name AS service, sv.duration_min, a.starts_at, a.associate_id, sf.name AS associate_name,
        a.status, a.source, a.notes, a.version, a.created_at, a.service_id, a.client_id, a.presence, a.completed,
        a.client_communication, a.cancel_reason, a.held_until
    FROM appointments a
    JOIN stores st ON st.id = a.store_id
    JOIN clients c ON c.id = a.client_id
    JOIN services sv ON sv.id = a.service_id
    LEFT JOIN staff sf ON sf.id = a.associate_id";

pub async fn list_row(conn: &mut Conn, id: AppointmentId) -> Result<Option<ListRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("{LIST_SELECT} WHERE a.id = ?")))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// Requests waiting for a manager in `stores` (nobody has them, or they await
/// approval), newest first. Bookings still held for their deposit are not
/// requests yet.
pub async fn awaiting_staff(conn: &mut Conn, stores: &[StoreId]) -> Result<Vec<ListRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LIST_SELECT} WHERE ((a.associate_id IS NULL AND a.status <> ?1) OR a.status = ?2)
         AND a.completed = 0 AND a.held_until IS NULL AND a.store_id IN (SELECT value FROM json_each(?3))
         ORDER BY a.created_at DESC, a.id DESC LIMIT 200"
    )))
    .bind(AppointmentStatus::Cancelled)
    .bind(AppointmentStatus::PendingStaffApproval)
    .bind(json_ids(stores))
    .fetch_all(conn)
    .await?)
}

/// Who sees what in a list: `associate`'s own appointments and every one of `stores`.
pub struct Scope<'a> {
    pub associate: StaffId,
    pub stores: &'a [StoreId],
}

/// Not cancelled, ending after `since`, in `scope`; soonest first.
pub async fn upcoming(conn: &mut Conn, scope: Scope<'_>, since: UnixTime) -> Result<Vec<ListRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LIST_SELECT} WHERE a.ends_at > ? AND a.status <> ?
         AND (a.associate_id = ? OR a.store_id IN (SELECT value FROM json_each(?)))
         ORDER BY a.starts_at LIMIT 200"
    )))
    .bind(since)
    .bind(AppointmentStatus::Cancelled)
    .bind(scope.associate)
    .bind(json_ids(scope.stores))
    .fetch_all(conn)
    .await?)
}

/// What the staff Appointments list narrows by (every part optional).
#[derive(Clone, Debug, Default)]
pub struct Search {
    /// Starts at or after.
    pub from: Option<UnixTime>,
    /// Starts before.
    pub to: Option<UnixTime>,
    pub associate: Option<StaffId>,
    pub status: Option<AppointmentStatus>,
    /// Part of the client's name, email or mobile number.
    pub client: String,
    pub store: Option<StoreId>,
}

/// Appointments in `scope` that `search` keeps, soonest first (at most 500).
pub async fn search(conn: &mut Conn, scope: Scope<'_>, search: &Search) -> Result<Vec<ListRow>, AppError> {
    // `LIKE` with the client's text taken literally: its own % and _ escaped.
    let client = search.client.trim();
    let pattern = format!("%{}%", client.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LIST_SELECT} WHERE a.starts_at >= ? AND a.starts_at < ?
         AND (? IS NULL OR a.associate_id = ?) AND (? IS NULL OR a.status = ?)
         AND (? = '' OR c.name LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\' OR c.mobile LIKE ? ESCAPE '\\')
         AND (? IS NULL OR a.store_id = ?)
         AND (a.associate_id = ? OR a.store_id IN (SELECT value FROM json_each(?)))
         ORDER BY a.starts_at LIMIT 500"
    )))
    .bind(search.from.unwrap_or(UnixTime(i64::MIN)))
    .bind(search.to.unwrap_or(UnixTime(i64::MAX)))
    .bind(search.associate)
    .bind(search.associate)
    .bind(search.status)
    .bind(search.status)
    .bind(client)
    .bind(&pattern)
    .bind(&pattern)
    .bind(&pattern)
    .bind(search.store)
    .bind(search.store)
    .bind(scope.associate)
    .bind(json_ids(scope.stores))
    .fetch_all(conn)
    .await?)
}

/// A client's appointments in `scope`, newest first.
pub async fn of_client(conn: &mut Conn, client_id: ClientId, scope: Scope<'_>) -> Result<Vec<ListRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LIST_SELECT} WHERE a.client_id = ? AND (a.associate_id = ? OR a.store_id IN (SELECT value FROM json_each(?)))
         ORDER BY a.starts_at DESC LIMIT 200"
    )))
    .bind(client_id)
    .bind(scope.associate)
    .bind(json_ids(scope.stores))
    .fetch_all(conn)
    .await?)
}

/// What the integration API's list filters on.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub store_id: Option<StoreId>,
    pub status: Option<AppointmentStatus>,
    pub client_id: Option<ClientId>,
    /// Starts at or after.
    pub from: Option<UnixTime>,
    /// Starts before.
    pub to: Option<UnixTime>,
    /// Paging: ids greater than this.
    pub after_id: Option<AppointmentId>,
    pub limit: i64,
}

/// Appointments of `stores` matching `f`, oldest id first, one page.
pub async fn filtered(conn: &mut Conn, stores: &[StoreId], f: &Filter) -> Result<Vec<ListRow>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LIST_SELECT} WHERE a.store_id IN (SELECT value FROM json_each(?1))
           AND (?2 IS NULL OR a.store_id = ?2) AND (?3 IS NULL OR a.status = ?3) AND (?4 IS NULL OR a.client_id = ?4)
           AND (?5 IS NULL OR a.starts_at >= ?5) AND (?6 IS NULL OR a.starts_at < ?6) AND a.id > ?7
         ORDER BY a.id LIMIT ?8"
    )))
    .bind(json_ids(stores))
    .bind(f.store_id)
    .bind(f.status)
    .bind(f.client_id)
    .bind(f.from)
    .bind(f.to)
    .bind(f.after_id.unwrap_or(AppointmentId(0)))
    .bind(f.limit)
    .fetch_all(conn)
    .await?)
}

/// What the tracking page and the client's actions read about a booking.
#[derive(sqlx::FromRow)]
pub struct TrackingRow {
    pub id: AppointmentId,
    pub store_id: StoreId,
    pub associate_id: Option<StaffId>,
    pub starts_at: UnixTime,
    pub ends_at: UnixTime,
    pub status: AppointmentStatus,
    pub presence: Presence,
    pub completed: bool,
    pub cancel_reason: String,
    pub version: i64,
    pub client_name: String,
    pub client_language: Language,
    pub service_id: ServiceId,
    pub service: String,
    pub service_translations: sqlx::types::Json<BTreeMap<Language, String>>,
    pub associate_name: Option<String>,
    pub store_name: String,
    pub store_slug: String,
    pub address: String,
    pub time_zone: String,
    pub default_language: Language,
    pub client_cutoff_hours: i64,
    /// The start before the latest change (for "moved from" while the client is asked to confirm).
    pub previous_starts_at: Option<UnixTime>,
    pub held_until: Option<UnixTime>,
}

pub async fn tracking_row(conn: &mut Conn, id: AppointmentId) -> Result<Option<TrackingRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.store_id, a.associate_id, a.starts_at, a.ends_at, a.status, a.presence, a.completed,
                a.cancel_reason, a.version, c.name AS client_name, c.language AS client_language, a.service_id, sv.name AS service,
                (SELECT json_group_object(n.language, n.name) FROM service_names n WHERE n.service_id = a.service_id)
                    AS service_translations,
                st.name AS associate_name, s.name AS store_name, s.slug AS store_slug, s.address, s.time_zone, s.default_language,
                s.client_cutoff_hours,
                (SELECT json_extract(v.snapshot, '$.starts_at') FROM appointment_versions v
                  WHERE v.appointment_id = a.id AND v.version = a.version - 1) AS previous_starts_at, a.held_until
         FROM appointments a JOIN clients c ON c.id = a.client_id JOIN services sv ON sv.id = a.service_id
         JOIN stores s ON s.id = a.store_id LEFT JOIN staff st ON st.id = a.associate_id WHERE a.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// What every message and webhook about an appointment needs besides the
/// event: the client and how to reach them, the store, the link generation.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Audience {
    pub id: AppointmentId,
    pub store_id: StoreId,
    pub remind_by_email: bool,
    pub remind_by_sms: bool,
    pub cancel_reason: String,
    pub tracking_generation: i64,
    pub client_id: ClientId,
    pub client_name: String,
    pub client_email: Option<String>,
    pub client_mobile: Option<String>,
    pub client_language: Language,
    pub store_name: String,
    pub store_slug: String,
    pub store_address: String,
    pub time_zone: String,
    pub default_language: Language,
    pub thank_you_enabled: bool,
    pub client_cutoff_hours: i64,
    pub client_messages_sent_by: crate::domain::messages::SentBy,
    /// The store's meeting link template, and whether the booked service is held by video.
    pub video_url_template: String,
    pub service_video: bool,
}

/// `Audience` of many appointments in one query.
pub async fn audiences(conn: &mut Conn, ids: &[AppointmentId]) -> Result<HashMap<AppointmentId, Audience>, AppError> {
    let rows: Vec<Audience> = sqlx::query_as(
        "SELECT a.id, a.store_id, a.remind_by_email, a.remind_by_sms, a.cancel_reason, a.tracking_generation,
                c.id AS client_id, c.name AS client_name, c.email AS client_email, c.mobile AS client_mobile,
                c.language AS client_language, s.name AS store_name, s.slug AS store_slug, s.address AS store_address,
                s.time_zone, s.default_language, s.thank_you_enabled, s.client_cutoff_hours, s.client_messages_sent_by,
                s.video_url_template, (SELECT sv.video FROM services sv WHERE sv.id = a.service_id) AS service_video
         FROM appointments a JOIN clients c ON c.id = a.client_id JOIN stores s ON s.id = a.store_id
         WHERE a.id IN (SELECT value FROM json_each(?))",
    )
    .bind(json_ids(ids))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

/// The open appointments of `associate` starting in `[from, to)`: `(id, store's time zone, start)`.
pub async fn of_associate_between(
    conn: &mut Conn,
    associate: StaffId,
    from: UnixTime,
    to: UnixTime,
) -> Result<Vec<(AppointmentId, String, UnixTime)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, st.time_zone, a.starts_at FROM appointments a JOIN stores st ON st.id = a.store_id
         WHERE a.associate_id = ? AND a.status <> ? AND a.completed = 0 AND a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at",
    )
    .bind(associate)
    .bind(AppointmentStatus::Cancelled)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}
