//! Integration API keys. An admin creates one and sees it once; only its
//! SHA-256 is stored. A call with the key acts as the admin who made it
//! (so a key dies with its maker's admin rights), and is refused once the
//! key is revoked.

use super::auth::token_hash;
use super::store::{self, api_keys::KeyRow};
use super::AppState;
use crate::domain::ids::ApiKeyId;
use crate::domain::time::Seconds;
use crate::error::AppError;
use crate::model::{ApiKeyView, Me};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

/// Every key starts with this, so leaked keys are easy to recognise (secret scanners).
const PREFIX: &str = "fdk_";

fn view(r: KeyRow) -> ApiKeyView {
    ApiKeyView {
        id: r.id,
        name: r.name,
        prefix: r.prefix,
        created_by: r.created_by,
        created_at: r.created_at,
        last_used_at: r.last_used_at,
        revoked_at: r.revoked_at,
    }
}

pub async fn list(state: &AppState) -> Result<Vec<ApiKeyView>, AppError> {
    let mut conn = state.db.reader().await?;
    Ok(store::api_keys::list(&mut conn).await?.into_iter().map(view).collect())
}

/// Returns the key itself: the only time anyone sees it.
pub async fn create(state: &AppState, me: &Me, name: &str) -> Result<(ApiKeyView, String), AppError> {
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field(
            "name",
            "Name the key (up to 100 characters), e.g. the tool that will use it.",
        ));
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix = key[..PREFIX.len() + 6].to_string();
    let hash = token_hash(&key);
    let now = state.clock.now();
    let staff_id = me.id;
    let id = state
        .db
        .write(move |tx| Box::pin(async move { store::api_keys::insert(tx, &name, &prefix, &hash, staff_id, now).await }))
        .await?;
    let view = list(state).await?.into_iter().find(|k| k.id == id).ok_or(AppError::Internal)?;
    Ok((view, key))
}

pub async fn revoke(state: &AppState, id: ApiKeyId) -> Result<(), AppError> {
    let now = state.clock.now();
    let found = state
        .db
        .write(move |tx| Box::pin(async move { store::api_keys::revoke(tx, id, now).await }))
        .await?;
    if !found {
        return Err(AppError::NotFound("No such API key.".into()));
    }
    Ok(())
}

/// The admin a bearer key acts as, or 401.
pub async fn authenticate(state: &AppState, authorization: Option<&str>) -> Result<Me, AppError> {
    let key = authorization
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| k.starts_with(PREFIX) && k.len() < 200)
        .ok_or(AppError::Unauthorized)?;
    let live = {
        let mut conn = state.db.reader().await?;
        store::api_keys::live(&mut conn, &token_hash(key)).await?
    };
    let Some((id, staff_id, last_used, is_admin)) = live else {
        return Err(AppError::Unauthorized);
    };
    if !is_admin {
        return Err(AppError::Forbidden("The key's owner is no longer an administrator.".into()));
    }
    // "Last used" to the minute: not a write on every call.
    let now = state.clock.now();
    if last_used.is_none_or(|t| now - t >= Seconds::minutes(1)) {
        state
            .db
            .write(move |tx| Box::pin(async move { store::api_keys::touch(tx, id, now).await }))
            .await?;
    }
    super::auth::load_me(&state.db, staff_id).await
}
