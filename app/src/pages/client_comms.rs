//! Staff views of what clients are told: the messages on an appointment, the
//! "Client messages" page, attendees, and the channel test.

use super::{ErrorBox, FieldMessage};
use crate::api::{add_attendee, client_messages, remove_attendee, send_test_message};
use crate::domain::ids::{AppointmentId, AttendeeId, StoreId};
use crate::domain::messages::{Channel, ClientMessageStatus};
use crate::live::Live;
use crate::model::{AttendeeView, ClientMessageView};
use leptos::prelude::*;
use leptos_meta::Title;

fn status_line(m: &ClientMessageView) -> String {
    let channel = match m.channel {
        Channel::Sms => "SMS",
        Channel::Email => "Email",
    };
    let status = match m.status {
        ClientMessageStatus::Queued => "waiting to be sent",
        ClientMessageStatus::Sent => "sent",
        ClientMessageStatus::Failed => "not sent",
        ClientMessageStatus::Skipped => "not sent",
    };
    let mut s = format!(
        "{channel} to {} · {status}",
        if m.recipient.is_empty() { "—" } else { &m.recipient }
    );
    if !m.status_reason.is_empty() {
        s.push_str(" — ");
        s.push_str(&m.status_reason);
    }
    s
}

/// One message, expandable to what it said.
#[component]
pub fn ClientMessageItem(m: ClientMessageView, #[prop(optional)] with_client: bool) -> impl IntoView {
    let line = status_line(&m);
    let title = if with_client {
        format!(
            "{} · {}",
            m.kind_label,
            m.client_name.clone().unwrap_or_else(|| m.store_name.clone())
        )
    } else {
        m.kind_label.clone()
    };
    view! {
        <li class=format!("client-message status-{}", m.status) data-kind=m.kind.as_str()>
            <details>
                <summary>
                    <strong>{title}</strong> " " <span class="muted">{super::relative_time(m.created_at)} " · " {m.language.code().to_uppercase()}</span>
                    <br /> <span class="message-status">{line}</span>
                </summary>
                {(!m.subject.is_empty()).then(|| view! { <p><strong>{m.subject.clone()}</strong></p> })}
                <pre class="message-body">{m.body_text.clone()}</pre>
                {m.appointment_id.filter(|_| with_client).map(|a| view! { <a href=format!("/staff/appointments/{a}")>"Open the appointment"</a> })}
            </details>
        </li>
    }
}

/// On the appointment page: the tracking link, who comes along, and the messages.
#[component]
pub fn ClientCommunication(
    appointment_id: AppointmentId,
    tracking_url: String,
    attendees: Vec<AttendeeView>,
    messages: Vec<ClientMessageView>,
    editable: bool,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let add = Action::new(move |(n, e): &(String, String)| {
        let (n, e) = (n.clone(), e.clone());
        async move { add_attendee(appointment_id, n, e).await }
    });
    let remove = Action::new(move |id: &AttendeeId| {
        let id = *id;
        async move { remove_attendee(appointment_id, id).await }
    });
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(()))) {
            name.set(String::new());
            email.set(String::new());
            live.changes.update(|c| *c += 1);
        }
        if matches!(remove.value().get(), Some(Ok(()))) {
            live.changes.update(|c| *c += 1);
        }
    });
    let err = move |f: &'static str| Signal::derive(move || add.value().with(|v| super::field_error(v, f)));
    view! {
        <h2>"Client"</h2>
        <p>"Tracking link: " <a class="tracking-link" href=tracking_url.clone() rel="external">{tracking_url.clone()}</a></p>
        <h3>"Attendees"</h3>
        {if attendees.is_empty() {
            view! { <p class="muted">"Nobody else is coming along."</p> }.into_any()
        } else {
            view! {
                <ul class="attendees" aria-label="Attendees">
                    {attendees.into_iter().map(|a| {
                        let id = a.id;
                        view! {
                            <li>{a.name} " · " {a.email} " "
                                {editable.then(|| view! { <button type="button" class="link" on:click=move |_| { remove.dispatch(id); }>"Remove"</button> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {editable.then(|| view! {
            <form class="form inline-form" aria-label="Add an attendee" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch((name.get_untracked(), email.get_untracked()));
            }>
                <label for="attendee-name">"Name"</label>
                <input id="attendee-name" maxlength="100" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                <FieldMessage id="attendee-name-error" message=err("name") />
                <label for="attendee-email">"Email"</label>
                <input id="attendee-email" type="email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                <FieldMessage id="attendee-email-error" message=err("email") />
                <button type="submit" disabled=move || add.pending().get()>"Add attendee"</button>
            </form>
        })}
        <h3>"Messages to the client"</h3>
        {if messages.is_empty() {
            view! { <p class="muted">"No messages yet."</p> }.into_any()
        } else {
            view! {
                <ul class="client-messages" aria-label="Messages to the client">
                    {messages.into_iter().map(|m| view! { <ClientMessageItem m /> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// `/staff/client-messages`: every message to clients of the stores one manages (or one's own appointments).
#[component]
pub fn ClientMessagesPage() -> impl IntoView {
    let live = expect_context::<Live>();
    let status = RwSignal::new(String::new());
    let list = Resource::new(
        move || (status.get(), live.changes.get()),
        |(s, _)| client_messages(if s.is_empty() { None } else { Some(s) }, None),
    );
    view! {
        <Title text="Client messages · Frontdesk" />
        <h1>"Client messages"</h1>
        <label for="message-status">"Show"</label>
        <select id="message-status" on:change=move |ev| status.set(event_target_value(&ev))>
            <option value="">"All"</option>
            <option value="queued">"Queued"</option>
            <option value="sent">"Sent"</option>
            <option value="failed">"Failed"</option>
            <option value="skipped">"Skipped"</option>
        </select>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p class="muted">"No messages."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="client-messages" aria-label="Client messages">
                            {items.into_iter().map(|m| view! { <ClientMessageItem m with_client=true /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// On a store's settings page: send a test email or SMS.
#[component]
pub fn TestMessageForm(store_id: StoreId) -> impl IntoView {
    let channel = RwSignal::new("email".to_string());
    let recipient = RwSignal::new(String::new());
    let send = Action::new(move |(c, r): &(String, String)| {
        let (c, r) = (c.clone(), r.clone());
        async move { send_test_message(store_id, c, r).await }
    });
    let err = move |f: &'static str| Signal::derive(move || send.value().with(|v| super::field_error(v, f)));
    view! {
        <h2>"Test client messages"</h2>
        <form class="form inline-form" aria-label="Send a test message" on:submit=move |ev| {
            ev.prevent_default();
            send.dispatch((channel.get_untracked(), recipient.get_untracked()));
        }>
            <label for="test-channel">"Channel"</label>
            <select id="test-channel" on:change=move |ev| channel.set(event_target_value(&ev))>
                <option value="email">"Email"</option>
                <option value="sms">"SMS"</option>
            </select>
            <label for="test-recipient">"Send to"</label>
            <input id="test-recipient" prop:value=recipient on:input=move |ev| recipient.set(event_target_value(&ev)) />
            <FieldMessage id="test-recipient-error" message=err("recipient") />
            {move || matches!(send.value().get(), Some(Ok(()))).then(|| view! {
                <p class="ok-box" role="status">"Queued. Its outcome appears on the Client messages page."</p>
            })}
            <button type="submit" disabled=move || send.pending().get()>"Send test"</button>
        </form>
    }
}
