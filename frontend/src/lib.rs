//! The WASM entry point: hydrates the server-rendered page. Built twice by
//! `cargo xtask build`: the staff app (every page), and with `--features
//! public` the client pages alone (`app::PublicApp`), so a client on a phone
//! downloads only the booking flow and the tracking page.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(not(feature = "public"))]
    leptos::mount::hydrate_body(app::App);
    #[cfg(feature = "public")]
    leptos::mount::hydrate_body(app::PublicApp);
    // Tests (and anything else) can wait for this instead of racing the WASM load.
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
