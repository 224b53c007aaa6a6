//! The WASM entry point: hydrates the server-rendered page. Built twice by
//! `cargo xtask build`: the staff app (every page), and with `--features
//! public` the client pages alone (`app::PublicApp`), so a client on a phone
//! downloads only the booking flow and the tracking page.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::{wasm_bindgen, Closure};
use wasm_bindgen::JsCast;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(not(feature = "public"))]
    leptos::mount::hydrate_body(app::App);
    #[cfg(feature = "public")]
    leptos::mount::hydrate_body(app::PublicApp);
    mark_hydrated_when_settled();
}

/// Tests (and anything else) can wait for `body[data-hydrated]` instead of
/// racing the WASM load. `hydrate_body` returns once the page's outer shell is
/// live; what sits inside a `Suspense` (the staff shell, then the page inside
/// it) hydrates in tasks that pass queues, one boundary after another, as
/// their resources resolve from the data the server streamed. A form in there
/// has no handler until its boundary has run, and a click before that submits
/// it natively. So the mark waits for the next frame and then a macrotask: by
/// then every task queued on the way has run.
fn mark_hydrated_when_settled() {
    let Some(window) = web_sys::window() else { return };
    let mark = Closure::once_into_js(|| {
        let Some(window) = web_sys::window() else { return };
        let after_tasks = Closure::once_into_js(|| {
            if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        });
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(after_tasks.unchecked_ref(), 0);
    });
    let _ = window.request_animation_frame(mark.unchecked_ref());
}
