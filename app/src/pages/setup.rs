//! Setup: a store's profile, opening hours and closures (admins); its
//! services (admins and its managers); a person's working hours and time off
//! (themselves and their managers).

use super::{field_error, other_error, ErrorBox, FieldMessage};
use crate::api::*;
use crate::domain::hours::{Interval, WeekForm, WEEKDAYS};
use crate::domain::ids::{ServiceId, StaffId, StoreId};
use crate::domain::money::Currency;
use crate::i18n::Language;
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

/// A day's intervals as one line people can type: "09:00-12:30, 13:30-18:00".
fn day_text(day: &[Interval]) -> String {
    day.iter().map(|i| format!("{}-{}", i.from, i.to)).collect::<Vec<_>>().join(", ")
}

/// The line back into intervals; anything malformed is passed on as typed,
/// for the server to name the day and the problem.
fn parse_day_text(text: &str) -> Vec<Interval> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|part| {
            let (from, to) = part.split_once(['-', '–']).unwrap_or((part, ""));
            Interval {
                from: from.trim().to_string(),
                to: to.trim().to_string(),
            }
        })
        .collect()
}

/// Seven lines, one per weekday; empty is closed (or a day off).
#[component]
fn WeekFields(prefix: &'static str, days: Vec<RwSignal<String>>) -> impl IntoView {
    view! {
        <div class="week" role="group">
            {days.into_iter().enumerate().map(|(i, text)| {
                let id = format!("{prefix}-{i}");
                view! {
                    <label for=id.clone()>{WEEKDAYS[i]}</label>
                    <input id=id type="text" placeholder="closed — or e.g. 09:00-12:30, 13:30-18:00"
                        prop:value=text on:input=move |ev| text.set(event_target_value(&ev)) />
                }
            }).collect_view()}
        </div>
    }
}

fn week_signals(week: &WeekForm) -> Vec<RwSignal<String>> {
    (0..7)
        .map(|i| RwSignal::new(week.days.get(i).map(|d| day_text(d)).unwrap_or_default()))
        .collect()
}

fn week_of(signals: &[RwSignal<String>]) -> WeekForm {
    WeekForm {
        days: signals.iter().map(|s| parse_day_text(&s.get_untracked())).collect(),
    }
}

fn store_id_param() -> impl Fn() -> StoreId + Copy {
    let params = use_params_map();
    move || params.with(|p| p.get("id").and_then(|s| s.parse().ok()).unwrap_or(StoreId(0)))
}

/// The profile form, for a new store (`id: None`) or an existing one.
#[component]
pub fn StoreProfileEditor(profile: StoreProfileForm) -> impl IntoView {
    let navigate = use_navigate();
    let creating = profile.id.is_none();
    let name = RwSignal::new(profile.name.clone());
    let slug = RwSignal::new(profile.slug.clone());
    let address = RwSignal::new(profile.address.clone());
    let phone = RwSignal::new(profile.phone.clone());
    let zone = RwSignal::new(profile.time_zone.clone());
    let language = RwSignal::new(profile.default_language.clone());
    let currency = RwSignal::new(profile.currency.clone());
    let step = RwSignal::new(profile.slot_minutes);
    let horizon = RwSignal::new(profile.horizon_days);
    let notice = RwSignal::new(profile.min_notice_minutes);
    let video = RwSignal::new(profile.video_url_template.clone());
    let id = profile.id;
    let save = Action::new(|p: &StoreProfileForm| {
        let p = p.clone();
        async move { save_store(p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = save.value().get() {
            if creating {
                navigate(&format!("/staff/stores/{new_id}"), Default::default());
            }
        }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().with(|v| field_error(v, f)));
    let p = if creating { "new-store" } else { "store" };
    let field = move |f: &str| format!("{p}-{f}");
    let current_language = profile.default_language.clone();
    view! {
        <form class="form" aria-label=if creating { "New store" } else { "Store profile" } on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(StoreProfileForm {
                id,
                name: name.get_untracked(),
                slug: slug.get_untracked(),
                address: address.get_untracked(),
                phone: phone.get_untracked(),
                time_zone: zone.get_untracked(),
                default_language: language.get_untracked(),
                currency: currency.get_untracked(),
                slot_minutes: step.get_untracked(),
                horizon_days: horizon.get_untracked(),
                min_notice_minutes: notice.get_untracked(),
                video_url_template: video.get_untracked(),
            });
        }>
            <label for=field("name")>"Store name"</label>
            <input id=field("name") prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            <FieldMessage id="store-name-error" message=err("name") />
            <label for=field("slug")>"Booking page address"</label>
            <div class="prefixed"><span class="muted">"/book/"</span>
                <input id=field("slug") prop:value=slug on:input=move |ev| slug.set(event_target_value(&ev)) /></div>
            <FieldMessage id="store-slug-error" message=err("slug") />
            <label for=field("address")>"Address"</label>
            <input id=field("address") prop:value=address on:input=move |ev| address.set(event_target_value(&ev)) />
            <FieldMessage id="store-address-error" message=err("address") />
            <label for=field("phone")>"Phone"</label>
            <input id=field("phone") type="tel" prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev)) />
            <FieldMessage id="store-phone-error" message=err("phone") />
            <label for=field("zone")>"Time zone"</label>
            <input id=field("zone") list="time-zones" prop:value=zone on:input=move |ev| zone.set(event_target_value(&ev)) />
            <datalist id="time-zones">
                {TIME_ZONES.iter().map(|z| view! { <option value=*z></option> }).collect_view()}
            </datalist>
            <FieldMessage id="store-zone-error" message=err("time_zone") />
            <label for=field("language")>"Default language for clients"</label>
            <select id=field("language") on:change=move |ev| language.set(event_target_value(&ev))>
                {Language::all().into_iter().map(|l| {
                    let selected = l.code() == current_language;
                    view! { <option value=l.code() selected=selected>{l.name()}</option> }
                }).collect_view()}
            </select>
            <label for=field("currency")>"Prices in"</label>
            <select id=field("currency") on:change=move |ev| currency.set(event_target_value(&ev))>
                {Currency::ALL.into_iter().map(|c| view! {
                    <option value=c.as_str() selected=move || currency.get() == c.as_str()>{c.label()}</option>
                }).collect_view()}
            </select>
            <FieldMessage id="store-currency-error" message=err("currency") />
            <label for=field("step")>"Offer a time every"</label>
            <select id=field("step") on:change=move |ev| step.set(event_target_value(&ev).parse().unwrap_or(15))>
                {[5, 10, 15, 20, 30, 60].into_iter().map(|m| view! {
                    <option value=m.to_string() selected=move || step.get() == m>{format!("{m} minutes")}</option>
                }).collect_view()}
            </select>
            <FieldMessage id="store-step-error" message=err("slot_minutes") />
            <label for=field("horizon")>"Clients may book up to (days ahead)"</label>
            <input id=field("horizon") type="number" inputmode="numeric" prop:value=move || horizon.get().to_string()
                on:input=move |ev| horizon.set(event_target_value(&ev).trim().parse().unwrap_or(-1)) />
            <FieldMessage id="store-horizon-error" message=err("horizon_days") />
            <label for=field("notice")>"Minimum notice (minutes)"</label>
            <input id=field("notice") type="number" inputmode="numeric" prop:value=move || notice.get().to_string()
                on:input=move |ev| notice.set(event_target_value(&ev).trim().parse().unwrap_or(-1)) />
            <FieldMessage id="store-notice-error" message=err("min_notice_minutes") />
            <label for=field("video")>"Video meeting link (for services held by video)"</label>
            <input id=field("video") type="url" inputmode="url" placeholder="https://meet.example.com/{room}" prop:value=video
                aria-describedby="store-video-help" on:input=move |ev| video.set(event_target_value(&ev)) />
            <p class="muted" id="store-video-help">"{room} becomes each appointment's own room; {role} becomes host for staff and guest for clients."</p>
            <FieldMessage id="store-video-error" message=err("video_url_template") />
            {move || save.value().with(|v| other_error(v, &["name", "slug", "address", "phone", "time_zone", "default_language", "currency", "slot_minutes", "horizon_days", "min_notice_minutes", "video_url_template"]))
                .map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
            {move || (!creating && matches!(save.value().get(), Some(Ok(_)))).then(|| view! { <p class="saved" role="status">"Saved."</p> })}
            <button type="submit" class="primary">{if creating { "Create store" } else { "Save profile" }}</button>
        </form>
    }
}

/// Zones offered in the picker (any IANA name the server knows is accepted).
const TIME_ZONES: &[&str] = &[
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Zurich",
    "Europe/Vienna",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Copenhagen",
    "Europe/Helsinki",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Athens",
    "Europe/Istanbul",
    "Africa/Casablanca",
    "Africa/Johannesburg",
    "America/New_York",
    "America/Toronto",
    "America/Montreal",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "America/Buenos_Aires",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Australia/Perth",
    "Pacific/Auckland",
    "UTC",
];

#[component]
pub fn NewStoreForm() -> impl IntoView {
    let blank = StoreProfileForm {
        id: None,
        name: String::new(),
        slug: String::new(),
        address: String::new(),
        phone: String::new(),
        time_zone: "Europe/London".into(),
        default_language: Language::fallback().code().into(),
        currency: Currency::default().as_str().into(),
        slot_minutes: 15,
        horizon_days: 90,
        min_notice_minutes: 60,
        video_url_template: String::new(),
    };
    view! {
        <details class="panel">
            <summary>"New store"</summary>
            <StoreProfileEditor profile=blank />
        </details>
    }
}

/// Setup → Stores → a store: profile, opening hours, closures.
#[component]
pub fn StoreSetupPage() -> impl IntoView {
    let id = store_id_param();
    let version = RwSignal::new(0u32);
    let page = Resource::new(move || (id(), version.get()), |(id, _)| setup_store(id));
    view! {
        <Title text="Store setup · Frontdesk" />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(s) => view! { <StoreSetupView s version /> }.into_any(),
                    Err(e) => view! { <h1>"Store setup"</h1> <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StoreSetupView(s: StoreSetup, version: RwSignal<u32>) -> impl IntoView {
    let store_id = s.profile.id.unwrap_or(StoreId(0));
    let hours = week_signals(&s.hours);
    let save_hours = Action::new(move |w: &WeekForm| {
        let w = w.clone();
        async move { save_store_hours(store_id, w).await }
    });
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let add = Action::new(move |(f, l, r): &(String, String, String)| {
        let (f, l, r) = (f.clone(), l.clone(), r.clone());
        async move { add_closure(store_id, f, l, r).await }
    });
    let remove = Action::new(move |c: &i64| {
        let c = *c;
        async move { remove_closure(store_id, c).await }
    });
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(_))) || matches!(remove.value().get(), Some(Ok(_))) {
            version.update(|v| *v += 1);
        }
    });
    let hours_for_submit = hours.clone();
    let closure_err = move |f: &'static str| Signal::derive(move || add.value().with(|v| field_error(v, f)));
    view! {
        <h1>{s.profile.name.clone()} ": setup"</h1>
        <nav class="tabs" aria-label="Store setup">
            <a href=format!("/staff/stores/{store_id}") aria-current="page">"Profile and hours"</a>
            <a href=format!("/staff/stores/{store_id}/services")>"Services"</a>
            <a href=format!("/staff/stores/{store_id}/notifications")>"Notifications"</a>
        </nav>
        <h2>"Profile"</h2>
        <StoreProfileEditor profile=s.profile.clone() />
        <h2>"Opening hours"</h2>
        <p class="muted">"One line per day; several intervals for a break, like 09:00-12:30, 13:30-18:00. Leave a day empty when the store is closed."</p>
        <form class="form" aria-label="Opening hours" on:submit=move |ev| {
            ev.prevent_default();
            save_hours.dispatch(week_of(&hours_for_submit));
        }>
            <WeekFields prefix="hours" days=hours />
            <FieldMessage id="hours-error" message=Signal::derive(move || save_hours.value().with(|v| field_error(v, "hours"))) />
            {move || matches!(save_hours.value().get(), Some(Ok(()))).then(|| view! { <p class="saved" role="status">"Opening hours saved."</p> })}
            <button type="submit" class="primary">"Save opening hours"</button>
        </form>
        <h2>"Closures"</h2>
        {if s.closures.is_empty() {
            view! { <p class="empty">"No closures ahead."</p> }.into_any()
        } else {
            view! {
                <ul class="closures" aria-label="Closures">
                    {s.closures.iter().map(|c| {
                        let cid = c.id;
                        let when = if c.first_day == c.last_day { c.first_day.clone() } else { format!("{} to {}", c.first_day, c.last_day) };
                        view! {
                            <li>{when} {(!c.reason.is_empty()).then(|| format!(" · {}", c.reason))}
                                <button type="button" on:click=move |_| { remove.dispatch(cid); }>"Remove"</button></li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <form class="form inline-form" aria-label="Add a closure" on:submit=move |ev| {
            ev.prevent_default();
            add.dispatch((first.get_untracked(), last.get_untracked(), reason.get_untracked()));
        }>
            <label for="closure-first">"First day"</label>
            <input id="closure-first" type="date" prop:value=first on:input=move |ev| first.set(event_target_value(&ev)) />
            <FieldMessage id="closure-first-error" message=closure_err("first_day") />
            <label for="closure-last">"Last day (optional)"</label>
            <input id="closure-last" type="date" prop:value=last on:input=move |ev| last.set(event_target_value(&ev)) />
            <FieldMessage id="closure-last-error" message=closure_err("last_day") />
            <label for="closure-reason">"Reason"</label>
            <input id="closure-reason" placeholder="Bank holiday" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev)) />
            <button type="submit" class="primary">"Add closure"</button>
        </form>
        <super::payments::PaymentProvider store_id account=s.payments.clone() />
    }
}

/// Setup → Services.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let id = store_id_param();
    let version = RwSignal::new(0u32);
    let page = Resource::new(move || (id(), version.get()), |(id, _)| setup_services(id));
    let reorder = Action::new(move |order: &Vec<ServiceId>| {
        let order = order.clone();
        async move { reorder_services(id(), order).await }
    });
    Effect::new(move |_| {
        if matches!(reorder.value().get(), Some(Ok(()))) {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <Title text="Services · Frontdesk" />
        <h1>"Services"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(c) => {
                        let store_id = id();
                        let blank = ServiceForm {
                            id: None,
                            store_id,
                            name: String::new(),
                            translations: Default::default(),
                            duration_min: 30,
                            price_cents: 0,
                            buffer_before_min: 0,
                            buffer_after_min: 0,
                            bookable_online: true,
                            active: true,
                            performers: vec![],
                            video: false,
                        };
                        view! {
                            <ul class="services" aria-label="Services">
                                {c.services.iter().cloned().enumerate().map(|(i, s)| {
                                    let title = format!("{} · {} min · {}{}", s.name, s.duration_min, c.currency.price(s.price_cents), if s.active { "" } else { " · deactivated" });
                                    let ids: Vec<ServiceId> = c.services.iter().filter_map(|s| s.id).collect();
                                    let (up, down) = (moved(&ids, i, -1), moved(&ids, i, 1));
                                    let name = s.name.clone();
                                    view! { <li>
                                        <div class="order">
                                            {up.map(|order| view! { <button type="button" aria-label=format!("Move {name} up")
                                                on:click=move |_| { reorder.dispatch(order.clone()); }>"↑"</button> })}
                                            {down.map(|order| view! { <button type="button" aria-label=format!("Move {} down", s.name)
                                                on:click=move |_| { reorder.dispatch(order.clone()); }>"↓"</button> })}
                                        </div>
                                        <details class="panel"><summary>{title}</summary>
                                        <ServiceEditor s associates=c.associates.clone() languages=c.languages.clone() currency=c.currency version /></details></li> }
                                }).collect_view()}
                            </ul>
                            <details class="panel">
                                <summary>"New service"</summary>
                                <ServiceEditor s=blank associates=c.associates.clone() languages=c.languages.clone() currency=c.currency version />
                            </details>
                            <h2>"Working hours and time off"</h2>
                            <ul class="schedules" aria-label="Associates' schedules">
                                {c.associates.iter().map(|a| view! {
                                    <li><a href=format!("/staff/stores/{store_id}/schedule/{}", a.id)>{a.name.clone()}</a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ServiceEditor(
    s: ServiceForm,
    associates: Vec<AssociateInfo>,
    /// The store's default language first: the one `name` is in.
    languages: Vec<Language>,
    currency: Currency,
    version: RwSignal<u32>,
) -> impl IntoView {
    let key = s.id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
    let name = RwSignal::new(s.name.clone());
    let default_language = languages.first().copied().unwrap_or_else(Language::fallback);
    // One field per other language; blank reads the default name.
    let others: Vec<(Language, RwSignal<String>)> = languages
        .iter()
        .skip(1)
        .map(|l| (*l, RwSignal::new(s.translations.get(l.code()).cloned().unwrap_or_default())))
        .collect();
    let others_for_submit = others.clone();
    let duration = RwSignal::new(s.duration_min);
    let price = RwSignal::new(format!("{}.{:02}", s.price_cents / 100, s.price_cents % 100));
    let before = RwSignal::new(s.buffer_before_min);
    let after = RwSignal::new(s.buffer_after_min);
    let online = RwSignal::new(s.bookable_online);
    let active = RwSignal::new(s.active);
    let video = RwSignal::new(s.video);
    let performers = RwSignal::new(s.performers.clone());
    let (id, store_id) = (s.id, s.store_id);
    let save = Action::new(|f: &ServiceForm| {
        let f = f.clone();
        async move { save_service(f).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().with(|v| field_error(v, f)));
    let f = {
        let key = key.clone();
        move |x: &str| format!("service-{key}-{x}")
    };
    view! {
        <form class="form" aria-label=format!("Service {}", if s.name.is_empty() { "new".to_string() } else { s.name.clone() }) on:submit=move |ev| {
            ev.prevent_default();
            let cents = crate::domain::money::parse_amount(&price.get_untracked()).unwrap_or(-1);
            save.dispatch(ServiceForm {
                id,
                store_id,
                name: name.get_untracked(),
                translations: others_for_submit.iter().map(|(l, n)| (l.code().to_string(), n.get_untracked())).collect(),
                duration_min: duration.get_untracked(),
                price_cents: cents,
                buffer_before_min: before.get_untracked(),
                buffer_after_min: after.get_untracked(),
                bookable_online: online.get_untracked(),
                active: active.get_untracked(),
                performers: performers.get_untracked(),
                video: video.get_untracked(),
            });
        }>
            <label for=f("name")>{format!("Name ({})", default_language.name())}</label>
            <input id=f("name") prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            <FieldMessage id="service-name-error" message=err("name") />
            {others.into_iter().map(|(l, n)| {
                let id = f(&format!("name-{}", l.code()));
                view! {
                    <label for=id.clone()>{format!("Name in {} (blank: as above)", l.name())}</label>
                    <input id=id lang=l.code() prop:value=n on:input=move |ev| n.set(event_target_value(&ev)) />
                }
            }).collect_view()}
            <FieldMessage id="service-translations-error" message=err("translations") />
            <label for=f("duration")>"Duration (minutes)"</label>
            <input id=f("duration") type="number" inputmode="numeric" prop:value=move || duration.get().to_string()
                on:input=move |ev| duration.set(event_target_value(&ev).trim().parse().unwrap_or(-1)) />
            <FieldMessage id="service-duration-error" message=err("duration_min") />
            <label for=f("price")>{format!("Price in {} (0 is free)", currency.label())}</label>
            <input id=f("price") inputmode="decimal" prop:value=price on:input=move |ev| price.set(event_target_value(&ev)) />
            <FieldMessage id="service-price-error" message=err("price_cents") />
            <label for=f("before")>"Keep free before (minutes)"</label>
            <input id=f("before") type="number" inputmode="numeric" prop:value=move || before.get().to_string()
                on:input=move |ev| before.set(event_target_value(&ev).trim().parse().unwrap_or(-1)) />
            <FieldMessage id="service-before-error" message=err("buffer_before_min") />
            <label for=f("after")>"Keep free after (minutes)"</label>
            <input id=f("after") type="number" inputmode="numeric" prop:value=move || after.get().to_string()
                on:input=move |ev| after.set(event_target_value(&ev).trim().parse().unwrap_or(-1)) />
            <FieldMessage id="service-after-error" message=err("buffer_after_min") />
            <label class="check"><input type="checkbox" prop:checked=online on:change=move |ev| online.set(event_target_checked(&ev)) />"Clients may book it online"</label>
            <label class="check"><input type="checkbox" prop:checked=active on:change=move |ev| active.set(event_target_checked(&ev)) />"Active (offered at all)"</label>
            <label class="check"><input type="checkbox" prop:checked=video on:change=move |ev| video.set(event_target_checked(&ev)) />"Held by video (at the store's meeting link)"</label>
            <fieldset>
                <legend>"Performed by (none ticked: every associate)"</legend>
                {associates.into_iter().map(|a| {
                    let aid = a.id;
                    view! { <label class="check"><input type="checkbox" prop:checked=move || performers.with(|p| p.contains(&aid))
                        on:change=move |ev| { let on = event_target_checked(&ev); performers.update(|p| { p.retain(|x| *x != aid); if on { p.push(aid); } }); } />{a.name}</label> }
                }).collect_view()}
                <FieldMessage id="service-performers-error" message=err("performers") />
            </fieldset>
            {move || save.value().with(|v| other_error(v, &["name", "translations", "duration_min", "price_cents", "buffer_before_min", "buffer_after_min", "performers"]))
                .map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
            <button type="submit" class="primary">{if id.is_some() { "Save service" } else { "Add service" }}</button>
        </form>
    }
}

/// The order with the `i`th id moved one place (`by` = -1 up, 1 down), if it can move.
fn moved(ids: &[ServiceId], i: usize, by: isize) -> Option<Vec<ServiceId>> {
    let j = i.checked_add_signed(by).filter(|j| *j < ids.len())?;
    let mut order = ids.to_vec();
    order.swap(i, j);
    Some(order)
}

/// A person's hours at a store and their time off.
#[component]
pub fn SchedulePage() -> impl IntoView {
    let params = use_params_map();
    let store = move || params.with(|p| p.get("id").and_then(|s| s.parse().ok()).unwrap_or(StoreId(0)));
    let staff = move || params.with(|p| p.get("staff").and_then(|s| s.parse().ok()).unwrap_or(StaffId(0)));
    let version = RwSignal::new(0u32);
    let page = Resource::new(move || (store(), staff(), version.get()), |(s, p, _)| schedule(s, p));
    view! {
        <Title text="Working hours · Frontdesk" />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(v) => view! { <ScheduleEditor v version /> }.into_any(),
                    Err(e) => view! { <h1>"Working hours"</h1> <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ScheduleEditor(v: ScheduleView, version: RwSignal<u32>) -> impl IntoView {
    let (store_id, staff_id) = (v.store_id, v.staff_id);
    let own = RwSignal::new(v.own_hours.is_some());
    let days = week_signals(v.own_hours.as_ref().unwrap_or(&v.store_hours));
    let save = Action::new(move |w: &Option<WeekForm>| {
        let w = w.clone();
        async move { save_working_hours(store_id, staff_id, w).await }
    });
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let add = Action::new(move |(f, l, r): &(String, String, String)| {
        let (f, l, r) = (f.clone(), l.clone(), r.clone());
        async move { add_time_off(store_id, staff_id, f, l, r).await }
    });
    let remove = Action::new(move |id: &i64| {
        let id = *id;
        async move { remove_time_off(store_id, staff_id, id).await }
    });
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(_))) || matches!(remove.value().get(), Some(Ok(_))) {
            version.update(|v| *v += 1);
        }
    });
    let days_submit = days.clone();
    let off_err = move |f: &'static str| Signal::derive(move || add.value().with(|v| field_error(v, f)));
    view! {
        <h1>{v.staff_name.clone()} ": working hours"</h1>
        <form class="form" aria-label="Working hours" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(own.get_untracked().then(|| week_of(&days_submit)));
        }>
            <label class="check"><input type="radio" name="own" prop:checked=move || !own.get() on:change=move |_| own.set(false) />"Whenever the store is open"</label>
            <label class="check"><input type="radio" name="own" prop:checked=own on:change=move |_| own.set(true) />"My own hours (within the store's)"</label>
            <Show when=move || own.get()>
                <WeekFields prefix="work" days=days.clone() />
            </Show>
            <FieldMessage id="work-error" message=Signal::derive(move || save.value().with(|v| field_error(v, "hours"))) />
            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <p class="saved" role="status">"Working hours saved."</p> })}
            <button type="submit" class="primary">"Save working hours"</button>
        </form>
        <h2>"Time off"</h2>
        {if v.time_off.is_empty() {
            view! { <p class="empty">"No time off ahead."</p> }.into_any()
        } else {
            view! {
                <ul class="time-off" aria-label="Time off">
                    {v.time_off.iter().map(|t| {
                        let tid = t.id;
                        let when = if t.first_day == t.last_day { t.first_day.clone() } else { format!("{} to {}", t.first_day, t.last_day) };
                        view! { <li>{when} {(!t.reason.is_empty()).then(|| format!(" · {}", t.reason))}
                            <button type="button" on:click=move |_| { remove.dispatch(tid); }>"Remove"</button></li> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <form class="form inline-form" aria-label="Add time off" on:submit=move |ev| {
            ev.prevent_default();
            add.dispatch((first.get_untracked(), last.get_untracked(), reason.get_untracked()));
        }>
            <label for="off-first">"First day"</label>
            <input id="off-first" type="date" prop:value=first on:input=move |ev| first.set(event_target_value(&ev)) />
            <FieldMessage id="off-first-error" message=off_err("first_day") />
            <label for="off-last">"Last day (optional)"</label>
            <input id="off-last" type="date" prop:value=last on:input=move |ev| last.set(event_target_value(&ev)) />
            <FieldMessage id="off-last-error" message=off_err("last_day") />
            <label for="off-reason">"Reason (shown to managers)"</label>
            <input id="off-reason" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev)) />
            <button type="submit" class="primary">"Add time off"</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_lines_parse_as_people_type_them() {
        let day = parse_day_text(" 09:00-12:30,13:30 – 18:00 ,");
        assert_eq!(day_text(&day), "09:00-12:30, 13:30-18:00");
        assert!(parse_day_text("").is_empty());
        let ids = [ServiceId(1), ServiceId(2), ServiceId(3)];
        assert_eq!(moved(&ids, 1, -1), Some(vec![ServiceId(2), ServiceId(1), ServiceId(3)]));
        assert_eq!(moved(&ids, 2, 1), None);
        assert_eq!(moved(&ids, 0, -1), None);
    }
}
