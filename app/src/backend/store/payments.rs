//! Payments: a store's provider account, the payments asked of clients, their
//! refunds, and the provider events already acted on.

use super::{Conn, Tx};
use crate::domain::ids::{AppointmentId, PaymentId, RefundId, StaffId, StoreId};
use crate::domain::money::Currency;
use crate::domain::payments::{PaymentPurpose, PaymentStatus, Provider, RefundStatus};
use crate::domain::time::UnixTime;
use crate::error::AppError;

/// A store's provider account. Not `Serialize`; `Debug` hides the secrets.
#[derive(Clone, sqlx::FromRow)]
pub struct Account {
    pub provider: Provider,
    pub secret_key: String,
    pub webhook_secret: String,
    pub connected_at: UnixTime,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("provider", &self.provider)
            .field("connected_at", &self.connected_at)
            .finish_non_exhaustive()
    }
}

pub async fn account(conn: &mut Conn, store: StoreId) -> Result<Option<Account>, AppError> {
    Ok(
        sqlx::query_as("SELECT provider, secret_key, webhook_secret, connected_at FROM payment_accounts WHERE store_id = ?")
            .bind(store)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn connect(tx: &mut Tx, store: StoreId, secret_key: &str, webhook_secret: &str, now: UnixTime) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO payment_accounts (store_id, provider, secret_key, webhook_secret, connected_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (store_id) DO UPDATE SET provider = excluded.provider, secret_key = excluded.secret_key,
             webhook_secret = excluded.webhook_secret, connected_at = excluded.connected_at",
    )
    .bind(store)
    .bind(Provider::Stripe)
    .bind(secret_key)
    .bind(webhook_secret)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn disconnect(tx: &mut Tx, store: StoreId) -> Result<(), AppError> {
    sqlx::query("DELETE FROM payment_accounts WHERE store_id = ?")
        .bind(store)
        .execute(tx.conn())
        .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Payment {
    pub id: PaymentId,
    pub store_id: StoreId,
    pub appointment_id: AppointmentId,
    pub amount: i64,
    pub currency: Currency,
    pub note: String,
    pub status: PaymentStatus,
    pub checkout_session: String,
    pub pay_url: String,
    pub payment_intent: Option<String>,
    pub refunded: i64,
    pub requested_by: Option<StaffId>,
    pub created_at: UnixTime,
    pub paid_at: Option<UnixTime>,
    pub purpose: PaymentPurpose,
}

const PAYMENT: &str = "id, store_id, appointment_id, amount, currency, note, status, checkout_session, pay_url, payment_intent,
    refunded, requested_by, created_at, paid_at, purpose";

pub struct NewPayment<'a> {
    pub store_id: StoreId,
    pub appointment_id: AppointmentId,
    pub amount: i64,
    pub currency: Currency,
    pub note: &'a str,
    pub checkout_session: &'a str,
    pub pay_url: &'a str,
    pub requested_by: Option<StaffId>,
    pub purpose: PaymentPurpose,
    /// Ours, given to the provider; the client's way back from its page is `/pay/<reference>`.
    pub reference: &'a str,
}

/// The new payment, as stored.
pub async fn insert(tx: &mut Tx, p: NewPayment<'_>, now: UnixTime) -> Result<Payment, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO payments (store_id, appointment_id, amount, currency, note, status, checkout_session, pay_url, requested_by,
             created_at, purpose, reference)
         VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?) RETURNING {PAYMENT}"
    )))
    .bind(p.store_id)
    .bind(p.appointment_id)
    .bind(p.amount)
    .bind(p.currency)
    .bind(p.note)
    .bind(p.checkout_session)
    .bind(p.pay_url)
    .bind(p.requested_by)
    .bind(now)
    .bind(p.purpose)
    .bind(p.reference)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn by_id(conn: &mut Conn, id: PaymentId) -> Result<Option<Payment>, AppError> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {PAYMENT} FROM payments WHERE id = ?")))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn by_session(conn: &mut Conn, store: StoreId, session: &str) -> Result<Option<Payment>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PAYMENT} FROM payments WHERE store_id = ? AND checkout_session = ?"
    )))
    .bind(store)
    .bind(session)
    .fetch_optional(conn)
    .await?)
}

/// Where the client's way back from the provider's page leads.
pub async fn by_reference(conn: &mut Conn, reference: &str) -> Result<Option<Payment>, AppError> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {PAYMENT} FROM payments WHERE reference = ?")))
            .bind(reference)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn by_intent(conn: &mut Conn, store: StoreId, intent: &str) -> Result<Option<Payment>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PAYMENT} FROM payments WHERE store_id = ? AND payment_intent = ?"
    )))
    .bind(store)
    .bind(intent)
    .fetch_optional(conn)
    .await?)
}

/// An appointment's payments, newest first.
pub async fn of_appointment(conn: &mut Conn, appointment: AppointmentId) -> Result<Vec<Payment>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PAYMENT} FROM payments WHERE appointment_id = ? ORDER BY id DESC"
    )))
    .bind(appointment)
    .fetch_all(conn)
    .await?)
}

/// Marks a payment paid; false when it was paid already. The provider is the
/// truth about money: one we marked expired ourselves (a deposit's hold
/// released as the client was paying, its event arriving late) is paid all
/// the same, so the money is on record and can be given back.
pub async fn mark_paid(tx: &mut Tx, id: PaymentId, intent: Option<&str>, now: UnixTime) -> Result<bool, AppError> {
    let done =
        sqlx::query("UPDATE payments SET status = 'paid', payment_intent = ?, paid_at = ? WHERE id = ? AND status IN ('open', 'expired')")
            .bind(intent)
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
    Ok(done.rows_affected() == 1)
}

/// An appointment's open deposit, if it has one.
pub async fn open_deposit(conn: &mut Conn, appointment: AppointmentId) -> Result<Option<Payment>, AppError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PAYMENT} FROM payments WHERE appointment_id = ? AND purpose = 'deposit' AND status = 'open'"
    )))
    .bind(appointment)
    .fetch_optional(conn)
    .await?)
}

/// Marks an open payment expired; false when it was not open.
pub async fn mark_expired(tx: &mut Tx, id: PaymentId) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE payments SET status = 'expired' WHERE id = ? AND status = 'open'")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Raises what has been given back to `total` (the provider's running total),
/// never lowers it: an older event arriving late changes nothing. Returns how
/// much more is refunded now (zero when nothing changed).
pub async fn raise_refunded(tx: &mut Tx, id: PaymentId, total: i64) -> Result<i64, AppError> {
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT refunded, amount FROM payments WHERE id = ?")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    let Some((before, amount)) = row else { return Ok(0) };
    let after = total.min(amount);
    if after <= before {
        return Ok(0);
    }
    sqlx::query("UPDATE payments SET refunded = ? WHERE id = ?")
        .bind(after)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(after - before)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Refund {
    pub id: RefundId,
    pub payment_id: PaymentId,
    pub provider_refund: String,
    pub amount: i64,
    pub status: RefundStatus,
    pub requested_by: Option<StaffId>,
    pub created_at: UnixTime,
}

/// Records a refund the provider made, or updates its status when known.
pub async fn upsert_refund(
    tx: &mut Tx,
    payment: PaymentId,
    provider_refund: &str,
    amount: i64,
    status: RefundStatus,
    requested_by: Option<StaffId>,
    now: UnixTime,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO refunds (payment_id, provider_refund, amount, status, requested_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (provider_refund) DO UPDATE SET status = excluded.status",
    )
    .bind(payment)
    .bind(provider_refund)
    .bind(amount)
    .bind(status)
    .bind(requested_by)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn refunds_of_appointment(conn: &mut Conn, appointment: AppointmentId) -> Result<Vec<Refund>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.payment_id, r.provider_refund, r.amount, r.status, r.requested_by, r.created_at
         FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.appointment_id = ? ORDER BY r.id",
    )
    .bind(appointment)
    .fetch_all(conn)
    .await?)
}

/// Remembers a provider event; false when it was seen before (then nothing is done again).
pub async fn first_sight(tx: &mut Tx, store: StoreId, event_id: &str, kind: &str, now: UnixTime) -> Result<bool, AppError> {
    let done =
        sqlx::query("INSERT INTO provider_events (store_id, event_id, kind, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(store)
            .bind(event_id)
            .bind(kind)
            .bind(now)
            .execute(tx.conn())
            .await?;
    Ok(done.rows_affected() == 1)
}
