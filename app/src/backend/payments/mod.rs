//! Payments through the store's provider. Staff ask for a payment from an
//! appointment (a Checkout Session: the client pays on the provider's page),
//! the provider's signed events say when it was paid or refunded, and each of
//! those is an event in the log like any other change, so the bell, push,
//! the client's receipt and the `payment.received` webhook follow from it.
//!
//! Calls to the provider happen outside the writer (it must not wait on the
//! network); what they made is written afterwards in one transaction. A call
//! that succeeded but whose write failed leaves an unused session at the
//! provider, which expires there; nothing is charged.
//!
//! Provider events are idempotent: each event id is remembered in the
//! transaction that acts on it, a payment is marked paid only once (from open,
//! or from the expired a deposit's release left), and
//! refunds raise a running total, so a repeat or a late older event changes
//! nothing.

pub mod stripe;

use super::commands::record::{self, Notice};
use super::store::payments::{NewPayment, Payment};
use super::store::services::ServiceRow;
use super::store::stores::StoreRow;
use super::store::{self, Tx};
use super::{tracking, AppState};
use crate::domain::appointment::{AppointmentStatus, ChangedField, Source};
use crate::domain::event::{Actor, Happening};
use crate::domain::ids::{AppointmentId, PaymentId, StoreId};
use crate::domain::jobs::JobKind;
use crate::domain::money::parse_amount;
use crate::domain::money::Currency;
use crate::domain::payments::{PaymentFacts, PaymentPurpose, PaymentStatus, RefundStatus};
use crate::domain::time::Seconds;
use crate::domain::time::UnixTime;
use crate::error::{AppError, FieldError};
use crate::i18n::Language;
use crate::model::Me;
use crate::rules::access::{Action, AppointmentAction};
use rand::RngCore;

const NO_SUCH_APPOINTMENT: &str = "No such appointment.";
const NO_SUCH_STORE: &str = "No such store.";
/// No single payment link asks for more than this (in minor units): a typo guard.
const MAX_AMOUNT: i64 = 10_000_000;
const MAX_NOTE: usize = 500;

fn reference() -> String {
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("fdpay_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The line the client reads on the provider's page: "Haircut — Tue 24 Nov 2026, 10:30".
fn line_item(service: &ServiceRow, lang: Language, store_row: &StoreRow, starts_at: UnixTime) -> String {
    format!(
        "{} — {}",
        service.name_in(lang),
        crate::backend::time::human(crate::backend::time::zone(&store_row.time_zone), starts_at)
    )
}

fn facts(p: &Payment, refunded: i64) -> PaymentFacts {
    PaymentFacts {
        id: p.id,
        amount: p.amount,
        currency: p.currency,
        refunded,
        note: p.note.clone(),
        pay_url: p.pay_url.clone(),
        provider_reference: p.payment_intent.clone(),
        due_by: None,
    }
}

/// An admin connects the store's Stripe account: its secret key and the signing secret of the
/// webhook endpoint they created for Frontdesk's URL. Both are stored, never shown again.
pub async fn connect(state: &AppState, me: &Me, store_id: StoreId, secret_key: &str, webhook_secret: &str) -> Result<(), AppError> {
    super::commands::allow(me, Action::Stores, NO_SUCH_STORE)?;
    let secret_key = secret_key.trim().to_string();
    let webhook_secret = webhook_secret.trim().to_string();
    let mut errors = Vec::new();
    let token_like = |s: &str| s.len() <= 255 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !(secret_key.starts_with("sk_") || secret_key.starts_with("rk_")) || !token_like(&secret_key) {
        errors.push(FieldError {
            field: "secret_key".into(),
            message: "Paste the secret key from Stripe's dashboard (it starts with sk_ or rk_).".into(),
        });
    }
    if !webhook_secret.starts_with("whsec_") || !token_like(&webhook_secret) {
        errors.push(FieldError {
            field: "webhook_secret".into(),
            message: "Paste the signing secret of the webhook endpoint (it starts with whsec_).".into(),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                store::stores::by_id(tx.conn(), store_id)
                    .await?
                    .ok_or_else(|| AppError::NotFound(NO_SUCH_STORE.into()))?;
                store::payments::connect(tx, store_id, &secret_key, &webhook_secret, now).await
            })
        })
        .await
}

pub async fn disconnect(state: &AppState, me: &Me, store_id: StoreId) -> Result<(), AppError> {
    super::commands::allow(me, Action::Stores, NO_SUCH_STORE)?;
    state
        .db
        .write(move |tx| Box::pin(async move { store::payments::disconnect(tx, store_id).await }))
        .await
}

/// Staff ask the client to pay: `amount` as typed (empty: the service's
/// price), with an optional note. The client is sent the link; the tracking
/// page shows it until it is paid.
pub async fn request(state: &AppState, me: &Me, appointment_id: AppointmentId, amount: &str, note: &str) -> Result<PaymentId, AppError> {
    let mut conn = state.db.reader().await?;
    let current = store::appointments::current(&mut conn, appointment_id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH_APPOINTMENT.into()))?;
    super::commands::change::allow(me, AppointmentAction::RequestPayment, &current)?;
    if !current.is_open() {
        return Err(AppError::Conflict("This appointment is cancelled or completed.".into()));
    }
    if current.held_until.is_some() {
        return Err(AppError::Conflict("This online booking already waits for its deposit.".into()));
    }
    let account = store::payments::account(&mut conn, current.store_id)
        .await?
        .ok_or_else(|| AppError::Conflict("This store has no payment provider yet: an admin connects Stripe in Setup → Stores.".into()))?;
    let store_row = store::stores::by_id(&mut conn, current.store_id).await?.ok_or(AppError::Internal)?;
    let (_, service) = store::services::by_id(&mut conn, current.service_id)
        .await?
        .ok_or(AppError::Internal)?;
    let amount = match amount.trim() {
        "" => service.price_cents,
        typed => parse_amount(typed).ok_or_else(|| AppError::field("amount", "Type an amount such as 45 or 45.50."))?,
    };
    if amount <= 0 {
        return Err(AppError::field("amount", "Type an amount above zero."));
    }
    if amount > MAX_AMOUNT {
        return Err(AppError::field(
            "amount",
            format!("A payment link asks for at most {}.", store_row.currency.amount(MAX_AMOUNT)),
        ));
    }
    let note = note.trim().to_string();
    if note.chars().count() > MAX_NOTE || note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::field(
            "note",
            format!("Keep the note to one paragraph under {MAX_NOTE} characters."),
        ));
    }
    let audience = store::appointments::audiences(&mut conn, &[appointment_id])
        .await?
        .remove(&appointment_id)
        .ok_or(AppError::Internal)?;
    drop(conn);
    let lang = audience.client_language;
    let back = format!(
        "{}?lang={}",
        tracking::url(
            &state.config.public_url,
            &state.tracking.token(appointment_id, audience.tracking_generation)
        ),
        lang.code()
    );
    let success_url = format!("{back}&paid=1");
    let description = line_item(&service, lang, &store_row, current.starts_at);
    let reference = reference();
    let session = state
        .payments
        .create_checkout(
            &account.secret_key,
            &stripe::CheckoutRequest {
                amount,
                currency: store_row.currency,
                description: &description,
                customer_email: audience.client_email.as_deref(),
                locale: lang.code(),
                success_url: &success_url,
                cancel_url: &back,
                reference: &reference,
                idempotency_key: &reference,
                expires_at: None,
            },
        )
        .await?;
    let now = state.clock.now();
    let me = me.clone();
    let currency = store_row.currency;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let current = record::load(tx.conn(), appointment_id).await?;
                let pay_url = session.url.clone().unwrap_or_default();
                let payment = store::payments::insert(
                    tx,
                    NewPayment {
                        store_id: current.store_id,
                        appointment_id,
                        amount,
                        currency,
                        note: &note,
                        checkout_session: &session.id,
                        pay_url: &pay_url,
                        requested_by: Some(me.id),
                        purpose: PaymentPurpose::Link,
                        reference: &reference,
                    },
                    now,
                )
                .await?;
                let notice = Notice {
                    payment: Some(facts(&payment, 0)),
                    ..Notice::of(
                        Actor::Staff(me.id),
                        Happening::PaymentRequested {
                            associate_id: current.associate_id,
                        },
                        record::staff_name(tx.conn(), me.id).await?,
                    )
                };
                record::notice(tx, &current, notice, now).await?;
                Ok(payment.id)
            })
        })
        .await
}

/// A manager gives money back on a paid payment (`amount` as typed; empty:
/// all that is left). The refund is recorded as Stripe answers it; the money
/// counts as given back when Stripe's `charge.refunded` says so.
pub async fn refund(state: &AppState, me: &Me, payment_id: PaymentId, amount: &str) -> Result<(), AppError> {
    let mut conn = state.db.reader().await?;
    let payment = store::payments::by_id(&mut conn, payment_id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such payment.".into()))?;
    let current = store::appointments::current(&mut conn, payment.appointment_id)
        .await?
        .ok_or(AppError::Internal)?;
    super::commands::change::allow(me, AppointmentAction::Refund, &current)?;
    let (PaymentStatus::Paid, Some(intent)) = (payment.status, payment.payment_intent.clone()) else {
        return Err(AppError::Conflict("Only a paid payment can be refunded.".into()));
    };
    let left = payment.amount - payment.refunded;
    let amount = match amount.trim() {
        "" => left,
        typed => parse_amount(typed).ok_or_else(|| AppError::field("amount", "Type an amount such as 45 or 45.50."))?,
    };
    if amount <= 0 || amount > left {
        return Err(AppError::field(
            "amount",
            format!(
                "Refund between {} and {}.",
                payment.currency.amount(1),
                payment.currency.amount(left.max(1))
            ),
        ));
    }
    let account = store::payments::account(&mut conn, payment.store_id)
        .await?
        .ok_or_else(|| AppError::Conflict("This store's payment provider is not connected any more.".into()))?;
    drop(conn);
    // The same refund asked twice before Stripe reports the first (a double
    // click) is one refund.
    let key = format!("fdrefund_{}_{}_{}", payment.id, payment.refunded, amount);
    let made = state.payments.refund(&account.secret_key, &intent, amount, &key).await?;
    let now = state.clock.now();
    let staff = me.id;
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                store::payments::upsert_refund(
                    tx,
                    payment_id,
                    &made.id,
                    made.amount,
                    RefundStatus::from_stripe(&made.status),
                    Some(staff),
                    now,
                )
                .await
            })
        })
        .await
}

/// What a provider event came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    /// Acted on.
    Applied,
    /// Seen before, about something not ours, or of a type we do not act on: nothing changed.
    Unchanged,
}

/// A signed event from the store's Stripe account, as its webhook endpoint receives it.
pub async fn receive(state: &AppState, store_id: StoreId, signature: Option<&str>, body: Vec<u8>) -> Result<Received, AppError> {
    let account = store::payments::account(&mut *state.db.reader().await?, store_id)
        .await?
        .ok_or_else(|| AppError::BadRequest("No payment provider is connected for this store.".into()))?;
    let now = state.clock.now();
    stripe::verify(signature.unwrap_or_default(), &body, &account.webhook_secret, now)
        .map_err(|r| AppError::BadRequest(r.sentence().into()))?;
    let event: stripe::Event = serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(format!("Not a Stripe event: {e}")))?;
    let object = event.data.object;
    let event_id = event.id;
    let kind = event.kind;
    match kind.as_str() {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" | "checkout.session.expired" => {
            let session: stripe::Session =
                serde_json::from_value(object).map_err(|e| AppError::BadRequest(format!("Not a Checkout Session: {e}")))?;
            let expired = kind == "checkout.session.expired";
            if !expired && session.payment_status != "paid" {
                // Completed but not yet paid (a delayed method): its
                // `async_payment_succeeded` event will follow.
                return Ok(Received::Unchanged);
            }
            state
                .db
                .write(move |tx| {
                    Box::pin(async move {
                        if !store::payments::first_sight(tx, store_id, &event_id, &kind, now).await? {
                            return Ok(Received::Unchanged);
                        }
                        let Some(payment) = store::payments::by_session(tx.conn(), store_id, &session.id).await? else {
                            return Ok(Received::Unchanged); // a session some other tool made on the account
                        };
                        if expired {
                            store::payments::mark_expired(tx, payment.id).await?;
                            if payment.purpose == PaymentPurpose::Deposit {
                                // The deposit's page closed unpaid: no need to wait for the release job.
                                release(tx, payment.appointment_id, now).await?;
                            }
                            return Ok(Received::Applied);
                        }
                        if !store::payments::mark_paid(tx, payment.id, session.payment_intent.as_deref(), now).await? {
                            return Ok(Received::Unchanged);
                        }
                        let paid = store::payments::by_id(tx.conn(), payment.id).await?.ok_or(AppError::Internal)?;
                        if paid.purpose == PaymentPurpose::Deposit {
                            confirm_deposit(tx, &paid, now).await?;
                        }
                        tell(tx, &paid, Outcome::Paid, 0, now).await?;
                        Ok(Received::Applied)
                    })
                })
                .await
        }
        "charge.refunded" => {
            let charge: stripe::Charge = serde_json::from_value(object).map_err(|e| AppError::BadRequest(format!("Not a Charge: {e}")))?;
            let Some(intent) = charge.payment_intent else {
                return Ok(Received::Unchanged);
            };
            state
                .db
                .write(move |tx| {
                    Box::pin(async move {
                        let Some(payment) = store::payments::by_intent(tx.conn(), store_id, &intent).await? else {
                            // Possibly ours but not known as paid yet (events can
                            // arrive out of order): not remembered, so Stripe's
                            // retry is acted on once the payment is.
                            return Err(AppError::Conflict("No paid payment has this PaymentIntent yet.".into()));
                        };
                        if !store::payments::first_sight(tx, store_id, &event_id, &kind, now).await? {
                            return Ok(Received::Unchanged);
                        }
                        for r in charge.refunds.map(|l| l.data).unwrap_or_default() {
                            if r.amount > 0 {
                                store::payments::upsert_refund(
                                    tx,
                                    payment.id,
                                    &r.id,
                                    r.amount,
                                    RefundStatus::from_stripe(&r.status),
                                    None,
                                    now,
                                )
                                .await?;
                            }
                        }
                        let more = store::payments::raise_refunded(tx, payment.id, charge.amount_refunded).await?;
                        if more == 0 {
                            return Ok(Received::Unchanged);
                        }
                        tell(tx, &payment, Outcome::Refunded, more, now).await?;
                        Ok(Received::Applied)
                    })
                })
                .await
        }
        _ => Ok(Received::Unchanged),
    }
}

/// What a provider event says happened to a payment.
#[derive(Clone, Copy)]
enum Outcome {
    Paid,
    Refunded,
}

/// Appends the payment's event about its appointment (with the associate it has now).
async fn tell(tx: &mut Tx, payment: &Payment, outcome: Outcome, refunded: i64, now: UnixTime) -> Result<(), AppError> {
    let current = record::load(tx.conn(), payment.appointment_id).await?;
    let associate_id = current.associate_id;
    // The client paid; a refund is Stripe reporting what staff asked of it.
    let (actor, by, happening) = match outcome {
        Outcome::Paid => (Actor::Client, "the client", Happening::PaymentReceived { associate_id }),
        Outcome::Refunded => (Actor::System, "Stripe", Happening::PaymentRefunded { associate_id }),
    };
    let notice = Notice {
        payment: Some(facts(payment, refunded)),
        ..Notice::of(actor, happening, by.to_string())
    };
    record::notice(tx, &current, notice, now).await
}

// ------------------------------------------------------------------ deposits

/// How long after a hold ends it is released. The provider closes the
/// payment page at the end of the hold itself (`expires_at`); a payment that
/// was being confirmed at that moment is reported within seconds, so it is
/// normally in before the release.
const RELEASE_GRACE: Seconds = Seconds::minutes(5);

/// The page where a client booking online pays the store's deposit. It is
/// made at the provider before the booking is written (the writer never
/// waits on the network); if the booking then fails, `abandon` closes it.
#[derive(Clone)]
pub struct DepositPage {
    session: stripe::Session,
    reference: String,
    amount: i64,
    currency: Currency,
    held_until: UnixTime,
    secret_key: String,
}

impl DepositPage {
    pub fn pay_url(&self) -> &str {
        self.session.url.as_deref().unwrap_or_default()
    }
    pub fn held_until(&self) -> UnixTime {
        self.held_until
    }
    pub fn amount(&self) -> i64 {
        self.amount
    }
}

/// The deposit an online booking of `service` at `starts_at` must pay first,
/// as a payment page at the store's provider; `None` when it counts at once
/// (no deposit rule, a free service, or no provider connected).
pub async fn deposit_page(
    state: &AppState,
    store_row: &StoreRow,
    service: &ServiceRow,
    starts_at: UnixTime,
    customer_email: Option<&str>,
    lang: Language,
) -> Result<Option<DepositPage>, AppError> {
    let Some(amount) = store_row.deposit().due(service.price_cents) else {
        return Ok(None);
    };
    // A store whose provider was disconnected after it set a deposit takes
    // bookings as usual rather than refusing them all.
    let Some(account) = store::payments::account(&mut *state.db.reader().await?, store_row.id).await? else {
        tracing::warn!("store {} asks for deposits but has no payment provider", store_row.id);
        return Ok(None);
    };
    let now = state.clock.now();
    let held_until = now + Seconds::minutes(store_row.deposit_hold_minutes);
    let reference = reference();
    let back = way_back_url(&state.config.public_url, &reference);
    let success_url = format!("{back}?paid=1");
    let description = line_item(service, lang, store_row, starts_at);
    let session = state
        .payments
        .create_checkout(
            &account.secret_key,
            &stripe::CheckoutRequest {
                amount,
                currency: store_row.currency,
                description: &description,
                customer_email,
                locale: lang.code(),
                success_url: &success_url,
                cancel_url: &back,
                reference: &reference,
                idempotency_key: &reference,
                expires_at: Some(held_until),
            },
        )
        .await?;
    Ok(Some(DepositPage {
        session,
        reference,
        amount,
        currency: store_row.currency,
        held_until,
        secret_key: account.secret_key,
    }))
}

/// The booking the page was made for was not written (the time was taken, a
/// retry answered with the first booking): close the page so nobody pays
/// for nothing. Best effort, off the request: the page expires anyway.
pub fn abandon(state: &AppState, page: DepositPage) {
    let payments = state.payments.clone();
    tokio::spawn(async move {
        if let Err(e) = payments.expire(&page.secret_key, &page.session.id).await {
            tracing::warn!("could not close the unused deposit page {}: {}", page.session.id, e.0);
        }
    });
}

/// In the booking's transaction, right after its row: it waits for its
/// deposit. Its first version is recorded, the payment written, the client
/// sent the link (`DepositHeld`), and its release planned; nobody at the
/// store is told until it is paid (`confirm_deposit`).
pub(crate) async fn hold(tx: &mut Tx, appointment_id: AppointmentId, page: &DepositPage, now: UnixTime) -> Result<(), AppError> {
    store::appointments::record_version(tx, appointment_id, now).await?;
    let current = record::load(tx.conn(), appointment_id).await?;
    let payment = store::payments::insert(
        tx,
        NewPayment {
            store_id: current.store_id,
            appointment_id,
            amount: page.amount,
            currency: page.currency,
            note: "",
            checkout_session: &page.session.id,
            pay_url: page.pay_url(),
            requested_by: None,
            purpose: PaymentPurpose::Deposit,
            reference: &page.reference,
        },
        now,
    )
    .await?;
    let notice = Notice {
        payment: Some(PaymentFacts {
            due_by: Some(page.held_until),
            ..facts(&payment, 0)
        }),
        ..Notice::of(Actor::Client, Happening::DepositHeld, "the client".into())
    };
    record::notice(tx, &current, notice, now).await?;
    store::jobs::schedule(tx, JobKind::ReleaseHold, appointment_id, page.held_until + RELEASE_GRACE, now).await
}

/// The deposit was paid while its booking was held: the booking counts from
/// now, and is announced as any new booking is (`Created`: the managers'
/// request, the client's confirmation, `appointment.created`).
async fn confirm_deposit(tx: &mut Tx, payment: &Payment, now: UnixTime) -> Result<(), AppError> {
    let current = record::load(tx.conn(), payment.appointment_id).await?;
    if current.held_until.is_none() || current.status == AppointmentStatus::Cancelled {
        // Released before the payment was reported: the payment is on
        // record (and told to the store below), for staff to refund or rebook.
        return Ok(());
    }
    store::appointments::clear_hold(tx, current.id).await?;
    store::jobs::unschedule(tx, JobKind::ReleaseHold, current.id).await?;
    let happening = Happening::Created {
        source: Source::Online,
        associate_id: current.associate_id,
        awaiting_approval: current.status == AppointmentStatus::PendingStaffApproval,
    };
    record::announce(tx, current.id, Actor::Client, happening, now).await
}

/// A held booking whose deposit did not come: its time is freed (it is
/// cancelled), its page closed on our side, and the client told. Nothing
/// when it was paid or is already over.
pub(crate) async fn release(tx: &mut Tx, appointment_id: AppointmentId, now: UnixTime) -> Result<(), AppError> {
    let before = record::load(tx.conn(), appointment_id).await?;
    if before.held_until.is_none() || before.status == AppointmentStatus::Cancelled {
        return Ok(());
    }
    if let Some(p) = store::payments::open_deposit(tx.conn(), appointment_id).await? {
        store::payments::mark_expired(tx, p.id).await?;
    }
    store::appointments::cancel(tx, appointment_id, "").await?;
    store::jobs::unschedule(tx, JobKind::ReleaseHold, appointment_id).await?;
    let change = record::Change {
        actor: Actor::System,
        happening: Happening::HoldReleased,
        changed_fields: vec![ChangedField::Status],
        changes: vec![],
    };
    record::finish(tx, appointment_id, change, &before, now).await
}

/// `/pay/<reference>`: where the client lands back from the provider's page
/// (`paid`: after paying), as the path of their tracking page in their language.
pub async fn way_back(state: &AppState, reference: &str, paid: bool) -> Result<String, AppError> {
    let mut conn = state.db.reader().await?;
    let payment = store::payments::by_reference(&mut conn, reference)
        .await?
        .ok_or_else(|| AppError::NotFound("No such payment.".into()))?;
    let audience = store::appointments::audiences(&mut conn, &[payment.appointment_id])
        .await?
        .remove(&payment.appointment_id)
        .ok_or(AppError::Internal)?;
    let token = state.tracking.token(payment.appointment_id, audience.tracking_generation);
    Ok(format!(
        "/t/{token}?lang={}{}",
        audience.client_language.code(),
        if paid { "&paid=1" } else { "" }
    ))
}

fn way_back_url(public_url: &str, reference: &str) -> String {
    format!("{}/pay/{reference}", public_url.trim_end_matches('/'))
}
