//! Read-side queries for pages and the live channel. Each page is one or two
//! queries whatever the number of rows (no per-row lookups).

use super::time;
use super::AppState;
use crate::error::AppError;
use crate::model::{
    AppointmentDetail, AppointmentStatus, AppointmentView, AssociateInfo, Me, NotificationPage, NotificationView, StoreRole, VersionView,
};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct AppointmentRow {
    id: i64,
    store_id: i64,
    store_name: String,
    time_zone: String,
    client_name: String,
    client_email: Option<String>,
    client_mobile: Option<String>,
    service: String,
    duration_min: i64,
    starts_at: i64,
    associate_id: Option<i64>,
    associate_name: Option<String>,
    status: String,
    source: String,
    notes: String,
    version: i64,
    created_at: i64,
    service_id: i64,
    client_id: i64,
    presence: String,
    completed: bool,
    client_communication: String,
    cancel_reason: String,
}

const APPOINTMENT_SELECT: &str =
    "SELECT a.id, a.store_id, st.name AS store_name, st.time_zone, c.name AS client_name, c.email AS client_email,
        c.mobile AS client_mobile, sv.name AS service, sv.duration_min, a.starts_at, a.associate_id, sf.name AS associate_name,
        a.status, a.source, a.notes, a.version, a.created_at, a.service_id, a.client_id, a.presence, a.completed,
        a.client_communication, a.cancel_reason
    FROM appointments a
    JOIN stores st ON st.id = a.store_id
    JOIN clients c ON c.id = a.client_id
    JOIN services sv ON sv.id = a.service_id
    LEFT JOIN staff sf ON sf.id = a.associate_id";

impl From<AppointmentRow> for AppointmentView {
    fn from(r: AppointmentRow) -> Self {
        let tz = time::zone(&r.time_zone);
        AppointmentView {
            id: r.id,
            store_id: r.store_id,
            store_name: r.store_name,
            client_name: r.client_name,
            client_email: r.client_email,
            client_mobile: r.client_mobile,
            service: r.service,
            duration_min: r.duration_min,
            starts_at: r.starts_at,
            when: time::human(tz, r.starts_at),
            associate_id: r.associate_id,
            associate_name: r.associate_name,
            status: AppointmentStatus::parse(&r.status).unwrap_or(AppointmentStatus::PendingStaffApproval),
            source: r.source,
            notes: r.notes,
            version: r.version,
            created_at: r.created_at,
            service_id: r.service_id,
            client_id: r.client_id,
            presence: r.presence,
            completed: r.completed,
            client_communication: crate::model::ClientCommunication::parse(&r.client_communication)
                .unwrap_or(crate::model::ClientCommunication::ClientOnly),
            cancel_reason: r.cancel_reason,
            local_date: time::local_date(tz, r.starts_at).format("%Y-%m-%d").to_string(),
            local_time: time::clock_time(tz, r.starts_at),
        }
    }
}

fn managed_store_ids(me: &Me) -> Vec<i64> {
    me.stores
        .iter()
        .filter(|s| me.is_admin || s.role == StoreRole::Manager)
        .map(|s| s.id)
        .collect()
}

fn ids_json(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

/// Requests nobody has been given yet, in the stores `me` manages, newest first.
pub async fn queue(state: &AppState, me: &Me) -> Result<(Vec<AppointmentView>, HashMap<i64, Vec<AssociateInfo>>), AppError> {
    let stores = managed_store_ids(me);
    if stores.is_empty() {
        return Err(AppError::Forbidden("Only managers see the assignment queue.".into()));
    }
    let rows: Vec<AppointmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{APPOINTMENT_SELECT} WHERE a.associate_id IS NULL AND a.status <> 'Cancelled'
         AND a.store_id IN (SELECT value FROM json_each(?)) ORDER BY a.created_at DESC, a.id DESC LIMIT 200"
    )))
    .bind(ids_json(&stores))
    .fetch_all(&state.db.read)
    .await?;
    let associates = associates_by_store(state, &stores).await?;
    Ok((rows.into_iter().map(Into::into).collect(), associates))
}

pub async fn associates_by_store(state: &AppState, stores: &[i64]) -> Result<HashMap<i64, Vec<AssociateInfo>>, AppError> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT m.store_id, s.id, s.name FROM store_members m JOIN staff s ON s.id = m.staff_id
         WHERE m.role = 'associate' AND m.store_id IN (SELECT value FROM json_each(?)) ORDER BY s.name",
    )
    .bind(ids_json(stores))
    .fetch_all(&state.db.read)
    .await?;
    let mut map: HashMap<i64, Vec<AssociateInfo>> = HashMap::new();
    for (store, id, name) in rows {
        map.entry(store).or_default().push(AssociateInfo { id, name });
    }
    Ok(map)
}

/// The staff home list: an associate's own appointments; a manager's stores' ones. Upcoming first.
pub async fn my_appointments(state: &AppState, me: &Me) -> Result<Vec<AppointmentView>, AppError> {
    let now = state.clock.now();
    let rows: Vec<AppointmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{APPOINTMENT_SELECT} WHERE a.ends_at > ? AND a.status <> 'Cancelled'
         AND (a.associate_id = ? OR a.store_id IN (SELECT value FROM json_each(?)))
         ORDER BY a.starts_at LIMIT 200"
    )))
    .bind(now - 3600)
    .bind(me.id)
    .bind(ids_json(&managed_store_ids(me)))
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A client's appointments that `me` may see, newest first.
pub async fn client_appointments(state: &AppState, me: &Me, client_id: i64) -> Result<Vec<AppointmentView>, AppError> {
    let rows: Vec<AppointmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{APPOINTMENT_SELECT} WHERE a.client_id = ? AND (a.associate_id = ? OR a.store_id IN (SELECT value FROM json_each(?)))
         ORDER BY a.starts_at DESC LIMIT 200"
    )))
    .bind(client_id)
    .bind(me.id)
    .bind(ids_json(&managed_store_ids(me)))
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn appointment_detail(state: &AppState, me: &Me, id: i64) -> Result<AppointmentDetail, AppError> {
    let row: AppointmentRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("{APPOINTMENT_SELECT} WHERE a.id = ?")))
        .bind(id)
        .fetch_optional(&state.db.read)
        .await?
        .ok_or_else(|| AppError::NotFound("No such appointment.".into()))?;
    let manages = managed_store_ids(me).contains(&row.store_id);
    if !manages && row.associate_id != Some(me.id) {
        // Same answer as a missing one: other stores' data stays invisible.
        return Err(AppError::NotFound("No such appointment.".into()));
    }
    let tz = time::zone(&row.time_zone);
    let assignable = if manages {
        associates_by_store(state, &[row.store_id])
            .await?
            .remove(&row.store_id)
            .unwrap_or_default()
    } else {
        vec![]
    };
    let versions: Vec<(i64, String, Option<String>, i64, String)> = sqlx::query_as(
        "SELECT v.version, v.modified_by_kind, s.name, v.recorded_at, v.snapshot FROM appointment_versions v
         LEFT JOIN staff s ON s.id = v.modified_by_staff_id WHERE v.appointment_id = ? ORDER BY v.version",
    )
    .bind(id)
    .fetch_all(&state.db.read)
    .await?;
    let staff_names: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
        "SELECT s.id, s.name FROM store_members m JOIN staff s ON s.id = m.staff_id WHERE m.store_id = ?",
    )
    .bind(row.store_id)
    .fetch_all(&state.db.read)
    .await?
    .into_iter()
    .collect();
    let mut previous: Option<serde_json::Value> = None;
    let mut history: Vec<VersionView> = versions
        .into_iter()
        .map(|(version, kind, staff_name, at, snapshot)| {
            let snap: serde_json::Value = serde_json::from_str(&snapshot).unwrap_or_default();
            let summary = describe_version(&snap, previous.as_ref(), tz, &staff_names);
            previous = Some(snap);
            let by = match kind.as_str() {
                "staff" => staff_name.unwrap_or_else(|| "Staff".into()),
                "client" => "Client".into(),
                _ => "Frontdesk".into(),
            };
            VersionView { version, by, at, summary }
        })
        .collect();
    history.reverse();
    let services: Vec<(i64, String, i64, i64)> =
        sqlx::query_as("SELECT id, name, duration_min, price_cents FROM services WHERE store_id = ? AND active = 1 ORDER BY id")
            .bind(row.store_id)
            .fetch_all(&state.db.read)
            .await?;
    let (store_slug,): (String,) = sqlx::query_as("SELECT slug FROM stores WHERE id = ?")
        .bind(row.store_id)
        .fetch_one(&state.db.read)
        .await?;
    let (generation,): (i64,) = sqlx::query_as("SELECT tracking_generation FROM appointments WHERE id = ?")
        .bind(id)
        .fetch_one(&state.db.read)
        .await?;
    let tracking_url = super::tracking::url(&state.config.public_url, &state.tracking.token(id, generation));
    let attendees = super::attendees::list(state, id).await?;
    let messages = super::client_messages::for_appointment(state, id).await?;
    Ok(AppointmentDetail {
        attendees,
        messages,
        tracking_url,
        appointment: row.into(),
        can_manage: manages,
        store_slug,
        services: services
            .into_iter()
            .map(|(id, name, duration_min, price_cents)| crate::model::ServiceInfo {
                id,
                name,
                duration_min,
                price_cents,
            })
            .collect(),
        assignable,
        history,
    })
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    seq: i64,
    kind: String,
    title: String,
    body: String,
    url: String,
    reason: String,
    created_at: i64,
    read_at: Option<i64>,
    resolved_at: Option<i64>,
}

impl From<NotificationRow> for NotificationView {
    fn from(r: NotificationRow) -> Self {
        NotificationView {
            id: r.id,
            seq: r.seq,
            kind: r.kind,
            title: r.title,
            body: r.body,
            url: r.url,
            reason: r.reason,
            created_at: r.created_at,
            read: r.read_at.is_some(),
            resolved: r.resolved_at.is_some(),
        }
    }
}

const NOTIFICATION_COLUMNS: &str = "id, seq, kind, title, body, url, reason, created_at, read_at, resolved_at";

/// Newest first, `limit` items older than `before_seq` (or the newest).
pub async fn notifications_page(
    state: &AppState,
    staff_id: i64,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<NotificationPage, AppError> {
    let limit = limit.clamp(1, 100);
    let rows: Vec<NotificationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE staff_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"
    )))
    .bind(staff_id)
    .bind(before_seq.unwrap_or(i64::MAX))
    .bind(limit + 1)
    .fetch_all(&state.db.read)
    .await?;
    let (unread,): (i64,) = sqlx::query_as("SELECT unread_count FROM staff WHERE id = ?")
        .bind(staff_id)
        .fetch_one(&state.db.read)
        .await?;
    let more = rows.len() as i64 > limit;
    let items: Vec<NotificationView> = rows.into_iter().take(limit as usize).map(Into::into).collect();
    let next_before = if more { items.last().map(|n| n.seq) } else { None };
    Ok(NotificationPage {
        items,
        unread,
        next_before,
    })
}

/// Catch-up after a reconnect: everything after `after_seq`, oldest first.
pub async fn notifications_after(state: &AppState, staff_id: i64, after_seq: i64, limit: i64) -> Result<Vec<NotificationView>, AppError> {
    let rows: Vec<NotificationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE staff_id = ? AND seq > ? ORDER BY seq LIMIT ?"
    )))
    .bind(staff_id)
    .bind(after_seq)
    .bind(limit)
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// "Booked for …", or what differs from the previous version, in words.
fn describe_version(
    snap: &serde_json::Value,
    previous: Option<&serde_json::Value>,
    tz: chrono_tz::Tz,
    names: &HashMap<i64, String>,
) -> String {
    let int = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_i64());
    let text = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let Some(prev) = previous else {
        return format!("Booked for {}", time::human(tz, int(snap, "starts_at").unwrap_or(0)));
    };
    let mut parts = Vec::new();
    if int(snap, "starts_at") != int(prev, "starts_at") {
        parts.push(format!(
            "moved from {} to {}",
            time::human(tz, int(prev, "starts_at").unwrap_or(0)),
            time::human(tz, int(snap, "starts_at").unwrap_or(0))
        ));
    }
    if int(snap, "associate_id") != int(prev, "associate_id") {
        let who = int(snap, "associate_id")
            .and_then(|a| names.get(&a).cloned())
            .unwrap_or_else(|| "nobody".into());
        parts.push(format!("assigned to {who}"));
    }
    if int(snap, "service_id") != int(prev, "service_id") {
        parts.push("service changed".into());
    }
    if text(snap, "notes") != text(prev, "notes") {
        parts.push("notes changed".into());
    }
    if text(snap, "status") != text(prev, "status") {
        let status = crate::model::AppointmentStatus::parse(&text(snap, "status"))
            .map(|s| s.label())
            .unwrap_or("changed");
        parts.push(format!("status: {status}"));
    }
    if text(snap, "presence") != text(prev, "presence") && text(snap, "presence") == "NoShow" {
        parts.push("marked as a no-show".into());
    }
    if int(snap, "completed") != int(prev, "completed") {
        parts.push("completed".into());
    }
    if parts.is_empty() {
        return "Updated".into();
    }
    let mut s = parts.join(", ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

/// What the integration API's appointment list filters on.
#[derive(Clone, Debug, Default)]
pub struct AppointmentFilter {
    pub store_id: Option<i64>,
    pub status: Option<String>,
    pub client_id: Option<i64>,
    /// Starts at or after (unix seconds).
    pub from: Option<i64>,
    /// Starts before (unix seconds).
    pub to: Option<i64>,
    /// Paging: ids greater than this.
    pub after_id: Option<i64>,
    pub limit: i64,
}

/// Appointments of the stores `me` manages (admins: all), oldest id first, one page.
pub async fn appointments_filtered(state: &AppState, me: &Me, f: &AppointmentFilter) -> Result<Vec<AppointmentView>, AppError> {
    if let Some(s) = &f.status {
        if AppointmentStatus::parse(s).is_none() {
            return Err(AppError::field(
                "status",
                "Use PendingStaffApproval, Approved, PendingClientApproval or Cancelled.",
            ));
        }
    }
    if !(1..=200).contains(&f.limit) {
        return Err(AppError::field("limit", "Ask for 1 to 200 appointments at a time."));
    }
    let rows: Vec<AppointmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{APPOINTMENT_SELECT} WHERE a.store_id IN (SELECT value FROM json_each(?1))
           AND (?2 IS NULL OR a.store_id = ?2) AND (?3 IS NULL OR a.status = ?3) AND (?4 IS NULL OR a.client_id = ?4)
           AND (?5 IS NULL OR a.starts_at >= ?5) AND (?6 IS NULL OR a.starts_at < ?6) AND a.id > ?7
         ORDER BY a.id LIMIT ?8"
    )))
    .bind(ids_json(&managed_store_ids(me)))
    .bind(f.store_id)
    .bind(&f.status)
    .bind(f.client_id)
    .bind(f.from)
    .bind(f.to)
    .bind(f.after_id.unwrap_or(0))
    .bind(f.limit)
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
