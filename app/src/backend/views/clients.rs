//! The client directory staff book from.

use crate::backend::store;
use crate::backend::store::clients::ClientRow;
use crate::backend::AppState;
use crate::domain::ids::ClientId;
use crate::error::AppError;
use crate::model::{ClientProfile, ClientSummary, Me};
use crate::rules::access::{self, Action};

fn summary(r: ClientRow) -> ClientSummary {
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

/// Clients of my stores whose name, email or mobile contains `q`.
pub async fn search(state: &AppState, me: &Me, q: &str) -> Result<Vec<ClientSummary>, AppError> {
    let q = q.trim();
    if q.chars().count() > 100 {
        return Err(AppError::field("q", "Search for at most 100 characters."));
    }
    let mut conn = state.db.reader().await?;
    let rows = store::clients::search(&mut conn, &access::member_stores(me), q).await?;
    Ok(rows.into_iter().map(summary).collect())
}

pub async fn profile(state: &AppState, me: &Me, id: ClientId) -> Result<ClientProfile, AppError> {
    let mut conn = state.db.reader().await?;
    let row = store::clients::by_id(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such client.".into()))?;
    crate::backend::commands::allow(me, Action::Clients { store: row.store_id }, "No such client.")?;
    let client = summary(row);
    let appointments = super::appointments::of_client(&mut conn, me, client.id).await?;
    let services = store::services::active(&mut conn, client.store_id)
        .await?
        .into_iter()
        .map(super::service_info)
        .collect();
    let associates = super::appointments::associates_by_store(&mut conn, &[client.store_id])
        .await?
        .remove(&client.store_id)
        .unwrap_or_default();
    let store_slug = store::stores::by_id(&mut conn, client.store_id)
        .await?
        .map(|s| s.slug)
        .unwrap_or_default();
    Ok(ClientProfile {
        client,
        appointments,
        services,
        associates,
        store_slug,
    })
}
