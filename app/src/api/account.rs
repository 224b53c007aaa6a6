//! The signed-in person's own account: name, password, sessions.

use crate::error::AppError;
use crate::model::AccountView;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The caller's session token hash (the session this request came with).
#[cfg(feature = "ssr")]
async fn current_token_hash() -> Result<String, AppError> {
    let token = crate::backend::auth::token_from_headers(&super::run::headers().await).ok_or(AppError::Unauthorized)?;
    Ok(crate::backend::auth::token_hash(&token))
}

#[server(endpoint = "account", input = Json)]
pub async fn account() -> Result<AccountView, AppError> {
    use crate::backend::store;
    use crate::model::SessionView;
    super::run::staff(|state, me| async move {
        let current = current_token_hash().await?;
        let mut conn = state.db.reader().await?;
        let sessions = store::staff::sessions(&mut conn, me.id, state.clock.now())
            .await?
            .into_iter()
            .map(|(id, signed_in_at, hash)| SessionView {
                id,
                signed_in_at,
                current: hash == current,
            })
            .collect();
        drop(conn);
        Ok(AccountView {
            preferences: crate::backend::commands::preferences::form(&state, &me).await?,
            name: me.name,
            email: me.email,
            sessions,
        })
    })
    .await
}

#[server(endpoint = "save_my_name", input = Json)]
pub async fn save_my_name(name: String) -> Result<(), AppError> {
    use crate::domain::parse::PersonName;
    super::run::staff(|state, me| async move {
        let name = PersonName::parse(&name).map_err(|m| AppError::field("name", m))?;
        state
            .db
            .write(move |tx| Box::pin(async move { crate::backend::store::staff::set_name(tx, me.id, name.as_str()).await }))
            .await
    })
    .await
}

/// Changes the caller's password; their other sessions are signed out.
#[server(endpoint = "change_password", input = Json)]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use crate::backend::auth::{self, Password};
    super::run::staff(|state, me| async move {
        if current_password.is_empty() || current_password.len() > 1024 {
            return Err(AppError::field("current_password", "Enter your current password."));
        }
        let keep = current_token_hash().await?;
        auth::change_password(&state, me.id, keep, Password::new(current_password), Password::new(new_password)).await
    })
    .await
}

/// Signs one of the caller's sessions out (another browser or device).
#[server(endpoint = "end_session", input = Json)]
pub async fn end_session(session_id: i64) -> Result<(), AppError> {
    super::run::staff(|state, me| async move {
        state
            .db
            .write(move |tx| {
                Box::pin(async move {
                    if crate::backend::store::staff::end_session(tx, me.id, session_id).await? {
                        // That session's open tabs close now, not at their next request.
                        tx.publish(me.id, crate::model::LiveMsg::SessionsChanged);
                        Ok(())
                    } else {
                        Err(AppError::NotFound("No such session.".into()))
                    }
                })
            })
            .await
    })
    .await
}

/// Saves how the signed-in person wants to be told.
#[server(endpoint = "save_preferences", input = Json)]
pub async fn save_preferences(preferences: crate::model::PreferencesForm) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::preferences::save(&state, &me, preferences).await }).await
}
