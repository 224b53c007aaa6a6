//! Pages for visitors and clients: start page, sign-in, first setup, the
//! public booking form, and the booking tracking page.

use super::{ErrorBox, FieldMessage};
use crate::api::*;
use crate::domain::appointment::AppointmentStatus;
use crate::domain::ids::{ServiceId, StaffId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::i18n::Language;
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

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

#[component]
pub fn BookingPage() -> impl IntoView {
    let params = use_params_map();
    let store = move || params.with(|p| p.get("store").unwrap_or_default());
    let info = Resource::new(store, booking_page);
    view! {
        <Title text="Book an appointment · Frontdesk" />
        <main class="narrow">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <BookingForm info /> }.into_any(),
                        Err(e) => view! { <h1>"Booking"</h1> <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

fn parse_id<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.parse().ok()
}

#[component]
fn BookingForm(info: BookingPageInfo) -> impl IntoView {
    let store = info.store_slug.clone();
    let service = RwSignal::new(info.services.first().map(|s| s.id).unwrap_or_default());
    let associate = RwSignal::new(None::<StaffId>);
    let date = RwSignal::new(info.first_open_day.clone().unwrap_or_default());
    let slot = RwSignal::new(None::<UnixTime>);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let mobile = RwSignal::new(String::new());
    let language = RwSignal::new(Language::fallback().code().to_string());
    let notes = RwSignal::new(String::new());
    let remind_email = RwSignal::new(true);
    let remind_sms = RwSignal::new(false);
    let booked = RwSignal::new(0u32);
    // People coming along: each row's name and email.
    let guests = RwSignal::new(Vec::<(RwSignal<String>, RwSignal<String>)>::new());
    let notify_guests = RwSignal::new(true);

    let slot_store = store.clone();
    let slots = Resource::new(
        move || (service.get(), date.get(), associate.get(), booked.get()),
        move |(service, date, associate, _)| {
            let store = slot_store.clone();
            async move {
                if date.is_empty() || service == ServiceId::default() {
                    return Ok(vec![]);
                }
                available_slots(store, service, date, associate).await
            }
        },
    );
    let submit = Action::new(move |req: &BookingRequest| {
        let req = req.clone();
        async move { book(req).await }
    });
    Effect::new(move |_| {
        if let Some(Err(AppError::SlotTaken)) = submit.value().get() {
            slot.set(None);
            booked.update(|b| *b += 1);
        }
    });
    let err = move |f: &'static str| Signal::derive(move || submit.value().with(|v| super::field_error(v, f)));
    let general_error = move || {
        submit.value().with(|v| match v {
            Some(Err(e @ (AppError::Invalid { .. } | AppError::SlotTaken))) => Some(e.to_string()),
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(BookingRequest {
            store: store.clone(),
            service_id: service.get_untracked(),
            starts_at: slot.get_untracked().unwrap_or_default(),
            associate_id: associate.get_untracked(),
            name: name.get_untracked(),
            email: email.get_untracked(),
            mobile: mobile.get_untracked(),
            language: language.get_untracked(),
            notes: notes.get_untracked(),
            remind_by_email: remind_email.get_untracked(),
            remind_by_sms: remind_sms.get_untracked(),
            attendees: guests
                .get_untracked()
                .iter()
                .map(|(n, e)| crate::model::AttendeeInput {
                    name: n.get_untracked(),
                    email: e.get_untracked(),
                })
                .collect(),
            notify_attendees: notify_guests.get_untracked(),
        });
    };
    let services = info.services.clone();
    let associates = info.associates.clone();
    let invalid = move |f: &'static str| move || err(f).get().is_some();

    view! {
        <Show
            when=move || matches!(submit.value().get(), Some(Ok(_)))
            fallback=move || {
                let services = services.clone();
                let associates = associates.clone();
                view! {
                <h1>"Book at " {info.store_name.clone()}</h1>
                <p class="muted">{info.address.clone()} " · times are in " {info.time_zone.clone()}</p>
                <form class="form booking" on:submit=on_submit.clone() novalidate>
                    <label for="service">"Service"</label>
                    <select id="service" aria-describedby="service-error" on:change=move |ev| { service.set(parse_id(&event_target_value(&ev)).unwrap_or_default()); slot.set(None); }>
                        {services.iter().map(|s| {
                            let id = s.id;
                            let s = s.clone();
                            // In the language the client picked, as their messages will be.
                            let label = move || s.label_in(Language::parse(&language.get()).unwrap_or_else(|_| Language::fallback()));
                            view! { <option value=id.to_string() selected=move || service.get() == id>{label}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage id="service-error" message=err("service") />

                    <label for="associate">"Associate"</label>
                    <select id="associate" aria-describedby="associate-error" on:change=move |ev| { associate.set(parse_id(&event_target_value(&ev))); slot.set(None); }>
                        <option value="">"Any available associate"</option>
                        {associates.iter().map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> }).collect_view()}
                    </select>
                    <FieldMessage id="associate-error" message=err("associate") />

                    <label for="date">"Date"</label>
                    <input id="date" type="date" prop:value=date aria-describedby="date-error"
                        on:input=move |ev| { date.set(event_target_value(&ev)); slot.set(None); } />
                    <FieldMessage id="date-error" message=err("date") />

                    <fieldset class="slots" aria-describedby="slot-error">
                        <legend>"Time"</legend>
                        <Transition fallback=|| view! { <p class="muted">"Finding free times…"</p> }>
                            {move || Suspend::new(async move {
                                match slots.await {
                                    Ok(list) if list.is_empty() => view! { <p class="muted">"No free times on this day. Please try another date."</p> }.into_any(),
                                    Ok(list) => view! {
                                        <div class="slot-grid" role="radiogroup" aria-label="Available times">
                                            {list.into_iter().map(|s| {
                                                let t = s.starts_at;
                                                view! {
                                                    <label class="slot" class:chosen=move || slot.get() == Some(t)>
                                                        <input type="radio" name="slot" value=t.to_string()
                                                            prop:checked=move || slot.get() == Some(t)
                                                            on:change=move |_| slot.set(Some(t)) />
                                                        {s.label}
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </div>
                                    }.into_any(),
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                }
                            })}
                        </Transition>
                    </fieldset>
                    <FieldMessage id="slot-error" message=err("slot") />

                    <label for="name">"Your name"</label>
                    <input id="name" autocomplete="name" maxlength="100" aria-describedby="name-error" aria-invalid=invalid("name")
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                    <FieldMessage id="name-error" message=err("name") />

                    <label for="email">"Email"</label>
                    <input id="email" type="email" autocomplete="email" aria-describedby="email-error" aria-invalid=invalid("email")
                        prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                    <FieldMessage id="email-error" message=err("email") />

                    <label for="mobile">"Mobile"</label>
                    <input id="mobile" type="tel" autocomplete="tel" placeholder="+44 7700 900123" aria-describedby="mobile-error" aria-invalid=invalid("mobile")
                        prop:value=mobile on:input=move |ev| mobile.set(event_target_value(&ev)) />
                    <FieldMessage id="mobile-error" message=err("mobile") />

                    <label for="language">"Language"</label>
                    <select id="language" on:change=move |ev| language.set(event_target_value(&ev))>
                        {Language::all().into_iter().map(|l| view! { <option value=l.code()>{l.name()}</option> }).collect_view()}
                    </select>
                    <FieldMessage id="language-error" message=err("language") />

                    <fieldset class="checks">
                        <legend>"Reminders"</legend>
                        <label><input type="checkbox" prop:checked=remind_email on:change=move |ev| remind_email.set(event_target_checked(&ev)) />"Remind me by email"</label>
                        <label><input type="checkbox" prop:checked=remind_sms on:change=move |ev| remind_sms.set(event_target_checked(&ev)) />"Remind me by text message"</label>
                    </fieldset>

                    <fieldset class="guests" aria-describedby="attendees-error">
                        <legend>"Bringing someone? (optional)"</legend>
                        {move || guests.get().into_iter().enumerate().map(|(i, (n, e))| view! {
                            <div class="guest">
                                <label for=format!("guest-{i}-name")>{format!("Person {} name", i + 1)}</label>
                                <input id=format!("guest-{i}-name") maxlength="100" prop:value=n on:input=move |ev| n.set(event_target_value(&ev)) />
                                <label for=format!("guest-{i}-email")>{format!("Person {} email", i + 1)}</label>
                                <input id=format!("guest-{i}-email") type="email" prop:value=e on:input=move |ev| e.set(event_target_value(&ev)) />
                                <button type="button" class="link" on:click=move |_| guests.update(|g| { g.remove(i); })>"Remove"</button>
                            </div>
                        }).collect_view()}
                        <FieldMessage id="attendees-error" message=Signal::derive(move || {
                            submit.value().with(|v| match v {
                                Some(Err(e @ AppError::Invalid { .. })) => e.field_message_prefixed("attendees"),
                                _ => None,
                            })
                        }) />
                        <button type="button" disabled=move || guests.with(|g| g.len() >= 5)
                            on:click=move |_| guests.update(|g| g.push((RwSignal::new(String::new()), RwSignal::new(String::new()))))>
                            "Add a person"
                        </button>
                        <Show when=move || guests.with(|g| !g.is_empty())>
                            <label><input type="checkbox" prop:checked=notify_guests on:change=move |ev| notify_guests.set(event_target_checked(&ev)) />"Send them the booking's updates too"</label>
                        </Show>
                    </fieldset>

                    <label for="notes">"Notes for the store (optional)"</label>
                    <textarea id="notes" rows="3" maxlength="2000" aria-describedby="notes-error"
                        prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                    <FieldMessage id="notes-error" message=err("notes") />

                    {move || general_error().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
                    <button type="submit" class="primary" disabled=move || submit.pending().get()>"Request appointment"</button>
                </form>
            }}
        >
            {move || submit.value().get().and_then(|r| r.ok()).map(|c| view! { <Confirmation c /> })}
        </Show>
    }
}

#[component]
fn Confirmation(c: BookingConfirmation) -> impl IntoView {
    let pending = c.status == AppointmentStatus::PendingStaffApproval;
    view! {
        <section class="confirmation" aria-labelledby="confirmation-title">
            <h1 id="confirmation-title">{if pending { "Request received" } else { "Appointment confirmed" }}</h1>
            <p>{c.service.clone()} " at " {c.store_name.clone()} " on " <strong>{c.when.clone()}</strong></p>
            <p>{if pending { "The store will confirm your appointment shortly." } else { "We look forward to seeing you." }}</p>
            <p>"Keep this link to view your booking at any time:"</p>
            <p><a class="tracking-link" href=c.tracking_path.clone()>"View your booking"</a></p>
        </section>
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
