//! Payments as pages show them: the appointment page's list with what staff
//! may do, and the open links on the client's tracking page.

use crate::backend::store::{self, Conn};
use crate::domain::ids::{AppointmentId, ServiceId, StoreId};
use crate::domain::payments::PaymentStatus;
use crate::error::AppError;
use crate::model::{ClientPaymentView, Me, PaymentView, RefundView};
use crate::rules::access::{decide, Action, AppointmentAction, Decision};
use std::collections::HashMap;

/// Hundredths as an amount field shows them: "45.00".
fn field_amount(hundredths: i64) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

pub struct StaffPayments {
    pub payments: Vec<PaymentView>,
    pub can_request: bool,
    pub can_refund: bool,
    pub default_amount: String,
}

pub async fn for_staff(
    conn: &mut Conn,
    me: &Me,
    store_id: StoreId,
    associate: Option<crate::domain::ids::StaffId>,
    appointment: AppointmentId,
    service: ServiceId,
) -> Result<StaffPayments, AppError> {
    let may = |action| {
        decide(
            me,
            Action::Appointment {
                action,
                store: store_id,
                associate,
            },
        ) == Decision::Allowed
    };
    let connected = store::payments::account(conn, store_id).await?.is_some();
    let mut refunds: HashMap<_, Vec<store::payments::Refund>> = HashMap::new();
    for r in store::payments::refunds_of_appointment(conn, appointment).await? {
        refunds.entry(r.payment_id).or_default().push(r);
    }
    let payments = store::payments::of_appointment(conn, appointment)
        .await?
        .into_iter()
        .map(|p| {
            let left = p.amount - p.refunded;
            PaymentView {
                id: p.id,
                amount: p.currency.amount(p.amount),
                status: p.status,
                note: p.note,
                pay_url: p.pay_url,
                requested_at: p.created_at,
                paid_at: p.paid_at,
                refunded: (p.refunded > 0).then(|| p.currency.amount(p.refunded)),
                refundable: if p.status == PaymentStatus::Paid && left > 0 {
                    field_amount(left)
                } else {
                    String::new()
                },
                refunds: refunds
                    .remove(&p.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| RefundView {
                        amount: p.currency.amount(r.amount),
                        status: r.status,
                        at: r.created_at,
                    })
                    .collect(),
            }
        })
        .collect();
    let price = store::services::by_id(conn, service)
        .await?
        .map(|(_, s)| s.price_cents)
        .unwrap_or_default();
    Ok(StaffPayments {
        payments,
        can_request: connected && may(AppointmentAction::RequestPayment),
        can_refund: connected && may(AppointmentAction::Refund),
        default_amount: if price > 0 { field_amount(price) } else { String::new() },
    })
}

/// What the client is asked to pay, and where, newest first.
pub async fn for_client(conn: &mut Conn, appointment: AppointmentId) -> Result<Vec<ClientPaymentView>, AppError> {
    Ok(store::payments::of_appointment(conn, appointment)
        .await?
        .into_iter()
        .filter(|p| p.status != PaymentStatus::Expired)
        .map(|p| ClientPaymentView {
            amount: p.currency.amount(p.amount),
            note: p.note,
            status: p.status,
            pay_url: (p.status == PaymentStatus::Open).then_some(p.pay_url),
        })
        .collect())
}

/// Setup's view of a store's provider: connected since when, and the URL Stripe posts to.
pub async fn account(state: &crate::backend::AppState, me: &Me, store_id: StoreId) -> Result<crate::model::PaymentAccountView, AppError> {
    crate::backend::commands::allow(me, Action::Stores, "No such store.")?;
    let account = store::payments::account(&mut *state.db.reader().await?, store_id).await?;
    Ok(crate::model::PaymentAccountView {
        connected_at: account.map(|a| a.connected_at),
        webhook_url: format!("{}/hooks/stripe/{store_id}", state.config.public_url.trim_end_matches('/')),
    })
}
