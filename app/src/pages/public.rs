//! Pages for visitors and clients: start page, sign-in, first setup, the
//! public booking form, and the booking tracking page.

use super::{ErrorBox, FieldMessage};
use crate::api::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Home() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_user());
    view! {
        <Title text="Frontdesk" />
        <main class="narrow home">
            <h1 class="brand">"Frontdesk"</h1>
            <p class="lede">"Appointments for stores with staff: clients book online, managers route each request, everyone is told at once."</p>
            <div class="cards">
                <a class="card" href="/book/downtown">
                    <h2>"Book an appointment"</h2>
                    <p>"At our Downtown store: pick a service and a time that suits you."</p>
                </a>
                <Suspense fallback=|| view! { <span class="card muted">"…"</span> }>
                    {move || Suspend::new(async move {
                        match me.await {
                            Ok(Some(me)) => view! {
                                <a class="card" href="/staff">
                                    <h2>"Staff dashboard"</h2>
                                    <p>"Signed in as " {me.name}</p>
                                </a>
                            }.into_any(),
                            _ => view! {
                                <a class="card" href="/login">
                                    <h2>"Staff sign in"</h2>
                                    <p>"Managers, associates and admins."</p>
                                </a>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let navigate = use_navigate();
    let submit = Action::new(move |(e, p): &(String, String)| {
        let (e, p) = (e.clone(), p.clone());
        async move { sign_in(e, p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = submit.value().get() {
            navigate("/staff", Default::default());
        }
    });
    let err = move |f: &'static str| Signal::derive(move || submit.value().with(|v| super::field_error(v, f)));
    let other_error = move || {
        submit.value().with(|v| match v {
            Some(Err(e)) if e.field_message("email").is_none() && e.field_message("password").is_none() => Some(e.to_string()),
            _ => None,
        })
    };
    view! {
        <Title text="Sign in · Frontdesk" />
        <main class="narrow">
            <h1>"Staff sign in"</h1>
            <form class="form" on:submit=move |ev| {
                ev.prevent_default();
                submit.dispatch((email.get_untracked(), password.get_untracked()));
            }>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required
                    aria-describedby="email-error"
                    prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                <FieldMessage id="email-error" message=err("email") />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    aria-describedby="password-error"
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                <FieldMessage id="password-error" message=err("password") />
                {move || other_error().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
                <button type="submit" class="primary" disabled=move || submit.pending().get()>"Sign in"</button>
            </form>
            <p><a href="/forgot">"Forgot your password?"</a></p>
            <DemoAccountList />
        </main>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let needed = Resource::new(|| (), |_| needs_setup());
    let fields: [(&'static str, &'static str, &'static str); 6] = [
        ("name", "Your name", "text"),
        ("email", "Your email", "email"),
        ("password", "Password (10 characters or more)", "password"),
        ("store_name", "Store name", "text"),
        ("store_slug", "Store address on the web (like downtown)", "text"),
        ("time_zone", "Store time zone (like Europe/London)", "text"),
    ];
    let values: Vec<RwSignal<String>> = fields.iter().map(|_| RwSignal::new(String::new())).collect();
    let v = values.clone();
    let submit = Action::new(move |_: &()| {
        let g = |i: usize| v[i].get_untracked();
        let args = (g(0), g(1), g(2), g(3), g(4), g(5));
        async move { setup_first_admin(args.0, args.1, args.2, args.3, args.4, args.5).await }
    });
    view! {
        <Title text="Set up · Frontdesk" />
        <main class="narrow">
            <h1>"Set up Frontdesk"</h1>
            <Suspense fallback=|| "…">
                {move || {
                    let values = values.clone();
                    Suspend::new(async move {
                        match needed.await {
                            Ok(false) => view! { <p>"Frontdesk is already set up. " <a href="/login">"Sign in"</a></p> }.into_any(),
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(true) => view! {
                                <Show when=move || matches!(submit.value().get(), Some(Ok(())))
                                    fallback=move || {
                                        let values = values.clone();
                                        view! {
                                            <form class="form" on:submit=move |ev| { ev.prevent_default(); submit.dispatch(()); }>
                                                {fields.into_iter().zip(values.iter().copied()).map(|((id, label, kind), sig)| {
                                                    let msg = Signal::derive(move || submit.value().with(|v| super::field_error(v, id)));
                                                    view! {
                                                        <label for=id>{label}</label>
                                                        <input id=id type=kind prop:value=sig on:input=move |ev| sig.set(event_target_value(&ev)) />
                                                        <FieldMessage id=id message=msg />
                                                    }
                                                }).collect_view()}
                                                <button type="submit" class="primary">"Create the first admin"</button>
                                            </form>
                                        }
                                    }>
                                    <p>"Done. " <a href="/login">"Sign in"</a></p>
                                </Show>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </main>
    }
}

/// In demo mode only: who one can sign in as.
#[component]
fn DemoAccountList() -> impl IntoView {
    let demo = Resource::new(|| (), |_| crate::api::demo_accounts());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match demo.await {
                    Ok(Some(d)) => view! {
                        <section class="panel demo-accounts" aria-label="Demo accounts">
                            <p>"This is a demo. Sign in as any of these with the password " <code>{d.password}</code> ":"</p>
                            <ul>
                                {d.accounts.into_iter().map(|a| view! {
                                    <li><code>{a.email}</code> " — " {a.name} " (" {a.role.map(|r| r.as_str()).unwrap_or("admin")} ")"</li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}
