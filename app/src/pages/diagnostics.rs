//! Diagnostics: the first stop for "I was not notified". Permission state,
//! this device's subscription, every device of mine with its last push, and a
//! test notification.

use super::{relative_time, ErrorBox};
use crate::api::{edit_device, my_devices, subscribe_push, test_push, vapid_public_key};
use crate::error::AppError;
use crate::model::DeviceView;
use leptos::prelude::*;
use leptos_meta::Title;

fn describe(state: &str) -> &'static str {
    match state {
        "granted" => "Allowed",
        "denied" => "Blocked: allow notifications for this site in the browser's settings",
        "default" => "Not asked yet",
        "ios-needs-install" => "Needs Frontdesk on the Home Screen (iOS)",
        "unsupported" => "Not supported by this browser",
        _ => "Checking…",
    }
}

#[component]
pub fn DiagnosticsPage() -> impl IntoView {
    // Browser facts are read after hydration; the server renders "Checking…".
    let permission = RwSignal::new(String::from("checking"));
    let this_endpoint = RwSignal::new(None::<String>);
    let refresh = RwSignal::new(0u32);
    let devices = Resource::new(move || refresh.get(), |_| my_devices());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        refresh.track();
        permission.set(crate::js::push_state());
        leptos::task::spawn_local(async move {
            this_endpoint.set(Some(crate::js::current_endpoint().await));
        });
    });
    let enable = Action::new_local(move |_: &()| async move {
        #[cfg(feature = "hydrate")]
        {
            let key = vapid_public_key().await.map_err(|e| e.to_string())?;
            let json = crate::js::subscribe(&key).await?;
            let sub: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
            let field = |p: &str| sub.pointer(p).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            subscribe_push(
                field("/endpoint"),
                field("/keys/p256dh"),
                field("/keys/auth"),
                crate::js::device_label(),
            )
            .await
            .map_err(|e| e.to_string())?;
            refresh.update(|r| *r += 1);
            Ok::<(), String>(())
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (vapid_public_key, subscribe_push);
            Err::<(), String>("Not available while the page loads.".into())
        }
    });
    let test = Action::new(|_: &()| test_push());
    view! {
        <Title text="Notification diagnostics · Frontdesk" />
        <h1>"Notification diagnostics"</h1>
        <dl class="facts" aria-label="This device">
            <dt>"Notifications"</dt><dd data-testid="permission">{move || describe(&permission.get())}</dd>
            <dt>"This device"</dt>
            <dd data-testid="subscribed">{move || match this_endpoint.get() {
                None => "Checking…",
                Some(e) if e.is_empty() => "Not subscribed",
                Some(_) => "Subscribed",
            }}</dd>
        </dl>
        <Show when=move || permission.get() == "ios-needs-install">
            <section class="panel ios-steps" aria-label="Install on iPhone or iPad">
                <h2>"Get notifications on iPhone or iPad"</h2>
                <ol>
                    <li>"Tap the Share button in Safari."</li>
                    <li>"Choose \u{201c}Add to Home Screen\u{201d}."</li>
                    <li>"Open Frontdesk from the Home Screen and come back to this page."</li>
                </ol>
            </section>
        </Show>
        <div class="action-row">
            <button class="primary" disabled=move || enable.pending().get() || permission.get() == "ios-needs-install" || permission.get() == "unsupported"
                on:click=move |_| { enable.dispatch_local(()); }>"Turn on notifications on this device"</button>
            <button on:click=move |_| { test.dispatch(()); }>"Send test notification"</button>
        </div>
        {move || enable.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error-box" role="alert">"Could not turn on notifications: " {e}</p> })}
        {move || enable.value().get().and_then(|r| r.ok()).map(|_| view! { <p class="ok-box" role="status">"Notifications are on for this device."</p> })}
        {move || test.value().get().map(|r| match r {
            Ok(0) => view! { <p class="error-box" role="alert">"No device has notifications turned on yet."</p> }.into_any(),
            Ok(n) => view! { <p class="ok-box" role="status">{format!("Test notification sent to {n} device(s).")}</p> }.into_any(),
            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
        })}
        <h2>"My devices"</h2>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match devices.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"No device has notifications turned on."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="devices" aria-label="My devices">
                            {list.into_iter().map(|d| view! { <DeviceRow d this_endpoint refresh /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeviceRow(d: DeviceView, this_endpoint: RwSignal<Option<String>>, refresh: RwSignal<u32>) -> impl IntoView {
    let id = d.id;
    let label = RwSignal::new(d.label.clone());
    let save = Action::new(move |l: &Option<String>| {
        let l = l.clone();
        async move { edit_device(id, l).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            refresh.update(|r| *r += 1);
        }
    });
    let endpoint = d.endpoint.clone();
    let last = match (&d.last_result, d.last_status, d.last_attempt_at) {
        (Some(r), status, Some(at)) => format!(
            "{} · {}{}",
            relative_time(at),
            r,
            status.map(|s| format!(" ({s})")).unwrap_or_default()
        ),
        _ => "No push sent yet".to_string(),
    };
    let input_id = format!("device-{id}");
    view! {
        <li class="device-row">
            <div class="device-name">
                <label for=input_id.clone() class="visually-hidden">"Device name"</label>
                <input id=input_id prop:value=label on:input=move |ev| label.set(event_target_value(&ev)) />
                {move || (this_endpoint.get().as_deref() == Some(endpoint.as_str())).then(|| view! { <span class="this-device">"This device"</span> })}
            </div>
            <span class="muted">{d.endpoint_host.clone()} " · added " {relative_time(d.created_at)}</span>
            <span class="last-push">"Last push: " {last}</span>
            <div class="action-row">
                <button on:click=move |_| { save.dispatch(Some(label.get_untracked())); }>"Rename"</button>
                <button class="danger-outline" on:click=move |_| { save.dispatch(None); }>"Remove"</button>
            </div>
            {move || save.value().get().and_then(|r: Result<(), AppError>| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        </li>
    }
}
