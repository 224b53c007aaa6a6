//! Staff sign-in: argon2id password hashes, server-side sessions in SQLite,
//! an HttpOnly SameSite cookie holding a random token (only its hash is stored).

use super::store::{self, Db};
use super::throttle::Kind;
use super::AppState;
use crate::domain::ids::StaffId;
use crate::domain::staff::StoreRole;
use crate::domain::time::Seconds;
use crate::error::AppError;
use crate::model::{Me, MyStore};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "fd_session";
pub const SECURE_COOKIE: &str = "__Host-fd_session";
const SESSION: Seconds = Seconds::days(30);

/// A secret that must never be logged or serialised: no `Serialize`, and
/// `Debug` prints nothing of it.
pub struct Password(String);

impl Password {
    pub fn new(s: String) -> Self {
        Password(s)
    }
    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

pub fn hash_password(password: &Password) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!("password hashing failed: {e}");
            AppError::Internal
        })
}

fn verify_password(password: &Password, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.expose().as_bytes(), &h).is_ok())
}

/// 256 random bits, URL-safe; and the hex SHA-256 that is stored instead.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The `Idempotency-Key` header, if sent: 1 to 255 visible ASCII characters.
pub fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<Option<String>, AppError> {
    let Some(v) = headers.get("idempotency-key") else { return Ok(None) };
    match v.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(k.to_string())),
        _ => Err(AppError::BadRequest(
            "The Idempotency-Key header must be 1 to 255 visible ASCII characters.".into(),
        )),
    }
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Over https the cookie is `__Host-` prefixed: browsers then accept it only
/// `Secure`, for the whole site and this host alone (no `Domain`).
fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        cookie_name(secure),
        SESSION.0,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// The session token from a `Cookie` header, if any.
pub fn token_from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE || *k == SECURE_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The staff id behind a session cookie, if the session is live.
pub async fn staff_for_headers(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Option<StaffId>, AppError> {
    let Some(token) = token_from_headers(headers) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    let now = state.clock.now();
    let found = store::staff::live_session(&mut *state.db.reader().await?, &hash, now).await?;
    let Some((staff_id, seen_at)) = found else { return Ok(None) };
    // Marked as used at most every few minutes: a write per request would
    // cost the single writer more than the idle timeout needs.
    if now - seen_at > TOUCH_EVERY {
        state
            .db
            .write(move |tx| Box::pin(async move { store::staff::touch_session(tx, &hash, now).await }))
            .await?;
    }
    Ok(Some(staff_id))
}

/// How stale a session's `seen_at` may get before a request refreshes it.
const TOUCH_EVERY: Seconds = Seconds::minutes(5);

/// Password hashes run on this many threads of their own (argon2 takes
/// 19 MiB each): a burst of sign-ins waits its turn instead of exhausting
/// memory. Not on the blocking pool: each of its hundreds of threads would
/// keep its own allocator arena, and a 19 MiB block in each of them.
const HASHERS: usize = 2;

type HashJob = Box<dyn FnOnce() + Send>;

fn hashers() -> &'static std::sync::mpsc::Sender<HashJob> {
    static QUEUE: std::sync::OnceLock<std::sync::mpsc::Sender<HashJob>> = std::sync::OnceLock::new();
    QUEUE.get_or_init(|| {
        let (queue, jobs) = std::sync::mpsc::channel::<HashJob>();
        let jobs = std::sync::Arc::new(std::sync::Mutex::new(jobs));
        for i in 0..HASHERS {
            let jobs = jobs.clone();
            let started = std::thread::Builder::new().name(format!("password-hash-{i}")).spawn(move || loop {
                let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
                match job {
                    // A panic ends the job (its caller sees an error), not the thread.
                    Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
                    Err(_) => return,
                }
            });
            if let Err(e) = started {
                tracing::error!("starting a password hashing thread: {e}");
            }
        }
        queue
    })
}

/// Runs a password hash or check on the hashing threads, in turn.
pub async fn hashing<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let (done, result) = tokio::sync::oneshot::channel();
    hashers()
        .send(Box::new(move || {
            let _ = done.send(f());
        }))
        .map_err(|_| AppError::Internal)?;
    result.await.map_err(|_| AppError::Internal)
}

/// Checks the password and opens a session; returns the cookie token. An
/// account or address with too many recent failures is refused (429) before
/// anything is hashed.
pub async fn sign_in(state: &AppState, email: &str, password: Password, from: &str) -> Result<(String, StaffId), AppError> {
    let account = email.trim().to_lowercase();
    let keys = [(Kind::Account, account.as_str()), (Kind::Address, from)];
    // Counted as a failure before hashing and given back on success, so a
    // burst of parallel guesses is throttled too, not only one after another.
    state
        .sign_ins
        .attempt(&keys, state.clock.now())
        .map_err(|retry_after_s| AppError::TooManyRequests { retry_after_s })?;
    let row = {
        let mut conn = state.db.reader().await?;
        store::staff::credentials(&mut conn, email.trim()).await?
    };
    // Verify against a real hash even for unknown emails, so the time taken
    // does not reveal which addresses have accounts.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let (id, hash) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (
            None,
            DUMMY
                .get_or_init(|| hash_password(&Password::new("no such account".into())).unwrap_or_default())
                .clone(),
        ),
    };
    let ok = hashing(move || verify_password(&password, &hash)).await?;
    let (true, Some(id)) = (ok, id) else {
        return Err(AppError::field("password", "That email and password do not match an account."));
    };
    state.sign_ins.succeeded(&keys);
    let (token, hash) = new_token();
    let now = state.clock.now();
    state
        .db
        .write(move |tx| Box::pin(async move { store::staff::open_session(tx, &hash, id, now, now + SESSION).await }))
        .await?;
    Ok((token, id))
}

pub async fn sign_out(db: &Db, token: String) -> Result<(), AppError> {
    db.write(move |tx| Box::pin(async move { store::staff::close_session(tx, &token_hash(&token)).await }))
        .await
}

/// The signed-in person with their stores and badge state. Admins act as
/// managers of every store.
pub async fn load_me(db: &Db, staff_id: StaffId) -> Result<Me, AppError> {
    let mut conn = db.reader().await?;
    let person = store::staff::person(&mut conn, staff_id).await?.ok_or(AppError::Unauthorized)?;
    let stores = store::staff::memberships(&mut conn, staff_id, person.is_admin)
        .await?
        .into_iter()
        .filter_map(|m| {
            let role = if person.is_admin { Some(StoreRole::Manager) } else { m.role };
            role.map(|role| MyStore {
                id: m.store_id,
                slug: m.slug,
                name: m.name,
                role,
            })
        })
        .collect();
    Ok(Me {
        id: person.id,
        name: person.name,
        email: person.email,
        is_admin: person.is_admin,
        stores,
        unread: person.unread_count,
        last_seq: person.notif_seq,
    })
}

/// The minimum a password must be: long enough to resist guessing, short
/// enough not to be a hashing load.
pub fn check_new_password(p: &Password) -> Result<(), AppError> {
    if p.expose().chars().count() < 10 || p.expose().len() > 1024 {
        return Err(AppError::field("new_password", "Use at least 10 characters."));
    }
    Ok(())
}

/// `staff_id` changes their password, proving the current one; every other
/// session of theirs ends (the one asking, `keep_token_hash`, stays).
pub async fn change_password(
    state: &AppState,
    staff_id: StaffId,
    keep_token_hash: String,
    current: Password,
    new: Password,
) -> Result<(), AppError> {
    check_new_password(&new)?;
    let hash = {
        let mut conn = state.db.reader().await?;
        store::staff::password_hash(&mut conn, staff_id)
            .await?
            .ok_or(AppError::Unauthorized)?
    };
    let new_hash = hashing(move || {
        if verify_password(&current, &hash) {
            hash_password(&new).map(Some)
        } else {
            Ok(None)
        }
    })
    .await??;
    let Some(new_hash) = new_hash else {
        return Err(AppError::field("current_password", "That is not your current password."));
    };
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                store::staff::set_password_hash(tx, staff_id, &new_hash).await?;
                store::staff::end_other_sessions(tx, staff_id, &keep_token_hash).await?;
                tx.publish(staff_id, crate::model::LiveMsg::SessionsChanged);
                Ok(())
            })
        })
        .await
}

/// Opens a session in the caller's transaction (for a sign-in that is part
/// of a larger change, like accepting an invitation).
pub async fn open_session_in(
    tx: &mut store::Tx,
    token_hash: &str,
    staff_id: StaffId,
    now: crate::domain::time::UnixTime,
) -> Result<(), AppError> {
    store::staff::open_session(tx, token_hash, staff_id, now, now + SESSION).await
}
