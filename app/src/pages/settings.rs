//! Setup → Stores → a store → Notifications.

use super::{ErrorBox, FieldMessage};
use crate::api::{save_store_settings, store_settings};
use crate::domain::ids::StoreId;
use crate::domain::messages::SentBy;
use crate::domain::payments::DepositRuleKind;
use crate::domain::staff::{ApprovalMode, StoreRole};
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StoresPage() -> impl IntoView {
    let me = expect_context::<Me>();
    let stores: Vec<MyStore> = me
        .stores
        .iter()
        .filter(|s| me.is_admin || s.role == StoreRole::Manager)
        .cloned()
        .collect();
    let admin = me.is_admin;
    view! {
        <Title text="Stores · Frontdesk" />
        <h1>"Stores"</h1>
        <p><a href="/staff/people">"Staff: invite people, roles, deactivate"</a></p>
        {if stores.is_empty() {
            view! { <p class="empty">"You do not manage any store."</p> }.into_any()
        } else {
            view! {
                <ul class="stores" aria-label="Stores">
                    {stores.into_iter().map(|s| view! {
                        <li class="store-row">
                            <span class="store-name">{s.name.clone()}</span>
                            {me.is_admin.then(|| view! { <a href=format!("/staff/stores/{}", s.id)>"Profile and hours"</a> })}
                            <a href=format!("/staff/stores/{}/services", s.id)>"Services"</a>
                            <a href=format!("/staff/stores/{}/notifications", s.id)>"Notifications"</a>
                            <a href=format!("/book/{}", s.slug)>"Public booking page"</a>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {admin.then(|| view! { <super::setup::NewStoreForm /> })}
    }
}

#[component]
pub fn StoreSettingsPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse().ok()).unwrap_or(StoreId(0)));
    let page = Resource::new(id, store_settings);
    view! {
        <Title text="Notification settings · Frontdesk" />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <SettingsForm p /> }.into_any(),
                    Err(e) => view! { <h1>"Notification settings"</h1> <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NumberField(id: &'static str, label: &'static str, value: RwSignal<i64>, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id type="number" inputmode="numeric" prop:value=move || value.get().to_string()
            on:input=move |ev| value.set(event_target_value(&ev).trim().parse().unwrap_or(-1)) />
        <FieldMessage id=id message=error />
    }
}

#[component]
fn SettingsForm(p: StoreSettingsPage) -> AnyView {
    let s = p.settings.clone();
    let store_id = s.store_id;
    let all = RwSignal::new(s.notify_all_managers);
    let selected = RwSignal::new(s.notified_managers.clone());
    let unassigned_messages = RwSignal::new(s.notify_unassigned_messages);
    let overdue = RwSignal::new(s.notify_overdue_conversations);
    let overdue_minutes = RwSignal::new(s.overdue_conversation_minutes);
    let escalation = RwSignal::new(s.escalation_minutes);
    let approval = RwSignal::new(s.approval_mode.clone());
    let reminder = RwSignal::new(s.reminder_lead_hours);
    let recall = RwSignal::new(s.recall_days);
    let thank_you = RwSignal::new(s.thank_you_enabled);
    let cutoff = RwSignal::new(s.client_cutoff_hours);
    let sent_by = RwSignal::new(s.client_messages_sent_by);
    let deposit_rule = RwSignal::new(s.deposit_rule);
    let deposit_amount = RwSignal::new(s.deposit_amount.clone());
    let hold_minutes = RwSignal::new(s.deposit_hold_minutes);
    let payments_connected = p.payments_connected;
    let currency = p.currency;
    let save = Action::new(|f: &StoreSettingsForm| {
        let f = f.clone();
        async move { save_store_settings(f).await }
    });
    let err = move |f: &'static str| Signal::derive(move || save.value().with(|v| super::field_error(v, f)));
    let managers = p.managers.clone();
    view! {
        <h1>{p.store_name.clone()} ": notifications"</h1>
        <form class="form settings" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(StoreSettingsForm {
                store_id,
                notify_all_managers: all.get_untracked(),
                notified_managers: selected.get_untracked(),
                notify_unassigned_messages: unassigned_messages.get_untracked(),
                notify_overdue_conversations: overdue.get_untracked(),
                overdue_conversation_minutes: overdue_minutes.get_untracked(),
                escalation_minutes: escalation.get_untracked(),
                approval_mode: approval.get_untracked(),
                reminder_lead_hours: reminder.get_untracked(),
                recall_days: recall.get_untracked(),
                thank_you_enabled: thank_you.get_untracked(),
                client_cutoff_hours: cutoff.get_untracked(),
                client_messages_sent_by: sent_by.get_untracked(),
                deposit_rule: deposit_rule.get_untracked(),
                deposit_amount: deposit_amount.get_untracked(),
                deposit_hold_minutes: hold_minutes.get_untracked(),
            });
        }>
            <fieldset>
                <legend>"New appointment requests"</legend>
                <label class="check"><input type="radio" name="who" prop:checked=all on:change=move |_| all.set(true) />"Notify all managers"</label>
                <label class="check"><input type="radio" name="who" prop:checked=move || !all.get() on:change=move |_| all.set(false) />"Notify only selected managers"</label>
                <div class="picker" role="group" aria-label="Managers to notify">
                    {managers.into_iter().map(|m| {
                        let mid = m.id;
                        view! {
                            <label class="check">
                                <input type="checkbox" disabled=move || all.get() prop:checked=move || selected.with(|s| s.contains(&mid))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        selected.update(|s| { s.retain(|x| *x != mid); if on { s.push(mid); } });
                                    } />
                                {m.name}
                            </label>
                        }
                    }).collect_view()}
                </div>
                <FieldMessage id="notified_managers" message=err("notified_managers") />
            </fieldset>
            <NumberField id="escalation_minutes" label="Remind managers of unassigned requests after (minutes)" value=escalation error=err("escalation_minutes") />
            <label for="approval_mode">"Approval of online requests"</label>
            <select id="approval_mode" on:change=move |ev| approval.set(event_target_value(&ev))>
                <option value="manual" selected=move || approval.get() == ApprovalMode::Manual.as_str()>"Manual: a manager approves each request"</option>
                <option value="automatic" selected=move || approval.get() == ApprovalMode::Automatic.as_str()>"Automatic: requests are confirmed at once"</option>
            </select>
            <FieldMessage id="approval_mode-error" message=err("approval_mode") />
            <fieldset>
                <legend>"Conversations"</legend>
                <label class="check"><input type="checkbox" prop:checked=unassigned_messages on:change=move |ev| unassigned_messages.set(event_target_checked(&ev)) />"Notify managers of messages nobody is assigned to"</label>
                <label class="check"><input type="checkbox" prop:checked=overdue on:change=move |ev| overdue.set(event_target_checked(&ev)) />"Notify associates of overdue conversations"</label>
            </fieldset>
            <NumberField id="overdue_conversation_minutes" label="A conversation is overdue after (minutes)" value=overdue_minutes error=err("overdue_conversation_minutes") />
            <NumberField id="reminder_lead_hours" label="Send client reminders before the appointment (hours)" value=reminder error=err("reminder_lead_hours") />
            <NumberField id="recall_days" label="Invite clients to book again after (days)" value=recall error=err("recall_days") />
            <NumberField id="client_cutoff_hours" label="Clients can change or cancel online until (hours before)" value=cutoff error=err("client_cutoff_hours") />
            <label class="check"><input type="checkbox" prop:checked=thank_you on:change=move |ev| thank_you.set(event_target_checked(&ev)) />"Send thank-you messages after completed appointments"</label>
            <fieldset>
                <legend>"Client messages"</legend>
                <label class="check"><input type="radio" name="sent_by" prop:checked=move || sent_by.get() == SentBy::Frontdesk on:change=move |_| sent_by.set(SentBy::Frontdesk) />"Sent by Frontdesk (email and SMS)"</label>
                <label class="check"><input type="radio" name="sent_by" prop:checked=move || sent_by.get() == SentBy::Integration on:change=move |_| sent_by.set(SentBy::Integration) />"Sent by our own tools from webhooks: Frontdesk sends none"</label>
            </fieldset>
            <fieldset>
                <legend>"Deposit at online booking"</legend>
                {(!payments_connected).then(|| view! {
                    <p class="muted">"Deposits are paid through the store's payment provider: an admin connects Stripe in Setup → Stores first."</p>
                })}
                {DepositRuleKind::ALL.into_iter().map(|kind| {
                    let label = match kind {
                        DepositRuleKind::None => "None: online bookings count at once",
                        DepositRuleKind::Amount => "A fixed deposit",
                        DepositRuleKind::Full => "The full price",
                    };
                    let initially = s.deposit_rule == kind;
                    view! {
                        <label class="check">
                            <input type="radio" name="deposit_rule" value=kind.as_str() checked=initially
                                prop:checked=move || deposit_rule.get() == kind on:change=move |_| deposit_rule.set(kind) />
                            {label}
                        </label>
                    }
                }).collect_view()}
                <FieldMessage id="deposit_rule" message=err("deposit_rule") />
                <label for="deposit_amount">{format!("Deposit amount ({})", currency.as_str())}</label>
                <input id="deposit_amount" inputmode="decimal" value=s.deposit_amount.clone() prop:value=deposit_amount
                    disabled=move || deposit_rule.get() != DepositRuleKind::Amount
                    on:input=move |ev| deposit_amount.set(event_target_value(&ev)) />
                <FieldMessage id="deposit_amount" message=err("deposit_amount") />
                <NumberField id="deposit_hold_minutes" label="Hold the time for the deposit for (minutes, 30 to 1440)" value=hold_minutes error=err("deposit_hold_minutes") />
                <p class="muted">"A booking waiting for its deposit keeps its time; nobody at the store is told of it until it is paid. Unpaid, its time is released and the client is told."</p>
            </fieldset>
            {move || match save.value().get() {
                Some(Ok(())) => Some(view! { <p class="ok-box" role="status">"Saved. The next event uses these settings."</p> }.into_any()),
                Some(Err(e)) => Some(view! { <p class="error-box" role="alert">{e.to_string()}</p> }.into_any()),
                None => None,
            }}
            <button type="submit" class="primary" disabled=move || save.pending().get()>"Save settings"</button>
        </form>
        <super::TestMessageForm store_id />
    }
    .into_any()
}
