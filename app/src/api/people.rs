//! Setup → Staff, and the invitation page.

use crate::domain::ids::{StaffId, StoreId};
use crate::error::AppError;
use crate::model::{InvitationInfo, InviteForm, Invited, Me, PeopleView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "people", input = Json)]
pub async fn people() -> Result<PeopleView, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::people::page(&state, &me).await }).await
}

#[server(endpoint = "invite", input = Json)]
pub async fn invite(invitation: InviteForm) -> Result<Invited, AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::people::invite(&state, &me, invitation).await }).await
}

#[server(endpoint = "resend_invitation", input = Json)]
pub async fn resend_invitation(id: i64) -> Result<Invited, AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::people::resend(&state, &me, id).await }).await
}

#[server(endpoint = "revoke_invitation", input = Json)]
pub async fn revoke_invitation(id: i64) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::people::revoke(&state, &me, id).await }).await
}

/// `role`: "manager", "associate", or null to remove them from the store.
#[server(endpoint = "set_store_role", input = Json)]
pub async fn set_store_role(staff_id: StaffId, store_id: StoreId, role: Option<String>) -> Result<(), AppError> {
    use crate::domain::staff::StoreRole;
    super::run::staff(|state, me| async move {
        let role = match role.as_deref() {
            None => None,
            Some(r) => Some(StoreRole::parse(r).ok_or_else(|| AppError::field("role", "Choose manager or associate."))?),
        };
        crate::backend::commands::people::set_role(&state, &me, staff_id, store_id, role).await
    })
    .await
}

#[server(endpoint = "set_admin", input = Json)]
pub async fn set_admin(staff_id: StaffId, is_admin: bool) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::people::set_admin(&state, &me, staff_id, is_admin).await }).await
}

#[server(endpoint = "deactivate", input = Json)]
pub async fn deactivate(staff_id: StaffId) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::commands::people::deactivate(&state, &me, staff_id).await }).await
}

#[server(endpoint = "invitation", input = Json)]
pub async fn invitation(token: String) -> Result<InvitationInfo, AppError> {
    super::run::public(|state| async move { crate::backend::commands::people::invitation_info(&state, &token).await }).await
}

/// Accepts an invitation: the account is created and signed in.
#[server(endpoint = "accept_invitation", input = Json)]
pub async fn accept_invitation(token: String, name: String, password: String) -> Result<Me, AppError> {
    use crate::backend::auth;
    super::run::public(|state| async move {
        let (session, id) = crate::backend::commands::people::accept(&state, &token, &name, auth::Password::new(password)).await?;
        super::run::set_header(
            axum::http::header::SET_COOKIE,
            &auth::session_cookie(&session, state.config.secure_cookies),
        );
        auth::load_me(&state.db, id).await
    })
    .await
}

/// "Forgot password": the same answer whether or not the email has an account.
#[server(endpoint = "request_password_reset", input = Json)]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    super::run::public(|state| async move { crate::backend::commands::password_reset::request(&state, &email).await }).await
}

/// Whether a reset link still works.
#[server(endpoint = "password_reset_link", input = Json)]
pub async fn password_reset_link(token: String) -> Result<(), AppError> {
    super::run::public(|state| async move { crate::backend::commands::password_reset::link_open(&state, &token).await }).await
}

/// Sets a new password from a reset link; every session ends and this browser is signed in.
#[server(endpoint = "reset_password", input = Json)]
pub async fn reset_password(token: String, password: String) -> Result<Me, AppError> {
    use crate::backend::auth;
    super::run::public(|state| async move {
        let (session, id) = crate::backend::commands::password_reset::reset(&state, &token, auth::Password::new(password)).await?;
        super::run::set_header(
            axum::http::header::SET_COOKIE,
            &auth::session_cookie(&session, state.config.secure_cookies),
        );
        auth::load_me(&state.db, id).await
    })
    .await
}
