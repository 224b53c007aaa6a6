//! Signing in and out, and the first start's setup.

use crate::error::AppError;
use crate::model::{DemoSignIn, Me};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The signed-in staff member, or `None` for visitors.
#[server(endpoint = "me", input = Json)]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    use crate::backend::auth;
    super::run::public(|state| async move {
        match auth::staff_for_headers(&state, &super::run::headers().await).await? {
            Some(id) => auth::load_me(&state.db, id).await.map(Some),
            None => Ok(None),
        }
    })
    .await
}

/// The demo accounts and their password, in demo mode only (`None` otherwise:
/// a real install never advertises accounts).
#[server(endpoint = "demo_accounts", input = Json)]
pub async fn demo_accounts() -> Result<Option<DemoSignIn>, AppError> {
    super::run::public(|state| async move {
        use crate::backend::seed;
        use crate::model::DemoAccount;
        Ok(state.config.demo.then(|| DemoSignIn {
            password: seed::DEMO_PASSWORD.into(),
            accounts: seed::DEMO_STAFF
                .iter()
                .map(|(email, name, _, role)| DemoAccount {
                    email: (*email).into(),
                    name: (*name).into(),
                    role: *role,
                })
                .collect(),
        }))
    })
    .await
}

#[server(endpoint = "sign_in", input = Json)]
pub async fn sign_in(email: String, password: String) -> Result<Me, AppError> {
    use crate::backend::auth;
    super::run::public(|state| async move {
        if email.trim().is_empty() {
            return Err(AppError::field("email", "Please enter your email address."));
        }
        if password.is_empty() || password.len() > 1024 {
            return Err(AppError::field("password", "Please enter your password."));
        }
        let from = super::run::client_address(&state).await;
        let (token, id) = auth::sign_in(&state, &email, auth::Password::new(password), &from).await?;
        super::run::set_header(
            axum::http::header::SET_COOKIE,
            &auth::session_cookie(&token, state.config.secure_cookies),
        );
        auth::load_me(&state.db, id).await
    })
    .await
}

#[server(endpoint = "sign_out", input = Json)]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::backend::auth;
    super::run::public(|state| async move {
        if let Some(token) = auth::token_from_headers(&super::run::headers().await) {
            auth::sign_out(&state.db, token).await?;
        }
        super::run::set_header(axum::http::header::SET_COOKIE, &auth::clear_cookie(state.config.secure_cookies));
        Ok(())
    })
    .await
}

/// Whether the first-admin setup step is open (no staff exist yet).
#[server(endpoint = "needs_setup", input = Json)]
pub async fn needs_setup() -> Result<bool, AppError> {
    super::run::public(|state| async move { Ok(crate::backend::seed::staff_count(&state.db).await? == 0) }).await
}

#[server(endpoint = "setup", input = Json)]
pub async fn setup_first_admin(
    name: String,
    email: String,
    password: String,
    store_name: String,
    store_slug: String,
    time_zone: String,
) -> Result<(), AppError> {
    use crate::backend::seed::{first_admin, FirstAdmin};
    use crate::domain::parse::{EmailAddress, PersonName};
    use crate::error::FieldError;
    super::run::public(|state| async move {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };
        let name = PersonName::parse(&name).map_err(|m| err("name", m)).ok();
        let email = EmailAddress::parse(&email).map_err(|m| err("email", m)).ok();
        if password.chars().count() < 10 || password.len() > 1024 {
            err("password", "Use at least 10 characters.".into());
        }
        let store = PersonName::parse(&store_name)
            .map_err(|_| err("store_name", "Please name the store.".into()))
            .ok();
        let slug = store_slug.trim().to_lowercase();
        if slug.is_empty() || slug.len() > 40 || !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            err("store_slug", "Use lowercase letters, digits and dashes, like downtown.".into());
        }
        if time_zone.parse::<chrono_tz::Tz>().is_err() {
            err("time_zone", "Use a time zone name like Europe/London.".into());
        }
        let (Some(name), Some(email), Some(store), true) = (name, email, store, errors.is_empty()) else {
            return Err(AppError::invalid(errors));
        };
        let setup = FirstAdmin {
            name: name.as_str().into(),
            email: email.as_str().into(),
            password: crate::backend::auth::Password::new(password),
            store_name: store.as_str().into(),
            slug,
            time_zone,
        };
        first_admin(&state.db, setup, state.clock.now()).await
    })
    .await
}
