//! Stripe, spoken as its API documents it: Checkout Sessions and refunds
//! created over its REST API (form-encoded, the store's secret key as the
//! bearer, an `Idempotency-Key` on every create so a retried call makes one
//! object), and its signed events checked as its libraries check them
//! (`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`, the
//! endpoint's signing secret as the key, 5 minutes' tolerance).
//!
//! The API's base URL is a server setting (`--stripe-api`), so tests point it
//! at a local server that speaks the same protocol.

use crate::domain::money::Currency;
use crate::domain::time::UnixTime;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use std::time::Duration;

/// How far an event's timestamp may be from our clock (Stripe's libraries' default).
pub const TOLERANCE_S: i64 = 300;

pub struct Stripe {
    http: reqwest::Client,
    base: String,
}

/// What went wrong talking to Stripe, in words staff can act on.
#[derive(Debug)]
pub struct ProviderError(pub String);

impl From<ProviderError> for crate::error::AppError {
    fn from(e: ProviderError) -> Self {
        crate::error::AppError::Upstream(e.0)
    }
}

/// A Checkout Session, as far as Frontdesk reads it.
#[derive(Clone, Debug, Deserialize)]
pub struct Session {
    pub id: String,
    pub url: Option<String>,
    #[serde(default)]
    pub payment_intent: Option<String>,
    #[serde(default)]
    pub payment_status: String,
    #[serde(default)]
    pub amount_total: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Refund {
    pub id: String,
    pub amount: i64,
    pub status: String,
}

/// What a payment page asks for.
pub struct CheckoutRequest<'a> {
    pub amount: i64,
    pub currency: Currency,
    /// The line the client reads ("Haircut — Tue 24 Nov 2026, 10:30").
    pub description: &'a str,
    pub customer_email: Option<&'a str>,
    /// Stripe's Checkout locale ("en", "fr"); it has both.
    pub locale: &'a str,
    pub success_url: &'a str,
    pub cancel_url: &'a str,
    /// Ours: put in `client_reference_id` and `metadata[frontdesk_reference]`.
    pub reference: &'a str,
    pub idempotency_key: &'a str,
    /// When the page stops taking payment (Stripe allows 30 minutes to 24
    /// hours ahead; unset, 24 hours): a deposit's page closes with its hold.
    pub expires_at: Option<UnixTime>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}
#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: String,
}

impl Stripe {
    pub fn new(base: &str) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("payment client: {e}"))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_string(),
        })
    }

    async fn post<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        secret_key: &str,
        idempotency_key: &str,
        form: &[(String, String)],
    ) -> Result<T, ProviderError> {
        let answer = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(secret_key)
            .header("Idempotency-Key", idempotency_key)
            .form(form)
            .send()
            .await
            .map_err(|e| {
                tracing::warn!("Stripe {path}: {e}");
                ProviderError("Could not reach Stripe. Please try again.".into())
            })?;
        let status = answer.status();
        let body = answer
            .bytes()
            .await
            .map_err(|_| ProviderError("Stripe's answer was cut off. Please try again.".into()))?;
        if !status.is_success() {
            let said = serde_json::from_slice::<ErrorBody>(&body)
                .map(|b| b.error.message)
                .unwrap_or_default();
            return Err(ProviderError(if said.is_empty() {
                format!("Stripe refused the request ({status}).")
            } else {
                format!("Stripe refused the request: {said}")
            }));
        }
        serde_json::from_slice(&body).map_err(|e| {
            tracing::error!("Stripe {path} answered what we cannot read: {e}");
            ProviderError("Stripe answered something unexpected.".into())
        })
    }

    /// A hosted payment page for one amount (`POST /v1/checkout/sessions`, mode `payment`).
    pub async fn create_checkout(&self, secret_key: &str, r: &CheckoutRequest<'_>) -> Result<Session, ProviderError> {
        let mut form: Vec<(String, String)> = vec![
            ("mode".into(), "payment".into()),
            ("line_items[0][quantity]".into(), "1".into()),
            (
                "line_items[0][price_data][currency]".into(),
                r.currency.as_str().to_ascii_lowercase(),
            ),
            ("line_items[0][price_data][unit_amount]".into(), r.amount.to_string()),
            ("line_items[0][price_data][product_data][name]".into(), r.description.to_string()),
            ("success_url".into(), r.success_url.to_string()),
            ("cancel_url".into(), r.cancel_url.to_string()),
            ("client_reference_id".into(), r.reference.to_string()),
            ("metadata[frontdesk_reference]".into(), r.reference.to_string()),
            ("locale".into(), r.locale.to_string()),
        ];
        if let Some(email) = r.customer_email {
            form.push(("customer_email".into(), email.to_string()));
        }
        if let Some(at) = r.expires_at {
            form.push(("expires_at".into(), at.secs().to_string()));
        }
        let session: Session = self.post("/v1/checkout/sessions", secret_key, r.idempotency_key, &form).await?;
        if session.url.as_deref().unwrap_or_default().is_empty() {
            return Err(ProviderError("Stripe made no payment page for this session.".into()));
        }
        Ok(session)
    }

    /// Closes an open session so it can no longer be paid
    /// (`POST /v1/checkout/sessions/{id}/expire`): for a booking that was
    /// never written after its deposit page was made.
    pub async fn expire(&self, secret_key: &str, session: &str) -> Result<Session, ProviderError> {
        let path = format!("/v1/checkout/sessions/{session}/expire");
        self.post(&path, secret_key, &format!("fdexpire_{session}"), &[]).await
    }

    /// Gives back `amount` of a paid PaymentIntent (`POST /v1/refunds`).
    pub async fn refund(
        &self,
        secret_key: &str,
        payment_intent: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<Refund, ProviderError> {
        let form = vec![
            ("payment_intent".to_string(), payment_intent.to_string()),
            ("amount".to_string(), amount.to_string()),
        ];
        self.post("/v1/refunds", secret_key, idempotency_key, &form).await
    }
}

/// Why an event was not believed.
#[derive(Debug, PartialEq, Eq)]
pub enum SignatureRefused {
    /// No `t=` or no `v1=` in the header.
    Malformed,
    /// Outside the tolerance of our clock (a replay, or a clock far off).
    Stale,
    /// No `v1` signature matches the body under the endpoint's secret.
    Mismatch,
}

impl SignatureRefused {
    pub fn sentence(&self) -> &'static str {
        match self {
            SignatureRefused::Malformed => "The Stripe-Signature header is missing or malformed.",
            SignatureRefused::Stale => "The event's timestamp is outside the tolerance.",
            SignatureRefused::Mismatch => "No signature matches the payload.",
        }
    }
}

/// Checks a `Stripe-Signature` header over the exact body bytes received.
pub fn verify(header: &str, body: &[u8], secret: &str, now: UnixTime) -> Result<(), SignatureRefused> {
    let mut timestamp: Option<i64> = None;
    let mut signatures: Vec<Vec<u8>> = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse().ok(),
            Some(("v1", hex)) => {
                if let Some(bytes) = from_hex(hex) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let (Some(t), false) = (timestamp, signatures.is_empty()) else {
        return Err(SignatureRefused::Malformed);
    };
    if (now.secs() - t).abs() > TOLERANCE_S {
        return Err(SignatureRefused::Stale);
    }
    for sig in signatures {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        // `verify_slice` compares in constant time.
        if mac.verify_slice(&sig).is_ok() {
            return Ok(());
        }
    }
    Err(SignatureRefused::Mismatch)
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// An event as Stripe posts it; `data.object` is read per type.
#[derive(Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

/// A Charge, as far as a `charge.refunded` event is read.
#[derive(Debug, Deserialize)]
pub struct Charge {
    pub payment_intent: Option<String>,
    /// The running total given back on this charge.
    pub amount_refunded: i64,
    #[serde(default)]
    pub refunds: Option<RefundList>,
}

#[derive(Debug, Deserialize)]
pub struct RefundList {
    #[serde(default)]
    pub data: Vec<Refund>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, t: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(body);
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn a_signature_is_believed_only_with_the_right_secret_within_five_minutes() {
        let body = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;
        let now = UnixTime(1_800_000_000);
        let good = sign("whsec_test", now.secs(), body);
        let header = format!("t={},v1={good},v0=deadbeef", now.secs());
        assert_eq!(verify(&header, body, "whsec_test", now), Ok(()));
        // A rotated secret: one of several v1 signatures matching is enough.
        let two = format!("t={},v1={},v1={good}", now.secs(), sign("whsec_old", now.secs(), body));
        assert_eq!(verify(&two, body, "whsec_test", now), Ok(()));
        assert_eq!(verify(&header, body, "whsec_other", now), Err(SignatureRefused::Mismatch));
        assert_eq!(verify(&header, b"{}", "whsec_test", now), Err(SignatureRefused::Mismatch));
        assert_eq!(
            verify(&header, body, "whsec_test", now + crate::domain::time::Seconds(301)),
            Err(SignatureRefused::Stale)
        );
        assert_eq!(verify(&header, body, "whsec_test", now + crate::domain::time::Seconds(300)), Ok(()));
        assert_eq!(verify("v1=abcd", body, "whsec_test", now), Err(SignatureRefused::Malformed));
        assert_eq!(
            verify(&format!("t={}", now.secs()), body, "whsec_test", now),
            Err(SignatureRefused::Malformed)
        );
        assert_eq!(verify("", body, "whsec_test", now), Err(SignatureRefused::Malformed));
        assert_eq!(
            verify(&format!("t={},v1=zz", now.secs()), body, "whsec_test", now),
            Err(SignatureRefused::Malformed)
        );
    }
}
