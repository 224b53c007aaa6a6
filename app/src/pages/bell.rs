//! The bell: a live unread badge and a panel of notifications, newest first,
//! paged backwards. Opening an item marks it read everywhere. On a phone the
//! panel is a full-width sheet; Escape, a tap outside and the back gesture
//! close it, and focus goes into it and back to the bell.

use super::relative_time;
use crate::api::{mark_all_read, mark_read, notifications};
use crate::domain::ids::NotificationId;
use crate::live::Live;
use leptos::prelude::*;

#[component]
pub fn Bell() -> AnyView {
    let live = expect_context::<Live>();
    let open = RwSignal::new(false);
    let next_before = RwSignal::new(None::<i64>);
    let loaded = RwSignal::new(false);
    let load = Action::new(move |before: &Option<i64>| {
        let before = *before;
        async move { notifications(before).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load.value().get() {
            next_before.set(page.next_before);
            live.merge(page.items);
            loaded.set(true);
        }
    });
    let button = NodeRef::<leptos::html::Button>::new();
    let panel = NodeRef::<leptos::html::Div>::new();
    // Whether opening added a history entry that closing must take back.
    let history_marker = RwSignal::new(false);
    // `back`: close by going back in history (Escape, outside, the bell);
    // a followed link or the back gesture itself leave history alone.
    let close = move |back: bool| {
        if !open.get_untracked() {
            return;
        }
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
        if history_marker.get_untracked() {
            history_marker.set(false);
            #[cfg(feature = "hydrate")]
            if back {
                crate::js::history_back();
            }
        }
        let _ = back;
    };
    let toggle = move |_| {
        if open.get_untracked() {
            close(true);
            return;
        }
        open.set(true);
        #[cfg(feature = "hydrate")]
        {
            crate::js::push_history_marker();
            history_marker.set(true);
        }
        if !loaded.get_untracked() {
            load.dispatch(None);
        }
    };
    // Focus moves into the sheet when it appears.
    Effect::new(move |_| {
        if let Some(p) = panel.get() {
            let _ = p.focus();
        }
    });
    #[cfg(feature = "hydrate")]
    {
        let keys = window_event_listener(leptos::ev::keydown, move |e| {
            if e.key() == "Escape" {
                close(true);
            }
        });
        let back = window_event_listener(leptos::ev::popstate, move |_| {
            // The back gesture already removed the entry.
            history_marker.set(false);
            close(false);
        });
        on_cleanup(move || {
            keys.remove();
            back.remove();
        });
    }
    let read_one = Action::new(move |id: &NotificationId| {
        let id = *id;
        async move { mark_read(vec![id]).await }
    });
    let read_all = Action::new(|_: &()| mark_all_read());
    view! {
        <div class="bell">
            <button class="bell-button" node_ref=button aria-haspopup="dialog" aria-expanded=move || open.get().to_string()
                aria-label=move || format!("Notifications, {} unread", live.unread.get()) on:click=toggle>
                <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
                    <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
                </svg>
                <Show when=move || { live.unread.get() > 0 }>
                    <span class="badge" data-testid="bell-badge" aria-hidden="true">{move || {
                        let n = live.unread.get();
                        if n > 99 { "99+".to_string() } else { n.to_string() }
                    }}</span>
                </Show>
            </button>
            <Show when=move || open.get()>
                // A tap outside the sheet lands here and closes it.
                <div class="bell-backdrop" on:click=move |_| close(true)></div>
                <div class="bell-panel" role="dialog" aria-label="Notifications" tabindex="-1" node_ref=panel>
                    <div class="bell-head">
                        <h2>"Notifications"</h2>
                        <button class="link" disabled=move || live.unread.get() == 0 on:click=move |_| {
                            live.items.update(|items| items.iter_mut().for_each(|i| i.read = true));
                            read_all.dispatch(());
                        }>"Mark all read"</button>
                        <button class="link close" aria-label="Close notifications" on:click=move |_| close(true)>"Close"</button>
                    </div>
                    <Show when=move || loaded.get() && live.items.with(|i| i.is_empty())>
                        <p class="empty">"No notifications yet."</p>
                    </Show>
                    <ul class="bell-list" aria-label="Notification list">
                        <For each=move || live.items.get() key=|n| (n.id, n.read) let:n>
                            {
                                let id = n.id;
                                view! {
                                    <li class="bell-item" class:unread=!n.read>
                                        <a href=n.url.clone() on:click=move |_| {
                                            close(false);
                                            live.mark_local_read(&[id]);
                                            read_one.dispatch(id);
                                        }>
                                            <span class="bell-title">{n.title.clone()}</span>
                                            <span class="bell-body">{n.body.clone()}</span>
                                            <span class="bell-time">
                                                {relative_time(n.created_at)}
                                                {n.resolved.then(|| view! { <span class="resolved">" · resolved"</span> })}
                                            </span>
                                        </a>
                                        <details class="why">
                                            <summary>"Why am I seeing this?"</summary>
                                            <p>{n.reason.clone()}</p>
                                        </details>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                    <a class="bell-footer" href="/staff/diagnostics" on:click=move |_| close(false)>"Not getting notifications? Diagnostics"</a>
                    <Show when=move || next_before.get().is_some()>
                        <button class="link more" on:click=move |_| { load.dispatch(next_before.get_untracked()); }>"Show older"</button>
                    </Show>
                    <Show when=move || load.pending().get()><p class="muted">"Loading…"</p></Show>
                </div>
            </Show>
        </div>
    }
    .into_any()
}
