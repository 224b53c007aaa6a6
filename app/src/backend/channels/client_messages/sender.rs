//! The sender: claims due client messages and account emails (invitations,
//! password resets), sends them, records each outcome; transient failures
//! are retried with back-off, then given up.

use super::outbound::SendError;
use crate::backend::store;
use crate::backend::store::client_messages::{Due, Outcome};
use crate::backend::{due, AppState};
use crate::domain::ids::{AccountEmailId, ClientMessageId};
use crate::domain::messages::{Channel, ClientMessageStatus};
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use futures::StreamExt;

/// Messages claimed per round, and sent at most this many at a time.
const SEND_BATCH: i64 = 32;
pub const SEND_CONCURRENCY: usize = 8;
/// Wait after the 1st, 2nd, ... failed attempt; after the last the message is given up.
const RETRY_DELAYS: [Seconds; 5] = [
    Seconds::minutes(1),
    Seconds::minutes(5),
    Seconds::minutes(30),
    Seconds::hours(2),
    Seconds::hours(6),
];
/// A claimed message whose outcome was never written (the process died
/// mid-send) becomes due again after this long.
const CLAIM: Seconds = Seconds::minutes(10);

pub async fn run(state: AppState) {
    let queued = state.messaging.queued.clone();
    due::run(
        &state,
        "client message sender",
        due::Wake::Bell(&queued),
        Seconds(0),
        || send_round(&state),
        || async {
            let mut conn = state.db.reader().await?;
            let client = store::client_messages::next_due(&mut conn).await?;
            let account = store::account_emails::next_due(&mut conn).await?;
            Ok(client.into_iter().chain(account).min())
        },
    )
    .await
}

/// Which outbox a claimed message is a row of.
#[derive(Clone, Copy, Debug)]
enum Row {
    Client(ClientMessageId),
    Account(AccountEmailId),
}

/// A claimed message of either outbox.
struct Claimed {
    row: Row,
    channel: Channel,
    recipient_name: String,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    attempts: i64,
}

/// Claims due rows of both outboxes (pushing their due time past the claim
/// window), sends them, and writes every outcome in one transaction.
/// Returns how many.
async fn send_round(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now();
    let due: Vec<Claimed> = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let clients = store::client_messages::claim_due(tx, now, CLAIM, SEND_BATCH).await?;
                let room = SEND_BATCH - clients.len() as i64;
                let accounts = if room > 0 {
                    store::account_emails::claim_due(tx, now, CLAIM, room).await?
                } else {
                    vec![]
                };
                let clients = clients.into_iter().map(|m: Due| Claimed {
                    row: Row::Client(m.id),
                    channel: m.channel,
                    recipient_name: m.recipient_name,
                    recipient: m.recipient,
                    subject: m.subject,
                    body_text: m.body_text,
                    body_html: m.body_html,
                    attempts: m.attempts,
                });
                let accounts = accounts.into_iter().map(|m| Claimed {
                    row: Row::Account(m.id),
                    channel: Channel::Email,
                    recipient_name: String::new(),
                    recipient: m.recipient,
                    subject: m.subject,
                    body_text: m.body_text,
                    body_html: m.body_html,
                    attempts: m.attempts,
                });
                Ok(clients.chain(accounts).collect())
            })
        })
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let outbound = state.messaging.outbound.clone();
    let n = due.len();
    // Each outcome is written as soon as its send ends (the writer groups
    // them): a crash repeats only the sends in flight, not the whole batch.
    futures::stream::iter(due)
        .map(|m| {
            let outbound = outbound.clone();
            async move {
                let result = match m.channel {
                    Channel::Sms => outbound.send_sms(&m.recipient, &m.body_text).await.map(Some),
                    Channel::Email => outbound
                        .send_email(&m.recipient_name, &m.recipient, &m.subject, &m.body_text, &m.body_html)
                        .await
                        .map(|_| None),
                };
                if let Err(e) = &result {
                    tracing::warn!(row = ?m.row, channel = ?m.channel, "a client message was not sent: {e}");
                }
                state.sends.messages.record(result.is_ok(), None);
                record(state, m.row, outcome(m.attempts, m.channel, &result, state.clock.now())).await
            }
        })
        .buffer_unordered(SEND_CONCURRENCY)
        .collect::<Vec<Result<(), AppError>>>()
        .await
        .into_iter()
        .collect::<Result<(), AppError>>()?;
    Ok(n)
}

async fn record(state: &AppState, row: Row, outcome: Outcome) -> Result<(), AppError> {
    let done_at = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                match row {
                    Row::Client(id) => store::client_messages::record_outcome(tx, id, &outcome, done_at).await,
                    Row::Account(id) => store::account_emails::record_outcome(tx, id, &outcome, done_at).await,
                }
            })
        })
        .await
}

/// How an attempt ended: sent, or failed with a retry time (transient, and
/// attempts left) or given up.
fn outcome(attempts: i64, channel: Channel, result: &Result<Option<String>, SendError>, done_at: UnixTime) -> Outcome {
    match result {
        Ok(provider_id) => Outcome {
            status: ClientMessageStatus::Sent,
            reason: String::new(),
            retry_at: None,
            provider_id: provider_id.clone(),
        },
        Err(e) => {
            let retry_at = (!e.permanent)
                .then(|| usize::try_from(attempts - 1).ok().and_then(|i| RETRY_DELAYS.get(i)))
                .flatten()
                .map(|d| done_at + *d);
            // Staff read this; the provider's own words went to the log above.
            let sentence = e.failure.sentence(channel);
            let reason = match retry_at {
                Some(_) => format!("{sentence} Frontdesk will retry (attempt {attempts})."),
                None if attempts > 1 => format!("{sentence} Frontdesk gave up after {attempts} attempts."),
                None => sentence.to_string(),
            };
            Outcome {
                status: ClientMessageStatus::Failed,
                reason,
                retry_at,
                provider_id: None,
            }
        }
    }
}
