//! Calls into `public/push.js` (`window.FrontdeskPush`): the browser APIs for
//! service workers, notification permission and push subscriptions.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "Unknown browser error".into())
}

fn call(name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let window = web_sys::window().ok_or("no window")?;
    let api = Reflect::get(&window, &JsValue::from_str("FrontdeskPush")).map_err(message)?;
    if api.is_undefined() {
        return Err("Push support has not loaded yet. Reload the page and try again.".into());
    }
    let f: Function = Reflect::get(&api, &JsValue::from_str(name))
        .map_err(message)?
        .dyn_into()
        .map_err(|_| format!("{name} is not a function"))?;
    let arr = js_sys::Array::new();
    for a in args {
        arr.push(a);
    }
    f.apply(&api, &arr).map_err(message)
}

async fn call_async(name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let p: Promise = call(name, args)?
        .dyn_into()
        .map_err(|_| format!("{name} did not return a promise"))?;
    JsFuture::from(p).await.map_err(message)
}

/// "unsupported", "ios-needs-install", "default", "granted" or "denied".
pub fn push_state() -> String {
    call("state", &[])
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "unsupported".into())
}

pub fn device_label() -> String {
    call("label", &[])
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "This device".into())
}

pub async fn register_service_worker() {
    let _ = call_async("register", &[]).await;
}

/// This device's push endpoint, or "" when it has none.
pub async fn current_endpoint() -> String {
    call_async("current", &[])
        .await
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Asks permission and subscribes; the subscription as JSON (`endpoint`, `keys.p256dh`, `keys.auth`).
pub async fn subscribe(vapid_public_key: &str) -> Result<String, String> {
    call_async("subscribe", &[JsValue::from_str(vapid_public_key)])
        .await?
        .as_string()
        .ok_or_else(|| "The browser returned no subscription.".into())
}

pub fn set_app_badge(unread: i64) {
    let _ = call("badge", &[JsValue::from_f64(unread as f64)]);
}

/// Adds a history entry for the current address, so that the back gesture
/// closes an open sheet (the bell) instead of leaving the page.
pub fn push_history_marker() {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.push_state_with_url(&JsValue::from_str("sheet"), "", None);
    }
}

/// Takes back the entry `push_history_marker` added (the sheet was closed another way).
pub fn history_back() {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.back();
    }
}

/// Puts `text` on the clipboard; false where the browser refuses.
pub async fn copy_text(text: &str) -> bool {
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
        return false;
    };
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}
