//! The server's VAPID key pair (RFC 8292): created once, kept in
//! `app_secrets`, never regenerated (every device's subscription is bound to it).

use crate::backend::store::{self, Db};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rand::RngCore;
use std::sync::Arc;
use web_push::VapidSignatureBuilder;

/// The key pair. The private half is neither `Serialize` nor printed by `Debug`.
#[derive(Clone)]
pub struct Vapid {
    pub(super) private_b64: Arc<str>,
    pub public_b64: String,
    /// The `sub` claim: how a push service can reach the operator.
    pub subject: String,
}

impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vapid {{ public_b64: {}, subject: {} }}", self.public_b64, self.subject)
    }
}

fn public_of(private_b64: &str) -> Option<String> {
    VapidSignatureBuilder::from_base64_no_sub(private_b64)
        .ok()
        .map(|b| B64.encode(b.get_public_key()))
}

/// Loads the key, creating it on the very first start.
pub async fn load_or_create(db: &Db, subject: String, now: UnixTime) -> Result<Vapid, AppError> {
    let existing = store::secrets::get(&mut *db.reader().await?, "vapid_private").await?;
    let private = match existing {
        Some(v) => v,
        None => {
            // A random 32-byte scalar is a valid P-256 key except with negligible probability; check anyway.
            let fresh = loop {
                let mut bytes = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let b64 = B64.encode(bytes);
                if public_of(&b64).is_some() {
                    break b64;
                }
            };
            db.write(move |tx| Box::pin(async move { store::secrets::get_or_insert(tx, "vapid_private", &fresh, now).await }))
                .await?
        }
    };
    let public_b64 = public_of(&private).ok_or_else(|| {
        tracing::error!("the stored VAPID key is not a valid P-256 private key");
        AppError::Internal
    })?;
    Ok(Vapid {
        private_b64: private.into(),
        public_b64,
        subject,
    })
}
