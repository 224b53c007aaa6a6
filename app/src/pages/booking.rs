//! The public booking page, `/book/:store`, in steps: service → date (a
//! calendar that marks the days with free times) → time → details. Every
//! choice so far lives in the address (`?service=…&date=…&slot=…`), so each
//! step is a plain link: the page works before the WASM has loaded (and
//! without it), the back button goes back a step, and a link can be shared.
//! The details form posts to `/book/:store` itself when there is no WASM
//! (see `server::forms`) and through the `book` server function when there
//! is; either way the client lands on the tracking page with `?booked=1`,
//! which is the confirmation.
//!
//! The page's language is `?lang=`, else the browser's, else the store's
//! (`views::booking::page`); the client's messages follow it.

use super::FieldMessage;
use crate::api::{available_slots, book, booking_month, booking_page};
use crate::domain::ids::{ServiceId, StaffId};
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::i18n::{text, tr, Args, Language};
use crate::model::{BookingPageInfo, BookingRequest, ServiceInfo};
use leptos::prelude::*;
use leptos_meta::{Html, Title};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use serde::{Deserialize, Serialize};

/// The choices so far, as the address carries them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Choice {
    pub service: Option<ServiceId>,
    pub associate: Option<StaffId>,
    /// `YYYY-MM-DD`, store-local.
    pub date: Option<String>,
    pub slot: Option<UnixTime>,
    /// `YYYY-MM`: the month the calendar shows.
    pub month: Option<String>,
    pub lang: Option<String>,
}

impl Choice {
    fn from_query(q: &ParamsMap) -> Self {
        let nonempty = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
        Choice {
            service: nonempty("service").and_then(|v| v.parse().ok()),
            associate: nonempty("associate").and_then(|v| v.parse().ok()),
            date: nonempty("date"),
            slot: nonempty("slot").and_then(|v| v.parse::<i64>().ok()).map(UnixTime),
            month: nonempty("month"),
            lang: nonempty("lang"),
        }
    }

    /// The address of the page with these choices.
    pub fn href(&self, store: &str) -> String {
        let mut q: Vec<String> = vec![];
        if let Some(s) = self.service {
            q.push(format!("service={s}"));
        }
        if let Some(a) = self.associate {
            q.push(format!("associate={a}"));
        }
        if let Some(m) = &self.month {
            q.push(format!("month={m}"));
        }
        if let Some(d) = &self.date {
            q.push(format!("date={d}"));
        }
        if let Some(t) = self.slot {
            q.push(format!("slot={}", t.secs()));
        }
        if let Some(l) = &self.lang {
            q.push(format!("lang={l}"));
        }
        if q.is_empty() {
            format!("/book/{store}")
        } else {
            format!("/book/{store}?{}", q.join("&"))
        }
    }
}

/// What a form posted without the WASM brought back when it was refused:
/// the page is drawn again with it, so nothing typed is lost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostedBooking {
    pub request: BookingRequest,
    pub error: AppError,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Service,
    Date,
    Time,
    Details,
}

impl Step {
    const ALL: [Step; 4] = [Step::Service, Step::Date, Step::Time, Step::Details];

    fn of(c: &Choice, info: &BookingPageInfo) -> Step {
        let known = c.service.is_some_and(|s| info.services.iter().any(|x| x.id == s));
        match (known, &c.date, c.slot) {
            (false, _, _) => Step::Service,
            // A time chosen is enough for the details (an address cut short keeps what was typed).
            (true, _, Some(_)) => Step::Details,
            (true, None, None) => Step::Date,
            (true, Some(_), None) => Step::Time,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Step::Service => "booking-step-service",
            Step::Date => "booking-step-date",
            Step::Time => "booking-step-time",
            Step::Details => "booking-step-details",
        }
    }
}

/// "Haircut · 45 min · £35.00", or "… · Free", in the page's language.
fn service_label(s: &ServiceInfo, lang: Language) -> String {
    let price = if s.price_cents == 0 {
        text(lang, "booking-free")
    } else {
        s.currency.price(s.price_cents)
    };
    format!(
        "{} · {} · {price}",
        s.name_in(lang),
        tr(lang, "booking-minutes", &Args::new().with("minutes", s.duration_min))
    )
}

/// "Tuesday 8 December" from `YYYY-MM-DD`.
fn day_label(lang: Language, date: &str) -> String {
    use chrono::Datelike;
    match chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        Ok(d) => tr(
            lang,
            "date-day",
            &Args::new()
                .with("weekday", d.weekday().number_from_monday())
                .with("day", d.day())
                .with("month", d.month()),
        ),
        Err(_) => date.to_string(),
    }
}

#[component]
pub fn BookingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let store = move || params.with(|p| p.get("store").unwrap_or_default());
    let lang = move || query.with(|q| q.get("lang"));
    let info = Resource::new(move || (store(), lang()), |(store, lang)| booking_page(store, lang));
    view! {
        <main class="narrow booking-page">
            <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <BookingFlow info /> }.into_any(),
                        Err(e) => {
                            let lang = lang().and_then(|l| Language::parse(&l).ok()).unwrap_or_else(Language::fallback);
                            #[cfg(feature = "ssr")]
                            if let (AppError::NotFound(_), Some(res)) = (&e, use_context::<leptos_axum::ResponseOptions>()) {
                                res.set_status(axum::http::StatusCode::NOT_FOUND);
                            }
                            view! {
                                <Html {..} lang=lang.code() />
                                <Title text=text(lang, "booking-title-plain") />
                                <h1>{text(lang, "booking-title-plain")}</h1>
                                <p class="error-box" role="alert">{e.to_string()}</p>
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn BookingFlow(info: BookingPageInfo) -> impl IntoView {
    let query = use_query_map();
    let choice = Memo::new(move |_| query.with(Choice::from_query));
    let lang = info.language;
    let x = move |k: &str| text(lang, k);
    let store_name = info.store_name.clone();
    let store_args = move || Args::new().with("store", store_name.clone());
    let info_for_step = info.clone();
    let step = Memo::new(move |_| choice.with(|c| Step::of(c, &info_for_step)));
    let slug = info.store_slug.clone();
    let phone = info.phone.clone();
    let other_languages: Vec<Language> = Language::all().into_iter().filter(|l| *l != lang).collect();
    let info = StoredValue::new(info);
    view! {
        <Html {..} lang=lang.code() />
        <Title text=tr(lang, "booking-title", &store_args()) />
        <header class="store-head">
            <h1>{tr(lang, "booking-heading", &store_args())}</h1>
            {info.with_value(|i| (!i.address.is_empty()).then(|| view! { <p class="store-address">{i.address.clone()}</p> }))}
            {(!phone.is_empty()).then(|| view! {
                <p class="store-phone"><a href=format!("tel:{}", phone.replace(' ', ""))>{phone.clone()}</a></p>
            })}
            <p class="muted">{tr(lang, "booking-times-in", &Args::new().with("city", info.with_value(|i| i.city.clone())))}</p>
            <nav class="languages" aria-label=x("booking-languages")>
                {other_languages.into_iter().map(|l| {
                    let slug = slug.clone();
                    view! {
                        <a hreflang=l.code() lang=l.code() href=move || Choice { lang: Some(l.code().to_string()), ..choice.get() }.href(&slug)>
                            {l.name()}
                        </a>
                    }
                }).collect_view()}
            </nav>
        </header>
        <ol class="steps" aria-label=x("booking-steps")>
            {Step::ALL.into_iter().map(|s| {
                let passed = move || step.get() as u8 > s as u8;
                let current = move || (step.get() == s).then_some("step");
                view! { <li class:done=passed aria-current=current>{x(s.key())}</li> }
            }).collect_view()}
        </ol>
        {move || match step.get() {
            Step::Service => view! { <ServiceStep info choice /> }.into_any(),
            Step::Date => view! { <DateStep info choice /> }.into_any(),
            Step::Time => view! { <TimeStep info choice /> }.into_any(),
            Step::Details => view! { <DetailsStep info choice /> }.into_any(),
        }}
    }
}

#[component]
fn ServiceStep(info: StoredValue<BookingPageInfo>, choice: Memo<Choice>) -> impl IntoView {
    let (lang, slug, services) = info.with_value(|i| (i.language, i.store_slug.clone(), i.services.clone()));
    view! {
        <section aria-labelledby="step-title">
            <h2 id="step-title">{text(lang, "booking-choose-service")}</h2>
            {services.is_empty().then(|| view! { <p class="empty">{text(lang, "booking-no-services")}</p> })}
            <ul class="choices">
                {services.into_iter().map(|s| {
                    let slug = slug.clone();
                    let id = s.id;
                    let href = move || Choice { service: Some(id), date: None, slot: None, month: None, ..choice.get() }.href(&slug);
                    view! { <li><a class="choice" href=href>{service_label(&s, lang)}</a></li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The summary of the choices made so far, each with a link to change it.
#[component]
fn Chosen(info: StoredValue<BookingPageInfo>, choice: Memo<Choice>, upto: Step) -> impl IntoView {
    let (lang, slug) = info.with_value(|i| (i.language, i.store_slug.clone()));
    let c = choice.get_untracked();
    let service = info.with_value(|i| i.services.iter().find(|s| Some(s.id) == c.service).map(|s| service_label(s, lang)));
    let associate = info.with_value(|i| {
        c.associate
            .and_then(|a| i.associates.iter().find(|x| x.id == a).map(|x| x.name.clone()))
            .unwrap_or_else(|| text(lang, "booking-any-associate"))
    });
    let change = text(lang, "booking-change");
    let back_to_service = Choice {
        service: None,
        date: None,
        slot: None,
        month: None,
        ..c.clone()
    }
    .href(&slug);
    let back_to_date = Choice {
        date: None,
        slot: None,
        ..c.clone()
    }
    .href(&slug);
    let back_to_time = Choice { slot: None, ..c.clone() }.href(&slug);
    view! {
        <dl class="facts chosen">
            <dt>{text(lang, "booking-step-service")}</dt>
            <dd>{service} " " <a href=back_to_service class="change">{change.clone()}</a></dd>
            <dt>{text(lang, "booking-associate")}</dt>
            <dd>{associate}</dd>
            {c.date.clone().filter(|_| upto == Step::Time || upto == Step::Details).map(|d| view! {
                <dt>{text(lang, "booking-step-date")}</dt>
                <dd>{day_label(lang, &d)} " " <a href=back_to_date.clone() class="change">{change.clone()}</a></dd>
            })}
            {c.slot.filter(|_| upto == Step::Details).map(|_| view! {
                <dt>{text(lang, "booking-step-time")}</dt>
                <dd><SlotTime info choice /> " " <a href=back_to_time.clone() class="change">{change.clone()}</a></dd>
            })}
        </dl>
    }
}

/// The chosen time's label, read from the day's free times (a time that is
/// no longer free is still shown; booking it will say so).
#[component]
fn SlotTime(info: StoredValue<BookingPageInfo>, choice: Memo<Choice>) -> impl IntoView {
    let c = choice.get_untracked();
    let slug = info.with_value(|i| i.store_slug.clone());
    let times = Resource::new(
        move || (),
        move |_| {
            let (slug, c) = (slug.clone(), c.clone());
            async move {
                match (c.service, c.date) {
                    (Some(s), Some(d)) => available_slots(slug, s, d, c.associate).await.unwrap_or_default(),
                    _ => vec![],
                }
            }
        },
    );
    let slot = choice.get_untracked().slot;
    view! {
        <Suspense fallback=|| "…">
            {move || Suspend::new(async move {
                let list = times.await;
                list.into_iter().find(|s| Some(s.starts_at) == slot).map(|s| s.label).unwrap_or_default()
            })}
        </Suspense>
    }
}

#[component]
fn DateStep(info: StoredValue<BookingPageInfo>, choice: Memo<Choice>) -> impl IntoView {
    let (lang, slug, associates) = info.with_value(|i| (i.language, i.store_slug.clone(), i.associates.clone()));
    let x = move |k: &str| text(lang, k);
    let fetch_slug = slug.clone();
    let month = Resource::new(
        move || choice.with(|c| (c.service, c.associate, c.month.clone())),
        move |(service, associate, month)| {
            let slug = fetch_slug.clone();
            async move { booking_month(slug, service.unwrap_or_default(), associate, month.unwrap_or_default()).await }
        },
    );
    let c = choice.get_untracked();
    let weekdays: Vec<String> = (1..=7)
        .map(|d| tr(lang, "date-weekday-short", &Args::new().with("weekday", d)))
        .collect();
    view! {
        <Chosen info choice upto=Step::Date />
        // A plain GET form: it works before the WASM has loaded, and after,
        // the router turns it into a navigation.
        <form class="associate-filter" method="get" action=format!("/book/{slug}")>
            <input type="hidden" name="service" value=c.service.map(|s| s.to_string()).unwrap_or_default() />
            {c.lang.clone().map(|l| view! { <input type="hidden" name="lang" value=l /> })}
            <label for="associate">{x("booking-associate")}</label>
            <select id="associate" name="associate">
                <option value="">{x("booking-any-associate")}</option>
                {associates.into_iter().map(|a| view! {
                    <option value=a.id.to_string() selected=c.associate == Some(a.id)>{a.name}</option>
                }).collect_view()}
            </select>
            <button type="submit">{x("booking-show-days")}</button>
        </form>
        <section aria-labelledby="step-title">
            <h2 id="step-title">{x("booking-choose-date")}</h2>
            <Transition fallback=move || view! { <p class="muted">{x("booking-finding-times")}</p> }>
                {move || {
                    let slug = slug.clone();
                    let weekdays = weekdays.clone();
                    Suspend::new(async move {
                        match month.await {
                            Err(e) => view! { <p class="error-box" role="alert">{e.to_string()}</p> }.into_any(),
                            Ok(m) => {
                                let c = choice.get_untracked();
                                let at = |month: Option<String>, date: Option<String>| Choice { month, date, slot: None, ..c.clone() }.href(&slug);
                                let title = tr(lang, "date-month-year", &Args::new().with("month", m.month_number).with("year", m.year));
                                let next_free = m.next_free.clone().map(|d| (day_label(lang, &d), at(Some(d[..7].to_string()), Some(d))));
                                let blanks = (1..m.first_weekday).map(|_| view! { <li class="blank" aria-hidden="true"></li> }).collect_view();
                                let days = m.days.iter().map(|(date, free)| {
                                    let n: u32 = date[8..].parse().unwrap_or(0);
                                    let label = day_label(lang, date);
                                    if *free {
                                        view! { <li><a class="day free" href=at(Some(m.month.clone()), Some(date.clone())) aria-label=label>{n}</a></li> }.into_any()
                                    } else {
                                        view! { <li><span class="day" data-date=date.clone() aria-label=format!("{label} — {}", x("booking-day-full"))>{n}</span></li> }.into_any()
                                    }
                                }).collect_view();
                                view! {
                                    {match next_free {
                                        Some((label, href)) => view! {
                                            <p><a class="button next-free" href=href>{tr(lang, "booking-next-available", &Args::new().with("day", label))}</a></p>
                                        }.into_any(),
                                        None => view! { <p class="empty">{x("booking-no-days")}</p> }.into_any(),
                                    }}
                                    <div class="calendar">
                                        <div class="calendar-head">
                                            {match m.previous.clone() {
                                                Some(p) => view! { <a class="button" href=at(Some(p), None) aria-label=x("booking-previous-month")>"‹"</a> }.into_any(),
                                                None => view! { <span class="button disabled" aria-hidden="true">"‹"</span> }.into_any(),
                                            }}
                                            <h3>{title}</h3>
                                            {match m.next.clone() {
                                                Some(n) => view! { <a class="button" href=at(Some(n), None) aria-label=x("booking-next-month")>"›"</a> }.into_any(),
                                                None => view! { <span class="button disabled" aria-hidden="true">"›"</span> }.into_any(),
                                            }}
                                        </div>
                                        <ul class="weekdays" aria-hidden="true">
                                            {weekdays.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                                        </ul>
                                        <ul class="days">{blanks}{days}</ul>
                                    </div>
                                }
                                .into_any()
                            }
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn TimeStep(info: StoredValue<BookingPageInfo>, choice: Memo<Choice>) -> impl IntoView {
    let (lang, slug) = info.with_value(|i| (i.language, i.store_slug.clone()));
    let x = move |k: &str| text(lang, k);
    let fetch_slug = slug.clone();
    let times = Resource::new(
        move || choice.with(|c| (c.service, c.date.clone(), c.associate)),
        move |(service, date, associate)| {
            let slug = fetch_slug.clone();
            async move { available_slots(slug, service.unwrap_or_default(), date.unwrap_or_default(), associate).await }
        },
    );
    let back = Choice {
        date: None,
        slot: None,
        ..choice.get_untracked()
    }
    .href(&slug);
    view! {
        <Chosen info choice upto=Step::Time />
        <section aria-labelledby="step-title">
            <h2 id="step-title">{x("booking-choose-time")}</h2>
            <Transition fallback=move || view! { <p class="muted">{x("booking-finding-times")}</p> }>
                {move || {
                    let (slug, back) = (slug.clone(), back.clone());
                    Suspend::new(async move {
                        match times.await {
                            Ok(list) if list.is_empty() => view! {
                                <p class="empty">{x("booking-no-times")} " " <a href=back>{x("booking-other-day")}</a></p>
                            }.into_any(),
                            Ok(list) => {
                                let c = choice.get_untracked();
                                view! {
                                    <ul class="slot-grid" aria-label=x("booking-free-times")>
                                        {list.into_iter().map(|s| view! {
                                            <li><a class="slot" href=Choice { slot: Some(s.starts_at), ..c.clone() }.href(&slug)>{s.label}</a></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }
                            Err(e) => view! { <p class="error-box" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// The posted form that was refused, when the server draws the page again
/// for a browser without the WASM (only the server has it; the hydrating
/// page reads it from the resource below).
fn posted_booking() -> Option<PostedBooking> {
    #[cfg(feature = "ssr")]
    {
        use_context::<PostedBooking>()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
fn DetailsStep(info: StoredValue<BookingPageInfo>, choice: Memo<Choice>) -> impl IntoView {
    let posted_now = posted_booking();
    let posted = Resource::new(
        || (),
        move |_| {
            let p = posted_now.clone();
            async move { p }
        },
    );
    view! {
        <Chosen info choice upto=Step::Details />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let posted = posted.await;
                view! { <DetailsForm info choice posted /> }
            })}
        </Suspense>
    }
}

#[component]
fn DetailsForm(info: StoredValue<BookingPageInfo>, choice: Memo<Choice>, posted: Option<PostedBooking>) -> impl IntoView {
    let (lang, slug) = info.with_value(|i| (i.language, i.store_slug.clone()));
    let x = move |k: &str| text(lang, k);
    let c = choice.get_untracked();
    let before = posted.as_ref().map(|p| p.request.clone()).unwrap_or(BookingRequest {
        remind_by_email: true,
        notify_attendees: true,
        ..Default::default()
    });
    #[cfg(feature = "ssr")]
    if let (Some(p), Some(res)) = (&posted, use_context::<leptos_axum::ResponseOptions>()) {
        res.set_status(axum::http::StatusCode::from_u16(p.error.status()).unwrap_or(axum::http::StatusCode::UNPROCESSABLE_ENTITY));
    }
    let name = RwSignal::new(before.name.clone());
    let email = RwSignal::new(before.email.clone());
    let mobile = RwSignal::new(before.mobile.clone());
    let notes = RwSignal::new(before.notes.clone());
    let remind_email = RwSignal::new(before.remind_by_email);
    let remind_sms = RwSignal::new(before.remind_by_sms);
    // People coming along: each row's name and email (added with the WASM only).
    let guests = RwSignal::new(Vec::<(RwSignal<String>, RwSignal<String>)>::new());
    let notify_guests = RwSignal::new(true);
    let submit = Action::new(move |req: &BookingRequest| {
        let req = req.clone();
        async move { book(req).await }
    });
    let posted_error = posted.map(|p| p.error);
    let error = Signal::derive(move || match submit.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => posted_error.clone(),
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(c)) = submit.value().get() {
            navigate(&format!("{}?booked=1", c.tracking_path), Default::default());
        }
    });
    let err = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let invalid = move |f: &'static str| move || err(f).get().is_some();
    let general_error = move || {
        error.with(|e| match e {
            // Shown next to their fields instead.
            Some(AppError::Invalid { fields, .. })
                if fields
                    .iter()
                    .all(|f| ["name", "email", "mobile", "notes"].contains(&f.field.as_str()) || f.field.starts_with("attendees")) =>
            {
                None
            }
            Some(e) => Some(e.to_string()),
            None => None,
        })
    };
    let taken = move || matches!(error.get(), Some(AppError::SlotTaken));
    let store = slug.clone();
    let service_id = c.service.unwrap_or_default();
    let starts_at = c.slot.unwrap_or_default();
    let associate_id = c.associate;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(BookingRequest {
            store: store.clone(),
            service_id,
            starts_at,
            associate_id,
            name: name.get_untracked(),
            email: email.get_untracked(),
            mobile: mobile.get_untracked(),
            language: lang.code().to_string(),
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
    let other_time = Choice { slot: None, ..c.clone() }.href(&slug);
    view! {
        <section aria-labelledby="step-title">
            <h2 id="step-title">{x("booking-your-details")}</h2>
            <form class="form booking" method="post" action=format!("/book/{slug}") on:submit=on_submit novalidate>
                <input type="hidden" name="service_id" value=service_id.to_string() />
                <input type="hidden" name="starts_at" value=starts_at.secs().to_string() />
                <input type="hidden" name="associate_id" value=associate_id.map(|a| a.to_string()).unwrap_or_default() />
                <input type="hidden" name="language" value=lang.code() />
                <input type="hidden" name="date" value=c.date.clone().unwrap_or_default() />

                <label for="name">{x("booking-name")}</label>
                <input id="name" name="name" autocomplete="name" maxlength="100" required aria-describedby="name-error" aria-invalid=invalid("name")
                    value=before.name.clone() on:input=move |ev| name.set(event_target_value(&ev)) />
                <FieldMessage id="name-error" message=err("name") />

                <label for="email">{x("booking-email")}</label>
                <input id="email" name="email" type="email" autocomplete="email" aria-describedby="email-error" aria-invalid=invalid("email")
                    value=before.email.clone() on:input=move |ev| email.set(event_target_value(&ev)) />
                <FieldMessage id="email-error" message=err("email") />

                <label for="mobile">{x("booking-mobile")}</label>
                <input id="mobile" name="mobile" type="tel" autocomplete="tel" placeholder="+44 7700 900123" aria-describedby="mobile-error" aria-invalid=invalid("mobile")
                    value=before.mobile.clone() on:input=move |ev| mobile.set(event_target_value(&ev)) />
                <FieldMessage id="mobile-error" message=err("mobile") />

                <fieldset class="checks">
                    <legend>{x("booking-reminders")}</legend>
                    <label><input type="checkbox" name="remind_by_email" checked=before.remind_by_email
                        on:change=move |ev| remind_email.set(event_target_checked(&ev)) />{x("booking-remind-email")}</label>
                    <label><input type="checkbox" name="remind_by_sms" checked=before.remind_by_sms
                        on:change=move |ev| remind_sms.set(event_target_checked(&ev)) />{x("booking-remind-sms")}</label>
                </fieldset>

                <fieldset class="guests" aria-describedby="attendees-error">
                    <legend>{x("booking-guests")}</legend>
                    {move || guests.get().into_iter().enumerate().map(|(i, (n, e))| view! {
                        <div class="guest">
                            <label for=format!("guest-{i}-name")>{tr(lang, "booking-guest-name", &Args::new().with("n", i + 1))}</label>
                            <input id=format!("guest-{i}-name") maxlength="100" prop:value=n on:input=move |ev| n.set(event_target_value(&ev)) />
                            <label for=format!("guest-{i}-email")>{tr(lang, "booking-guest-email", &Args::new().with("n", i + 1))}</label>
                            <input id=format!("guest-{i}-email") type="email" prop:value=e on:input=move |ev| e.set(event_target_value(&ev)) />
                            <button type="button" class="secondary" on:click=move |_| guests.update(|g| { g.remove(i); })>{x("booking-guest-remove")}</button>
                        </div>
                    }).collect_view()}
                    <FieldMessage id="attendees-error" message=Signal::derive(move || {
                        error.with(|e| match e {
                            Some(e @ AppError::Invalid { .. }) => e.field_message_prefixed("attendees"),
                            _ => None,
                        })
                    }) />
                    <button type="button" class="secondary" disabled=move || guests.with(|g| g.len() >= 5)
                        on:click=move |_| guests.update(|g| g.push((RwSignal::new(String::new()), RwSignal::new(String::new()))))>
                        {x("booking-guest-add")}
                    </button>
                    <Show when=move || guests.with(|g| !g.is_empty())>
                        <label><input type="checkbox" prop:checked=notify_guests on:change=move |ev| notify_guests.set(event_target_checked(&ev)) />{x("booking-guest-notify")}</label>
                    </Show>
                </fieldset>

                <label for="notes">{x("booking-notes")}</label>
                <textarea id="notes" name="notes" rows="3" maxlength="2000" aria-describedby="notes-error"
                    on:input=move |ev| notes.set(event_target_value(&ev))>{before.notes.clone()}</textarea>
                <FieldMessage id="notes-error" message=err("notes") />

                {move || general_error().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
                {
                    let other_time = other_time.clone();
                    move || taken().then(|| view! { <p><a class="button" href=other_time.clone()>{x("booking-other-time")}</a></p> })
                }
                <button type="submit" class="primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { x("booking-sending") } else { x("booking-submit") }}
                </button>
            </form>
        </section>
    }
}
