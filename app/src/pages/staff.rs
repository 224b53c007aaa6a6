//! The staff area: header with the bell, home list, assignment queue,
//! appointment page. Lists refetch when the live channel says something changed.

use super::bell::Bell;
use super::{relative_time, ErrorBox};
use crate::api::*;
use crate::domain::appointment::{AppointmentStatus, Presence, Source};
use crate::domain::ids::{AppointmentId, StaffId};
use crate::domain::staff::StoreRole;
use crate::error::AppError;
use crate::live::Live;
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[component]
pub fn StaffLayout() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| view! { <p class="muted page-loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! { <StaffShell me /> }.into_any(),
                    Ok(None) | Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <main class="narrow"><ErrorBox error=e /></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffShell(me: Me) -> AnyView {
    let live = Live::new(me.unread, me.last_seq);
    provide_context(live);
    provide_context(me.clone());
    #[cfg(feature = "hydrate")]
    {
        crate::live::start(live);
        // The service worker shows pushes when the app is closed; registering it asks nothing of the user.
        leptos::task::spawn_local(crate::js::register_service_worker());
        // The installed app's icon shows the unread count, where the platform supports it.
        Effect::new(move |_| crate::js::set_app_badge(live.unread.get()));
    }
    let navigate = use_navigate();
    let sign_out_action = Action::new(|_: &()| sign_out());
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out_action.value().get() {
            navigate("/login", Default::default());
        }
    });
    let can_assign = me.can_assign();
    // An associate's own hours and time off, at the first store they work in as one.
    let my_hours = me
        .stores
        .iter()
        .find(|s| s.role == StoreRole::Associate)
        .map(|s| format!("/staff/stores/{}/schedule/{}", s.id, me.id));
    // The main menu: links in the bar on a desk, a drop-down list on a phone.
    let menu_open = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let keys = window_event_listener(leptos::ev::keydown, move |e| {
            if e.key() == "Escape" {
                menu_open.set(false);
            }
        });
        on_cleanup(move || keys.remove());
    }
    view! {
        <header class="topbar">
            <a class="brand" href="/staff">"Frontdesk"</a>
            <nav id="main-nav" aria-label="Main" class:open=move || menu_open.get() on:click=move |_| menu_open.set(false)>
                <A href="/staff" exact=true>"Appointments"</A>
                <A href="/staff/calendar">"Calendar"</A>
                {can_assign.then(|| view! { <A href="/staff/queue">"Assignment queue"</A> })}
                <A href="/staff/clients">"Clients"</A>
                <A href="/staff/conversations">"Messages"</A>
                <A href="/staff/client-messages">"Client messages"</A>
                {can_assign.then(|| view! { <A href="/staff/stores">"Setup"</A> })}
                {my_hours.clone().map(|href| view! { <A href=href>"My hours"</A> })}
                <A href="/staff/account">"Account"</A>
                {me.is_admin.then(|| view! { <A href="/staff/integrations">"Integrations"</A> })}
                <div class="nav-account">
                    <span class="who">{me.name.clone()}</span>
                    <button class="link" on:click=move |_| { sign_out_action.dispatch(()); }>"Sign out"</button>
                </div>
            </nav>
            <div class="topbar-right">
                <span class="live-dot" role="status" class:on=move || live.connected.get()
                    aria-label=move || if live.connected.get() { "Live updates on" } else { "Reconnecting" }
                    title=move || if live.connected.get() { "Live updates on" } else { "Reconnecting…" }></span>
                <Bell />
                <button class="menu-button" aria-controls="main-nav" aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|o| *o = !*o)>
                    <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
                        <path fill="currentColor" d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" />
                    </svg>
                    <span class="visually-hidden">"Menu"</span>
                </button>
            </div>
        </header>
        <main class="staff-main">
            <Outlet />
        </main>
    }
    .into_any()
}

#[component]
pub fn StaffHome() -> impl IntoView {
    let live = expect_context::<Live>();
    let me = expect_context::<Me>();
    let query = use_query_map();
    // The search lives in the address (a plain GET form), so it works before
    // hydration, survives a reload and can be shared.
    let search = Memo::new(move |_| {
        query.with(|q| AppointmentQuery {
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            associate_id: q.get("associate").and_then(|a| a.parse().ok()),
            status: q.get("status").unwrap_or_default(),
            client: q.get("client").unwrap_or_default(),
        })
    });
    let list = Resource::new(move || (live.changes.get(), search.get()), |(_, q)| find_appointments(q));
    let can_assign = me.can_assign();
    view! {
        <Title text="Appointments · Frontdesk" />
        <h1>{if can_assign { "Appointments" } else { "My appointments" }}</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let q = search.get_untracked();
                let result = list.await;
                let associates = result.as_ref().map(|r| r.associates.clone()).unwrap_or_default();
                let field = |f: &'static str| result.as_ref().err().and_then(|e| e.field_message(f));
                let narrowed = !q.is_empty();
                view! {
                    <form class="filters" method="get" action="/staff" aria-label="Find appointments">
                        <div>
                            <label for="find-from">"From"</label>
                            <input id="find-from" name="from" type="date" value=q.from.clone() aria-invalid=field("from").is_some().to_string() />
                        </div>
                        <div>
                            <label for="find-to">"To"</label>
                            <input id="find-to" name="to" type="date" value=q.to.clone() aria-invalid=field("to").is_some().to_string() />
                        </div>
                        {(!associates.is_empty()).then(|| view! {
                            <div>
                                <label for="find-associate">"With"</label>
                                <select id="find-associate" name="associate">
                                    <option value="">"Anyone"</option>
                                    {associates.iter().map(|a| view! {
                                        <option value=a.id.to_string() selected=q.associate_id == Some(a.id)>{a.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        })}
                        <div>
                            <label for="find-status">"Status"</label>
                            <select id="find-status" name="status">
                                <option value="">"Any status"</option>
                                {AppointmentStatus::ALL.into_iter().map(|st| view! {
                                    <option value=st.as_str() selected=q.status == st.as_str()>{st.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="find-client">"Client"</label>
                            <input id="find-client" name="client" type="search" placeholder="Name, email or mobile" maxlength="100" value=q.client.clone() />
                        </div>
                        <div class="filter-actions">
                            <button type="submit">"Find"</button>
                            {narrowed.then(|| view! { <a class="button" href="/staff">"Clear"</a> })}
                        </div>
                    </form>
                    {match result {
                        Ok(r) if r.items.is_empty() => view! {
                            <p class="empty">{if narrowed { "No appointments match." } else { "No upcoming appointments." }}</p>
                        }.into_any(),
                        Ok(r) => view! {
                            <p class="muted">{if narrowed { format!("{} found.", r.items.len()) } else { "Upcoming, soonest first.".to_string() }}</p>
                            <ul class="appointments" aria-label="Appointments">
                                {r.items.into_iter().map(|a| view! { <AppointmentRow a /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }}
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AppointmentRow(a: AppointmentView) -> impl IntoView {
    view! {
        <li class="appointment-row">
            <a href=format!("/staff/appointments/{}", a.id)>
                <span class="when">{a.when.clone()}</span>
                <span class="what">{a.service.clone()} " · " {a.client_name.clone()}</span>
                <span class="who">{a.associate_name.clone().unwrap_or_else(|| "Unassigned".into())}</span>
                <span class=format!("status status-{}", a.status.as_str())>{a.status.label()}</span>
            </a>
        </li>
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let live = expect_context::<Live>();
    let queue = Resource::new(move || live.changes.get(), |_| assignment_queue());
    view! {
        <Title text="Assignment queue · Frontdesk" />
        <h1>"Assignment queue"</h1>
        <p class="muted">"Requests nobody has been given yet, and requests awaiting approval, newest first. New ones appear here as they arrive."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(items) if items.is_empty() => view! { <p class="empty">"Nothing to assign. New requests will appear here."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="queue" aria-label="Requests awaiting assignment">
                            {items.into_iter().map(|item| view! { <QueueRow item /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The assign control, on the queue and on the appointment page.
#[component]
fn AssignControl(appointment_id: AppointmentId, label: String, associates: Vec<AssociateInfo>, current: Option<StaffId>) -> impl IntoView {
    let live = expect_context::<Live>();
    let chosen = RwSignal::new(current.or(associates.first().map(|a| a.id)));
    let action = Action::new(move |(a, s): &(AppointmentId, StaffId)| {
        let (a, s) = (*a, *s);
        async move { assign(a, s).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            live.changes.update(|c| *c += 1);
        }
    });
    let select_id = format!("assign-{appointment_id}");
    view! {
        <div class="assign">
            <label for=select_id.clone() class="visually-hidden">{label}</label>
            <select id=select_id on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                {associates.into_iter().map(|a| {
                    let id = a.id;
                    view! { <option value=a.id.to_string() selected=move || chosen.get() == Some(id)>{a.name}</option> }
                }).collect_view()}
            </select>
            <button class="primary" disabled=move || action.pending().get() on:click=move |_| {
                if let Some(s) = chosen.get_untracked() { action.dispatch((appointment_id, s)); }
            }>{if current.is_some() { "Reassign" } else { "Assign" }}</button>
            {move || action.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        </div>
    }
}

#[component]
fn QueueRow(item: QueueItem) -> impl IntoView {
    let live = expect_context::<Live>();
    let a = item.appointment;
    let id = a.id;
    // A request that names its associate waits for approval, not for an associate.
    let chosen = a.associate_name.clone();
    let approve = Action::new(move |_: &()| async move { appointment_step(id, "approve".into()).await });
    Effect::new(move |_| {
        if let Some(Ok(())) = approve.value().get() {
            live.changes.update(|c| *c += 1);
        }
    });
    view! {
        <li class="queue-item">
            <div class="queue-facts">
                <a href=format!("/staff/appointments/{}", a.id) class="queue-title">{a.client_name.clone()} " · " {a.service.clone()}</a>
                <span class="when">{a.when.clone()}</span>
                {chosen.clone().map(|name| view! { <span class="status status-PendingStaffApproval">"Awaiting approval · " {name}</span> })}
                <span class="muted">"Requested " {relative_time(a.created_at)}</span>
            </div>
            {chosen.is_some().then(|| view! {
                <button class="primary" disabled=move || approve.pending().get() on:click=move |_| { approve.dispatch(()); }>"Approve"</button>
                {move || approve.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
            })}
            <AssignControl appointment_id=a.id label=format!("Associate for {}", a.client_name) associates=item.associates current=a.associate_id />
        </li>
    }
}

#[component]
pub fn AppointmentPage() -> impl IntoView {
    let live = expect_context::<Live>();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse().ok()).unwrap_or(AppointmentId(0)));
    let detail = Resource::new(move || (id(), live.changes.get()), |(id, _)| appointment(id));
    provide_context(super::payments::LinkSent(RwSignal::new(None)));
    view! {
        <Title text="Appointment · Frontdesk" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <AppointmentDetailView d /> }.into_any(),
                    Err(e) => view! { <h1>"Appointment"</h1> <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AppointmentDetailView(d: AppointmentDetail) -> AnyView {
    let a = d.appointment.clone();
    let state = if a.completed {
        "Completed".to_string()
    } else if a.presence == Presence::NoShow {
        format!("{} · no-show", a.status.label())
    } else {
        a.status.label().to_string()
    };
    let cancelled = a.status == AppointmentStatus::Cancelled;
    let held = a.held_until.clone().map(|until| {
        if cancelled {
            "Released: the client did not pay the deposit in time, so its time was freed.".to_string()
        } else {
            format!("Held for the client's deposit until {until}. It becomes a request once paid; unpaid, its time is released.")
        }
    });
    view! {
        <h1>{a.service.clone()} " with " {a.client_name.clone()}</h1>
        {held.map(|h| view! { <p class="notice" role="status">{h}</p> })}
        <dl class="facts">
            <dt>"When"</dt><dd>{a.when.clone()} " (" {a.duration_min} " min)"</dd>
            <dt>"Status"</dt><dd class=format!("status status-{}", a.status.as_str())>{state}</dd>
            {(cancelled && !a.cancel_reason.is_empty()).then(|| view! { <dt>"Reason"</dt><dd>{a.cancel_reason.clone()}</dd> })}
            <dt>"Associate"</dt><dd class="associate">{a.associate_name.clone().unwrap_or_else(|| "Unassigned".into())}</dd>
            <dt>"Client"</dt><dd><a href=format!("/staff/clients/{}", a.client_id)>{a.client_name.clone()}</a> <br />
                // One tap to write or call, from a phone or a desk.
                {a.client_email.clone().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> " " })}
                {a.client_mobile.clone().map(|m| view! { <a href=format!("tel:{m}")>{m.clone()}</a> })}
            </dd>
            {d.booked_as.clone().map(|b| view! {
                <dt>"Booked with"</dt>
                <dd class="booked-as">{b.name} <br /> {b.email.unwrap_or_default()} " " {b.mobile.unwrap_or_default()}
                    <br /><span class="muted">"Given on the booking form; the client's details were not changed. Update them on the client's page if this is right."</span>
                </dd>
            })}
            <dt>"Store"</dt><dd>{a.store_name.clone()}</dd>
            {d.video_url.clone().map(|url| view! {
                <dt>"Video"</dt><dd><a class="video-link" href=url.clone() rel="external noopener" target="_blank">"Join the video call"</a></dd>
            })}
            <dt>"Booked"</dt><dd>{if a.source == Source::Online { "Online by the client" } else { "By staff" }}</dd>
            <dt>"Notes"</dt><dd>{if a.notes.is_empty() { "—".to_string() } else { a.notes.clone() }}</dd>
        </dl>
        {(a.is_open() && !d.assignable.is_empty() && a.associate_id.is_none()).then(|| view! {
            <h2>"Assign"</h2>
            <AssignControl appointment_id=a.id label="Associate".into() associates=d.assignable.clone() current=a.associate_id />
        })}
        <super::manage::AppointmentActions detail=d.clone() />
        <super::payments::AppointmentPayments detail=d.clone() />
        <super::ClientCommunication appointment_id=a.id tracking_url=d.tracking_url.clone() attendees=d.attendees.clone()
            messages=d.messages.clone() editable=a.is_open() />
        <h2>"History"</h2>
        <ol class="history" aria-label="History">
            {d.history.into_iter().map(|v| view! {
                <li><span class="muted">"v" {v.version} " · " {relative_time(v.at)} " · " {v.by}</span> " " {v.summary}</li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}
