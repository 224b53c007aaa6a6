//! `/metrics` in the Prometheus text format: the writer (queue depth, batch
//! sizes, time busy), each follower's lag behind its log, open live sockets,
//! and how sends to the outside world went (push, email and SMS, webhooks),
//! with webhook latencies. Counters live in memory from the process start,
//! as Prometheus expects; lags are read from the database when scraped.

use super::health::FollowerLag;
use super::AppState;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// The bearer token a scraper sends to read `/metrics`: operations data stays
/// off the public internet unless the operator hands it out. Not `Serialize`;
/// `Debug` does not show it.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// `None` for an empty setting (`/metrics` off).
    pub fn new(token: &str) -> Option<Self> {
        let t = token.trim();
        (!t.is_empty()).then(|| MetricsToken(t.to_string()))
    }

    /// Whether an `Authorization` header carries this token (compared as hashes,
    /// so the time taken says nothing about how much of it matched).
    pub fn admits(&self, authorization: Option<&str>) -> bool {
        let given = authorization.and_then(|h| h.strip_prefix("Bearer ")).unwrap_or_default();
        super::auth::token_hash(given) == super::auth::token_hash(&self.0)
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

/// How one kind of send went, since the process started.
#[derive(Default, Debug)]
pub struct Outcomes {
    pub ok: AtomicU64,
    pub failed: AtomicU64,
    latency_us: AtomicU64,
    timed: AtomicU64,
}

impl Outcomes {
    pub fn record(&self, ok: bool, latency: Option<Duration>) {
        if ok { &self.ok } else { &self.failed }.fetch_add(1, Relaxed);
        if let Some(l) = latency {
            self.latency_us.fetch_add(l.as_micros() as u64, Relaxed);
            self.timed.fetch_add(1, Relaxed);
        }
    }
}

/// The outside world's answers, by channel.
#[derive(Default, Debug)]
pub struct Sends {
    pub push: Outcomes,
    /// Client email and SMS, and staff email.
    pub messages: Outcomes,
    pub webhooks: Outcomes,
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// The exposition, given the followers' lags (`health::readiness` reads them).
pub fn render(state: &AppState, followers: &[FollowerLag]) -> String {
    let mut out = String::new();
    let w = state.db.writer_stats();
    family(
        &mut out,
        "frontdesk_writer_queue_depth",
        "gauge",
        "Write transactions waiting for the single writer.",
    );
    let _ = writeln!(out, "frontdesk_writer_queue_depth {}", state.db.writer_queue_depth());
    family(
        &mut out,
        "frontdesk_writer_batches_total",
        "counter",
        "Transactions the writer ran.",
    );
    let _ = writeln!(out, "frontdesk_writer_batches_total {}", w.batches.load(Relaxed));
    family(
        &mut out,
        "frontdesk_writer_jobs_total",
        "counter",
        "Write jobs run in those transactions (jobs / batches: the mean batch).",
    );
    let _ = writeln!(out, "frontdesk_writer_jobs_total {}", w.jobs.load(Relaxed));
    family(
        &mut out,
        "frontdesk_writer_largest_batch",
        "gauge",
        "The most jobs one transaction took.",
    );
    let _ = writeln!(out, "frontdesk_writer_largest_batch {}", w.largest_batch.load(Relaxed));
    family(
        &mut out,
        "frontdesk_writer_busy_seconds_total",
        "counter",
        "Time the writer spent in transactions.",
    );
    let _ = writeln!(
        out,
        "frontdesk_writer_busy_seconds_total {:.6}",
        w.busy_us.load(Relaxed) as f64 / 1e6
    );
    family(
        &mut out,
        "frontdesk_follower_lag_rows",
        "gauge",
        "Rows of its log a follower has not handled yet.",
    );
    for f in followers {
        let _ = writeln!(out, "frontdesk_follower_lag_rows{{follower=\"{}\"}} {}", f.name, f.behind);
    }
    family(
        &mut out,
        "frontdesk_follower_waiting_seconds",
        "gauge",
        "How long the oldest row a follower has not handled has waited.",
    );
    for f in followers {
        let _ = writeln!(out, "frontdesk_follower_waiting_seconds{{follower=\"{}\"}} {}", f.name, f.waiting_s);
    }
    family(&mut out, "frontdesk_live_sockets", "gauge", "Open live (bell) connections.");
    let _ = writeln!(out, "frontdesk_live_sockets {}", state.hub.open_sockets());
    family(
        &mut out,
        "frontdesk_sends_total",
        "counter",
        "Sends to push services, mail and SMS servers and webhook endpoints, by outcome.",
    );
    let s = &state.sends;
    for (channel, o) in [("push", &s.push), ("messages", &s.messages), ("webhooks", &s.webhooks)] {
        let _ = writeln!(
            out,
            "frontdesk_sends_total{{channel=\"{channel}\",outcome=\"ok\"}} {}",
            o.ok.load(Relaxed)
        );
        let _ = writeln!(
            out,
            "frontdesk_sends_total{{channel=\"{channel}\",outcome=\"failed\"}} {}",
            o.failed.load(Relaxed)
        );
    }
    family(
        &mut out,
        "frontdesk_send_latency_seconds",
        "summary",
        "Time from sending to the answer, where measured.",
    );
    // Only webhooks measure it: a push or an email is handed over, not answered by its reader.
    let o = &s.webhooks;
    let _ = writeln!(
        out,
        "frontdesk_send_latency_seconds_sum{{channel=\"webhooks\"}} {:.6}",
        o.latency_us.load(Relaxed) as f64 / 1e6
    );
    let _ = writeln!(
        out,
        "frontdesk_send_latency_seconds_count{{channel=\"webhooks\"}} {}",
        o.timed.load(Relaxed)
    );
    out
}
