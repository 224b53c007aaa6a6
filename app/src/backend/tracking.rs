//! The client's tracking link: `/t/{token}`. A token is an HMAC of the
//! appointment id and a random generation number under a server key, so any later
//! message (a reminder weeks on, a webhook payload) can rebuild the link
//! without the token being stored anywhere. The database keeps only its
//! SHA-256 (for lookup) and the generation; a new generation revokes
//! every link issued before.

use super::auth::{new_token, token_hash};
use super::store::{self, Conn, Db, Tx};
use crate::domain::ids::{AppointmentId, AttendeeId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
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
    pub async fn load_or_create(db: &Db, now: UnixTime) -> Result<Self, AppError> {
        let mut fresh = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        let fresh = URL_SAFE_NO_PAD.encode(fresh);
        let stored: String = db
            .write(move |tx| Box::pin(async move { store::secrets::get_or_insert(tx, "tracking_key", &fresh, now).await }))
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
    fn sign(&self, what: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0[..]).expect("HMAC takes any key length");
        mac.update(what.as_bytes());
        URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..18])
    }

    pub fn token(&self, appointment_id: AppointmentId, generation: i64) -> String {
        self.sign(&format!("tracking:{appointment_id}:{generation}"))
    }

    /// An attendee's own link: signed apart from the client's (another
    /// prefix), so neither can be made from the other.
    pub fn guest_token(&self, attendee_id: AttendeeId, generation: i64) -> String {
        self.sign(&format!("attendee:{attendee_id}:{generation}"))
    }

    /// An appointment's video room: unguessable, the same for everyone and
    /// every message, and nothing to store.
    pub fn video_room(&self, appointment_id: AppointmentId) -> String {
        self.sign(&format!("video-room:{appointment_id}")).replace(['-', '_'], "x")
    }
}

/// A link's generation: random, not a counter (see `issue`); never 0, which
/// marks a link not issued yet.
fn random_generation() -> i64 {
    (rand::rngs::OsRng.next_u64() >> 1).max(1) as i64
}

/// Longer than any token we make: looked up no further.
fn too_long(token: &str) -> bool {
    token.len() > 64
}

/// Gives an attendee their link, in the caller's transaction (random generation, as `issue`).
pub async fn issue_guest(tx: &mut Tx, key: &TrackingKey, attendee_id: AttendeeId) -> Result<String, AppError> {
    let generation = random_generation();
    let token = key.guest_token(attendee_id, generation);
    store::attendees::set_link(tx, attendee_id, generation, &token_hash(&token)).await?;
    Ok(token)
}

/// The attendee a token is the link of, if any.
pub async fn find_guest(conn: &mut Conn, token: &str) -> Result<Option<store::attendees::GuestLink>, AppError> {
    if too_long(token) {
        return Ok(None);
    }
    store::attendees::by_link_hash(conn, &token_hash(token)).await
}

/// Gives an appointment a new link (its first, or a replacement that revokes
/// the old one), in the caller's transaction. Returns the token.
///
/// The generation is random, not a counter: were an appointment's id ever
/// given again (a lost write), the new booking's link would still differ
/// from any link sent for the old one.
pub async fn issue(tx: &mut Tx, key: &TrackingKey, appointment_id: AppointmentId) -> Result<String, AppError> {
    let generation = random_generation();
    store::appointments::set_tracking_generation(tx, appointment_id, generation).await?;
    let token = key.token(appointment_id, generation);
    store::appointments::set_tracking_hash(tx, appointment_id, &token_hash(&token)).await?;
    Ok(token)
}

/// A unique stand-in for a new appointment's link hash, replaced by `issue`
/// in the same transaction (the row needs one before it has an id to sign).
pub fn placeholder_hash() -> String {
    new_token().1
}

/// The appointment a token opens, if it is the current link of one.
pub async fn find(conn: &mut Conn, token: &str) -> Result<Option<AppointmentId>, AppError> {
    if too_long(token) {
        return Ok(None);
    }
    store::appointments::by_tracking_hash(conn, &token_hash(token)).await
}

/// Appointments booked before signed links existed get one now; their old
/// link (whose token was never stored) stops working. Attendees added before
/// they had links of their own get one (their messages carried the client's).
pub async fn reissue_legacy(db: &Db, key: &TrackingKey) -> Result<(), AppError> {
    let key = key.clone();
    db.write(move |tx| {
        Box::pin(async move {
            for id in store::appointments::without_signed_link(tx).await? {
                issue(tx, &key, id).await?;
            }
            for id in store::attendees::without_link(tx).await? {
                issue_guest(tx, &key, id).await?;
            }
            Ok(())
        })
    })
    .await
}

/// What a link that opens nothing (unknown, revoked, not this kind) answers.
pub fn invalid_link() -> AppError {
    AppError::NotFound("This booking link is not valid. Please check the link in your message.".into())
}

/// The absolute link for messages and webhooks.
pub fn url(public_url: &str, token: &str) -> String {
    format!("{}/t/{token}", public_url.trim_end_matches('/'))
}

/// Counts one action through a tracking link against the link and the
/// client's address (429 once either is used up), so a script can neither
/// flood the store's bell through one link nor act through many links.
pub fn client_action(state: &crate::backend::AppState, token: &str, from: &str) -> Result<(), crate::error::AppError> {
    // A link is keyed by what it is stored as: only its digest is kept in memory.
    let link = token_hash(token);
    state
        .public_limits
        .take(
            &[
                (super::throttle::Limit::ClientActionsPerAddress, from),
                (super::throttle::Limit::ClientActionsPerLink, link.as_str()),
            ],
            state.clock.now(),
        )
        .map_err(|retry_after_s| crate::error::AppError::TooManyRequests { retry_after_s })
}
