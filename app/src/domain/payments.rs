//! Payments: what a store asks a client to pay, through which provider, and
//! where each payment and refund stands. Amounts are integer minor units of
//! the store's currency (`money`); nothing here is ever a float.

use super::ids::PaymentId;
use super::money::Currency;
use serde::{Deserialize, Serialize};

text_enum! {
    /// The payment providers a store can connect. Only Stripe for now: its
    /// Checkout Sessions and signed events are the protocol spoken.
    pub enum Provider {
        Stripe = "stripe",
    }
}

text_enum! {
    /// Where a payment stands.
    pub enum PaymentStatus {
        /// The link is out; the client has not paid.
        Open = "open",
        Paid = "paid",
        /// The provider closed the link unpaid (it expired).
        Expired = "expired",
    }
}

text_enum! {
    /// Where a refund stands, as the provider reports it.
    pub enum RefundStatus {
        Pending = "pending",
        Succeeded = "succeeded",
        Failed = "failed",
    }
}

impl RefundStatus {
    /// Stripe's refund statuses: `requires_action` still waits, `canceled` gave nothing back.
    pub fn from_stripe(status: &str) -> Self {
        match status {
            "succeeded" => RefundStatus::Succeeded,
            "failed" | "canceled" => RefundStatus::Failed,
            _ => RefundStatus::Pending,
        }
    }
}

/// A payment as an event carries it, so every channel says the same amount
/// without reading the payment again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentFacts {
    pub id: PaymentId,
    /// The payment's amount, in minor units.
    pub amount: i64,
    pub currency: Currency,
    /// For a refund event: how much this refund gave back; else zero.
    #[serde(default)]
    pub refunded: i64,
    /// What staff wrote for the client ("Deposit for the colour").
    #[serde(default)]
    pub note: String,
    /// Where the client pays (the provider's hosted page).
    #[serde(default)]
    pub pay_url: String,
    /// The provider's reference for the payment (Stripe's PaymentIntent), once paid.
    #[serde(default)]
    pub provider_reference: Option<String>,
}

impl PaymentFacts {
    /// "£45.00".
    pub fn amount_words(&self) -> String {
        self.currency.amount(self.amount)
    }
    /// "£10.00" given back.
    pub fn refunded_words(&self) -> String {
        self.currency.amount(self.refunded)
    }
}
