//! What staff pages show of appointments: the queue, the lists, one
//! appointment with its history. Each is one or two queries whatever the
//! number of rows, filtered by the access policy's stores.

use crate::backend::store::appointments::{Filter, ListRow, Scope, Search};
use crate::backend::store::{self, Reader};
use crate::backend::{time, tracking, AppState};
use crate::domain::appointment::{AppointmentSnapshot, AppointmentStatus, Presence};
use crate::domain::event::ActorKind;
use crate::domain::ids::{AppointmentId, ClientId, StaffId, StoreId};
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use crate::model::{
    AppointmentDetail, AppointmentQuery, AppointmentSearch, AppointmentView, AssociateInfo, AttendeeView, BookedContact, Me, VersionView,
};
use crate::rules::access::{self, Action, AppointmentAction};
use std::collections::HashMap;

const NO_SUCH_APPOINTMENT: &str = "No such appointment.";

pub fn view(r: ListRow) -> AppointmentView {
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
        status: r.status,
        source: r.source,
        notes: r.notes,
        version: r.version,
        created_at: r.created_at,
        service_id: r.service_id,
        client_id: r.client_id,
        presence: r.presence,
        completed: r.completed,
        client_communication: r.client_communication,
        cancel_reason: r.cancel_reason,
        held_until: r.held_until.map(|t| time::human(tz, t)),
        local_date: time::iso_date(tz, r.starts_at),
        local_time: time::clock_time(tz, r.starts_at),
    }
}

pub(crate) fn scope<'a>(me: &Me, managed: &'a [StoreId]) -> Scope<'a> {
    Scope {
        associate: me.id,
        stores: managed,
    }
}

/// Requests nobody has been given yet, in the stores `me` manages, newest
/// first, with the associates each could go to.
pub async fn queue(state: &AppState, me: &Me) -> Result<(Vec<AppointmentView>, HashMap<StoreId, Vec<AssociateInfo>>), AppError> {
    crate::backend::commands::allow(me, Action::Queue, NO_SUCH_APPOINTMENT)?;
    let stores = access::managed_stores(me);
    let mut conn = state.db.reader().await?;
    let rows = store::appointments::awaiting_staff(&mut conn, &stores).await?;
    let associates = associates_by_store(&mut conn, &stores).await?;
    Ok((rows.into_iter().map(view).collect(), associates))
}

pub async fn associates_by_store(conn: &mut Reader, stores: &[StoreId]) -> Result<HashMap<StoreId, Vec<AssociateInfo>>, AppError> {
    let mut map: HashMap<StoreId, Vec<AssociateInfo>> = HashMap::new();
    for (store, id, name) in store::staff::associates_of(conn, stores).await? {
        map.entry(store).or_default().push(AssociateInfo { id, name });
    }
    Ok(map)
}

/// The staff home list: an associate's own appointments; a manager's stores' ones. Upcoming first.
pub async fn mine(state: &AppState, me: &Me) -> Result<Vec<AppointmentView>, AppError> {
    let managed = access::managed_stores(me);
    let mut conn = state.db.reader().await?;
    // What started within the hour still shows: it is happening.
    let since = state.clock.now() - Seconds::hours(1);
    let rows = store::appointments::upcoming(&mut conn, scope(me, &managed), since).await?;
    Ok(rows.into_iter().map(view).collect())
}

/// The Appointments list narrowed by `q`: a day range (in each store's own
/// time), an associate, a status, part of the client's name, email or number.
/// An empty query is the upcoming list.
pub async fn search(state: &AppState, me: &Me, q: AppointmentQuery) -> Result<AppointmentSearch, AppError> {
    let managed = access::managed_stores(me);
    let day = |field: &str, text: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::field(field, "Please give a day as YYYY-MM-DD."))
    };
    let (from, to) = (day("from", &q.from)?, day("to", &q.to)?);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(AppError::field("to", "The last day comes after the first."));
        }
    }
    let status = match q.status.trim() {
        "" => None,
        s => Some(AppointmentStatus::parse(s).ok_or_else(|| AppError::field("status", "Please choose one of the statuses offered."))?),
    };
    if q.client.chars().count() > 100 {
        return Err(AppError::field("client", "Please search with at most 100 characters."));
    }
    let mut conn = state.db.reader().await?;
    let mut associates: Vec<AssociateInfo> = associates_by_store(&mut conn, &managed).await?.into_values().flatten().collect();
    associates.sort_by(|a, b| a.name.cmp(&b.name));
    associates.dedup_by_key(|a| a.id);
    if q.is_empty() {
        let items = mine(state, me).await?;
        return Ok(AppointmentSearch { items, associates });
    }
    // Days are store-local; a store is at most 14 hours from UTC, so the
    // query takes a day's margin and each row is then kept by its own store's date.
    let margin = Seconds::hours(24);
    let bound = |d: chrono::NaiveDate| UnixTime(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or_default());
    let search = Search {
        from: from.map(|d| bound(d) - margin),
        to: to.map(|d| bound(d) + Seconds::hours(24) + margin),
        associate: q.associate_id,
        status,
        client: q.client.clone(),
        store: None,
    };
    let rows = store::appointments::search(&mut conn, scope(me, &managed), &search).await?;
    let (from, to) = (from.map(|d| d.to_string()), to.map(|d| d.to_string()));
    let items = rows
        .into_iter()
        .filter(|r| {
            let date = time::iso_date(time::zone(&r.time_zone), r.starts_at);
            from.as_ref().is_none_or(|f| &date >= f) && to.as_ref().is_none_or(|t| &date <= t)
        })
        .map(view)
        .collect();
    Ok(AppointmentSearch { items, associates })
}

/// A client's appointments that `me` may see, newest first.
pub async fn of_client(conn: &mut Reader, me: &Me, client_id: ClientId) -> Result<Vec<AppointmentView>, AppError> {
    let managed = access::managed_stores(me);
    let rows = store::appointments::of_client(conn, client_id, scope(me, &managed)).await?;
    Ok(rows.into_iter().map(view).collect())
}

/// One appointment, if `me` may see it (404 otherwise, as for a missing one).
pub async fn one(state: &AppState, me: &Me, id: AppointmentId) -> Result<AppointmentView, AppError> {
    let mut conn = state.db.reader().await?;
    let row = visible_row(&mut conn, me, id).await?;
    Ok(view(row))
}

async fn visible_row(conn: &mut Reader, me: &Me, id: AppointmentId) -> Result<ListRow, AppError> {
    let row = store::appointments::list_row(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH_APPOINTMENT.into()))?;
    let action = Action::Appointment {
        action: AppointmentAction::See,
        store: row.store_id,
        associate: row.associate_id,
    };
    crate::backend::commands::allow(me, action, NO_SUCH_APPOINTMENT)?;
    Ok(row)
}

pub async fn detail(state: &AppState, me: &Me, id: AppointmentId) -> Result<AppointmentDetail, AppError> {
    let mut conn = state.db.reader().await?;
    let row = visible_row(&mut conn, me, id).await?;
    let can_manage = access::managed_stores(me).contains(&row.store_id);
    let tz = time::zone(&row.time_zone);
    let assignable = if can_manage {
        associates_by_store(&mut conn, &[row.store_id])
            .await?
            .remove(&row.store_id)
            .unwrap_or_default()
    } else {
        vec![]
    };
    let names = store::staff::names_in_store(&mut conn, row.store_id).await?;
    let mut previous: Option<AppointmentSnapshot> = None;
    let mut history = Vec::new();
    for v in store::appointments::history(&mut conn, id).await? {
        let snapshot = v.snapshot()?;
        let summary = describe_version(&snapshot, previous.as_ref(), tz, &names);
        previous = Some(snapshot);
        let by = match v.modified_by_kind {
            ActorKind::Staff => v.staff_name.unwrap_or_else(|| "Staff".into()),
            ActorKind::Client => "Client".into(),
            ActorKind::System => "Frontdesk".into(),
        };
        history.push(VersionView {
            version: v.version,
            by,
            at: v.recorded_at,
            summary,
        });
    }
    history.reverse();
    let services = store::services::active(&mut conn, row.store_id)
        .await?
        .into_iter()
        .map(super::service_info)
        .collect();
    let store_slug = store::stores::by_id(&mut conn, row.store_id)
        .await?
        .map(|s| s.slug)
        .unwrap_or_default();
    let generation = store::appointments::tracking_generation(&mut conn, id).await?;
    let tracking_url = tracking::url(&state.config.public_url, &state.tracking.token(id, generation));
    let attendees = store::attendees::of(&mut conn, id)
        .await?
        .into_iter()
        .map(|(id, name, email)| AttendeeView { id, name, email })
        .collect();
    let messages = super::client_messages::of_appointment(&mut conn, id).await?;
    let booked_as = store::clients::booking_contact(&mut conn, id)
        .await?
        .map(|(name, email, mobile, language)| BookedContact {
            name,
            email,
            mobile,
            language,
        })
        .filter(|b| b.name != row.client_name || b.email != row.client_email || b.mobile != row.client_mobile);
    let pay = super::payments::for_staff(&mut conn, me, row.store_id, row.associate_id, id, row.service_id).await?;
    let video_url = store::appointments::audiences(&mut conn, &[id])
        .await?
        .get(&id)
        .and_then(|a| a.video_url(|| state.tracking.video_room(id), crate::domain::video::Role::Host));
    Ok(AppointmentDetail {
        payments: pay.payments,
        can_request_payment: pay.can_request,
        can_refund: pay.can_refund,
        default_amount: pay.default_amount,
        video_url,
        booked_as,
        attendees,
        messages,
        tracking_url,
        appointment: view(row),
        can_manage,
        store_slug,
        services,
        assignable,
        history,
    })
}

/// "Booked for …", or what differs from the previous version, in words.
fn describe_version(
    snap: &AppointmentSnapshot,
    previous: Option<&AppointmentSnapshot>,
    tz: chrono_tz::Tz,
    names: &HashMap<StaffId, String>,
) -> String {
    let Some(prev) = previous else {
        return format!("Booked for {}", time::human(tz, snap.starts_at));
    };
    let mut parts = Vec::new();
    if snap.starts_at != prev.starts_at {
        parts.push(format!(
            "moved from {} to {}",
            time::human(tz, prev.starts_at),
            time::human(tz, snap.starts_at)
        ));
    }
    if snap.associate_id != prev.associate_id {
        let who = snap
            .associate_id
            .and_then(|a| names.get(&a).cloned())
            .unwrap_or_else(|| "nobody".into());
        parts.push(format!("assigned to {who}"));
    }
    if snap.service_id != prev.service_id {
        parts.push("service changed".into());
    }
    if snap.notes != prev.notes {
        parts.push("notes changed".into());
    }
    if snap.status != prev.status {
        parts.push(format!("status: {}", snap.status.label()));
    }
    if snap.presence != prev.presence && snap.presence == Presence::NoShow {
        parts.push("marked as a no-show".into());
    }
    if snap.completed != prev.completed {
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

/// The integration API's list: what `me` manages (admins: every store), one page.
pub async fn filtered(state: &AppState, me: &Me, f: &Filter) -> Result<Vec<AppointmentView>, AppError> {
    if !(1..=200).contains(&f.limit) {
        return Err(AppError::field("limit", "Ask for 1 to 200 appointments at a time."));
    }
    let mut conn = state.db.reader().await?;
    let rows = store::appointments::filtered(&mut conn, &access::managed_stores(me), f).await?;
    Ok(rows.into_iter().map(view).collect())
}

/// A status as the API's query string spells it.
pub fn parse_status(raw: &str) -> Result<AppointmentStatus, AppError> {
    AppointmentStatus::parse(raw)
        .ok_or_else(|| AppError::field("status", "Use PendingStaffApproval, Approved, PendingClientApproval or Cancelled."))
}
