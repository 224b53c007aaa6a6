//! "Forgot password": a single-use link by email that expires within the
//! hour. The answer to a request is the same whether or not the email has an
//! account, so the form cannot be used to find out who works here.

use super::account_mail;
use crate::backend::auth::{self, hash_password, Password};
use crate::backend::store;
use crate::backend::AppState;
use crate::domain::ids::StaffId;
use crate::domain::messages::AccountEmailKind;
use crate::domain::parse::EmailAddress;
use crate::domain::time::Seconds;
use crate::error::AppError;
use crate::i18n::Language;
use crate::model::LiveMsg;

pub const RESET_LIFETIME: Seconds = Seconds::hours(1);

/// Sends a reset link if the email belongs to an active account; the same
/// answer either way.
pub async fn request(state: &AppState, email: &str) -> Result<(), AppError> {
    let email = EmailAddress::parse(email)
        .map_err(|m| AppError::field("email", m))?
        .as_str()
        .to_lowercase();
    let mut conn = state.db.reader().await?;
    let Some((id, name)) = store::people::active_by_email(&mut conn, &email).await? else {
        return Ok(());
    };
    if !state.messaging.outbound.email_configured() {
        tracing::warn!("password reset for {email} asked, but no mail server is configured");
        return Ok(());
    }
    // Written in the language of their (first) store, as its clients are.
    let language = match store::people::roles_of(&mut conn, id).await?.first() {
        Some((store_id, _)) => store::stores::by_id(&mut conn, *store_id)
            .await?
            .map_or_else(Language::fallback, |s| s.default_language),
        None => Language::fallback(),
    };
    drop(conn);
    let (token, hash) = auth::new_token();
    let now = state.clock.now();
    let link = format!("{}/reset/{token}", state.config.public_url.trim_end_matches('/'));
    let written = account_mail::password_reset(language, &name, &link);
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                store::people::add_password_reset(tx, &hash, id, now, now + RESET_LIFETIME).await?;
                account_mail::queue(tx, AccountEmailKind::PasswordReset, &email, language, &written, now).await
            })
        })
        .await?;
    state.messaging.queued.notify_one();
    Ok(())
}

fn invalid_link() -> AppError {
    AppError::NotFound("This link has expired or was already used. Ask for a new one from the sign-in page.".into())
}

pub async fn link_open(state: &AppState, token: &str) -> Result<(), AppError> {
    if store::people::password_reset_open(&mut *state.db.reader().await?, &auth::token_hash(token), state.clock.now()).await? {
        Ok(())
    } else {
        Err(invalid_link())
    }
}

/// Sets the new password, ends every session (a reset means the old password
/// may be known to someone else) and signs this browser in.
pub async fn reset(state: &AppState, token: &str, new: Password) -> Result<(String, StaffId), AppError> {
    auth::check_new_password(&new).map_err(|_| AppError::field("password", "Use at least 10 characters."))?;
    // An unknown or used link is refused before anything is hashed.
    link_open(state, token).await?;
    let token_hash = auth::token_hash(token);
    let hash = auth::hashing(move || hash_password(&new)).await??;
    let (session, session_hash) = auth::new_token();
    let now = state.clock.now();
    let id = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let id = store::people::use_password_reset(tx, &token_hash, now)
                    .await?
                    .ok_or_else(invalid_link)?;
                store::staff::set_password_hash(tx, id, &hash).await?;
                store::people::end_all_sessions(tx, id).await?;
                tx.publish(id, LiveMsg::SessionsChanged);
                auth::open_session_in(tx, &session_hash, id, now).await?;
                Ok(id)
            })
        })
        .await?;
    Ok((session, id))
}
