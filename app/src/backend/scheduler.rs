//! The durable scheduler: future actions are rows in `jobs`, written in the
//! same transaction as the change that calls for them (`commands::plan`). A
//! due job is claimed and its effect (usually an event) written in one
//! writer transaction, so it runs once; one that fell due while the server
//! was down runs when it comes back. Time is read from the injectable
//! `Clock`: tests move it.

use super::commands::{conversations, timed};
use super::store::{self, Tx};
use super::{due, AppState};
use crate::domain::jobs::JobKind;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;

/// Jobs run per transaction.
const BATCH: i64 = 100;

pub async fn run(state: AppState) {
    due::run(
        &state,
        "scheduler",
        due::Wake::Commits,
        Seconds(0),
        || {
            let now = state.clock.now();
            state.db.write(move |tx| Box::pin(run_due(tx, now)))
        },
        || async { store::jobs::next_due(&mut *state.db.reader().await?).await },
    )
    .await
}

/// Claims and runs every due job; returns how many.
async fn run_due(tx: &mut Tx, now: UnixTime) -> Result<usize, AppError> {
    let due = store::jobs::claim_due(tx, now, BATCH).await?;
    for job in &due {
        match (job.kind, job.appointment_id, job.conversation_id) {
            (JobKind::Escalate, Some(a), _) => timed::escalate(tx, a, now).await?,
            (JobKind::Remind, Some(a), _) => timed::remind(tx, a, now).await?,
            (JobKind::Recall, Some(a), _) => timed::recall(tx, a, now).await?,
            (JobKind::ConversationOverdue, _, Some(c)) => conversations::overdue(tx, c, now).await?,
            (JobKind::ReleaseHold, Some(a), _) => super::payments::release(tx, a, now).await?,
            (kind, _, _) => tracing::error!("job {} ({kind}) has nothing to act on; skipped", job.id),
        }
    }
    Ok(due.len())
}
