//! The bell: a live unread badge and a panel of notifications, newest first,
//! paged backwards. Opening an item marks it read everywhere. On a phone the
//! panel is a full-width sheet; Escape, a tap outside and the back gesture
//! close it, and focus goes into it and back to the bell. For a busy day it
//! filters (unread, one kind, the archive), archives, and folds the items
//! about one appointment into one entry (`rules::inbox`).

use super::relative_time;
use crate::api::{archive_notifications, mark_all_read, mark_read, notifications};
use crate::domain::ids::NotificationId;
use crate::live::Live;
use crate::model::NotificationView;
use crate::rules::inbox::{group, BellCategory, BellEntry, BellFilter};
use leptos::prelude::*;

#[component]
pub fn Bell() -> AnyView {
    let live = expect_context::<Live>();
    let open = RwSignal::new(false);
    let filter = RwSignal::new(BellFilter::default());
    // The archive is fetched when asked for; the live list never holds it.
    let archived = RwSignal::new(Vec::<NotificationView>::new());
    let next_before = RwSignal::new(None::<i64>);
    let loaded = RwSignal::new(false);
    let load = Action::new(move |(before, f): &(Option<i64>, BellFilter)| {
        let (before, f) = (*before, *f);
        async move { (f, notifications(before, Some(f)).await) }
    });
    Effect::new(move |_| {
        if let Some((f, Ok(page))) = load.value().get() {
            // An answer for a view since left is dropped.
            if f != filter.get_untracked() {
                return;
            }
            next_before.set(page.next_before);
            if f.archived {
                archived.update(|list| {
                    for n in page.items {
                        if !list.iter().any(|i| i.id == n.id) {
                            list.push(n);
                        }
                    }
                    list.sort_by_key(|n| std::cmp::Reverse(n.seq));
                });
            } else {
                live.merge(page.items);
            }
            loaded.set(true);
        }
    });
    let show = move |f: BellFilter| {
        if f == filter.get_untracked() {
            return;
        }
        filter.set(f);
        next_before.set(None);
        load.dispatch((None, f));
    };
    let entries = Memo::new(move |_| {
        let f = filter.get();
        let visible = |items: &Vec<NotificationView>| items.iter().filter(|n| f.matches(n)).cloned().collect::<Vec<_>>();
        let items = if f.archived {
            archived.with(visible)
        } else {
            live.items.with(visible)
        };
        group(&items)
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
            load.dispatch((None, filter.get_untracked()));
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
    let read_one = Action::new(move |ids: &Vec<NotificationId>| {
        let ids = ids.clone();
        async move { mark_read(ids).await }
    });
    let read_all = Action::new(|_: &()| mark_all_read());
    let archive = Action::new(move |ids: &Vec<NotificationId>| {
        let ids = ids.clone();
        async move { archive_notifications(ids).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(unread)) = archive.value().get() {
            live.unread.set(unread);
        }
    });
    let put_away = move |e: &BellEntry| {
        let ids = e.ids.clone();
        live.items.update(|items| items.retain(|i| !ids.contains(&i.id)));
        archive.dispatch(ids);
    };
    let filter_button = move |label: &'static str, f: BellFilter| {
        let pressed = move || {
            let now = filter.get();
            (now.unread_only == f.unread_only && now.archived == f.archived).to_string()
        };
        view! {
            <button type="button" class="chip" aria-pressed=pressed
                on:click=move |_| show(BellFilter { category: filter.get_untracked().category, ..f })>{label}</button>
        }
    };
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
                    <div class="bell-filters" role="group" aria-label="Show">
                        {filter_button("All", BellFilter::default())}
                        {filter_button("Unread", BellFilter { unread_only: true, ..Default::default() })}
                        {filter_button("Archived", BellFilter { archived: true, ..Default::default() })}
                        <label class="visually-hidden" for="bell-kind">"Kind"</label>
                        <select id="bell-kind" on:change=move |ev| {
                            let category = BellCategory::parse(&event_target_value(&ev));
                            show(BellFilter { category, ..filter.get_untracked() });
                        }>
                            <option value="">"All kinds"</option>
                            {BellCategory::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <Show when=move || loaded.get() && !load.pending().get() && entries.with(|e| e.is_empty())>
                        <p class="empty">{move || {
                            let f = filter.get();
                            if f.archived {
                                "No archived notifications."
                            } else if f.unread_only {
                                "Nothing unread."
                            } else if f.category.is_some() {
                                "Nothing of this kind."
                            } else {
                                "No notifications yet."
                            }
                        }}</p>
                    </Show>
                    <ul class="bell-list" aria-label="Notification list">
                        <For each=move || entries.get() key=|e| (e.latest.id, e.count, e.unread) let:e>
                            {
                                let ids = e.ids.clone();
                                let n = e.latest.clone();
                                let title = n.title.clone();
                                let entry = e.clone();
                                view! {
                                    <li class="bell-item" class:unread=e.unread>
                                        <a href=n.url.clone() on:click=move |_| {
                                            close(false);
                                            let unread: Vec<NotificationId> = live.items.with_untracked(|items| {
                                                items.iter().filter(|i| ids.contains(&i.id) && !i.read).map(|i| i.id).collect()
                                            });
                                            if !unread.is_empty() {
                                                live.mark_local_read(&unread);
                                                read_one.dispatch(unread);
                                            }
                                        }>
                                            <span class="bell-title">{n.title.clone()}</span>
                                            <span class="bell-body">{n.body.clone()}</span>
                                            <span class="bell-time">
                                                {relative_time(n.created_at)}
                                                {(e.count > 1).then(|| view! { <span class="bell-count">{format!(" · {} updates", e.count)}</span> })}
                                                {n.resolved.then(|| view! { <span class="resolved">" · resolved"</span> })}
                                            </span>
                                        </a>
                                        <div class="bell-item-foot">
                                            <details class="why">
                                                <summary>"Why am I seeing this?"</summary>
                                                <p>{n.reason.clone()}</p>
                                            </details>
                                            {(!n.archived).then(|| view! {
                                                <button type="button" class="link archive" aria-label=format!("Archive: {title}")
                                                    on:click=move |_| put_away(&entry)>"Archive"</button>
                                            })}
                                        </div>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                    <a class="bell-footer" href="/staff/diagnostics" on:click=move |_| close(false)>"Not getting notifications? Diagnostics"</a>
                    <Show when=move || next_before.get().is_some()>
                        <button class="link more" on:click=move |_| { load.dispatch((next_before.get_untracked(), filter.get_untracked())); }>"Show older"</button>
                    </Show>
                    <Show when=move || load.pending().get()><p class="muted">"Loading…"</p></Show>
                </div>
            </Show>
        </div>
    }
    .into_any()
}
