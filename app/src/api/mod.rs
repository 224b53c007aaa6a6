//! Typed server functions: the only way the browser reads and changes data
//! (the live WebSocket only carries notifications). Each takes JSON at a
//! stable path under `/api/` (`endpoint = "…"`), so outside callers and tests
//! can use them too. Cross-site requests are refused by the server's
//! middleware before any of these run (server functions have no CSRF
//! protection of their own).
//!
//! One module per area; every function is a thin shell around one call into
//! the backend, run through `public`, `staff` or `admin`, which find the
//! state and the signed-in person and give an error its HTTP status.

mod account;
mod appointments;
mod bell;
mod clients;
mod conversations;
mod devices;
mod integrations;
mod payments;
mod people;
mod public;
mod session;
mod setup;
mod stores;

pub use account::*;
pub use appointments::*;
pub use bell::*;
pub use clients::*;
pub use conversations::*;
pub use devices::*;
pub use integrations::*;
pub use payments::*;
pub use people::*;
pub use public::*;
pub use session::*;
pub use setup::*;
pub use stores::*;

#[cfg(feature = "ssr")]
mod run {
    use crate::backend::{auth, AppState};
    use crate::error::AppError;
    use crate::model::Me;
    use crate::rules::access::Action;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;
    use std::future::Future;

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or(AppError::Internal)
    }

    pub async fn headers() -> axum::http::HeaderMap {
        leptos_axum::extract::<axum::http::HeaderMap>().await.unwrap_or_default()
    }

    /// The address the request came from (the peer of its connection).
    /// Where the request came from (behind a trusted proxy, the client it forwarded for).
    pub async fn client_address(state: &AppState) -> String {
        let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .await
            .ok()
            .map(|c| c.0.ip());
        let headers = headers().await;
        let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        crate::backend::throttle::client_address(peer, &forwarded, &state.config.trusted_proxies)
    }

    /// The signed-in staff member, or 401.
    pub async fn me(state: &AppState) -> Result<Me, AppError> {
        let id = auth::staff_for_headers(state, &headers().await)
            .await?
            .ok_or(AppError::Unauthorized)?;
        auth::load_me(&state.db, id).await
    }

    pub fn set_header(name: axum::http::HeaderName, value: &str) {
        if let (Some(opts), Ok(v)) = (use_context::<ResponseOptions>(), axum::http::HeaderValue::from_str(value)) {
            opts.append_header(name, v);
        }
    }

    /// Gives the response the status that matches the error.
    fn respond<T>(r: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(e) = &r {
            e.set_response_status();
        }
        r
    }

    /// For anyone, signed in or not.
    pub async fn public<T, F, Fut>(f: F) -> Result<T, AppError>
    where
        F: FnOnce(AppState) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        respond(async { f(state()?).await }.await)
    }

    /// For a signed-in staff member (401 otherwise).
    pub async fn staff<T, F, Fut>(f: F) -> Result<T, AppError>
    where
        F: FnOnce(AppState, Me) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        respond(
            async {
                let state = state()?;
                let me = me(&state).await?;
                f(state, me).await
            }
            .await,
        )
    }

    /// For administrators (403 for other staff), as the access policy has integrations.
    pub async fn admin<T, F, Fut>(f: F) -> Result<T, AppError>
    where
        F: FnOnce(AppState, Me) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        staff(|state, me| async move {
            crate::backend::commands::allow(&me, Action::Integrations, "")?;
            f(state, me).await
        })
        .await
    }
}
