//! `/staff/integrations` (admins): webhook endpoints with their delivery
//! log, and the integration API's keys.

use super::{ErrorBox, FieldMessage};
use crate::api::{
    api_keys, create_api_key, create_webhook_endpoint, delete_webhook_endpoint, replay_failed_webhooks, resend_webhook_delivery,
    revoke_api_key, rotate_webhook_secret, test_webhook_endpoint, update_webhook_endpoint, webhook_deliveries, webhook_endpoints,
};
use crate::domain::ids::{ApiKeyId, EndpointId, StoreId};
use crate::domain::time::UnixTime;
use crate::domain::webhooks::WebhookEventType;
use crate::model::{DeliveryView, EndpointInput, EndpointView, Me, OAuthInput};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    // Bumped after every change so the lists are read again.
    let changed = RwSignal::new(0u32);
    let endpoints = Resource::new(move || changed.get(), |_| webhook_endpoints());
    view! {
        <Title text="Integrations · Frontdesk" />
        <h1>"Integrations"</h1>
        <p class="muted">
            "Outside tools get a signed webhook for every booking event, and can use the REST API. "
            // Served by the server, not by this app's router: `rel="external"` makes them a full page load.
            <a href="/docs/webhooks" rel="external">"Webhook reference"</a> " · "
            <a href="/docs/api" rel="external">"API reference"</a> " · "
            <a href="/api/openapi.json" rel="external">"OpenAPI document"</a>
        </p>
        <h2>"Webhook endpoints"</h2>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match endpoints.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No endpoints yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="endpoints" aria-label="Webhook endpoints">
                            {list.into_iter().map(|e| view! { <EndpointItem e changed /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
        <NewEndpoint changed />
        <ApiKeys />
    }
}

#[component]
fn NewEndpoint(changed: RwSignal<u32>) -> impl IntoView {
    let me = use_context::<Me>();
    let stores = me.map(|m| m.stores).unwrap_or_default();
    let store = RwSignal::new(stores.first().map(|s| s.id).unwrap_or(StoreId(0)));
    let url = RwSignal::new(String::new());
    let method = RwSignal::new("POST".to_string());
    let types = RwSignal::new(vec![
        "appointment.created".to_string(),
        "appointment.updated".to_string(),
        "appointment.status_updated".to_string(),
    ]);
    let signing = RwSignal::new(true);
    let header_name = RwSignal::new(String::new());
    let header_value = RwSignal::new(String::new());
    let token_url = RwSignal::new(String::new());
    let client_id = RwSignal::new(String::new());
    let client_secret = RwSignal::new(String::new());
    let scope = RwSignal::new(String::new());
    let create = Action::new(|input: &EndpointInput| {
        let input = input.clone();
        async move { create_webhook_endpoint(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            url.set(String::new());
            changed.update(|n| *n += 1);
        }
    });
    let err = move |f: &'static str| Signal::derive(move || create.value().with(|v| super::field_error(v, f)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let some = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        create.dispatch(EndpointInput {
            store_id: store.get_untracked(),
            url: url.get_untracked(),
            method: method.get_untracked(),
            event_types: types.get_untracked(),
            description: String::new(),
            signing: Some(signing.get_untracked()),
            enabled: None,
            header_name: some(header_name),
            header_value: some(header_value),
            oauth: some(token_url).map(|token_url| OAuthInput {
                token_url,
                client_id: client_id.get_untracked(),
                client_secret: client_secret.get_untracked(),
                scope: scope.get_untracked(),
            }),
        });
    };
    view! {
        <details class="panel">
            <summary>"Add an endpoint"</summary>
            <form class="form" aria-label="Add a webhook endpoint" on:submit=submit>
                <label for="ep-store">"Store"</label>
                <select id="ep-store" on:change=move |ev| store.set(event_target_value(&ev).parse().unwrap_or(StoreId(0)))>
                    {stores.iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                </select>
                <label for="ep-url">"URL"</label>
                <input id="ep-url" type="url" placeholder="https://example.com/hooks/frontdesk" prop:value=url on:input=move |ev| url.set(event_target_value(&ev)) />
                <FieldMessage id="ep-url-error" message=err("url") />
                <label for="ep-method">"Method"</label>
                <select id="ep-method" on:change=move |ev| method.set(event_target_value(&ev))>
                    <option value="POST">"POST"</option>
                    <option value="PUT">"PUT"</option>
                </select>
                <fieldset class="checks">
                    <legend>"Event types"</legend>
                    {WebhookEventType::SUBSCRIBABLE.iter().map(|t| {
                        let label = t.to_string();
                        let t = t.to_string();
                        let t2 = t.clone();
                        view! {
                            <label><input type="checkbox" prop:checked=move || types.with(|v| v.contains(&t))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    types.update(|v| { v.retain(|x| x != &t2); if on { v.push(t2.clone()); } });
                                } />{label}</label>
                        }
                    }).collect_view()}
                </fieldset>
                <FieldMessage id="ep-types-error" message=err("event_types") />
                <label class="check"><input type="checkbox" prop:checked=signing on:change=move |ev| signing.set(event_target_checked(&ev)) />"Sign deliveries (Standard Webhooks)"</label>
                <details>
                    <summary>"Static header (optional)"</summary>
                    <label for="ep-header-name">"Header name"</label>
                    <input id="ep-header-name" prop:value=header_name on:input=move |ev| header_name.set(event_target_value(&ev)) />
                    <FieldMessage id="ep-header-name-error" message=err("header_name") />
                    <label for="ep-header-value">"Header value"</label>
                    <input id="ep-header-value" type="password" prop:value=header_value on:input=move |ev| header_value.set(event_target_value(&ev)) />
                    <FieldMessage id="ep-header-value-error" message=err("header_value") />
                </details>
                <details>
                    <summary>"OAuth2 client credentials (optional)"</summary>
                    <label for="ep-token-url">"Token URL"</label>
                    <input id="ep-token-url" type="url" prop:value=token_url on:input=move |ev| token_url.set(event_target_value(&ev)) />
                    <FieldMessage id="ep-token-url-error" message=err("oauth.token_url") />
                    <label for="ep-client-id">"Client id"</label>
                    <input id="ep-client-id" prop:value=client_id on:input=move |ev| client_id.set(event_target_value(&ev)) />
                    <label for="ep-client-secret">"Client secret"</label>
                    <input id="ep-client-secret" type="password" prop:value=client_secret on:input=move |ev| client_secret.set(event_target_value(&ev)) />
                    <label for="ep-scope">"Scope"</label>
                    <input id="ep-scope" prop:value=scope on:input=move |ev| scope.set(event_target_value(&ev)) />
                </details>
                {move || create.value().with(|v| match v {
                    Some(Err(e)) if !matches!(e, crate::error::AppError::Invalid { .. }) => Some(view! { <p class="error-box" role="alert">{e.to_string()}</p> }),
                    _ => None,
                })}
                <button type="submit" class="primary" disabled=move || create.pending().get()>"Add endpoint"</button>
            </form>
        </details>
    }
}

fn input_of(e: &EndpointView, enabled: Option<bool>) -> EndpointInput {
    EndpointInput {
        store_id: e.store_id,
        url: e.url.clone(),
        method: e.method.as_str().to_string(),
        event_types: e.event_types.iter().map(|t| t.as_str().to_string()).collect(),
        description: e.description.clone(),
        signing: Some(e.signing_secret.is_some()),
        enabled,
        // The stored header value and OAuth2 secret never reach the page: naming the
        // same header or client without them keeps them.
        header_name: e.header_name.clone(),
        header_value: None,
        oauth: e.oauth_token_url.clone().map(|token_url| OAuthInput {
            token_url,
            client_id: e.oauth_client_id.clone().unwrap_or_default(),
            client_secret: String::new(),
            scope: e.oauth_scope.clone().unwrap_or_default(),
        }),
    }
}

#[component]
fn EndpointItem(e: EndpointView, changed: RwSignal<u32>) -> impl IntoView {
    let id = e.id;
    let bump = move || changed.update(|n| *n += 1);
    let rotate = Action::new(move |_: &()| rotate_webhook_secret(id));
    let test = Action::new(move |_: &()| test_webhook_endpoint(id));
    let delete = Action::new(move |_: &()| delete_webhook_endpoint(id));
    let (on, off) = (input_of(&e, Some(true)), input_of(&e, Some(false)));
    let enable = Action::new(move |turn_on: &bool| {
        let input = if *turn_on { on.clone() } else { off.clone() };
        async move { update_webhook_endpoint(id, input).await }
    });
    let log_version = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(rotate.value().get(), Some(Ok(_)))
            || matches!(delete.value().get(), Some(Ok(_)))
            || matches!(enable.value().get(), Some(Ok(_)))
        {
            bump();
        }
        if matches!(test.value().get(), Some(Ok(_))) {
            log_version.update(|n| *n += 1);
        }
    });
    let show_secret = RwSignal::new(false);
    let secret = e.signing_secret.clone();
    view! {
        <li class="endpoint panel">
            <p>
                <strong class="endpoint-url">{e.method.as_str()} " " {e.url.clone()}</strong>
                {if e.enabled {
                    view! { <span class="badge ok">"enabled"</span> }.into_any()
                } else {
                    view! { <span class="badge off">"disabled"</span> " " <span class="muted">{e.disabled_reason.clone()}</span> }.into_any()
                }}
            </p>
            <p class="muted">{e.event_types.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")}</p>
            {secret.map(|s| view! {
                <p>"Signing secret: "
                    {move || if show_secret.get() { view! { <code class="secret">{s.clone()}</code> }.into_any() } else { view! { <code>"whsec_••••••"</code> }.into_any() }}
                    " " <button type="button" class="link" on:click=move |_| show_secret.update(|v| *v = !*v)>{move || if show_secret.get() { "Hide" } else { "Show" }}</button>
                    {e.previous_secret_active.then(|| view! { " " <span class="muted">"(the previous secret still signs too, for 24 h after rotation)"</span> })}
                </p>
            })}
            <p class="actions">
                <button type="button" on:click=move |_| { test.dispatch(()); }>"Send test"</button>
                <button type="button" on:click=move |_| { rotate.dispatch(()); }>"Rotate secret"</button>
                {if e.enabled {
                    view! { <button type="button" on:click=move |_| { enable.dispatch(false); }>"Disable"</button> }.into_any()
                } else {
                    view! { <button type="button" on:click=move |_| { enable.dispatch(true); }>"Enable"</button> }.into_any()
                }}
                <button type="button" class="danger" on:click=move |_| { delete.dispatch(()); }>"Delete"</button>
            </p>
            {move || [rotate.value().get().and_then(|r| r.err()), test.value().get().and_then(|r| r.err()), delete.value().get().and_then(|r| r.err()), enable.value().get().and_then(|r| r.err())]
                .into_iter().flatten().next().map(|e| view! { <ErrorBox error=e /> })}
            <details>
                <summary>"Delivery log"</summary>
                <DeliveryLog endpoint_id=id version=log_version />
            </details>
        </li>
    }
}

#[component]
fn DeliveryLog(endpoint_id: EndpointId, version: RwSignal<u32>) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let log = Resource::new(
        move || (status.get(), version.get()),
        move |(s, _)| webhook_deliveries(endpoint_id, if s.is_empty() { None } else { Some(s) }, None),
    );
    let since = RwSignal::new(String::new());
    let replay = Action::new(move |since: &String| {
        // The browser's local date-time, as unix seconds.
        let ts = since_to_unix(since);
        async move { replay_failed_webhooks(endpoint_id, ts).await }
    });
    Effect::new(move |_| {
        if matches!(replay.value().get(), Some(Ok(_))) {
            version.update(|n| *n += 1);
        }
    });
    view! {
        <label for=format!("log-status-{endpoint_id}")>"Show"</label>
        <select id=format!("log-status-{endpoint_id}") on:change=move |ev| status.set(event_target_value(&ev))>
            <option value="">"All"</option>
            <option value="pending">"Pending"</option>
            <option value="succeeded">"Succeeded"</option>
            <option value="failed">"Failed"</option>
        </select>
        " " <button type="button" on:click=move |_| version.update(|n| *n += 1)>"Refresh"</button>
        <form class="inline-form" on:submit=move |ev| { ev.prevent_default(); replay.dispatch(since.get_untracked()); }>
            <label for=format!("replay-since-{endpoint_id}")>"Replay failed deliveries since"</label>
            <input id=format!("replay-since-{endpoint_id}") type="datetime-local" prop:value=since on:input=move |ev| since.set(event_target_value(&ev)) />
            <button type="submit">"Replay"</button>
            {move || replay.value().get().map(|r| match r {
                Ok(n) => view! { <span role="status">{format!("{n} queued again")}</span> }.into_any(),
                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
            })}
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"Nothing delivered yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="deliveries">
                            {list.into_iter().map(|d| view! { <DeliveryItem d version /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn since_to_unix(local: &str) -> UnixTime {
    #[cfg(feature = "hydrate")]
    {
        let ms = js_sys::Date::parse(local);
        if ms.is_finite() {
            return UnixTime((ms / 1000.0) as i64);
        }
    }
    let _ = local;
    UnixTime(0)
}

#[component]
fn DeliveryItem(d: DeliveryView, version: RwSignal<u32>) -> impl IntoView {
    let id = d.id;
    let resend = Action::new(move |_: &()| resend_webhook_delivery(id));
    Effect::new(move |_| {
        if matches!(resend.value().get(), Some(Ok(()))) {
            version.update(|n| *n += 1);
        }
    });
    view! {
        <li class=format!("delivery status-{}", d.status)>
            <details>
                <summary>
                    <strong>{d.event_type.as_str()}</strong> " · " {d.status.as_str()} " · "
                    {format!("{} attempt{}", d.attempt_count, if d.attempt_count == 1 { "" } else { "s" })}
                    " · " <span class="muted">{super::relative_time(d.created_at)} " · " <code>{d.msg_id.clone()}</code></span>
                    {(!d.last_error.is_empty()).then(|| view! { <br /> <span class="muted">{d.last_error.clone()}</span> })}
                </summary>
                <table class="attempts">
                    <thead><tr><th>"When"</th><th>"Status"</th><th>"Latency"</th><th>"Answer"</th></tr></thead>
                    <tbody>
                        {d.attempts.iter().map(|a| view! {
                            <tr>
                                <td>{super::relative_time(a.at)}</td>
                                <td>{a.status_code.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td>
                                <td>{format!("{} ms", a.latency_ms)}</td>
                                <td><code>{if a.error.is_empty() { a.response.clone() } else { a.error.clone() }}</code></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <pre class="message-body">{d.payload.clone()}</pre>
                <button type="button" on:click=move |_| { resend.dispatch(()); }>"Resend"</button>
                {move || resend.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
            </details>
        </li>
    }
}

#[component]
fn ApiKeys() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let keys = Resource::new(move || changed.get(), |_| api_keys());
    let name = RwSignal::new(String::new());
    let create = Action::new(|n: &String| {
        let n = n.clone();
        async move { create_api_key(n).await }
    });
    let revoke = Action::new(|id: &ApiKeyId| revoke_api_key(*id));
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(_))) || matches!(revoke.value().get(), Some(Ok(()))) {
            name.set(String::new());
            changed.update(|n| *n += 1);
        }
    });
    let err = move |f: &'static str| Signal::derive(move || create.value().with(|v| super::field_error(v, f)));
    view! {
        <h2>"API keys"</h2>
        <form class="form inline-form" aria-label="Create an API key" on:submit=move |ev| { ev.prevent_default(); create.dispatch(name.get_untracked()); }>
            <label for="key-name">"Key name"</label>
            <input id="key-name" placeholder="CRM sync" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            <FieldMessage id="key-name-error" message=err("name") />
            <button type="submit">"Create key"</button>
        </form>
        {move || create.value().get().and_then(|r| r.ok()).map(|k| view! {
            <div class="ok-box">
                <p role="status">"Copy this key now; it is not shown again: " <code class="secret">{k.key.clone()}</code></p>
                <super::CopyText text=k.key label="Copy key" copied="Copied." refused="The browser did not allow copying; select the key instead." />
            </div>
        })}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match keys.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No keys yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="api-keys" aria-label="API keys">
                            {list.into_iter().map(|k| {
                                let id = k.id;
                                view! {
                                    <li>
                                        <strong>{k.name}</strong> " " <code>{k.prefix} "…"</code> " · by " {k.created_by}
                                        " · " {k.last_used_at.map(|t| format!("used {}", super::relative_time(t))).unwrap_or_else(|| "never used".into())}
                                        {match k.revoked_at {
                                            Some(_) => view! { " · " <span class="badge off">"revoked"</span> }.into_any(),
                                            None => view! { " " <button type="button" class="link" on:click=move |_| { revoke.dispatch(id); }>"Revoke"</button> }.into_any(),
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}
