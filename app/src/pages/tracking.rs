//! The client's tracking page, `/t/:token`, in the client's language
//! (`?lang=fr` overrides). `?action=modify|cancel|confirm` opens that flow
//! (for buttons in messages) but never acts by itself: mail scanners open
//! links, so every action waits for the client's own click.
//!
//! An attendee's own link opens the same page without the client's actions
//! or the message form: they see the booking and may drop out.

use super::{ErrorBox, FieldMessage};
use crate::api::{send_message, tracking, tracking_cancel, tracking_confirm, tracking_leave, tracking_modify, tracking_times};
use crate::domain::appointment::AppointmentStatus;
use crate::domain::time::UnixTime;
use crate::i18n::Language;
use crate::i18n::{text, tr, Args};
use crate::model::{Slot, TrackingView};
use crate::rules::client::ClientAction;
use leptos::prelude::*;
use leptos_meta::{Html, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The page's language: the one the server chose for this booking.
fn language(code: &str) -> Language {
    Language::parse(code).unwrap_or_else(|_| Language::fallback())
}

fn status_text(t: &TrackingView, lang: Language) -> String {
    let key = if t.held_until.is_some() {
        "tracking-status-awaiting-deposit"
    } else if t.completed {
        "tracking-status-completed"
    } else if t.no_show {
        "tracking-status-missed"
    } else {
        match t.status {
            AppointmentStatus::PendingStaffApproval => "tracking-status-awaiting-store",
            AppointmentStatus::Approved => "tracking-status-confirmed",
            AppointmentStatus::PendingClientApproval => "tracking-status-awaiting-you",
            AppointmentStatus::Cancelled => "tracking-status-cancelled",
        }
    };
    text(lang, key)
}

#[component]
pub fn TrackingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let lang = move || query.with(|q| q.get("lang"));
    // Held here, not in the booking view: an action reloads the booking and
    // re-creates that view, and the outcome message must survive it while
    // the link's action must not open again.
    let asked = RwSignal::new(query.with_untracked(|q| q.get("action")).as_deref().and_then(ClientAction::parse));
    // `?done=cancelled|confirmed`: where a form posted without the WASM lands (see `server::forms`).
    let done = RwSignal::new(None::<String>);
    let done_key = query.with_untracked(|q| q.get("done")).and_then(|d| match d.as_str() {
        "cancelled" => Some("tracking-cancelled-ok"),
        "confirmed" => Some("tracking-confirmed-ok"),
        _ => None,
    });
    // `?booked=1`: the client has just booked; the page is their confirmation.
    let just_booked = query.with_untracked(|q| q.get("booked")).is_some();
    // `?paid=1`: back from the payment page (the provider confirms it to the store a moment later).
    let just_paid = query.with_untracked(|q| q.get("paid")).is_some();
    // Bumped after each action so the booking is read again.
    let changed = RwSignal::new(0u32);
    let view_ = Resource::new(move || (token(), lang(), changed.get()), |(token, lang, _)| tracking(token, lang));
    view! {
        <main class="narrow tracking">
            <Transition fallback=|| view! { <p class="muted">{text(Language::fallback(), "tracking-loading")}</p> }>
                {move || Suspend::new(async move {
                    match view_.await {
                        Ok(t) => {
                            let l = language(&t.lang);
                            if let Some(key) = done_key {
                                if done.get_untracked().is_none() {
                                    done.set(Some(text(l, key)));
                                }
                            }
                            view! {
                                <Html {..} lang=l.code() />
                                <Title text=format!("{} · {}", text(l, "tracking-title"), t.store_name) />
                                <Booking t token=token() asked=asked.get_untracked() done changed just_booked just_paid />
                            }
                            .into_any()
                        }
                        Err(e) => {
                            let l = language(&lang().unwrap_or_default());
                            view! {
                                <Html {..} lang=l.code() />
                                <Title text=text(l, "tracking-title") />
                                <h1>{text(l, "tracking-title")}</h1>
                                <ErrorBox error=e />
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn Booking(
    t: TrackingView,
    token: String,
    asked: Option<ClientAction>,
    done: RwSignal<Option<String>>,
    changed: RwSignal<u32>,
    just_booked: bool,
    just_paid: bool,
) -> impl IntoView {
    let lang = language(&t.lang);
    let x = move |key: &str| text(lang, key);
    let offered = |a: ClientAction| match a {
        ClientAction::Modify => t.can_modify,
        ClientAction::Cancel => t.can_cancel,
        ClientAction::Confirm => t.can_confirm,
    };
    // A link asking for an action the rules no longer allow says why.
    let refusal = asked
        .filter(|a| !offered(*a) && done.with_untracked(Option::is_none))
        .and_then(|a| match a {
            ClientAction::Modify => t.modify_refusal.clone(),
            ClientAction::Cancel => t.cancel_refusal.clone(),
            ClientAction::Confirm => t.confirm_refusal.clone(),
        });
    let open = RwSignal::new(asked.filter(|a| offered(*a) && done.with_untracked(Option::is_none)));
    let after = move |message: String| {
        done.set(Some(message));
        open.set(None);
        changed.update(|n| *n += 1);
    };
    let proposal = (t.status == AppointmentStatus::PendingClientApproval).then(|| {
        view! {
            <p class="notice" role="status">{x("tracking-proposal")}</p>
            {t.previous_when.clone().map(|w| view! { <p class="muted">{x("tracking-was")} " " <s>{w}</s></p> })}
        }
    });
    let ics = format!("/t/{token}/calendar.ics");
    let booking_again = format!("/book/{}", t.store_slug);
    let closed = t.status == AppointmentStatus::Cancelled || t.completed || t.no_show;
    let pending = t.status == AppointmentStatus::PendingStaffApproval;
    // Held for its deposit: what is left to do, and the way to do it.
    let held = t.held_until.clone().filter(|_| !just_paid).map(|until| {
        let open = t.payments.iter().find(|p| p.pay_url.is_some());
        let amount = open.map(|p| p.amount.clone()).unwrap_or_default();
        let args = Args::new().with("until", until.as_str()).with("amount", amount.as_str());
        let pay = open.and_then(|p| p.pay_url.clone()).map(|url| {
            let label = tr(lang, "tracking-pay", &Args::new().with("amount", amount.as_str()));
            view! { <a class="button primary" href=url rel="external">{label}</a> }
        });
        view! { <div class="notice" role="status"><p>{tr(lang, "tracking-held", &args)}</p>{pay}</div> }
    });
    let confirmation = (just_booked && t.guest.is_none() && !closed).then(|| {
        let link = t.link.clone();
        let (title, text_key) = if t.held_until.is_some() {
            ("tracking-booked-held", "tracking-booked-held-text")
        } else if pending {
            ("tracking-booked-pending", "tracking-booked-pending-text")
        } else {
            ("tracking-booked-confirmed", "tracking-booked-confirmed-text")
        };
        view! {
            <section class="confirmation" aria-labelledby="confirmation-title">
                <h1 id="confirmation-title">{x(title)}</h1>
                <p>{x(text_key)}</p>
                <p>{x("tracking-keep-link")}</p>
                <p class="tracking-url"><a href=link.clone()>{link.clone()}</a></p>
                <super::CopyText text=link label=x("copy-link") copied=x("copied") refused=x("copy-refused") />
            </section>
        }
    });
    let heading = (confirmation.is_none()).then(|| view! { <h1>{x("tracking-title")}</h1> });
    // Each action is a link (`?action=…`) that opens its flow: followed
    // without the WASM it draws the page with the flow open; with it, the
    // flow opens in place.
    let action_link = move |a: ClientAction| {
        let mut href = format!("?lang={}&action={}", lang.code(), a.as_str());
        if just_booked {
            href.push_str("&booked=1");
        }
        href
    };
    view! {
        {confirmation}
        {heading}
        {move || done.get().map(|m| view! { <p class="ok-box" role="status">{m}</p> })}
        {refusal.map(|r| view! { <p class="error-box" role="alert">{r}</p> })}
        {just_paid.then(|| view! { <p class="ok-box" role="status">{x("tracking-paid-thanks")}</p> })}
        {held}
        {proposal}
        <dl class="facts">
            <dt>{x("tracking-status")}</dt><dd class="status">{status_text(&t, lang)}</dd>
            <dt>{x("tracking-service")}</dt><dd>{t.service.clone()}</dd>
            <dt>{x("tracking-when")}</dt><dd class="when">{t.when.clone()}</dd>
            <dt>{x("tracking-with")}</dt><dd>{t.associate_name.clone().unwrap_or_else(|| x("tracking-to-be-confirmed"))}</dd>
            {match t.video_url.clone() {
                Some(url) => view! {
                    <dt>{x("tracking-where")}</dt>
                    <dd><a class="button primary video-link" href=url rel="external noopener">{x("tracking-join-video")}</a></dd>
                }.into_any(),
                None => view! { <dt>{x("tracking-where")}</dt><dd>{t.store_name.clone()} <br /> {t.address.clone()}</dd> }.into_any(),
            }}
            {match &t.guest {
                None => view! { <dt>{x("tracking-name")}</dt><dd>{t.client_name.clone()}</dd> }.into_any(),
                Some(g) => view! {
                    <dt>{x("tracking-name")}</dt><dd>{g.name.clone()}</dd>
                    <dt>{x("tracking-booked-by")}</dt><dd>{t.client_name.clone()}</dd>
                }
                .into_any(),
            }}
            {(!t.cancel_reason.is_empty() && t.status == AppointmentStatus::Cancelled)
                .then(|| view! { <dt>{x("tracking-reason")}</dt><dd>{t.cancel_reason.clone()}</dd> })}
        </dl>
        {(!t.payments.is_empty()).then(|| view! {
            <section class="client-payments" aria-labelledby="payments-title">
                <h2 id="payments-title">{x("tracking-payments")}</h2>
                <ul>
                    {t.payments.iter().map(|p| {
                        let amount = Args::new().with("amount", p.amount.as_str());
                        view! {
                            <li>
                                {match &p.pay_url {
                                    Some(url) => view! { <a class="button primary" href=url.clone() rel="external">{tr(lang, "tracking-pay", &amount)}</a> }.into_any(),
                                    None => view! { <span class="paid">{tr(lang, "tracking-paid", &amount)}</span> }.into_any(),
                                }}
                                {(!p.note.is_empty()).then(|| view! { " " <span class="muted">{p.note.clone()}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <p class="actions">
            {(!closed).then(|| view! { <a class="button" href=ics download="booking.ics" rel="external">{x("tracking-add-to-calendar")}</a> })}
            {closed.then(|| view! { <a class="button" href=booking_again.clone()>{x("tracking-book-again")}</a> })}
            {t.can_confirm.then(|| view! {
                <a class="button primary" role="button" href=action_link(ClientAction::Confirm)
                    on:click=move |ev| { ev.prevent_default(); open.set(Some(ClientAction::Confirm)); }>{x("tracking-confirm")}</a>
            })}
            {t.can_modify.then(|| view! {
                <a class="button" role="button" href=action_link(ClientAction::Modify)
                    on:click=move |ev| { ev.prevent_default(); open.set(Some(ClientAction::Modify)); }>{x("tracking-modify")}</a>
            })}
            {t.can_cancel.then(|| view! {
                <a class="button danger" role="button" href=action_link(ClientAction::Cancel)
                    on:click=move |ev| { ev.prevent_default(); open.set(Some(ClientAction::Cancel)); }>{x("tracking-cancel")}</a>
            })}
        </p>
        {
            let (token, local_date) = (token.clone(), t.local_date.clone());
            move || match open.get() {
                Some(ClientAction::Confirm) => view! { <ConfirmFlow token=token.clone() lang after /> }.into_any(),
                Some(ClientAction::Cancel) => view! { <CancelFlow token=token.clone() lang open after /> }.into_any(),
                Some(ClientAction::Modify) => {
                    view! { <ModifyFlow token=token.clone() lang date=local_date.clone() open after /> }.into_any()
                }
                None => ().into_any(),
            }
        }
        {match t.guest.clone() {
            None => view! { <MessageTheStore token lang /> }.into_any(),
            Some(g) if g.left => view! { <p class="notice" role="status">{x("tracking-left")}</p> }.into_any(),
            Some(_) if closed => ().into_any(),
            Some(_) => view! { <LeaveFlow token lang changed /> }.into_any(),
        }}
    }
}

/// An attendee drops out: asked once, then told it is done (the page reloads
/// the booking, which then says they have left).
#[component]
fn LeaveFlow(token: String, lang: Language, changed: RwSignal<u32>) -> impl IntoView {
    let x = move |key: &str| text(lang, key);
    let asking = RwSignal::new(false);
    let leave = Action::new(move |_: &()| {
        let token = token.clone();
        async move { tracking_leave(token).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = leave.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    let error = Signal::derive(move || {
        leave
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
    });
    view! {
        {move || (!asking.get()).then(|| view! {
            <p class="actions"><button type="button" class="danger" on:click=move |_| asking.set(true)>{x("tracking-leave")}</button></p>
        })}
        {move || asking.get().then(|| view! {
            <section class="panel flow" aria-label=x("tracking-leave")>
                <p>{x("tracking-leave-question")}</p>
                <FieldMessage id="leave-error" message=error />
                <p class="actions">
                    <button type="button" class="danger" disabled=move || leave.pending().get() on:click=move |_| { leave.dispatch(()); }>
                        {x("tracking-leave-button")}
                    </button>
                    <button type="button" on:click=move |_| asking.set(false)>{x("tracking-keep-coming")}</button>
                </p>
            </section>
        })}
    }
}

#[component]
fn ConfirmFlow(token: String, lang: Language, after: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let x = move |key: &str| text(lang, key);
    let action = format!("/t/{token}/confirm");
    let confirm = Action::new(move |_: &()| {
        let token = token.clone();
        async move { tracking_confirm(token, Some(lang.code().to_string())).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = confirm.value().get() {
            after(x("tracking-confirmed-ok"));
        }
    });
    let error = Signal::derive(move || {
        confirm
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
    });
    view! {
        <form class="panel flow" aria-label=x("tracking-confirm") method="post" action=action
            on:submit=move |ev| { ev.prevent_default(); confirm.dispatch(()); }>
            <input type="hidden" name="lang" value=lang.code() />
            <p>{x("tracking-confirm-question")}</p>
            <FieldMessage id="confirm-error" message=error />
            <button type="submit" class="primary" disabled=move || confirm.pending().get()>
                {x("tracking-confirm-button")}
            </button>
        </form>
    }
}

#[component]
fn CancelFlow(
    token: String,
    lang: Language,
    open: RwSignal<Option<ClientAction>>,
    after: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let x = move |key: &str| text(lang, key);
    let action = format!("/t/{token}/cancel");
    let reason = RwSignal::new(String::new());
    let cancel = Action::new(move |r: &String| {
        let (token, r) = (token.clone(), r.clone());
        async move { tracking_cancel(token, r, Some(lang.code().to_string())).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = cancel.value().get() {
            after(x("tracking-cancelled-ok"));
        }
    });
    let error = Signal::derive(move || {
        cancel
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
    });
    view! {
        <form class="panel flow form" aria-label=x("tracking-cancel") method="post" action=action
            on:submit=move |ev| { ev.prevent_default(); cancel.dispatch(reason.get_untracked()); }>
            <input type="hidden" name="lang" value=lang.code() />
            <p>{x("tracking-cancel-question")}</p>
            <label for="cancel-reason">{x("tracking-cancel-reason")}</label>
            <textarea id="cancel-reason" name="reason" rows="2" maxlength="500" on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            <FieldMessage id="cancel-error" message=error />
            <p class="actions">
                <button type="submit" class="danger" disabled=move || cancel.pending().get()>{x("tracking-cancel-button")}</button>
                <button type="button" on:click=move |_| open.set(None)>{x("tracking-keep")}</button>
            </p>
        </form>
    }
}

#[component]
fn ModifyFlow(
    token: String,
    lang: Language,
    date: String,
    open: RwSignal<Option<ClientAction>>,
    after: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let x = move |key: &str| text(lang, key);
    let date = RwSignal::new(date);
    let chosen = RwSignal::new(None::<UnixTime>);
    let slots = RwSignal::new(Vec::<Slot>::new());
    let loaded = RwSignal::new(false);
    // Filled from the browser only (see `manage::free_times`): a resource read
    // inside the streamed page would never resolve on the server.
    let latest = StoredValue::new(0u64);
    let slots_token = token.clone();
    Effect::new(move |_| {
        let (token, d) = (slots_token.clone(), date.get());
        latest.update_value(|n| *n += 1);
        let ticket = latest.get_value();
        chosen.set(None);
        leptos::task::spawn_local(async move {
            let list = tracking_times(token, d).await.unwrap_or_default();
            if latest.get_value() == ticket {
                slots.set(list);
                loaded.set(true);
            }
        });
    });
    let modify = Action::new(move |starts_at: &UnixTime| {
        let (token, starts_at) = (token.clone(), *starts_at);
        async move { tracking_modify(token, starts_at, Some(lang.code().to_string())).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = modify.value().get() {
            after(x("tracking-moved-ok"));
        }
    });
    let error = Signal::derive(move || {
        modify
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
    });
    view! {
        <form class="panel flow form" aria-label=x("tracking-modify") on:submit=move |ev| {
            ev.prevent_default();
            if let Some(s) = chosen.get_untracked() { modify.dispatch(s); }
        }>
            <p>{x("tracking-modify-intro")}</p>
            <label for="new-date">{x("tracking-date")}</label>
            <input id="new-date" type="date" prop:value=date on:change=move |ev| date.set(event_target_value(&ev)) />
            <div class="slot-grid" role="radiogroup" aria-label=x("tracking-when")>
                {move || {
                    let list = slots.get();
                    if list.is_empty() && loaded.get() {
                        return view! { <p class="muted">{x("tracking-no-times")}</p> }.into_any();
                    }
                    list.into_iter()
                        .map(|s| {
                            let t = s.starts_at;
                            view! {
                                <button type="button" class="slot" class:chosen=move || chosen.get() == Some(t) role="radio"
                                    aria-checked=move || if chosen.get() == Some(t) { "true" } else { "false" }
                                    on:click=move |_| chosen.set(Some(t))>{s.label}</button>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </div>
            <FieldMessage id="modify-error" message=error />
            <p class="actions">
                <button type="submit" class="primary" disabled=move || chosen.get().is_none() || modify.pending().get()>{x("tracking-move-button")}</button>
                <button type="button" on:click=move |_| open.set(None)>{x("tracking-keep")}</button>
            </p>
        </form>
    }
}

#[component]
fn MessageTheStore(token: String, lang: Language) -> impl IntoView {
    let x = move |key: &str| text(lang, key);
    let body = RwSignal::new(String::new());
    let send = Action::new(move |b: &String| {
        let (token, b) = (token.clone(), b.clone());
        async move { send_message(token, b).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = send.value().get() {
            body.set(String::new());
        }
    });
    let error = Signal::derive(move || {
        send.value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
    });
    view! {
        <h2>{x("tracking-message-title")}</h2>
        <form class="form" on:submit=move |ev| { ev.prevent_default(); send.dispatch(body.get_untracked()); }>
            <label for="message">{x("tracking-message-label")}</label>
            <textarea id="message" rows="3" maxlength="2000" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <FieldMessage id="message-error" message=error />
            {move || matches!(send.value().get(), Some(Ok(()))).then(|| view! { <p class="ok-box" role="status">{x("tracking-message-sent")}</p> })}
            <button type="submit" class="primary" disabled=move || send.pending().get()>{x("tracking-message-send")}</button>
        </form>
    }
}
