//! Store notification settings and the client directory staff book from.

use super::booking::can_manage;
use super::queries;
use super::AppState;
use crate::domain::parse::{EmailAddress, Language, MobileNumber, PersonName};
use crate::error::{AppError, FieldError};
use crate::model::{AssociateInfo, ClientProfile, ClientSummary, Me, NewClient, ServiceInfo, StoreSettingsForm, StoreSettingsPage};

#[derive(sqlx::FromRow)]
struct SettingsRow {
    name: String,
    notify_all_managers: bool,
    notify_unassigned_messages: bool,
    notify_overdue_conversations: bool,
    overdue_conversation_minutes: i64,
    escalation_minutes: i64,
    approval_mode: String,
    reminder_lead_hours: i64,
    recall_days: i64,
    thank_you_enabled: bool,
    client_cutoff_hours: i64,
}

async fn ensure_manager(state: &AppState, me: &Me, store_id: i64) -> Result<(), AppError> {
    let mut conn = state.db.read.acquire().await?;
    if can_manage(&mut conn, me.id, store_id).await? {
        return Ok(());
    }
    Err(if me.stores.iter().any(|s| s.id == store_id) {
        AppError::Forbidden("Only managers of this store and admins can change its settings.".into())
    } else {
        AppError::NotFound("No such store.".into())
    })
}

pub async fn settings(state: &AppState, me: &Me, store_id: i64) -> Result<StoreSettingsPage, AppError> {
    ensure_manager(state, me, store_id).await?;
    let r: SettingsRow = sqlx::query_as(
        "SELECT name, notify_all_managers, notify_unassigned_messages, notify_overdue_conversations, overdue_conversation_minutes,
                escalation_minutes, approval_mode, reminder_lead_hours, recall_days, thank_you_enabled,
                client_cutoff_hours FROM stores WHERE id = ?",
    )
    .bind(store_id)
    .fetch_optional(&state.db.read)
    .await?
    .ok_or_else(|| AppError::NotFound("No such store.".into()))?;
    let managers: Vec<(i64, String)> = sqlx::query_as(
        "SELECT s.id, s.name FROM store_members m JOIN staff s ON s.id = m.staff_id WHERE m.store_id = ? AND m.role = 'manager' ORDER BY s.name",
    )
    .bind(store_id)
    .fetch_all(&state.db.read)
    .await?;
    let selected: Vec<(i64,)> = sqlx::query_as("SELECT staff_id FROM store_notified_managers WHERE store_id = ?")
        .bind(store_id)
        .fetch_all(&state.db.read)
        .await?;
    Ok(StoreSettingsPage {
        store_name: r.name,
        managers: managers.into_iter().map(|(id, name)| AssociateInfo { id, name }).collect(),
        settings: StoreSettingsForm {
            store_id,
            notify_all_managers: r.notify_all_managers,
            notified_managers: selected.into_iter().map(|s| s.0).collect(),
            notify_unassigned_messages: r.notify_unassigned_messages,
            notify_overdue_conversations: r.notify_overdue_conversations,
            overdue_conversation_minutes: r.overdue_conversation_minutes,
            escalation_minutes: r.escalation_minutes,
            approval_mode: r.approval_mode,
            reminder_lead_hours: r.reminder_lead_hours,
            recall_days: r.recall_days,
            thank_you_enabled: r.thank_you_enabled,
            client_cutoff_hours: r.client_cutoff_hours,
        },
    })
}

fn check_range(errors: &mut Vec<FieldError>, field: &str, value: i64, min: i64, max: i64, unit: &str) {
    if value < min || value > max {
        errors.push(FieldError {
            field: field.into(),
            message: format!("Choose between {min} and {max} {unit}."),
        });
    }
}

pub async fn save_settings(state: &AppState, me: &Me, f: StoreSettingsForm) -> Result<(), AppError> {
    ensure_manager(state, me, f.store_id).await?;
    let mut errors = Vec::new();
    check_range(
        &mut errors,
        "overdue_conversation_minutes",
        f.overdue_conversation_minutes,
        5,
        7 * 24 * 60,
        "minutes",
    );
    check_range(&mut errors, "escalation_minutes", f.escalation_minutes, 5, 7 * 24 * 60, "minutes");
    check_range(&mut errors, "reminder_lead_hours", f.reminder_lead_hours, 1, 14 * 24, "hours");
    check_range(&mut errors, "recall_days", f.recall_days, 1, 730, "days");
    check_range(&mut errors, "client_cutoff_hours", f.client_cutoff_hours, 0, 14 * 24, "hours");
    if f.approval_mode != "automatic" && f.approval_mode != "manual" {
        errors.push(FieldError {
            field: "approval_mode".into(),
            message: "Choose automatic or manual approval.".into(),
        });
    }
    if !f.notify_all_managers && f.notified_managers.is_empty() {
        errors.push(FieldError {
            field: "notified_managers".into(),
            message: "Select at least one manager, or notify all managers, so new requests reach someone.".into(),
        });
    }
    let managers = settings(state, me, f.store_id).await?.managers;
    if f.notified_managers.iter().any(|id| !managers.iter().any(|m| m.id == *id)) {
        errors.push(FieldError {
            field: "notified_managers".into(),
            message: "Only managers of this store can be selected.".into(),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                sqlx::query(
                    "UPDATE stores SET notify_all_managers = ?, notify_unassigned_messages = ?, notify_overdue_conversations = ?,
                         overdue_conversation_minutes = ?, escalation_minutes = ?, approval_mode = ?, reminder_lead_hours = ?,
                         recall_days = ?, thank_you_enabled = ?, client_cutoff_hours = ? WHERE id = ?",
                )
                .bind(f.notify_all_managers)
                .bind(f.notify_unassigned_messages)
                .bind(f.notify_overdue_conversations)
                .bind(f.overdue_conversation_minutes)
                .bind(f.escalation_minutes)
                .bind(&f.approval_mode)
                .bind(f.reminder_lead_hours)
                .bind(f.recall_days)
                .bind(f.thank_you_enabled)
                .bind(f.client_cutoff_hours)
                .bind(f.store_id)
                .execute(tx.conn())
                .await?;
                sqlx::query("DELETE FROM store_notified_managers WHERE store_id = ?")
                    .bind(f.store_id)
                    .execute(tx.conn())
                    .await?;
                sqlx::query("INSERT INTO store_notified_managers (store_id, staff_id) SELECT ?, value FROM json_each(?)")
                    .bind(f.store_id)
                    .bind(serde_json::to_string(&f.notified_managers).map_err(|_| AppError::Internal)?)
                    .execute(tx.conn())
                    .await?;
                Ok(())
            })
        })
        .await
}

fn my_store_ids(me: &Me) -> String {
    serde_json::to_string(&me.stores.iter().map(|s| s.id).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

#[derive(sqlx::FromRow)]
struct ClientRow {
    id: i64,
    store_id: i64,
    store_name: String,
    name: String,
    email: Option<String>,
    mobile: Option<String>,
    language: String,
}

impl From<ClientRow> for ClientSummary {
    fn from(r: ClientRow) -> Self {
        ClientSummary {
            id: r.id,
            store_id: r.store_id,
            store_name: r.store_name,
            name: r.name,
            email: r.email,
            mobile: r.mobile,
            language: r.language,
        }
    }
}

const CLIENT_SELECT: &str = "SELECT c.id, c.store_id, s.name AS store_name, c.name, c.email, c.mobile, c.language FROM clients c JOIN stores s ON s.id = c.store_id";

/// Clients of my stores whose name, email or mobile contains `q`.
pub async fn search_clients(state: &AppState, me: &Me, q: &str) -> Result<Vec<ClientSummary>, AppError> {
    let q = q.trim();
    if q.chars().count() > 100 {
        return Err(AppError::field("q", "Search for at most 100 characters."));
    }
    let pattern = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let rows: Vec<ClientRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{CLIENT_SELECT} WHERE c.store_id IN (SELECT value FROM json_each(?))
           AND (c.name LIKE ?2 ESCAPE '\\' OR c.email LIKE ?2 ESCAPE '\\' OR c.mobile LIKE ?2 ESCAPE '\\')
         ORDER BY c.name LIMIT 30"
    )))
    .bind(my_store_ids(me))
    .bind(pattern)
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn client_profile(state: &AppState, me: &Me, id: i64) -> Result<ClientProfile, AppError> {
    let row: ClientRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{CLIENT_SELECT} WHERE c.id = ? AND c.store_id IN (SELECT value FROM json_each(?))"
    )))
    .bind(id)
    .bind(my_store_ids(me))
    .fetch_optional(&state.db.read)
    .await?
    .ok_or_else(|| AppError::NotFound("No such client.".into()))?;
    let client: ClientSummary = row.into();
    let appointments = queries::client_appointments(state, me, client.id).await?;
    let services: Vec<(i64, String, i64, i64)> =
        sqlx::query_as("SELECT id, name, duration_min, price_cents FROM services WHERE store_id = ? AND active = 1 ORDER BY id")
            .bind(client.store_id)
            .fetch_all(&state.db.read)
            .await?;
    let associates = queries::associates_by_store(state, &[client.store_id])
        .await?
        .remove(&client.store_id)
        .unwrap_or_default();
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM stores WHERE id = ?")
        .bind(client.store_id)
        .fetch_one(&state.db.read)
        .await?;
    Ok(ClientProfile {
        client,
        appointments,
        services: services
            .into_iter()
            .map(|(id, name, duration_min, price_cents)| ServiceInfo {
                id,
                name,
                duration_min,
                price_cents,
            })
            .collect(),
        associates,
        store_slug: slug,
    })
}

pub async fn create_client(state: &AppState, me: &Me, c: NewClient) -> Result<i64, AppError> {
    if !me.stores.iter().any(|s| s.id == c.store_id) {
        return Err(AppError::NotFound("No such store.".into()));
    }
    let mut errors = Vec::new();
    let name = PersonName::parse(&c.name)
        .map_err(|m| {
            errors.push(FieldError {
                field: "name".into(),
                message: m,
            })
        })
        .ok();
    let email = (!c.email.trim().is_empty())
        .then(|| {
            EmailAddress::parse(&c.email)
                .map_err(|m| {
                    errors.push(FieldError {
                        field: "email".into(),
                        message: m,
                    })
                })
                .ok()
        })
        .flatten();
    let mobile = (!c.mobile.trim().is_empty())
        .then(|| {
            MobileNumber::parse(&c.mobile)
                .map_err(|m| {
                    errors.push(FieldError {
                        field: "mobile".into(),
                        message: m,
                    })
                })
                .ok()
        })
        .flatten();
    if c.email.trim().is_empty() && c.mobile.trim().is_empty() {
        errors.push(FieldError {
            field: "email".into(),
            message: "Give an email address or a mobile number.".into(),
        });
    }
    let language = Language::parse(&c.language)
        .map_err(|m| {
            errors.push(FieldError {
                field: "language".into(),
                message: m,
            })
        })
        .ok();
    let (Some(name), Some(language)) = (name, language) else {
        return Err(AppError::invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    let now = state.clock.now();
    let store_id = c.store_id;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO clients (store_id, name, email, mobile, language, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(store_id)
                .bind(name.as_str())
                .bind(email.map(|e| e.as_str().to_lowercase()))
                .bind(mobile.map(|m| m.as_str().to_string()))
                .bind(language.code())
                .bind(now)
                .fetch_one(tx.conn())
                .await?;
                Ok(id)
            })
        })
        .await
}
