use crate::domain::ids::{AppointmentId, PaymentId, StoreId};
use crate::error::AppError;
use crate::model::PaymentAccountView;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Staff send the client a payment link: `amount` as typed (empty: the service's price).
#[server(endpoint = "request_payment", input = Json)]
pub async fn request_payment(appointment: AppointmentId, amount: String, note: String) -> Result<PaymentId, AppError> {
    super::run::staff(|state, me| async move { crate::backend::payments::request(&state, &me, appointment, &amount, &note).await }).await
}

/// A manager refunds a paid payment: `amount` as typed (empty: all that is left).
#[server(endpoint = "refund_payment", input = Json)]
pub async fn refund_payment(payment: PaymentId, amount: String) -> Result<(), AppError> {
    super::run::staff(|state, me| async move { crate::backend::payments::refund(&state, &me, payment, &amount).await }).await
}

/// Whether a store has a payment provider, and the webhook URL to give it.
#[server(endpoint = "payment_account", input = Json)]
pub async fn payment_account(store: StoreId) -> Result<PaymentAccountView, AppError> {
    super::run::staff(|state, me| async move { crate::backend::views::payments::account(&state, &me, store).await }).await
}

/// Connects the store's Stripe account; answers the store's provider as it now is.
#[server(endpoint = "connect_payments", input = Json)]
pub async fn connect_payments(store: StoreId, secret_key: String, webhook_secret: String) -> Result<PaymentAccountView, AppError> {
    super::run::staff(|state, me| async move {
        crate::backend::payments::connect(&state, &me, store, &secret_key, &webhook_secret).await?;
        crate::backend::views::payments::account(&state, &me, store).await
    })
    .await
}

/// Disconnects it; answers the store's provider as it now is (none).
#[server(endpoint = "disconnect_payments", input = Json)]
pub async fn disconnect_payments(store: StoreId) -> Result<PaymentAccountView, AppError> {
    super::run::staff(|state, me| async move {
        crate::backend::payments::disconnect(&state, &me, store).await?;
        crate::backend::views::payments::account(&state, &me, store).await
    })
    .await
}
