//! Pages. Public ones (booking, tracking, sign-in) and the staff area.

mod account;
mod bell;
pub mod booking;
mod calendar;
mod client_comms;
mod clients;
mod diagnostics;
mod integrations;
pub mod manage;
mod messages;
mod payments;
mod people;
mod public;
mod settings;
mod setup;
mod staff;
mod tracking;

pub use account::*;
pub use booking::BookingPage;
pub use calendar::CalendarPage;
pub use client_comms::*;
pub use clients::*;
pub use diagnostics::*;
pub use integrations::*;
pub use messages::*;
pub use people::*;
pub use public::*;
pub use settings::*;
pub use setup::*;
pub use staff::*;
pub use tracking::*;

use crate::domain::time::UnixTime;
use crate::error::AppError;
use leptos::prelude::*;

/// An error box for a failed load or action.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    view! { <p class="error-box" role="alert">{error.to_string()}</p> }
}

/// The message under a form field, wired for screen readers by id.
#[component]
pub fn FieldMessage(id: &'static str, #[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <p class="field-error" id=id role="alert">
                {move || message.get()}
            </p>
        </Show>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. " <a href="/">"Go to the start page"</a></p>
        </main>
    }
}

/// The message for form field `f` in an action's last result, if it failed on that field.
pub fn field_error<T>(v: &Option<Result<T, AppError>>, f: &str) -> Option<String> {
    v.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field_message(f))
}

/// The action's error when it is not about one of `fields` (shown above the submit button).
pub fn other_error<T>(v: &Option<Result<T, AppError>>, fields: &[&str]) -> Option<String> {
    match v {
        Some(Err(e)) if fields.iter().all(|f| e.field_message(f).is_none()) => Some(e.to_string()),
        _ => None,
    }
}

/// Now, in the browser or on the server.
pub fn now() -> UnixTime {
    #[cfg(feature = "hydrate")]
    return UnixTime((js_sys::Date::now() / 1000.0) as i64);
    #[cfg(not(feature = "hydrate"))]
    return UnixTime(chrono::Utc::now().timestamp());
}

/// "3 min ago".
pub fn relative_time(t: UnixTime) -> String {
    let d = (now() - t).0.max(0);
    match d {
        0..=44 => "just now".into(),
        45..=5399 => format!("{} min ago", (d + 30) / 60),
        5400..=86399 => format!("{} h ago", (d + 1800) / 3600),
        _ => format!("{} days ago", (d + 43200) / 86400),
    }
}

/// Copies `text` (a tracking link, an API key) to the clipboard, and says
/// whether the browser let it: `copied` or `refused`, in the page's language.
#[component]
pub fn CopyText(text: String, #[prop(into)] label: String, #[prop(into)] copied: String, #[prop(into)] refused: String) -> impl IntoView {
    let outcome = RwSignal::new(None::<bool>);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let text = text.clone();
            leptos::task::spawn_local(async move { outcome.set(Some(crate::js::copy_text(&text).await)) });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <button type="button" class="secondary" on:click=copy>{label}</button>
        <span role="status" class="muted">{move || outcome.get().map(|ok| if ok { copied.clone() } else { refused.clone() })}</span>
    }
}
