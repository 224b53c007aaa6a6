//! Following a log: the spine of Frontdesk. A command changes the domain and
//! appends one event in the same transaction; each channel follows the event
//! log (or a log derived from it: the push dispatcher follows bell items and
//! read receipts) with its own cursor, and writes what it derived in one
//! writer transaction together with the cursor. A crash between batches
//! loses nothing and repeats nothing; a crash inside one repeats that batch,
//! which the channels' unique keys make harmless.
//!
//! Every follower runs the same loop: handle batches until the log is
//! drained, then sleep until the next commit. Most read and derive outside
//! the writer (only their own task moves their cursor, so reading ahead of
//! the write is safe), which keeps slow work (sending, rendering messages)
//! off the one writer. The bell is the exception (`IN_WRITER`): its
//! derivation is a few indexed reads, and doing it inside the writer's turn
//! sees every event committed up to that turn, so a bell waits for one writer
//! turn instead of two (measured: commit -> bell p50 halves under load).

use super::store::cursors::{self, Log};
use super::store::events::Event;
use super::store::{BoxFut, Conn, Tx};
use super::AppState;
use crate::error::AppError;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Rows handled per batch: keeps each commit short under load.
pub const BATCH: i64 = 200;

/// What a follower reads, by increasing id.
pub struct Page<T> {
    pub items: Vec<T>,
    /// The last id read (also of rows that could not be decoded and were skipped).
    pub last: Option<i64>,
}

/// A consumer of a log with its own cursor.
pub trait Follower: Send + Sync + 'static {
    /// The cursor's name, also used in logs.
    const NAME: &'static str;
    /// Which log it follows; a follower that starts later than the log
    /// (push) begins at its end rather than replaying history.
    const LOG: Log;
    type Item: Send + Sync + 'static;
    /// What one batch produced, written together with the cursor.
    type Output: Send + 'static;

    /// Up to `limit` items after `after`.
    fn read(conn: &mut Conn, after: i64, limit: i64) -> impl Future<Output = Result<Page<Self::Item>, AppError>> + Send;

    /// Reads and derives inside the writer's transaction (see the module
    /// comment); `handle` must then only read through `conn`, never send.
    const IN_WRITER: bool = false;

    /// Derives (and, for push, delivers) what the items call for, reading
    /// through `conn`: a follower's own reader, or the writer's transaction
    /// when `IN_WRITER`.
    fn handle(
        &self,
        state: &AppState,
        conn: &mut Conn,
        items: Vec<Self::Item>,
    ) -> impl Future<Output = Result<Self::Output, AppError>> + Send;

    /// Writes the output in the writer's transaction, the one that moves the cursor.
    fn record<'t>(tx: &'t mut Tx, output: Self::Output, state: &'t AppState) -> BoxFut<'t, Result<(), AppError>>;

    /// After a batch is committed: wake whatever sends what was recorded.
    fn committed(&self, _state: &AppState) {}
}

/// The event log, for the followers that read it.
pub async fn read_events(conn: &mut Conn, after: i64, limit: i64) -> Result<Page<Event>, AppError> {
    let batch = super::store::events::after(conn, after, limit).await?;
    Ok(Page {
        items: batch.events,
        last: batch.last.map(|id| id.0),
    })
}

/// The bell items after `after`, for the followers of the bell (push, staff email).
pub async fn read_bell_items(conn: &mut Conn, after: i64, limit: i64) -> Result<Page<super::store::notifications::PushItem>, AppError> {
    let items = super::store::notifications::for_push(conn, after, limit).await?;
    let last = items.last().map(|n| n.id.0);
    Ok(Page { items, last })
}

/// Runs `follower` until the server stops. Errors are logged and the batch
/// retried shortly: a follower never skips what it could not handle.
pub async fn follow<F: Follower>(state: AppState, follower: F) {
    let follower = Arc::new(follower);
    let mut woken = state.db.commits();
    loop {
        loop {
            match round(&state, &follower).await {
                Ok(0) => break,
                Ok(_) => follower.committed(&state),
                Err(e) => {
                    tracing::error!("{}: {e:?}; retrying shortly", F::NAME);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
        if woken.changed().await.is_err() {
            return; // the writer is gone: shutting down
        }
    }
}

/// One batch; returns how many rows it moved past.
async fn round<F: Follower>(state: &AppState, follower: &Arc<F>) -> Result<usize, AppError> {
    let mut conn = state.db.follower_reader().await?;
    let Some(after) = cursors::get(&mut conn, F::NAME).await? else {
        drop(conn);
        if F::LOG == Log::Events {
            // The event log is followed from its beginning.
            return round_after(state, follower, 0).await;
        }
        state
            .db
            .write(|tx| Box::pin(async move { cursors::start_at_end(tx, F::NAME, F::LOG).await }))
            .await?;
        return Ok(1); // go round again, from the end
    };
    drop(conn);
    round_after(state, follower, after).await
}

async fn round_after<F: Follower>(state: &AppState, follower: &Arc<F>, after: i64) -> Result<usize, AppError> {
    if F::IN_WRITER {
        // Look before taking a writer turn: most wake-ups (another
        // follower's commit) bring nothing new for this log.
        let nothing_new = F::read(&mut *state.db.follower_reader().await?, after, 1).await?.last.is_none();
        if nothing_new {
            return Ok(0);
        }
        let st = state.clone();
        let follower = follower.clone();
        return state
            .db
            .write(move |tx| {
                Box::pin(async move {
                    let page = F::read(tx.conn(), after, BATCH).await?;
                    let Some(last) = page.last else {
                        return Ok(0);
                    };
                    let read = page.items.len().max(1);
                    let output = follower.handle(&st, tx.conn(), page.items).await?;
                    F::record(tx, output, &st).await?;
                    cursors::advance(tx, F::NAME, last).await?;
                    Ok(read)
                })
            })
            .await;
    }
    let (last, read, output) = {
        let mut conn = state.db.follower_reader().await?;
        let page = F::read(&mut conn, after, BATCH).await?;
        let Some(last) = page.last else {
            return Ok(0);
        };
        let read = page.items.len().max(1);
        (last, read, follower.handle(state, &mut conn, page.items).await?)
    };
    let st = state.clone();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                F::record(tx, output, &st).await?;
                cursors::advance(tx, F::NAME, last).await
            })
        })
        .await?;
    Ok(read)
}
