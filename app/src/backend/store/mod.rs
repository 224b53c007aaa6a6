//! The storage layer: the only place with SQL. One module per aggregate
//! (appointments, stores, staff, clients, …), each a set of typed functions:
//! reads take a [`Conn`] (a pooled reader or the writer's transaction), writes
//! take the writer's [`Tx`]. Nothing above this layer names a table or a
//! column, so a second backend (PostgreSQL is planned) replaces this folder
//! and nothing else.
//!
//! SQLite access: a pool of readers and exactly one writer.
//!
//! Every write in Frontdesk goes through [`Db::write`]: the job is sent to the
//! writer task, which runs jobs one after another on its own connection. The
//! writer takes every job waiting in its queue (up to `MAX_BATCH`), opens one
//! `BEGIN IMMEDIATE` transaction, runs each job inside its own savepoint (a
//! failing job rolls back alone), and commits once: group commit, invisible
//! to callers. Because there is a single writer, SQLite never sees two
//! writers racing for the lock, and checks such as "is this slot still free"
//! are made against state no one else can change before the commit.
//!
//! After the commit, and in commit order, the writer publishes the live
//! messages the jobs queued, then wakes the event dispatchers.

pub mod account_emails;
pub mod api_keys;
pub mod appointments;
pub mod attendees;
pub mod client_messages;
pub mod clients;
pub mod conversations;
pub mod cursors;
pub mod events;
pub mod idempotency;
pub mod jobs;
pub mod notifications;
pub mod payments;
pub mod people;
pub mod preferences;
pub mod push;
pub mod schedules;
pub mod secrets;
pub mod services;
pub mod staff;
pub mod stores;
pub mod webhooks;

use crate::backend::hub::Hub;
use crate::domain::ids::StaffId;
use crate::error::AppError;
use crate::model::LiveMsg;
use futures::FutureExt;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqliteConnection, SqlitePool};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Jobs in one commit at most; bounds how long one commit holds the lock.
const MAX_BATCH: usize = 128;
/// Bounded queue: when the writer is saturated, callers wait (back-pressure)
/// instead of piling up unbounded memory.
const QUEUE: usize = 4096;

/// A connection reads go through: a pooled reader, or the writer's own
/// connection inside a transaction (`Tx::conn`), so a check and the write it
/// guards see the same state.
pub type Conn = SqliteConnection;

/// A reader borrowed from the pool; derefs to [`Conn`].
pub type Reader = sqlx::pool::PoolConnection<sqlx::Sqlite>;

/// The writer's side of one transaction, handed to every job.
pub struct Tx {
    conn: SqliteConnection,
    publish: Vec<(StaffId, LiveMsg)>,
    events_appended: bool,
}

impl Tx {
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.conn
    }
    /// Send `msg` to `staff_id`'s open tabs once (and only if) this job commits.
    pub fn publish(&mut self, staff_id: StaffId, msg: LiveMsg) {
        self.publish.push((staff_id, msg));
    }
    /// Mark that this job appended to a log someone follows (events,
    /// notifications, jobs, receipts), so the followers are woken after commit.
    pub fn events_appended(&mut self) {
        self.events_appended = true;
    }
}

/// A JSON array of ids, for `IN (SELECT value FROM json_each(?))`: one
/// statement whatever the number of ids.
pub(crate) fn json_ids<T: serde::Serialize>(ids: &[T]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

type Deliver = Box<dyn FnOnce(Result<(), AppError>) + Send>;
type Job = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFut<'t, (bool, Deliver)> + Send>;

fn job<F>(f: F) -> Job
where
    F: for<'t> FnOnce(&'t mut Tx) -> BoxFut<'t, (bool, Deliver)> + Send + 'static,
{
    Box::new(f)
}

#[derive(Clone)]
pub struct Db {
    read: SqlitePool,
    /// Readers for the followers alone: background work that produces the
    /// live bell must not wait behind request traffic for a connection.
    follow: SqlitePool,
    jobs: mpsc::Sender<Job>,
    writer: Arc<WriterStats>,
    /// Bumped after every commit that appended to a followed log. Each
    /// follower holds its own receiver (`commits`), so none misses a wake-up
    /// and none is woken twice for one.
    events_committed: watch::Receiver<u64>,
}

/// What the writer has done since the process started, for `/metrics`.
#[derive(Default, Debug)]
pub struct WriterStats {
    /// Transactions committed (or rolled back whole).
    pub batches: std::sync::atomic::AtomicU64,
    /// Write jobs run in them.
    pub jobs: std::sync::atomic::AtomicU64,
    /// The most jobs one transaction took.
    pub largest_batch: std::sync::atomic::AtomicU64,
    /// Time from BEGIN to COMMIT's return, summed, in microseconds.
    pub busy_us: std::sync::atomic::AtomicU64,
}

fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL + FULL: a commit is on disk before it is acknowledged (the
        // booking's 200, its email, its webhook), power loss included. The
        // writer's group commit pays one fsync per batch, not per booking.
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true)
}

impl Db {
    /// Changes after every commit that appended to a followed log.
    pub fn commits(&self) -> watch::Receiver<u64> {
        self.events_committed.clone()
    }

    /// The read pool itself, for tests and diagnostics that inspect the
    /// database; application code reads through the store modules.
    pub fn pool(&self) -> &SqlitePool {
        &self.read
    }

    /// The writer's counters.
    pub fn writer_stats(&self) -> &WriterStats {
        &self.writer
    }

    /// Write jobs waiting for the writer.
    pub fn writer_queue_depth(&self) -> usize {
        self.jobs.max_capacity() - self.jobs.capacity()
    }

    /// A reader from the pool.
    pub async fn reader(&self) -> Result<Reader, AppError> {
        Ok(self.read.acquire().await?)
    }

    /// A reader reserved for the log followers (see `follow`).
    pub async fn follower_reader(&self) -> Result<Reader, AppError> {
        Ok(self.follow.acquire().await?)
    }

    /// Open (creating if needed) the database file, run migrations, start the writer.
    pub async fn open(path: &Path, hub: Hub) -> Result<Db, sqlx::Error> {
        let mut writer = options(path).connect().await?;
        sqlx::migrate!("../migrations").run(&mut writer).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(options(path).read_only(true))
            .await?;
        // One per follower that reads outside the writer (push holds its
        // reader while it sends), and one to spare.
        let follow = SqlitePoolOptions::new()
            .max_connections(6)
            .min_connections(1)
            .connect_with(options(path).read_only(true))
            .await?;
        let (jobs, rx) = mpsc::channel(QUEUE);
        let (bump, events_committed) = watch::channel(0u64);
        let stats = Arc::new(WriterStats::default());
        tokio::spawn(run_writer(writer, rx, hub, bump, stats.clone()));
        Ok(Db {
            read,
            follow,
            jobs,
            writer: stats,
            events_committed,
        })
    }

    /// Run `f` inside the single writer's transaction. Its result is returned
    /// only after the commit; if `f` fails, its changes (and its queued live
    /// messages) are rolled back and nothing else in the batch is affected.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFut<'t, Result<T, AppError>> + Send + 'static,
    {
        let (done, result) = oneshot::channel::<Result<T, AppError>>();
        let j = job(move |tx| {
            Box::pin(async move {
                let r = f(tx).await;
                let ok = r.is_ok();
                let deliver: Deliver = Box::new(move |commit| {
                    let _ = done.send(commit.and(r));
                });
                (ok, deliver)
            })
        });
        self.jobs.send(j).await.map_err(|_| AppError::Internal)?;
        // A dropped sender means the job panicked; the writer logged it.
        result.await.map_err(|_| AppError::Internal)?
    }
}

async fn exec(conn: &mut SqliteConnection, sql: &'static str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(conn).await.map(|_| ())
}

async fn run_writer(
    conn: SqliteConnection,
    mut rx: mpsc::Receiver<Job>,
    hub: Hub,
    events_committed: watch::Sender<u64>,
    stats: Arc<WriterStats>,
) {
    use std::sync::atomic::Ordering::Relaxed;
    let mut tx = Tx {
        conn,
        publish: Vec::new(),
        events_appended: false,
    };
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    let mut delivers: Vec<Deliver> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let started = std::time::Instant::now();
        stats.batches.fetch_add(1, Relaxed);
        stats.jobs.fetch_add(batch.len() as u64, Relaxed);
        stats.largest_batch.fetch_max(batch.len() as u64, Relaxed);
        if let Err(e) = exec(&mut tx.conn, "BEGIN IMMEDIATE").await {
            tracing::error!("writer could not begin a transaction: {e}");
            // Jobs are dropped unrun: their callers get an error, not a hang.
            batch.clear();
            continue;
        }
        for j in batch.drain(..) {
            let published = tx.publish.len();
            let appended = tx.events_appended;
            if let Err(e) = exec(&mut tx.conn, "SAVEPOINT job").await {
                tracing::error!("writer savepoint failed: {e}");
                continue;
            }
            let outcome = AssertUnwindSafe(j(&mut tx)).catch_unwind().await;
            let keep = matches!(outcome, Ok((true, _)));
            if !keep {
                tx.publish.truncate(published);
                tx.events_appended = appended;
                if let Err(e) = exec(&mut tx.conn, "ROLLBACK TO job").await {
                    tracing::error!("writer rollback to savepoint failed: {e}");
                }
            }
            if let Err(e) = exec(&mut tx.conn, "RELEASE job").await {
                tracing::error!("writer release failed: {e}");
            }
            match outcome {
                Ok((_, d)) => delivers.push(d),
                Err(_) => tracing::error!("a write job panicked; its changes were rolled back"),
            }
        }
        let committed = exec(&mut tx.conn, "COMMIT").await;
        stats.busy_us.fetch_add(started.elapsed().as_micros() as u64, Relaxed);
        let commit_result = match committed {
            Ok(()) => {
                for (staff_id, msg) in tx.publish.drain(..) {
                    hub.publish(staff_id, &msg);
                }
                if std::mem::take(&mut tx.events_appended) {
                    events_committed.send_modify(|n| *n += 1);
                }
                Ok(())
            }
            Err(e) => {
                tracing::error!("commit failed: {e}");
                let _ = exec(&mut tx.conn, "ROLLBACK").await;
                tx.publish.clear();
                tx.events_appended = false;
                Err(AppError::Internal)
            }
        };
        for d in delivers.drain(..) {
            d(commit_result.clone());
        }
    }
}
