//! The loop of the workers that act when something falls due (the scheduler,
//! the client message sender, the webhook deliverer): work while there is
//! work, then sleep until the next due time, a wake-up, or a test moving the
//! clock. Due rows are durable, so a worker that stops loses nothing.

use super::AppState;
use crate::domain::time::{Seconds, UnixTime};
use crate::error::AppError;
use std::future::Future;
use std::time::Duration;

/// What ends a worker's sleep besides its next due time.
pub enum Wake<'a> {
    /// Any commit that appended to a log (the scheduler: new jobs are rows written by commands).
    Commits,
    /// A bell rung by whoever queued work (new messages, a resend, a free slot).
    Bell(&'a tokio::sync::Notify),
}

/// The longest sleep: a lost wake-up costs at most this.
const MAX_SLEEP: Seconds = Seconds::hours(1);

/// Runs `round` (returning how many items it handled) until it finds nothing,
/// then sleeps until `next_due`, at least `min_sleep` (so work that is due but
/// held back — an endpoint with every slot busy — does not spin).
pub async fn run<R, RF, N, NF>(state: &AppState, what: &str, wake: Wake<'_>, min_sleep: Seconds, mut round: R, mut next_due: N)
where
    R: FnMut() -> RF,
    RF: Future<Output = Result<usize, AppError>>,
    N: FnMut() -> NF,
    NF: Future<Output = Result<Option<UnixTime>, AppError>>,
{
    let mut commits = state.db.commits();
    loop {
        // Subscribe before reading due times, so a move in between is not missed.
        let mut moves = state.clock.moves();
        match round().await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => {
                tracing::error!("{what}: {e:?}; retrying shortly");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        let next = next_due().await.unwrap_or_else(|e| {
            tracing::error!("{what}: reading the next due time: {e:?}");
            None
        });
        let sleep = match next {
            Some(due) => (due - state.clock.now()).clamp(min_sleep, MAX_SLEEP),
            None => MAX_SLEEP,
        };
        if sleep.0 <= 0 {
            continue;
        }
        let rung = async {
            match &wake {
                Wake::Commits => {
                    if commits.changed().await.is_err() {
                        // The writer is gone: nothing will fall due again.
                        std::future::pending::<()>().await;
                    }
                }
                Wake::Bell(bell) => bell.notified().await,
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(sleep.0 as u64)) => {}
            _ = rung => {}
            _ = moves.changed() => {}
        }
    }
}
