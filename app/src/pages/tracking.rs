//! The client's tracking page, `/t/:token`, in the client's language
//! (`?lang=fr` overrides). `?action=modify|cancel|confirm` opens that flow
//! (for buttons in messages) but never acts by itself: mail scanners open
//! links, so every action waits for the client's own click.

use super::{ErrorBox, FieldMessage};
use crate::api::{send_message, tracking, tracking_cancel, tracking_confirm, tracking_modify, tracking_times};
use crate::domain::appointment::AppointmentStatus;
use crate::domain::time::UnixTime;
use crate::model::{Slot, TrackingView};
use crate::rules::client::ClientAction;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Every string on the page, per language.
struct Texts {
    title: &'static str,
    loading: &'static str,
    status: &'static str,
    service: &'static str,
    when: &'static str,
    with: &'static str,
    to_be_confirmed: &'static str,
    r#where: &'static str,
    name: &'static str,
    awaiting_store: &'static str,
    confirmed: &'static str,
    awaiting_you: &'static str,
    cancelled: &'static str,
    completed: &'static str,
    missed: &'static str,
    proposal: &'static str,
    was: &'static str,
    reason: &'static str,
    add_to_calendar: &'static str,
    confirm: &'static str,
    modify: &'static str,
    cancel: &'static str,
    confirm_question: &'static str,
    confirm_button: &'static str,
    confirmed_ok: &'static str,
    modify_intro: &'static str,
    date: &'static str,
    no_times: &'static str,
    move_button: &'static str,
    moved_ok: &'static str,
    cancel_question: &'static str,
    cancel_reason: &'static str,
    cancel_button: &'static str,
    cancelled_ok: &'static str,
    keep: &'static str,
    message_title: &'static str,
    message_label: &'static str,
    message_send: &'static str,
    message_sent: &'static str,
    book_again: &'static str,
}

const EN: Texts = Texts {
    title: "Your booking",
    loading: "Loading…",
    status: "Status",
    service: "Service",
    when: "When",
    with: "With",
    to_be_confirmed: "To be confirmed",
    r#where: "Where",
    name: "Name",
    awaiting_store: "Awaiting the store's confirmation",
    confirmed: "Confirmed",
    awaiting_you: "Awaiting your confirmation",
    cancelled: "Cancelled",
    completed: "Completed",
    missed: "Missed",
    proposal: "The store has changed your booking. Please confirm the new time, or pick another one.",
    was: "Previously",
    reason: "Reason",
    add_to_calendar: "Add to calendar",
    confirm: "Confirm the change",
    modify: "Change date or time",
    cancel: "Cancel booking",
    confirm_question: "Confirm the booking as shown above?",
    confirm_button: "Yes, confirm",
    confirmed_ok: "Thank you, your booking is confirmed.",
    modify_intro: "Pick a new date and time.",
    date: "Date",
    no_times: "No free times on this day. Please try another date.",
    move_button: "Move my booking",
    moved_ok: "Your booking has been moved.",
    cancel_question: "Cancel this booking?",
    cancel_reason: "Reason (optional)",
    cancel_button: "Cancel my booking",
    cancelled_ok: "Your booking is cancelled.",
    keep: "Keep my booking",
    message_title: "Message the store",
    message_label: "Your message",
    message_send: "Send message",
    message_sent: "Sent. The store will reply soon.",
    book_again: "Book again",
};

const FR: Texts = Texts {
    title: "Votre rendez-vous",
    loading: "Chargement…",
    status: "Statut",
    service: "Prestation",
    when: "Quand",
    with: "Avec",
    to_be_confirmed: "À confirmer",
    r#where: "Où",
    name: "Nom",
    awaiting_store: "En attente de confirmation par le magasin",
    confirmed: "Confirmé",
    awaiting_you: "En attente de votre confirmation",
    cancelled: "Annulé",
    completed: "Terminé",
    missed: "Manqué",
    proposal: "Le magasin a modifié votre rendez-vous. Merci de confirmer le nouvel horaire, ou d'en choisir un autre.",
    was: "Auparavant",
    reason: "Motif",
    add_to_calendar: "Ajouter à l'agenda",
    confirm: "Confirmer la modification",
    modify: "Changer la date ou l'heure",
    cancel: "Annuler le rendez-vous",
    confirm_question: "Confirmer le rendez-vous tel qu'indiqué ci-dessus ?",
    confirm_button: "Oui, je confirme",
    confirmed_ok: "Merci, votre rendez-vous est confirmé.",
    modify_intro: "Choisissez une nouvelle date et une nouvelle heure.",
    date: "Date",
    no_times: "Aucun créneau libre ce jour-là. Essayez une autre date.",
    move_button: "Déplacer mon rendez-vous",
    moved_ok: "Votre rendez-vous a été déplacé.",
    cancel_question: "Annuler ce rendez-vous ?",
    cancel_reason: "Motif (facultatif)",
    cancel_button: "Annuler mon rendez-vous",
    cancelled_ok: "Votre rendez-vous est annulé.",
    keep: "Garder mon rendez-vous",
    message_title: "Écrire au magasin",
    message_label: "Votre message",
    message_send: "Envoyer",
    message_sent: "Envoyé. Le magasin vous répondra bientôt.",
    book_again: "Reprendre rendez-vous",
};

fn texts(lang: &str) -> &'static Texts {
    if lang == "fr" {
        &FR
    } else {
        &EN
    }
}

fn status_text(t: &TrackingView, x: &Texts) -> &'static str {
    if t.completed {
        return x.completed;
    }
    if t.no_show {
        return x.missed;
    }
    match t.status {
        AppointmentStatus::PendingStaffApproval => x.awaiting_store,
        AppointmentStatus::Approved => x.confirmed,
        AppointmentStatus::PendingClientApproval => x.awaiting_you,
        AppointmentStatus::Cancelled => x.cancelled,
    }
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
    let done = RwSignal::new(None::<&'static str>);
    // Bumped after each action so the booking is read again.
    let changed = RwSignal::new(0u32);
    let view_ = Resource::new(move || (token(), lang(), changed.get()), |(token, lang, _)| tracking(token, lang));
    view! {
        <Title text="Your booking · Frontdesk" />
        <main class="narrow tracking">
            <Transition fallback=|| view! { <p class="muted">{EN.loading}</p> }>
                {move || Suspend::new(async move {
                    match view_.await {
                        Ok(t) => view! { <Booking t token=token() asked=asked.get_untracked() done changed /> }.into_any(),
                        Err(e) => view! { <h1>{texts(&lang().unwrap_or_default()).title}</h1> <ErrorBox error=e /> }.into_any(),
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
    done: RwSignal<Option<&'static str>>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let x = texts(&t.lang);
    let offered = |a: ClientAction| match a {
        ClientAction::Modify => t.can_modify,
        ClientAction::Cancel => t.can_cancel,
        ClientAction::Confirm => t.can_confirm,
    };
    // A link asking for an action the rules no longer allow says why.
    let refusal = asked
        .filter(|a| !offered(*a) && done.get_untracked().is_none())
        .and_then(|a| match a {
            ClientAction::Modify => t.modify_refusal.clone(),
            ClientAction::Cancel => t.cancel_refusal.clone(),
            ClientAction::Confirm => t.confirm_refusal.clone(),
        });
    let open = RwSignal::new(asked.filter(|a| offered(*a) && done.get_untracked().is_none()));
    let after = move |message: &'static str| {
        done.set(Some(message));
        open.set(None);
        changed.update(|n| *n += 1);
    };
    let proposal = (t.status == AppointmentStatus::PendingClientApproval).then(|| {
        view! {
            <p class="notice" role="status">{x.proposal}</p>
            {t.previous_when.clone().map(|w| view! { <p class="muted">{x.was} ": " <s>{w}</s></p> })}
        }
    });
    let ics = format!("/t/{token}/calendar.ics");
    let booking_again = format!("/book/{}", t.store_slug);
    let closed = t.status == AppointmentStatus::Cancelled || t.completed || t.no_show;
    let lang = t.lang.clone();
    view! {
        <h1>{x.title}</h1>
        {move || done.get().map(|m| view! { <p class="ok-box" role="status">{m}</p> })}
        {refusal.map(|r| view! { <p class="error-box" role="alert">{r}</p> })}
        {proposal}
        <dl class="facts">
            <dt>{x.status}</dt><dd class="status">{status_text(&t, x)}</dd>
            <dt>{x.service}</dt><dd>{t.service.clone()}</dd>
            <dt>{x.when}</dt><dd class="when">{t.when.clone()}</dd>
            <dt>{x.with}</dt><dd>{t.associate_name.clone().unwrap_or_else(|| x.to_be_confirmed.into())}</dd>
            <dt>{x.r#where}</dt><dd>{t.store_name.clone()} <br /> {t.address.clone()}</dd>
            <dt>{x.name}</dt><dd>{t.client_name.clone()}</dd>
            {(!t.cancel_reason.is_empty() && t.status == AppointmentStatus::Cancelled)
                .then(|| view! { <dt>{x.reason}</dt><dd>{t.cancel_reason.clone()}</dd> })}
        </dl>
        <p class="actions">
            {(!closed).then(|| view! { <a class="button" href=ics download="booking.ics" rel="external">{x.add_to_calendar}</a> })}
            {closed.then(|| view! { <a class="button" href=booking_again.clone()>{x.book_again}</a> })}
            {t.can_confirm.then(|| view! {
                <button type="button" class="primary" on:click=move |_| open.set(Some(ClientAction::Confirm))>{x.confirm}</button>
            })}
            {t.can_modify.then(|| view! {
                <button type="button" on:click=move |_| open.set(Some(ClientAction::Modify))>{x.modify}</button>
            })}
            {t.can_cancel.then(|| view! {
                <button type="button" class="danger" on:click=move |_| open.set(Some(ClientAction::Cancel))>{x.cancel}</button>
            })}
        </p>
        {
            let (token, lang, local_date) = (token.clone(), lang.clone(), t.local_date.clone());
            move || match open.get() {
                Some(ClientAction::Confirm) => view! { <ConfirmFlow token=token.clone() lang=lang.clone() x after /> }.into_any(),
                Some(ClientAction::Cancel) => view! { <CancelFlow token=token.clone() lang=lang.clone() x open after /> }.into_any(),
                Some(ClientAction::Modify) => {
                    view! { <ModifyFlow token=token.clone() lang=lang.clone() date=local_date.clone() x open after /> }.into_any()
                }
                None => ().into_any(),
            }
        }
        <MessageTheStore token x />
    }
}

#[component]
fn ConfirmFlow(
    token: String,
    lang: String,
    x: &'static Texts,
    after: impl Fn(&'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let confirm = Action::new(move |_: &()| {
        let (token, lang) = (token.clone(), lang.clone());
        async move { tracking_confirm(token, Some(lang)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = confirm.value().get() {
            after(x.confirmed_ok);
        }
    });
    let error = Signal::derive(move || {
        confirm
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
    });
    view! {
        <section class="panel flow" aria-label=x.confirm>
            <p>{x.confirm_question}</p>
            <FieldMessage id="confirm-error" message=error />
            <button type="button" class="primary" disabled=move || confirm.pending().get() on:click=move |_| { confirm.dispatch(()); }>
                {x.confirm_button}
            </button>
        </section>
    }
}

#[component]
fn CancelFlow(
    token: String,
    lang: String,
    x: &'static Texts,
    open: RwSignal<Option<ClientAction>>,
    after: impl Fn(&'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let cancel = Action::new(move |r: &String| {
        let (token, lang, r) = (token.clone(), lang.clone(), r.clone());
        async move { tracking_cancel(token, r, Some(lang)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = cancel.value().get() {
            after(x.cancelled_ok);
        }
    });
    let error = Signal::derive(move || {
        cancel
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
    });
    view! {
        <form class="panel flow form" aria-label=x.cancel on:submit=move |ev| { ev.prevent_default(); cancel.dispatch(reason.get_untracked()); }>
            <p>{x.cancel_question}</p>
            <label for="cancel-reason">{x.cancel_reason}</label>
            <textarea id="cancel-reason" rows="2" maxlength="500" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            <FieldMessage id="cancel-error" message=error />
            <p class="actions">
                <button type="submit" class="danger" disabled=move || cancel.pending().get()>{x.cancel_button}</button>
                <button type="button" on:click=move |_| open.set(None)>{x.keep}</button>
            </p>
        </form>
    }
}

#[component]
fn ModifyFlow(
    token: String,
    lang: String,
    date: String,
    x: &'static Texts,
    open: RwSignal<Option<ClientAction>>,
    after: impl Fn(&'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
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
        let (token, lang, starts_at) = (token.clone(), lang.clone(), *starts_at);
        async move { tracking_modify(token, starts_at, Some(lang)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = modify.value().get() {
            after(x.moved_ok);
        }
    });
    let error = Signal::derive(move || {
        modify
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
    });
    view! {
        <form class="panel flow form" aria-label=x.modify on:submit=move |ev| {
            ev.prevent_default();
            if let Some(s) = chosen.get_untracked() { modify.dispatch(s); }
        }>
            <p>{x.modify_intro}</p>
            <label for="new-date">{x.date}</label>
            <input id="new-date" type="date" prop:value=date on:change=move |ev| date.set(event_target_value(&ev)) />
            <div class="slot-grid" role="radiogroup" aria-label=x.when>
                {move || {
                    let list = slots.get();
                    if list.is_empty() && loaded.get() {
                        return view! { <p class="muted">{x.no_times}</p> }.into_any();
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
                <button type="submit" class="primary" disabled=move || chosen.get().is_none() || modify.pending().get()>{x.move_button}</button>
                <button type="button" on:click=move |_| open.set(None)>{x.keep}</button>
            </p>
        </form>
    }
}

#[component]
fn MessageTheStore(token: String, x: &'static Texts) -> impl IntoView {
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
        <h2>{x.message_title}</h2>
        <form class="form" on:submit=move |ev| { ev.prevent_default(); send.dispatch(body.get_untracked()); }>
            <label for="message">{x.message_label}</label>
            <textarea id="message" rows="3" maxlength="2000" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <FieldMessage id="message-error" message=error />
            {move || matches!(send.value().get(), Some(Ok(()))).then(|| view! { <p class="ok-box" role="status">{x.message_sent}</p> })}
            <button type="submit" class="primary" disabled=move || send.pending().get()>{x.message_send}</button>
        </form>
    }
}
