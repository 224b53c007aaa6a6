//! `/healthz` and `/readyz`: whether the process answers, and whether it can
//! do its work: the database answers reads, the writer commits, and no
//! follower of the logs has left a row waiting for long (a stuck dispatcher
//! means bells, pushes, messages or webhooks that never go out).

use super::store::cursors::{self, Log};
use super::AppState;
use crate::domain::time::Seconds;
use serde::Serialize;
use std::time::{Duration, Instant};

/// A row waiting this long for its follower means the follower is stuck.
const STUCK_AFTER: Seconds = Seconds::minutes(1);
/// The writer must commit an empty transaction within this.
const WRITER_BUDGET: Duration = Duration::from_secs(5);

#[derive(Serialize)]
pub struct Readiness {
    pub ready: bool,
    /// What is wrong, in words; empty when ready.
    pub problems: Vec<String>,
    pub writer_ms: Option<u64>,
    pub followers: Vec<FollowerLag>,
}

#[derive(Serialize)]
pub struct FollowerLag {
    pub name: &'static str,
    /// Rows of its log it has not handled yet.
    pub behind: i64,
    /// How long the oldest of them has waited, in seconds.
    pub waiting_s: i64,
}

/// How far each follower is behind (`followers`: its cursor name and the log it reads).
pub async fn lags(state: &AppState, followers: &[(&'static str, Log)]) -> Result<Vec<FollowerLag>, crate::error::AppError> {
    let mut conn = state.db.reader().await?;
    let now = state.clock.now();
    let mut out = Vec::with_capacity(followers.len());
    for (name, log) in followers {
        let lag = cursors::lag(&mut conn, name, *log).await?;
        out.push(FollowerLag {
            name,
            behind: lag.behind,
            waiting_s: lag.oldest_waiting.map(|t| (now - t).0.max(0)).unwrap_or(0),
        });
    }
    Ok(out)
}

/// `followers`: each follower's cursor name and the log it reads.
pub async fn readiness(state: &AppState, followers: &[(&'static str, Log)]) -> Readiness {
    let mut problems = Vec::new();
    let lags = match lags(state, followers).await {
        Ok(lags) => lags,
        Err(e) => {
            problems.push(format!("the database does not answer reads ({e})"));
            vec![]
        }
    };
    for f in &lags {
        if f.waiting_s > STUCK_AFTER.0 {
            problems.push(format!("{} has left a row waiting for {} s", f.name, f.waiting_s));
        }
    }
    let started = Instant::now();
    let wrote = tokio::time::timeout(WRITER_BUDGET, state.db.write(|_| Box::pin(async { Ok(()) }))).await;
    let writer_ms = match wrote {
        Ok(Ok(())) => Some(started.elapsed().as_millis() as u64),
        Ok(Err(e)) => {
            problems.push(format!("the writer refused a transaction ({e})"));
            None
        }
        Err(_) => {
            problems.push(format!("the writer did not commit within {} s", WRITER_BUDGET.as_secs()));
            None
        }
    };
    Readiness {
        ready: problems.is_empty(),
        problems,
        writer_ms,
        followers: lags,
    }
}
