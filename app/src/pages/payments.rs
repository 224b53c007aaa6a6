//! Payments on staff pages: the appointment's payments (ask for one, refund
//! one) and a store's payment provider in Setup.

use super::{field_error, other_error, relative_time, FieldMessage};
use crate::api::{connect_payments, disconnect_payments, refund_payment, request_payment};
use crate::domain::ids::{AppointmentId, PaymentId, StoreId};
use crate::domain::payments::{PaymentStatus, RefundStatus};
use crate::live::Live;
use crate::model::{AppointmentDetail, PaymentAccountView, PaymentView};
use leptos::prelude::*;

fn status_label(s: PaymentStatus) -> &'static str {
    match s {
        PaymentStatus::Open => "Waiting for the client",
        PaymentStatus::Paid => "Paid",
        PaymentStatus::Expired => "Expired unpaid",
    }
}

fn refund_label(s: RefundStatus) -> &'static str {
    match s {
        RefundStatus::Pending => "pending",
        RefundStatus::Succeeded => "refunded",
        RefundStatus::Failed => "failed",
    }
}

/// Which appointment a payment link was just sent for. Kept by the
/// appointment page, outside what it redraws: sending a link changes the
/// appointment, so the page refetches and draws this section anew at once,
/// and the word that it was sent must outlive that.
#[derive(Clone, Copy)]
pub struct LinkSent(pub RwSignal<Option<AppointmentId>>);

/// The appointment page's payments: the list, a payment link form, refunds.
#[component]
pub fn AppointmentPayments(detail: AppointmentDetail) -> impl IntoView {
    let live = expect_context::<Live>();
    let sent = use_context::<LinkSent>().unwrap_or_else(|| LinkSent(RwSignal::new(None))).0;
    let appointment: AppointmentId = detail.appointment.id;
    let amount = RwSignal::new(detail.default_amount.clone());
    let note = RwSignal::new(String::new());
    let ask = Action::new(move |(a, n): &(String, String)| {
        let (a, n) = (a.clone(), n.clone());
        async move {
            let answer = request_payment(appointment, a, n).await;
            // Here, not in an effect: the live channel may redraw this
            // section (and drop its effects) before the answer comes.
            if answer.is_ok() {
                sent.set(Some(appointment));
            }
            answer
        }
    });
    Effect::new(move |_| {
        if matches!(ask.value().get(), Some(Ok(_))) {
            note.set(String::new());
            live.changes.update(|c| *c += 1);
        }
    });
    let err = move |f: &'static str| Signal::derive(move || ask.value().with(|v| field_error(v, f)));
    let can_refund = detail.can_refund;
    let nothing = detail.payments.is_empty();
    let can_request = detail.can_request_payment && detail.appointment.is_open();
    view! {
        <section class="payments" aria-label="Payments">
            <h2>"Payments"</h2>
            {nothing.then(|| view! { <p class="muted">"No payment asked for yet."</p> })}
            <ul class="payment-list">
                {detail.payments.into_iter().map(|p| view! { <PaymentItem p can_refund /> }).collect_view()}
            </ul>
            {can_request.then(|| view! {
                <form class="form inline-form" aria-label="Ask for a payment" on:submit=move |ev| {
                    ev.prevent_default();
                    sent.set(None);
                    ask.dispatch((amount.get_untracked(), note.get_untracked()));
                }>
                    <label for="payment-amount">"Amount"</label>
                    <input id="payment-amount" inputmode="decimal" autocomplete="off" prop:value=amount
                        aria-describedby="amount-error" on:input=move |ev| amount.set(event_target_value(&ev)) />
                    <FieldMessage id="amount-error" message=err("amount") />
                    <label for="payment-note">"Note for the client (optional)"</label>
                    <input id="payment-note" maxlength="500" prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
                    <FieldMessage id="note-error" message=err("note") />
                    {move || ask.value().with(|v| other_error(v, &["amount", "note"])).map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
                    {move || (sent.get() == Some(appointment)).then(|| view! { <p class="saved" role="status">"Payment link sent to the client."</p> })}
                    <button type="submit" class="primary" disabled=move || ask.pending().get()>"Send payment link"</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn PaymentItem(p: PaymentView, can_refund: bool) -> impl IntoView {
    let live = expect_context::<Live>();
    let id: PaymentId = p.id;
    let amount = RwSignal::new(p.refundable.clone());
    let refund = Action::new(move |a: &String| {
        let a = a.clone();
        async move { refund_payment(id, a).await }
    });
    Effect::new(move |_| {
        if matches!(refund.value().get(), Some(Ok(()))) {
            live.changes.update(|c| *c += 1);
        }
    });
    let refundable = can_refund && !p.refundable.is_empty();
    let when = match p.paid_at {
        Some(t) => format!("paid {}", relative_time(t)),
        None => format!("asked {}", relative_time(p.requested_at)),
    };
    view! {
        <li class=format!("payment payment-{}", p.status.as_str())>
            <strong>{p.amount.clone()}</strong> " · " {status_label(p.status)} " · " <span class="muted">{when}</span>
            {p.refunded.clone().map(|r| view! { " · refunded " {r} })}
            {(!p.note.is_empty()).then(|| view! { <br /> <span class="muted">{p.note.clone()}</span> })}
            {(p.status == PaymentStatus::Open).then(|| view! { <br /> <a href=p.pay_url.clone() rel="external noopener" target="_blank">"Payment page"</a> })}
            {(!p.refunds.is_empty()).then(|| view! {
                <ul class="refunds" aria-label="Refunds">
                    {p.refunds.iter().map(|r| view! { <li>{format!("Refund {} · {} · {}", r.amount, refund_label(r.status), relative_time(r.at))}</li> }).collect_view()}
                </ul>
            })}
            {refundable.then(|| view! {
                <form class="form inline-form" aria-label=format!("Refund {}", p.amount) on:submit=move |ev| {
                    ev.prevent_default();
                    refund.dispatch(amount.get_untracked());
                }>
                    <label for=format!("refund-{id}")>"Amount to refund"</label>
                    <input id=format!("refund-{id}") inputmode="decimal" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
                    <FieldMessage id="refund-amount-error" message=Signal::derive(move || refund.value().with(|v| field_error(v, "amount"))) />
                    {move || refund.value().with(|v| other_error(v, &["amount"])).map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
                    {move || matches!(refund.value().get(), Some(Ok(()))).then(|| view! { <p class="saved" role="status">"Refund asked of Stripe; it shows here when Stripe confirms it."</p> })}
                    <button type="submit" disabled=move || refund.pending().get()>"Refund"</button>
                </form>
            })}
        </li>
    }
}

/// Setup → a store: connect its Stripe account (admins). Starts from what
/// the store's setup page loaded; each action answers the account as it now is.
#[component]
pub fn PaymentProvider(store_id: StoreId, account: PaymentAccountView) -> impl IntoView {
    let webhook_url = account.webhook_url.clone();
    let connected_at = RwSignal::new(account.connected_at);
    let secret_key = RwSignal::new(String::new());
    let webhook_secret = RwSignal::new(String::new());
    let connect = Action::new(move |(k, w): &(String, String)| {
        let (k, w) = (k.clone(), w.clone());
        async move { connect_payments(store_id, k, w).await }
    });
    let disconnect = Action::new(move |_: &()| disconnect_payments(store_id));
    Effect::new(move |_| {
        if let Some(Ok(a)) = connect.value().get() {
            // The secrets are stored; they are never shown again.
            secret_key.set(String::new());
            webhook_secret.set(String::new());
            connected_at.set(a.connected_at);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(a)) = disconnect.value().get() {
            connected_at.set(a.connected_at);
        }
    });
    let err = move |f: &'static str| Signal::derive(move || connect.value().with(|v| field_error(v, f)));
    view! {
        <h2>"Payments"</h2>
        <p>"In Stripe's dashboard, add a webhook endpoint with this URL and the events "
            <code>"checkout.session.completed"</code> ", " <code>"checkout.session.expired"</code> " and " <code>"charge.refunded"</code> ":"</p>
        <p><code class="webhook-url">{webhook_url}</code></p>
        {move || match connected_at.get() {
            Some(t) => view! {
                <p class="ok-box" role="status">{format!("Stripe is connected (since {}). Staff can send payment links from an appointment.", relative_time(t))}</p>
                <button type="button" on:click=move |_| { disconnect.dispatch(()); }>"Disconnect Stripe"</button>
            }.into_any(),
            None => view! { <p class="muted">"No payment provider is connected."</p> }.into_any(),
        }}
        <form class="form" aria-label="Connect Stripe" on:submit=move |ev| {
            ev.prevent_default();
            connect.dispatch((secret_key.get_untracked(), webhook_secret.get_untracked()));
        }>
            <label for="stripe-secret-key">"Secret key"</label>
            <input id="stripe-secret-key" type="password" autocomplete="off" prop:value=secret_key
                aria-describedby="secret_key-error" on:input=move |ev| secret_key.set(event_target_value(&ev)) />
            <FieldMessage id="secret_key-error" message=err("secret_key") />
            <label for="stripe-webhook-secret">"Webhook signing secret"</label>
            <input id="stripe-webhook-secret" type="password" autocomplete="off" prop:value=webhook_secret
                aria-describedby="webhook_secret-error" on:input=move |ev| webhook_secret.set(event_target_value(&ev)) />
            <FieldMessage id="webhook_secret-error" message=err("webhook_secret") />
            {move || connect.value().with(|v| other_error(v, &["secret_key", "webhook_secret"])).map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
            {move || disconnect.value().with(|v| other_error(v, &[])).map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
            <button type="submit" class="primary" disabled=move || connect.pending().get()>"Connect Stripe"</button>
        </form>
    }
}
