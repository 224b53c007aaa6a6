//! Conversations with clients: the staff inbox and a thread with replies.

use super::{relative_time, ErrorBox, FieldMessage};
use crate::api::{conversations, mark_conversation_read, open_conversation, reply};
use crate::domain::ids::ConversationId;
use crate::live::Live;
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ConversationsPage() -> impl IntoView {
    let live = expect_context::<Live>();
    let list = Resource::new(move || live.changes.get(), |_| conversations());
    view! {
        <Title text="Messages · Frontdesk" />
        <h1>"Messages"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p class="empty">"No conversations yet. Clients write from their booking page."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="conversations" aria-label="Conversations">
                            {items.into_iter().map(|c| view! {
                                <li class="conversation-row" class:unread={ c.unread > 0 }>
                                    <a href=format!("/staff/conversations/{}", c.id)>
                                        <span class="client-name">{c.client_name}</span>
                                        <span class="preview">{c.preview}</span>
                                        <span class="muted">{relative_time(c.last_message_at)} " · " {c.associate_name.unwrap_or_else(|| "Nobody assigned".into())}
                                            {(c.unread > 0).then(|| format!(" · {} unread", c.unread))}</span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn ConversationPage() -> impl IntoView {
    let live = expect_context::<Live>();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse().ok()).unwrap_or(ConversationId(0)));
    let thread = Resource::new(move || (id(), live.changes.get()), |(id, _)| open_conversation(id));
    view! {
        <Title text="Conversation · Frontdesk" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(t) => view! { <Thread t /> }.into_any(),
                    Err(e) => view! { <h1>"Conversation"</h1> <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Thread(t: ConversationThread) -> AnyView {
    let id = t.summary.id;
    // Seen in the browser: read. (Effects run only after hydration, so a
    // page rendered for a GET alone marks nothing.)
    if t.summary.unread > 0 {
        let mark = Action::new(move |_: &()| mark_conversation_read(id));
        Effect::new(move |_| {
            mark.dispatch(());
        });
    }
    let messages = RwSignal::new(t.messages.clone());
    let body = RwSignal::new(String::new());
    let send = Action::new(move |b: &String| {
        let b = b.clone();
        async move { reply(id, b).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(t)) = send.value().get() {
            messages.set(t.messages);
            body.set(String::new());
        }
    });
    let error = Signal::derive(move || {
        send.value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
    });
    view! {
        <h1>"Conversation with " <a href=format!("/staff/clients/{}", t.client_id)>{t.summary.client_name.clone()}</a></h1>
        <p class="muted">{t.summary.store_name.clone()} " · " {t.summary.associate_name.clone().unwrap_or_else(|| "Nobody assigned".into())}</p>
        <ol class="thread" aria-label="Messages">
            <For each=move || messages.get() key=|m| m.id let:m>
                <li class="message" class:from-client=m.from_client>
                    <span class="author">{m.author.clone()}</span>
                    <p>{m.body.clone()}</p>
                    <span class="muted">{relative_time(m.at)}</span>
                </li>
            </For>
        </ol>
        <form class="form" on:submit=move |ev| { ev.prevent_default(); send.dispatch(body.get_untracked()); }>
            <label for="reply">"Reply"</label>
            <textarea id="reply" rows="3" maxlength="2000" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <FieldMessage id="reply-error" message=error />
            <button type="submit" class="primary" disabled=move || send.pending().get()>"Send reply"</button>
        </form>
    }
    .into_any()
}
