//! Staff sign-in: argon2id password hashes, server-side sessions in SQLite,
//! an HttpOnly SameSite cookie holding a random token (only its hash is stored).

use super::{AppState, Db};
use crate::error::AppError;
use crate::model::{Me, MyStore, StoreRole};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "fd_session";
const SESSION_DAYS: i64 = 30;

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

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        SESSION_DAYS * 86400,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
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
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The staff id behind a session cookie, if the session is live.
pub async fn staff_for_headers(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Option<i64>, AppError> {
    let Some(token) = token_from_headers(headers) else {
        return Ok(None);
    };
    let id: Option<(i64,)> = sqlx::query_as("SELECT staff_id FROM sessions WHERE token_hash = ? AND expires_at > ?")
        .bind(token_hash(&token))
        .bind(state.clock.now())
        .fetch_optional(&state.db.read)
        .await?;
    Ok(id.map(|(id,)| id))
}

/// Checks the password and opens a session; returns the cookie token.
pub async fn sign_in(state: &AppState, email: &str, password: Password) -> Result<(String, i64), AppError> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT id, password_hash FROM staff WHERE email = ?")
        .bind(email.trim())
        .fetch_optional(&state.db.read)
        .await?;
    // Verify against a real hash even for unknown emails, so the time taken
    // does not reveal which addresses have accounts.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let (id, hash) = match row {
        Some(r) => r,
        None => (
            0,
            DUMMY
                .get_or_init(|| hash_password(&Password::new("no such account".into())).unwrap_or_default())
                .clone(),
        ),
    };
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    if !ok || id == 0 {
        return Err(AppError::field("password", "That email and password do not match an account."));
    }
    let (token, hash) = new_token();
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                sqlx::query("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
                    .bind(hash)
                    .bind(id)
                    .bind(now)
                    .bind(now + SESSION_DAYS * 86400)
                    .execute(tx.conn())
                    .await?;
                Ok(())
            })
        })
        .await?;
    Ok((token, id))
}

pub async fn sign_out(db: &Db, token: String) -> Result<(), AppError> {
    db.write(move |tx| {
        Box::pin(async move {
            sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
                .bind(token_hash(&token))
                .execute(tx.conn())
                .await?;
            Ok(())
        })
    })
    .await
}

/// The signed-in person with their stores and badge state.
pub async fn load_me(db: &Db, staff_id: i64) -> Result<Me, AppError> {
    let (id, name, email, is_admin, unread, last_seq): (i64, String, String, bool, i64, i64) =
        sqlx::query_as("SELECT id, name, email, is_admin, unread_count, notif_seq FROM staff WHERE id = ?")
            .bind(staff_id)
            .fetch_optional(&db.read)
            .await?
            .ok_or(AppError::Unauthorized)?;
    let rows: Vec<(i64, String, String, String)> = if is_admin {
        // Admins act as managers of every store.
        sqlx::query_as(
            "SELECT s.id, s.slug, s.name, COALESCE(m.role, 'manager') FROM stores s
             LEFT JOIN store_members m ON m.store_id = s.id AND m.staff_id = ? ORDER BY s.name",
        )
        .bind(staff_id)
        .fetch_all(&db.read)
        .await?
    } else {
        sqlx::query_as(
            "SELECT s.id, s.slug, s.name, m.role FROM store_members m JOIN stores s ON s.id = m.store_id
             WHERE m.staff_id = ? ORDER BY s.name",
        )
        .bind(staff_id)
        .fetch_all(&db.read)
        .await?
    };
    let stores = rows
        .into_iter()
        .map(|(id, slug, name, role)| MyStore {
            id,
            slug,
            name,
            role: if is_admin {
                StoreRole::Manager
            } else {
                StoreRole::parse(&role).unwrap_or(StoreRole::Associate)
            },
        })
        .collect();
    Ok(Me {
        id,
        name,
        email,
        is_admin,
        stores,
        unread,
        last_seq,
    })
}
