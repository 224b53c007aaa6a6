//! Acting on one appointment: lifecycle buttons, cancellation, and the edit form.

use super::{field_error, other_error, FieldMessage};
use crate::api::{appointment_step, available_slots, cancel_appointment, update_appointment};
use crate::domain::appointment::{AppointmentStatus, ClientCommunication, Presence};
use crate::domain::ids::{ServiceId, StaffId};
use crate::domain::time::UnixTime;
use crate::live::Live;
use crate::model::*;
use leptos::prelude::*;

/// Free start times for the chosen service, day and associate, fetched in the
/// browser whenever one of them changes. Client-only on purpose: the list only
/// matters once the form is in use, and a resource under the page's own
/// would hold up (and then mismatch) the server-rendered page.
pub fn free_times(
    slug: String,
    service: RwSignal<ServiceId>,
    date: RwSignal<String>,
    associate: RwSignal<Option<StaffId>>,
) -> RwSignal<Vec<Slot>> {
    let slots = RwSignal::new(Vec::new());
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        let (slug, service, date, associate) = (slug.clone(), service.get(), date.get(), associate.get());
        latest.update_value(|n| *n += 1);
        let ticket = latest.get_value();
        leptos::task::spawn_local(async move {
            let list = if date.is_empty() {
                vec![]
            } else {
                available_slots(slug, service, date, associate).await.unwrap_or_default()
            };
            // A slower, older answer must not replace a newer one.
            if latest.get_value() == ticket {
                slots.set(list);
            }
        });
    });
    slots
}

#[component]
pub fn AppointmentActions(detail: AppointmentDetail) -> AnyView {
    let live = expect_context::<Live>();
    let a = detail.appointment.clone();
    if !a.is_open() {
        return ().into_any();
    }
    let id = a.id;
    let step = Action::new(move |s: &&'static str| {
        let s = s.to_string();
        async move { appointment_step(id, s).await }
    });
    let reason = RwSignal::new(String::new());
    let cancel = Action::new(move |r: &String| {
        let r = r.clone();
        async move { cancel_appointment(id, r).await }
    });
    Effect::new(move |_| {
        if matches!(step.value().get(), Some(Ok(()))) || matches!(cancel.value().get(), Some(Ok(()))) {
            live.changes.update(|c| *c += 1);
        }
    });
    // Managers approve requests; so may the associate a request names.
    let me = expect_context::<Me>();
    let can_approve = (detail.can_manage || a.associate_id == Some(me.id)) && a.status == AppointmentStatus::PendingStaffApproval;
    // Both only make sense once the appointment has started.
    let started = a.starts_at <= super::now();
    let can_no_show = started && a.presence == Presence::Expecting;
    let can_complete = started && a.status == AppointmentStatus::Approved;
    view! {
        <section class="actions" aria-label="Actions">
            <div class="action-row">
                {can_approve.then(|| view! { <button class="primary" on:click=move |_| { step.dispatch("approve"); }>"Approve"</button> })}
                {can_complete.then(|| view! { <button on:click=move |_| { step.dispatch("complete"); }>"Mark completed"</button> })}
                {can_no_show.then(|| view! { <button on:click=move |_| { step.dispatch("no_show"); }>"Mark no-show"</button> })}
            </div>
            {move || step.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error-box" role="alert">{e.to_string()}</p> })}
            <EditForm detail=detail.clone() />
            <details class="panel">
                <summary>"Cancel appointment"</summary>
                <form class="form inline-form" on:submit=move |ev| { ev.prevent_default(); cancel.dispatch(reason.get_untracked()); }>
                    <label for="cancel-reason">"Reason (optional)"</label>
                    <textarea id="cancel-reason" rows="2" maxlength="500" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    <FieldMessage id="reason-error" message=Signal::derive(move || cancel.value().with(|v| field_error(v, "reason"))) />
                    {move || cancel.value().with(|v| other_error(v, &["reason"])).map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
                    <button type="submit" class="danger">"Confirm cancellation"</button>
                </form>
            </details>
        </section>
    }
    .into_any()
}

#[component]
fn EditForm(detail: AppointmentDetail) -> AnyView {
    let live = expect_context::<Live>();
    let a = detail.appointment.clone();
    let id = a.id;
    let service = RwSignal::new(a.service_id);
    let associate = RwSignal::new(a.associate_id);
    let date = RwSignal::new(a.local_date.clone());
    let start = RwSignal::new(Some(a.starts_at));
    let notes = RwSignal::new(a.notes.clone());
    let communication = RwSignal::new(a.client_communication);
    let ask_client = RwSignal::new(false);
    let slug = detail.store_slug.clone();
    let (orig_date, orig_service, orig_start, orig_label) = (a.local_date.clone(), a.service_id, a.starts_at, a.local_time.clone());
    let slots = free_times(slug, service, date, associate);
    let save = Action::new(move |u: &AppointmentUpdate| {
        let u = u.clone();
        async move { update_appointment(id, u).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            live.changes.update(|c| *c += 1);
        }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().with(|v| field_error(v, f)));
    let services = detail.services.clone();
    let associates = detail.assignable.clone();
    let can_manage = detail.can_manage;
    view! {
        <details class="panel">
            <summary>"Change date, time or details"</summary>
            <form class="form inline-form" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(AppointmentUpdate {
                    starts_at: start.get_untracked().unwrap_or_default(),
                    service_id: service.get_untracked(),
                    associate_id: associate.get_untracked(),
                    notes: notes.get_untracked(),
                    client_communication: communication.get_untracked(),
                    ask_client_to_confirm: ask_client.get_untracked(),
                });
            }>
                <label for="edit-service">"Service"</label>
                <select id="edit-service" on:change=move |ev| { service.set(event_target_value(&ev).parse().unwrap_or(ServiceId(0))); start.set(None); }>
                    {services.into_iter().map(|s| {
                        let sid = s.id;
                        view! { <option value=s.id.to_string() selected=move || service.get() == sid>{s.name}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage id="edit-service-error" message=err("service") />
                {can_manage.then(|| view! {
                    <label for="edit-associate">"Associate"</label>
                    <select id="edit-associate" on:change=move |ev| { associate.set(event_target_value(&ev).parse().ok()); start.set(None); }>
                        {
                            // One flat list (no optional children): the HTML parser keeps
                            // nothing but options inside a <select>, so hydration must see the same.
                            let mut options: Vec<(Option<StaffId>, String)> = Vec::new();
                            if associate.get_untracked().is_none() {
                                options.push((None, "Nobody yet".into()));
                            }
                            options.extend(associates.into_iter().map(|x| (Some(x.id), x.name)));
                            options.into_iter().map(|(value, name)| view! {
                                <option value=value.map(|v| v.to_string()).unwrap_or_default() selected=move || associate.get() == value>{name}</option>
                            }).collect_view()
                        }
                    </select>
                    <FieldMessage id="edit-associate-error" message=err("associate") />
                })}
                <label for="edit-date">"Date"</label>
                <input id="edit-date" type="date" prop:value=date on:input=move |ev| { date.set(event_target_value(&ev)); start.set(None); } />
                <label for="edit-time">"Time"</label>
                <div class="time-select">
                {move || {
                    let list = slots.get();
                    let keep_current = date.get() == orig_date && service.get() == orig_service;
                    let orig_label = orig_label.clone();
                    view! {
                        <select id="edit-time" on:change=move |ev| start.set(event_target_value(&ev).parse().ok())>
                            {
                                let mut options: Vec<(Option<UnixTime>, String)> = vec![(None, "Choose a time".into())];
                                if keep_current && !list.iter().any(|s| s.starts_at == orig_start) {
                                    options.push((Some(orig_start), orig_label.clone()));
                                }
                                options.extend(list.into_iter().map(|s| (Some(s.starts_at), s.label)));
                                options.sort_by_key(|o| o.0);
                                for o in options.iter_mut().filter(|o| keep_current && o.0 == Some(orig_start)) {
                                    o.1 = format!("{orig_label} (current)");
                                }
                                options.into_iter().map(|(value, label)| view! {
                                    <option value=value.map(|v| v.to_string()).unwrap_or_default() selected=move || start.get() == value>{label}</option>
                                }).collect_view()
                            }
                        </select>
                    }
                }}
                </div>
                <FieldMessage id="edit-slot-error" message=err("slot") />
                <label for="edit-notes">"Notes"</label>
                <textarea id="edit-notes" rows="2" maxlength="2000" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                <FieldMessage id="edit-notes-error" message=err("notes") />
                <label for="edit-communication">"Client messages"</label>
                <select id="edit-communication" on:change=move |ev| communication.set(ClientCommunication::parse(&event_target_value(&ev)).unwrap_or(ClientCommunication::ClientOnly))>
                    {CLIENT_COMMUNICATION.iter().map(|(c, label)| {
                        let c = *c;
                        view! { <option value=c.as_str() selected=move || communication.get() == c>{*label}</option> }
                    }).collect_view()}
                </select>
                <label class="check"><input type="checkbox" prop:checked=ask_client on:change=move |ev| ask_client.set(event_target_checked(&ev)) />"Ask the client to confirm this change"</label>
                {move || save.value().with(|v| other_error(v, &["service", "associate", "slot", "notes"])).map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
                {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <p class="ok-box" role="status">"Saved."</p> })}
                <button type="submit" class="primary" disabled=move || save.pending().get()>"Save changes"</button>
            </form>
        </details>
    }
    .into_any()
}
