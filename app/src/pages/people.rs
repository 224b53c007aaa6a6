//! Setup → Staff (invite, roles, admins, deactivate) and the public page an
//! invitation link opens.

use super::{field_error, other_error, ErrorBox, FieldMessage};
use crate::api::*;
use crate::domain::ids::{StaffId, StoreId};
use crate::domain::staff::StoreRole;
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn PeoplePage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    // Outside the list, which reloads after each change: what the last invitation did.
    let invited = RwSignal::new(None::<Invited>);
    let page = Resource::new(move || version.get(), |_| people());
    view! {
        <Title text="Staff · Frontdesk" />
        <h1>"Staff"</h1>
        {move || invited.get().map(|i| match i.link {
            None => view! { <p class="saved" role="status">"Invitation sent."</p> }.into_any(),
            Some(link) => view! { <p class="saved" role="status">"No email could be sent. Give them this link yourself: " <code>{link}</code></p> }.into_any(),
        })}
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <PeopleView p version invited /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "expires in 7 days", "expires today".
fn expires_in(at: crate::domain::time::UnixTime) -> String {
    match (at - super::now()).0 / 86_400 {
        d if d <= 0 => "expires today".into(),
        1 => "expires tomorrow".into(),
        d => format!("expires in {d} days"),
    }
}

fn roles_text(roles: &[StoreRoleView]) -> String {
    roles
        .iter()
        .map(|r| format!("{} ({})", r.store_name, r.role.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn PeopleView(p: PeopleView, version: RwSignal<u32>, invited: RwSignal<Option<Invited>>) -> impl IntoView {
    let bump = move || version.update(|v| *v += 1);
    let revoke = Action::new(|id: &i64| {
        let id = *id;
        async move { revoke_invitation(id).await }
    });
    let resend = Action::new(|id: &i64| {
        let id = *id;
        async move { resend_invitation(id).await }
    });
    let remove = Action::new(|id: &StaffId| {
        let id = *id;
        async move { deactivate(id).await }
    });
    let role = Action::new(|(staff, store, role): &(StaffId, StoreId, Option<String>)| {
        let (staff, store, role) = (*staff, *store, role.clone());
        async move { set_store_role(staff, store, role).await }
    });
    let admin = Action::new(|(staff, on): &(StaffId, bool)| {
        let (staff, on) = (*staff, *on);
        async move { set_admin(staff, on).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(i)) = resend.value().get() {
            invited.set(Some(i));
        }
    });
    Effect::new(move |_| {
        let ok = matches!(revoke.value().get(), Some(Ok(_)))
            || matches!(resend.value().get(), Some(Ok(_)))
            || matches!(remove.value().get(), Some(Ok(_)))
            || matches!(role.value().get(), Some(Ok(_)))
            || matches!(admin.value().get(), Some(Ok(_)));
        if ok {
            bump();
        }
    });
    let error = move || {
        [remove.value().get(), role.value().get(), admin.value().get(), revoke.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
            .or_else(|| resend.value().get().and_then(|r| r.err()))
    };
    let viewer_admin = p.viewer_is_admin;
    let stores = p.stores.clone();
    view! {
        <InviteForm stores=p.stores.clone() admin=viewer_admin version invited />
        {move || error().map(|e| view! { <ErrorBox error=e /> })}
        <h2>"Invitations"</h2>
        {if p.invitations.is_empty() {
            view! { <p class="empty">"No open invitations."</p> }.into_any()
        } else {
            view! {
                <ul class="invitations" aria-label="Open invitations">
                    {p.invitations.iter().map(|i| {
                        let id = i.id;
                        view! {
                            <li>{i.email.clone()} " · " {if i.is_admin { "admin".to_string() } else { roles_text(&i.roles) }}
                                " · " {expires_in(i.expires_at)}
                                <button type="button" on:click=move |_| { resend.dispatch(id); }>"Resend"</button>
                                <button type="button" on:click=move |_| { revoke.dispatch(id); }>"Revoke"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"People"</h2>
        <ul class="people" aria-label="People">
            {p.people.iter().map(|person| {
                let pid = person.id;
                let is_admin = person.is_admin;
                let label = format!("{} ({})", person.name, person.email);
                let stores = stores.clone();
                view! {
                    <li class="person">
                        <span class="person-name">{label.clone()}</span>
                        {is_admin.then(|| view! { <span class="badge">"admin"</span> })}
                        <span class="muted">{roles_text(&person.roles)}</span>
                        <span class="muted person-devices">{match (person.devices, person.last_push_at) {
                            (0, _) => "No device gets notifications".to_string(),
                            (n, Some(t)) => format!("{n} device{} · last push delivered {}", if n == 1 { "" } else { "s" }, super::relative_time(t)),
                            (n, None) => format!("{n} device{} · no push delivered yet", if n == 1 { "" } else { "s" }),
                        }}</span>
                        <div class="person-actions">
                            {stores.into_iter().map(|s| {
                                let current = person.roles.iter().find(|r| r.store_id == s.id).map(|r| r.role);
                                let select_id = format!("role-{pid}-{}", s.id);
                                let sid = s.id;
                                view! {
                                    <label for=select_id.clone()>{format!("Role at {}", s.name)}</label>
                                    <select id=select_id on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        role.dispatch((pid, sid, (!v.is_empty()).then_some(v)));
                                    }>
                                        <option value="" selected=current.is_none()>"—"</option>
                                        <option value="associate" selected=current == Some(StoreRole::Associate)>"associate"</option>
                                        <option value="manager" selected=current == Some(StoreRole::Manager)>"manager"</option>
                                    </select>
                                }
                            }).collect_view()}
                            {viewer_admin.then(|| view! {
                                <button type="button" on:click=move |_| { admin.dispatch((pid, !is_admin)); }>
                                    {if is_admin { "Remove admin" } else { "Make admin" }}</button>
                            })}
                            <button type="button" class="danger" aria-label=format!("Deactivate {label}") on:click=move |_| { remove.dispatch(pid); }>"Deactivate"</button>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn InviteForm(stores: Vec<StoreChoice>, admin: bool, version: RwSignal<u32>, invited: RwSignal<Option<Invited>>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let store = RwSignal::new(stores.first().map(|s| s.id));
    let role = RwSignal::new("associate".to_string());
    let as_admin = RwSignal::new(false);
    let send = Action::new(|f: &InviteForm| {
        let f = f.clone();
        async move { invite(f).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(i)) = send.value().get() {
            email.set(String::new());
            invited.set(Some(i));
            version.update(|v| *v += 1);
        }
    });
    view! {
        <details class="panel" open>
            <summary>"Invite someone"</summary>
            <form class="form inline-form" aria-label="Invite someone" on:submit=move |ev| {
                ev.prevent_default();
                let roles = match (store.get_untracked(), StoreRole::parse(&role.get_untracked())) {
                    (Some(s), Some(r)) => vec![(s, r)],
                    _ => vec![],
                };
                send.dispatch(InviteForm { email: email.get_untracked(), is_admin: as_admin.get_untracked(), roles });
            }>
                <label for="invite-email">"Their email"</label>
                <input id="invite-email" type="email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                <FieldMessage id="invite-email-error" message=Signal::derive(move || send.value().with(|v| field_error(v, "email"))) />
                <label for="invite-store">"Store"</label>
                <select id="invite-store" on:change=move |ev| store.set(event_target_value(&ev).parse().ok())>
                    {stores.iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                </select>
                <label for="invite-role">"Role"</label>
                <select id="invite-role" on:change=move |ev| role.set(event_target_value(&ev))>
                    <option value="associate">"associate"</option>
                    <option value="manager">"manager"</option>
                </select>
                {admin.then(|| view! {
                    <label class="check"><input type="checkbox" prop:checked=as_admin on:change=move |ev| as_admin.set(event_target_checked(&ev)) />"Also an admin (every store)"</label>
                })}
                {move || send.value().with(|v| other_error(v, &["email"])).map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
                <button type="submit" class="primary">"Send invitation"</button>
            </form>
        </details>
    }
}

/// The page an invitation link opens: set a name and password, and you are in.
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let info = Resource::new(token, invitation);
    view! {
        <Title text="Join Frontdesk" />
        <main class="narrow">
            <h1>"Join Frontdesk"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(i) => view! { <AcceptForm i token=token() /> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn AcceptForm(i: InvitationInfo, token: String) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let accept = Action::new(|(t, n, p): &(String, String, String)| {
        let (t, n, p) = (t.clone(), n.clone(), p.clone());
        async move { accept_invitation(t, n, p).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(accept.value().get(), Some(Ok(_))) {
            navigate("/staff", Default::default());
        }
    });
    let err = move |f: &'static str| Signal::derive(move || accept.value().with(|v| field_error(v, f)));
    let token = StoredValue::new(token);
    view! {
        <p>"You are invited as " <strong>{i.email.clone()}</strong>
            {(!i.stores.is_empty()).then(|| format!(" to {}", i.stores.join(", ")))} "."</p>
        <form class="form" on:submit=move |ev| {
            ev.prevent_default();
            accept.dispatch((token.get_value(), name.get_untracked(), password.get_untracked()));
        }>
            <label for="join-name">"Your name"</label>
            <input id="join-name" autocomplete="name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            <FieldMessage id="join-name-error" message=err("name") />
            <label for="join-password">"Choose a password (at least 10 characters)"</label>
            <input id="join-password" type="password" autocomplete="new-password" prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
            <FieldMessage id="join-password-error" message=err("password") />
            {move || accept.value().with(|v| other_error(v, &["name", "password"])).map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
            <button type="submit" class="primary">"Join"</button>
        </form>
    }
}

/// "Forgot your password?": one answer whatever the email.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let send = Action::new(|e: &String| {
        let e = e.clone();
        async move { request_password_reset(e).await }
    });
    view! {
        <Title text="Forgot password · Frontdesk" />
        <main class="narrow">
            <h1>"Forgot your password?"</h1>
            <form class="form" on:submit=move |ev| { ev.prevent_default(); send.dispatch(email.get_untracked()); }>
                <label for="forgot-email">"Email"</label>
                <input id="forgot-email" type="email" autocomplete="username" prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                <FieldMessage id="forgot-email-error" message=Signal::derive(move || send.value().with(|v| field_error(v, "email"))) />
                {move || matches!(send.value().get(), Some(Ok(()))).then(|| view! {
                    <p class="saved" role="status">"If an account has this email, a link to choose a new password is on its way. It works once, for an hour."</p>
                })}
                <button type="submit" class="primary">"Send me a link"</button>
            </form>
            <p><a href="/login">"Back to sign in"</a></p>
        </main>
    }
}

/// The page a reset link opens.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let open = Resource::new(token, password_reset_link);
    let password = RwSignal::new(String::new());
    let reset = Action::new(|(t, p): &(String, String)| {
        let (t, p) = (t.clone(), p.clone());
        async move { reset_password(t, p).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(reset.value().get(), Some(Ok(_))) {
            navigate("/staff", Default::default());
        }
    });
    view! {
        <Title text="New password · Frontdesk" />
        <main class="narrow">
            <h1>"Choose a new password"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match open.await {
                        Ok(()) => view! {
                            <form class="form" on:submit=move |ev| { ev.prevent_default(); reset.dispatch((token(), password.get_untracked())); }>
                                <label for="reset-password">"New password (at least 10 characters)"</label>
                                <input id="reset-password" type="password" autocomplete="new-password" prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                                <FieldMessage id="reset-password-error" message=Signal::derive(move || reset.value().with(|v| field_error(v, "password"))) />
                                {move || reset.value().with(|v| other_error(v, &["password"])).map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
                                <button type="submit" class="primary">"Save and sign in"</button>
                            </form>
                        }.into_any(),
                        Err(e) => view! { <ErrorBox error=e /> <p><a href="/forgot">"Ask for a new link"</a></p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
