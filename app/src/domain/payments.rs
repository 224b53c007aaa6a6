//! Payments: what a store asks a client to pay, through which provider, and
//! where each payment and refund stands. Amounts are integer minor units of
//! the store's currency (`money`); nothing here is ever a float.

use super::ids::PaymentId;
use super::money::Currency;
use super::time::UnixTime;
use serde::{Deserialize, Serialize};

text_enum! {
    /// The payment providers a store can connect. Only Stripe for now: its
    /// Checkout Sessions and signed events are the protocol spoken.
    pub enum Provider {
        Stripe = "stripe",
    }
}

text_enum! {
    /// What a payment is for.
    #[derive(Default)]
    pub enum PaymentPurpose {
        /// Staff sent a payment link from the appointment.
        #[default]
        Link = "link",
        /// The deposit an online booking waits for before it counts.
        Deposit = "deposit",
    }
}

text_enum! {
    /// A store's rule for deposits at online booking, as stored (`stores.deposit_rule`).
    #[derive(Default)]
    pub enum DepositRuleKind {
        #[default]
        None = "none",
        /// A fixed amount (`stores.deposit_amount`), at most the service's price.
        Amount = "amount",
        /// The service's whole price.
        Full = "full",
    }
}

/// What a store asks of a client booking online before the booking counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepositRule {
    None,
    /// This many minor units (a service cheaper than that is asked its price).
    Amount(i64),
    FullPrice,
}

impl DepositRule {
    /// The rule as its two columns store it.
    pub fn from_columns(kind: DepositRuleKind, amount: i64) -> Self {
        match kind {
            DepositRuleKind::None => DepositRule::None,
            DepositRuleKind::Amount => DepositRule::Amount(amount),
            DepositRuleKind::Full => DepositRule::FullPrice,
        }
    }

    /// How much a booking of a service at `price` must pay before it counts,
    /// or `None` when it counts at once (no rule, or a free service: nothing
    /// to take a deposit of).
    pub fn due(self, price: i64) -> Option<i64> {
        let amount = match self {
            DepositRule::None => 0,
            DepositRule::Amount(a) => a.min(price),
            DepositRule::FullPrice => price,
        };
        (amount > 0).then_some(amount)
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
    /// A deposit: until when its booking is held.
    #[serde(default)]
    pub due_by: Option<UnixTime>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deposit_due_follows_the_rule_and_the_price() {
        let cases = [
            // (rule, price, due)
            (DepositRule::None, 4500, None),
            (DepositRule::Amount(1000), 4500, Some(1000)),
            (DepositRule::Amount(1000), 600, Some(600)),
            (DepositRule::Amount(1000), 0, None),
            (DepositRule::Amount(0), 4500, None),
            (DepositRule::FullPrice, 4500, Some(4500)),
            (DepositRule::FullPrice, 0, None),
        ];
        for (rule, price, due) in cases {
            assert_eq!(rule.due(price), due, "{rule:?} of {price}");
        }
    }

    #[test]
    fn a_rule_reads_back_from_its_columns() {
        assert_eq!(DepositRule::from_columns(DepositRuleKind::None, 500), DepositRule::None);
        assert_eq!(DepositRule::from_columns(DepositRuleKind::Amount, 500), DepositRule::Amount(500));
        assert_eq!(DepositRule::from_columns(DepositRuleKind::Full, 0), DepositRule::FullPrice);
    }
}
