//! The client directory: search, profile with history, and booking for a client.

use super::staff::AppointmentRow;
use super::{field_error, other_error, ErrorBox, FieldMessage};
use crate::api::{client_details, create_appointment, create_client, search_clients, update_client};
use crate::domain::appointment::ClientCommunication;
use crate::domain::ids::{ClientId, ServiceId, StoreId};
use crate::domain::staff::StoreRole;
use crate::domain::time::UnixTime;
use crate::i18n::Language;
use crate::live::Live;
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn ClientsPage() -> impl IntoView {
    let q = RwSignal::new(String::new());
    let results = Resource::new(move || q.get(), search_clients);
    view! {
        <Title text="Clients · Frontdesk" />
        <h1>"Clients"</h1>
        <div class="search">
            <label for="client-search">"Search clients"</label>
            <input id="client-search" type="search" placeholder="Name, email or mobile" prop:value=q on:input=move |ev| q.set(event_target_value(&ev)) />
        </div>
        <Transition fallback=|| view! { <p class="muted">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"No clients match."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="clients" aria-label="Client results">
                            {list.into_iter().map(|c| view! {
                                <li><a href=format!("/staff/clients/{}", c.id)>
                                    <span class="client-name">{c.name}</span>
                                    <span class="muted">{c.email.unwrap_or_default()} " " {c.mobile.unwrap_or_default()} " · " {c.store_name}</span>
                                </a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
        <NewClientForm />
    }
}

#[component]
fn NewClientForm() -> impl IntoView {
    let me = expect_context::<Me>();
    let store = RwSignal::new(me.stores.first().map(|s| s.id).unwrap_or(StoreId(0)));
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let mobile = RwSignal::new(String::new());
    let language = RwSignal::new(Language::fallback().code().to_string());
    let create = Action::new(|c: &NewClient| {
        let c = c.clone();
        async move { create_client(c).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/staff/clients/{id}"), Default::default());
        }
    });
    let err = move |f: &'static str| Signal::derive(move || create.value().with(|v| field_error(v, f)));
    let stores = me.stores.clone();
    view! {
        <details class="panel">
            <summary>"New client"</summary>
            <form class="form inline-form" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(NewClient {
                    store_id: store.get_untracked(),
                    name: name.get_untracked(),
                    email: email.get_untracked(),
                    mobile: mobile.get_untracked(),
                    language: language.get_untracked(),
                });
            }>
                {(stores.len() > 1).then(|| view! {
                    <label for="new-client-store">"Store"</label>
                    <select id="new-client-store" on:change=move |ev| store.set(event_target_value(&ev).parse().unwrap_or(StoreId(0)))>
                        {stores.iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                    </select>
                })}
                <label for="new-client-name">"Name"</label>
                <input id="new-client-name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                <FieldMessage id="new-client-name-error" message=err("name") />
                <label for="new-client-email">"Client email"</label>
                <input id="new-client-email" type="email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                <FieldMessage id="new-client-email-error" message=err("email") />
                <label for="new-client-mobile">"Client mobile"</label>
                <input id="new-client-mobile" type="tel" prop:value=mobile on:input=move |ev| mobile.set(event_target_value(&ev)) />
                <FieldMessage id="new-client-mobile-error" message=err("mobile") />
                <label for="new-client-language">"Client language"</label>
                <select id="new-client-language" on:change=move |ev| language.set(event_target_value(&ev))>
                    {Language::all().into_iter().map(|l| view! { <option value=l.code()>{l.name()}</option> }).collect_view()}
                </select>
                <button type="submit" class="primary">"Add client"</button>
            </form>
        </details>
    }
}

#[component]
pub fn ClientPage() -> impl IntoView {
    let live = expect_context::<Live>();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse().ok()).unwrap_or(ClientId(0)));
    let profile = Resource::new(move || (id(), live.changes.get()), |(id, _)| client_details(id));
    view! {
        <Title text="Client · Frontdesk" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => view! { <ClientProfileView p /> }.into_any(),
                    Err(e) => view! { <h1>"Client"</h1> <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClientProfileView(p: ClientProfile) -> AnyView {
    let c = p.client.clone();
    view! {
        <h1>{c.name.clone()}</h1>
        <dl class="facts">
            <dt>"Email"</dt><dd>{c.email.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Mobile"</dt><dd>{c.mobile.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Language"</dt><dd>{c.language.name()}</dd>
            <dt>"Store"</dt><dd>{c.store_name.clone()}</dd>
        </dl>
        <EditClientForm c=c.clone() />
        <h2>"Book an appointment"</h2>
        <BookForClient p=p.clone() />
        <h2>"Appointment history"</h2>
        {if p.appointments.is_empty() {
            view! { <p class="empty">"No appointments yet."</p> }.into_any()
        } else {
            view! {
                <ul class="appointments" aria-label="Appointment history">
                    {p.appointments.into_iter().map(|a| view! { <AppointmentRow a /> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn EditClientForm(c: ClientSummary) -> impl IntoView {
    let live = expect_context::<Live>();
    let id = c.id;
    let name = RwSignal::new(c.name.clone());
    let email = RwSignal::new(c.email.clone().unwrap_or_default());
    let mobile = RwSignal::new(c.mobile.clone().unwrap_or_default());
    let language = RwSignal::new(c.language.code().to_string());
    let save = Action::new(move |f: &ClientDetailsForm| {
        let f = f.clone();
        async move { update_client(id, f).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            live.changes.update(|n| *n += 1);
        }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().with(|v| field_error(v, f)));
    let current = c.language;
    view! {
        <details class="panel">
            <summary>"Edit details"</summary>
            <form class="form inline-form" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(ClientDetailsForm {
                    name: name.get_untracked(),
                    email: email.get_untracked(),
                    mobile: mobile.get_untracked(),
                    language: language.get_untracked(),
                });
            }>
                <label for="edit-client-name">"Name"</label>
                <input id="edit-client-name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                <FieldMessage id="edit-client-name-error" message=err("name") />
                <label for="edit-client-email">"Email"</label>
                <input id="edit-client-email" type="email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                <FieldMessage id="edit-client-email-error" message=err("email") />
                <label for="edit-client-mobile">"Mobile"</label>
                <input id="edit-client-mobile" type="tel" prop:value=mobile on:input=move |ev| mobile.set(event_target_value(&ev)) />
                <FieldMessage id="edit-client-mobile-error" message=err("mobile") />
                <label for="edit-client-language">"Language"</label>
                <select id="edit-client-language" on:change=move |ev| language.set(event_target_value(&ev))>
                    {Language::all().into_iter().map(|l| view! { <option value=l.code() selected=l == current>{l.name()}</option> }).collect_view()}
                </select>
                <button type="submit" class="primary">"Save details"</button>
            </form>
        </details>
    }
}

#[component]
fn BookForClient(p: ClientProfile) -> AnyView {
    let me = expect_context::<Me>();
    let manages = me.is_admin || me.stores.iter().any(|s| s.id == p.client.store_id && s.role == StoreRole::Manager);
    let client_id = p.client.id;
    let service = RwSignal::new(p.services.first().map(|s| s.id).unwrap_or(ServiceId(0)));
    let associate = RwSignal::new(if manages { p.associates.first().map(|a| a.id) } else { Some(me.id) });
    let date = RwSignal::new(String::new());
    let start = RwSignal::new(None::<UnixTime>);
    let notes = RwSignal::new(String::new());
    let communication = RwSignal::new(ClientCommunication::ClientOnly);
    let ask_client = RwSignal::new(false);
    let slug = p.store_slug.clone();
    let slots = super::manage::free_times(slug, service, date, associate);
    let create = Action::new(|n: &NewAppointment| {
        let n = n.clone();
        async move { create_appointment(n).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/staff/appointments/{id}"), Default::default());
        }
    });
    let err = move |f: &'static str| Signal::derive(move || create.value().with(|v| field_error(v, f)));
    let other = move || create.value().with(|v| other_error(v, &["service", "associate", "slot", "notes"]));
    let services = p.services.clone();
    let associates = p.associates.clone();
    view! {
        <form class="form" on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch(NewAppointment {
                client_id,
                service_id: service.get_untracked(),
                associate_id: associate.get_untracked(),
                starts_at: start.get_untracked().unwrap_or_default(),
                notes: notes.get_untracked(),
                client_communication: communication.get_untracked(),
                ask_client_to_confirm: ask_client.get_untracked(),
            });
        }>
            <label for="new-service">"Service"</label>
            <select id="new-service" on:change=move |ev| { service.set(event_target_value(&ev).parse().unwrap_or(ServiceId(0))); start.set(None); }>
                {services.into_iter().map(|s| view! { <option value=s.id.to_string()>{format!("{} · {} min", s.name, s.duration_min)}</option> }).collect_view()}
            </select>
            <FieldMessage id="new-service-error" message=err("service") />
            {manages.then(|| view! {
                <label for="new-associate">"Associate"</label>
                <select id="new-associate" on:change=move |ev| { associate.set(event_target_value(&ev).parse().ok()); start.set(None); }>
                    {associates.into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view()}
                    <option value="">"Nobody yet (assign later)"</option>
                </select>
                <FieldMessage id="new-associate-error" message=err("associate") />
            })}
            <label for="new-date">"Date"</label>
            <input id="new-date" type="date" prop:value=date on:input=move |ev| { date.set(event_target_value(&ev)); start.set(None); } />
            <label for="new-time">"Time"</label>
            <div class="time-select">
            {move || {
                let list = slots.get();
                let empty = list.is_empty();
                view! {
                    <select id="new-time" on:change=move |ev| start.set(event_target_value(&ev).parse().ok())>
                        <option value="">{if empty { "Pick a date with free times" } else { "Choose a time" }}</option>
                        {list.into_iter().map(|s| view! { <option value=s.starts_at.to_string()>{s.label}</option> }).collect_view()}
                    </select>
                }
            }}
            </div>
            <FieldMessage id="new-slot-error" message=err("slot") />
            <label for="new-notes">"Notes"</label>
            <textarea id="new-notes" rows="2" maxlength="2000" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            <label for="new-communication">"Client messages"</label>
            <select id="new-communication" on:change=move |ev| communication.set(ClientCommunication::parse(&event_target_value(&ev)).unwrap_or(ClientCommunication::ClientOnly))>
                {CLIENT_COMMUNICATION.iter().map(|(c, label)| view! { <option value=c.as_str()>{*label}</option> }).collect_view()}
            </select>
            <label class="check"><input type="checkbox" prop:checked=ask_client on:change=move |ev| ask_client.set(event_target_checked(&ev)) />"Ask the client to confirm"</label>
            {move || other().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
            <button type="submit" class="primary" disabled=move || create.pending().get()>"Book appointment"</button>
        </form>
    }
    .into_any()
}
