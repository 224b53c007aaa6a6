//! The sender: claims due client messages, sends them, records each outcome;
//! transient failures are retried with back-off, then given up.

use super::outbound::SendError;
use crate::backend::store;
use crate::backend::store::client_messages::{Due, Outcome};
use crate::backend::{due, AppState};
use crate::domain::messages::{Channel, ClientMessageStatus};
use crate::domain::time::Seconds;
use crate::error::AppError;
use futures::StreamExt;

/// Messages claimed per round, and sent at most this many at a time.
const SEND_BATCH: i64 = 32;
const SEND_CONCURRENCY: usize = 8;
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
        || async { store::client_messages::next_due(&mut *state.db.reader().await?).await },
    )
    .await
}

/// Claims due rows (pushing their due time past the claim window), sends
/// them, and writes every outcome in one transaction. Returns how many.
async fn send_round(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now();
    let due: Vec<Due> = state
        .db
        .write(move |tx| Box::pin(async move { store::client_messages::claim_due(tx, now, CLAIM, SEND_BATCH).await }))
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let outbound = state.messaging.outbound.clone();
    let results: Vec<(Due, Result<Option<String>, SendError>)> = futures::stream::iter(due)
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
                (m, result)
            }
        })
        .buffer_unordered(SEND_CONCURRENCY)
        .collect()
        .await;
    let n = results.len();
    let done_at = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                for (m, result) in &results {
                    let outcome = match result {
                        Ok(provider_id) => Outcome {
                            status: ClientMessageStatus::Sent,
                            reason: String::new(),
                            retry_at: None,
                            provider_id: provider_id.clone(),
                        },
                        Err(e) => {
                            let retry_at = (!e.permanent)
                                .then(|| usize::try_from(m.attempts - 1).ok().and_then(|i| RETRY_DELAYS.get(i)))
                                .flatten()
                                .map(|d| done_at + *d);
                            let reason = match retry_at {
                                Some(_) => format!("{} (attempt {}; will retry)", e.reason, m.attempts),
                                None => format!("{} (attempt {}; given up)", e.reason, m.attempts),
                            };
                            Outcome {
                                status: ClientMessageStatus::Failed,
                                reason,
                                retry_at,
                                provider_id: None,
                            }
                        }
                    };
                    store::client_messages::record_outcome(tx, m.id, &outcome, done_at).await?;
                }
                Ok(())
            })
        })
        .await?;
    Ok(n)
}
