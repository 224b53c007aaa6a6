//! The client's tracking link: `/t/{token}`. A token is an HMAC of the
//! appointment id and a generation number under a server key, so any later
//! message (a reminder weeks on, a webhook payload) can rebuild the link
//! without the token being stored anywhere. The database keeps only its
//! SHA-256 (for lookup) and the generation; bumping the generation revokes
//! every link issued before.

use super::auth::token_hash;
use super::db::{Db, Tx};
use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use sqlx::SqliteConnection;
use std::sync::Arc;

/// The signing key. Deliberately neither `Serialize` nor printable.
#[derive(Clone)]
pub struct TrackingKey(Arc<[u8; 32]>);

impl std::fmt::Debug for TrackingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TrackingKey(..)")
    }
}

impl TrackingKey {
    /// Loads the key, creating it on the first start. Regenerating it would
    /// break every link already sent, so it is kept in `app_secrets`.
    pub async fn load_or_create(db: &Db, now: i64) -> Result<Self, AppError> {
        let mut fresh = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        let fresh = URL_SAFE_NO_PAD.encode(fresh);
        let stored: String = db
            .write(move |tx| {
                Box::pin(async move {
                    sqlx::query("INSERT OR IGNORE INTO app_secrets (name, value, created_at) VALUES ('tracking_key', ?, ?)")
                        .bind(&fresh)
                        .bind(now)
                        .execute(tx.conn())
                        .await?;
                    let (v,): (String,) = sqlx::query_as("SELECT value FROM app_secrets WHERE name = 'tracking_key'")
                        .fetch_one(tx.conn())
                        .await?;
                    Ok(v)
                })
            })
            .await?;
        let bytes: [u8; 32] = URL_SAFE_NO_PAD
            .decode(stored.as_bytes())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                tracing::error!("the stored tracking key is not 32 bytes of base64");
                AppError::Internal
            })?;
        Ok(Self(Arc::new(bytes)))
    }

    /// 144 bits of the MAC: unguessable, and short enough for an SMS.
    pub fn token(&self, appointment_id: i64, generation: i64) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0[..]).expect("HMAC takes any key length");
        mac.update(format!("tracking:{appointment_id}:{generation}").as_bytes());
        URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..18])
    }
}

/// Gives an appointment a new link (its first, or a replacement that revokes
/// the old one), in the caller's transaction. Returns the token.
pub async fn issue(tx: &mut Tx, key: &TrackingKey, appointment_id: i64) -> Result<String, AppError> {
    let (generation,): (i64,) =
        sqlx::query_as("UPDATE appointments SET tracking_generation = tracking_generation + 1 WHERE id = ? RETURNING tracking_generation")
            .bind(appointment_id)
            .fetch_one(tx.conn())
            .await?;
    let token = key.token(appointment_id, generation);
    sqlx::query("UPDATE appointments SET tracking_token_hash = ? WHERE id = ?")
        .bind(token_hash(&token))
        .bind(appointment_id)
        .execute(tx.conn())
        .await?;
    Ok(token)
}

/// The appointment a token opens, if it is the current link of one.
pub async fn find(conn: &mut SqliteConnection, token: &str) -> Result<Option<i64>, AppError> {
    if token.len() > 64 {
        return Ok(None);
    }
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM appointments WHERE tracking_token_hash = ?")
        .bind(token_hash(token))
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.0))
}

/// Appointments booked before signed links existed get one now; their old
/// link (whose token was never stored) stops working.
pub async fn reissue_legacy(db: &Db, key: &TrackingKey) -> Result<(), AppError> {
    let key = key.clone();
    db.write(move |tx| {
        Box::pin(async move {
            let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM appointments WHERE tracking_generation = 0")
                .fetch_all(tx.conn())
                .await?;
            for (id,) in ids {
                issue(tx, &key, id).await?;
            }
            Ok(())
        })
    })
    .await
}

/// The absolute link for messages and webhooks.
pub fn url(public_url: &str, token: &str) -> String {
    format!("{}/t/{token}", public_url.trim_end_matches('/'))
}
