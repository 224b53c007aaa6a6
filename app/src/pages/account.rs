//! The signed-in person's account: their name, their password (which signs
//! their other sessions out), where they are signed in, and how they want to
//! be told (per topic, and quiet hours).

use super::{field_error, relative_time, ErrorBox, FieldMessage};
use crate::api::{account, change_password, end_session, save_my_name, save_preferences};
use crate::domain::preferences::{Delivery, Topic};
use crate::model::{AccountView, PreferencesForm, TopicPreference};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let page = Resource::new(move || version.get(), |_| account());
    view! {
        <Title text="Account · Frontdesk" />
        <h1>"Your account"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(a) => view! { <AccountForms a version /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountForms(a: AccountView, version: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(a.name.clone());
    let save_name = Action::new(|n: &String| {
        let n = n.clone();
        async move { save_my_name(n).await }
    });
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = Action::new(|(c, n): &(String, String)| {
        let (c, n) = (c.clone(), n.clone());
        async move { change_password(c, n).await }
    });
    let end = Action::new(|id: &i64| {
        let id = *id;
        async move { end_session(id).await }
    });
    Effect::new(move |_| {
        if matches!(change.value().get(), Some(Ok(()))) || matches!(end.value().get(), Some(Ok(()))) {
            current.set(String::new());
            new.set(String::new());
            version.update(|v| *v += 1);
        }
    });
    view! {
        <p class="muted">"Signed in as " {a.email.clone()}</p>
        <form class="form" aria-label="Your name" on:submit=move |ev| { ev.prevent_default(); save_name.dispatch(name.get_untracked()); }>
            <label for="account-name">"Name"</label>
            <input id="account-name" autocomplete="name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            <FieldMessage id="account-name-error" message=Signal::derive(move || save_name.value().with(|v| field_error(v, "name"))) />
            {move || matches!(save_name.value().get(), Some(Ok(()))).then(|| view! { <p class="saved" role="status">"Name saved."</p> })}
            <button type="submit" class="primary">"Save name"</button>
        </form>
        <h2>"Password"</h2>
        <form class="form" aria-label="Change password" on:submit=move |ev| {
            ev.prevent_default();
            change.dispatch((current.get_untracked(), new.get_untracked()));
        }>
            <label for="current-password">"Current password"</label>
            <input id="current-password" type="password" autocomplete="current-password" prop:value=current on:input=move |ev| current.set(event_target_value(&ev)) />
            <FieldMessage id="current-password-error" message=Signal::derive(move || change.value().with(|v| field_error(v, "current_password"))) />
            <label for="new-password">"New password (at least 10 characters)"</label>
            <input id="new-password" type="password" autocomplete="new-password" prop:value=new on:input=move |ev| new.set(event_target_value(&ev)) />
            <FieldMessage id="new-password-error" message=Signal::derive(move || change.value().with(|v| field_error(v, "new_password"))) />
            {move || matches!(change.value().get(), Some(Ok(()))).then(|| view! { <p class="saved" role="status">"Password changed. Your other sessions are signed out."</p> })}
            <button type="submit" class="primary">"Change password"</button>
        </form>
        <h2>"Where you are signed in"</h2>
        <ul class="sessions" aria-label="Sessions">
            {a.sessions.iter().map(|s| {
                let id = s.id;
                view! {
                    <li>"Signed in " {relative_time(s.signed_in_at)}
                        {if s.current {
                            view! { <span class="muted">" · this browser"</span> }.into_any()
                        } else {
                            view! { <button type="button" on:click=move |_| { end.dispatch(id); }>"Sign out"</button> }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
        <Preferences form=a.preferences.clone() />
    }
}

/// Account → Notifications: per topic, bell only or bell and push, and email;
/// quiet hours when pushes wait and arrive as one summary.
#[component]
fn Preferences(form: PreferencesForm) -> impl IntoView {
    let rows: Vec<(Topic, RwSignal<bool>, RwSignal<bool>)> = form
        .topics
        .iter()
        .map(|t| (t.topic, RwSignal::new(t.delivery.push), RwSignal::new(t.delivery.email)))
        .collect();
    let quiet_from = RwSignal::new(form.quiet_from.clone());
    let quiet_until = RwSignal::new(form.quiet_until.clone());
    let save = Action::new(|f: &PreferencesForm| {
        let f = f.clone();
        async move { save_preferences(f).await }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().with(|v| field_error(v, f)));
    let zone = form.time_zone.clone();
    let rows_for_submit = rows.clone();
    // Set once this form is live in the browser (effects run only there, after
    // it hydrated): until then a click on Save would post the form natively.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    view! {
        <h2>"Notifications"</h2>
        <p class="muted">"The bell always shows everything. Choose what else reaches you."</p>
        <form class="form preferences" aria-label="Notification preferences" data-live=move || live.get().then_some("true") on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(PreferencesForm {
                topics: rows_for_submit.iter().map(|(topic, push, email)| TopicPreference {
                    topic: *topic,
                    delivery: Delivery { push: push.get_untracked(), email: email.get_untracked() },
                }).collect(),
                quiet_from: quiet_from.get_untracked(),
                quiet_until: quiet_until.get_untracked(),
                time_zone: String::new(),
            });
        }>
            <table class="preference-table">
                <thead><tr><th scope="col">"About"</th><th scope="col">"Push to my devices"</th><th scope="col">"Email"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(topic, push, email)| {
                        let label = topic.label();
                        // `checked` for the page as the server sends it (before
                        // the WASM runs); `prop:checked` once it does.
                        let (push_at_first, email_at_first) = (push.get_untracked(), email.get_untracked());
                        view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td><input type="checkbox" aria-label=format!("Push: {label}") checked=push_at_first prop:checked=push on:change=move |ev| push.set(event_target_checked(&ev)) /></td>
                                <td><input type="checkbox" aria-label=format!("Email: {label}") checked=email_at_first prop:checked=email on:change=move |ev| email.set(event_target_checked(&ev)) /></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <fieldset>
                <legend>{format!("Quiet hours ({zone}): pushes wait and arrive as one summary")}</legend>
                <label for="quiet-from">"From"</label>
                <input id="quiet-from" type="time" value=form.quiet_from.clone() prop:value=quiet_from on:input=move |ev| quiet_from.set(event_target_value(&ev)) />
                <FieldMessage id="quiet-from-error" message=err("quiet_from") />
                <label for="quiet-until">"Until"</label>
                <input id="quiet-until" type="time" value=form.quiet_until.clone() prop:value=quiet_until on:input=move |ev| quiet_until.set(event_target_value(&ev)) />
                <FieldMessage id="quiet-until-error" message=err("quiet_until") />
                <p class="muted">"Weekdays without working hours and your time off are quiet too."</p>
            </fieldset>
            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <p class="saved" role="status">"Preferences saved."</p> })}
            <button type="submit" class="primary">"Save preferences"</button>
        </form>
    }
}
