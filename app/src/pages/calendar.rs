//! The staff calendar, `/staff/calendar`: a store's day with a column per
//! associate (a manager's view; an associate sees their own), or its week
//! with a column per day, in rows of half an hour. Every choice is in the
//! address (a GET form and links), and the grid is fetched again whenever
//! the live channel says an appointment changed.

use super::ErrorBox;
use crate::api::calendar;
use crate::live::Live;
use crate::model::{CalendarQuery, CalendarView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const ROW_MINUTES: i64 = 30;

fn href(v: &CalendarView, date: &str, week: bool) -> String {
    let mut q = format!("/staff/calendar?store={}&date={date}", v.store_id);
    if week {
        q.push_str("&view=week");
        if let Some(a) = v.associate_id {
            q.push_str(&format!("&associate={a}"));
        }
    }
    q
}

fn clock(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let live = expect_context::<Live>();
    let query = use_query_map();
    let wanted = Memo::new(move |_| {
        query.with(|q| CalendarQuery {
            store_id: q.get("store").and_then(|s| s.parse().ok()),
            date: q.get("date").unwrap_or_default(),
            week: q.get("view").as_deref() == Some("week"),
            associate_id: q.get("associate").and_then(|a| a.parse().ok()),
        })
    });
    let grid = Resource::new(move || (live.changes.get(), wanted.get()), |(_, q)| calendar(q));
    view! {
        <Title text="Calendar · Frontdesk" />
        <h1>"Calendar"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match grid.await {
                    Ok(v) => view! { <Grid v /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Grid(v: CalendarView) -> impl IntoView {
    let rows: Vec<i64> = (v.first_minute..v.last_minute).step_by(ROW_MINUTES as usize).collect();
    let columns = v.columns.clone();
    let week = v.week;
    view! {
        <form class="filters" method="get" action="/staff/calendar" aria-label="Calendar view">
            {(v.stores.len() > 1).then(|| view! {
                <div>
                    <label for="cal-store">"Store"</label>
                    <select id="cal-store" name="store">
                        {v.stores.iter().map(|(id, name)| view! { <option value=id.to_string() selected=*id == v.store_id>{name.clone()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            {(v.stores.len() <= 1).then(|| view! { <input type="hidden" name="store" value=v.store_id.to_string() /> })}
            <div>
                <label for="cal-date">"Day"</label>
                <input id="cal-date" name="date" type="date" value=v.date.clone() />
            </div>
            <div>
                <label for="cal-view">"Show"</label>
                <select id="cal-view" name="view">
                    <option value="day" selected=!week>"Day"</option>
                    <option value="week" selected=week>"Week"</option>
                </select>
            </div>
            {(!v.associates.is_empty()).then(|| view! {
                <div>
                    <label for="cal-associate">"Week of"</label>
                    <select id="cal-associate" name="associate">
                        <option value="">"Everyone"</option>
                        {v.associates.iter().map(|a| view! { <option value=a.id.to_string() selected=v.associate_id == Some(a.id)>{a.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <div class="filter-actions"><button type="submit">"Show"</button></div>
        </form>
        <nav class="calendar-nav" aria-label="Move the calendar">
            <a class="button" href=href(&v, &v.previous, week)>{if week { "‹ Previous week" } else { "‹ Previous day" }}</a>
            <a class="button" href=href(&v, &v.today, week)>"Today"</a>
            <a class="button" href=href(&v, &v.next, week)>{if week { "Next week ›" } else { "Next day ›" }}</a>
            <a class="button" href=href(&v, &v.date, !week)>{if week { "Day view" } else { "Week view" }}</a>
        </nav>
        <h2>{v.title.clone()} " · " {v.store_name.clone()}</h2>
        {columns.is_empty().then(|| view! { <p class="empty">"This store has no associates yet."</p> })}
        // Focusable, so a keyboard can scroll a grid wider than the screen.
        <div class="schedule-wrap" tabindex="0" role="region" aria-label="Calendar grid">
            <table class="schedule" aria-label="Schedule">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        {columns.iter().map(|c| view! { <th scope="col">{c.heading.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let end = row + ROW_MINUTES;
                        view! {
                            <tr>
                                <th scope="row">{clock(row)}</th>
                                {columns.iter().map(|c| {
                                    let starting: Vec<_> = c.items.iter().filter(|i| i.start_minute >= row && i.start_minute < end).cloned().collect();
                                    // A booking that began earlier and runs on through this row.
                                    let busy = c.items.iter().any(|i| i.start_minute < row && i.end_minute > row);
                                    view! {
                                        <td class:busy=busy>
                                            {starting.into_iter().map(|i| view! {
                                                <a class=format!("booking status-{}", i.status.as_str()) href=format!("/staff/appointments/{}", i.id)>
                                                    <span class="booking-time">{i.time.clone()}</span>
                                                    <span class="booking-who">{i.client_name.clone()}</span>
                                                    <span class="booking-what">{i.service.clone()}
                                                        {(week).then(|| i.associate_name.clone().map(|a| format!(" · {a}"))).flatten()}</span>
                                                </a>
                                            }).collect_view()}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
