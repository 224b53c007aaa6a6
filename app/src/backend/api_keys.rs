//! Integration API keys. An admin creates one and sees it once; only its
//! SHA-256 is stored. A call with the key acts as the admin who made it
//! (so a key dies with its maker's admin rights), and is refused once the
//! key is revoked.

use super::auth::token_hash;
use super::AppState;
use crate::error::AppError;
use crate::model::{ApiKeyView, Me};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

/// Every key starts with this, so leaked keys are easy to recognise (secret scanners).
const PREFIX: &str = "fdk_";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    prefix: String,
    created_by: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl From<Row> for ApiKeyView {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            created_by: r.created_by,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

pub async fn list(state: &AppState) -> Result<Vec<ApiKeyView>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT k.id, k.name, k.prefix, s.name AS created_by, k.created_at, k.last_used_at, k.revoked_at
         FROM api_keys k JOIN staff s ON s.id = k.staff_id ORDER BY k.id DESC",
    )
    .fetch_all(&state.db.read)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
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
        .write(move |tx| {
            Box::pin(async move {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO api_keys (name, prefix, key_hash, staff_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(&name)
                .bind(&prefix)
                .bind(&hash)
                .bind(staff_id)
                .bind(now)
                .fetch_one(tx.conn())
                .await?;
                Ok(id)
            })
        })
        .await?;
    let view = list(state).await?.into_iter().find(|k| k.id == id).ok_or(AppError::Internal)?;
    Ok((view, key))
}

pub async fn revoke(state: &AppState, id: i64) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let done = sqlx::query("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
                    .bind(now)
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(AppError::NotFound("No such API key.".into()));
                }
                Ok(())
            })
        })
        .await
}

/// The admin a bearer key acts as, or 401.
pub async fn authenticate(state: &AppState, authorization: Option<&str>) -> Result<Me, AppError> {
    let key = authorization
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| k.starts_with(PREFIX) && k.len() < 200)
        .ok_or(AppError::Unauthorized)?;
    let row: Option<(i64, i64, Option<i64>, bool)> = sqlx::query_as(
        "SELECT k.id, k.staff_id, k.last_used_at, s.is_admin FROM api_keys k JOIN staff s ON s.id = k.staff_id
         WHERE k.key_hash = ? AND k.revoked_at IS NULL",
    )
    .bind(token_hash(key))
    .fetch_optional(&state.db.read)
    .await?;
    let Some((id, staff_id, last_used, is_admin)) = row else {
        return Err(AppError::Unauthorized);
    };
    if !is_admin {
        return Err(AppError::Forbidden("The key's owner is no longer an administrator.".into()));
    }
    // "Last used" to the minute: not a write on every call.
    let now = state.clock.now();
    if last_used.is_none_or(|t| now - t >= 60) {
        state
            .db
            .write(move |tx| {
                Box::pin(async move {
                    sqlx::query("UPDATE api_keys SET last_used_at = ? WHERE id = ?")
                        .bind(now)
                        .bind(id)
                        .execute(tx.conn())
                        .await?;
                    Ok(())
                })
            })
            .await?;
    }
    super::auth::load_me(&state.db, staff_id).await
}
