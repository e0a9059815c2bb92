//! The SQLite store: one file, shared by the processes of one machine,
//! surviving restarts.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::{lease_ms, now_ms, token, Claim, Lease, NotificationStore, StoreError};

/// The schema, applied when the store opens (idempotent).
const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS antom_notifications (
    key        TEXT PRIMARY KEY NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('claimed', 'done')),
    token      TEXT NOT NULL,
    until_ms   INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
";

/// A store in an SQLite file (created if absent). Claims are taken in an
/// immediate transaction, so concurrent deliveries (threads or processes)
/// get at most one [`Claim::Claimed`] per key.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

impl SqliteStore {
    /// Opens (or creates) the store at `path` and applies its migration.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let conn = Connection::open(path)
            .map_err(|e| StoreError::Backend(format!("cannot open {}: {e}", path.display())))?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(backend)?;
        conn.execute_batch("PRAGMA journal_mode = WAL;")
            .map_err(backend)?;
        conn.execute_batch(MIGRATION).map_err(backend)?;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` on the connection off the async executor.
    async fn with<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| backend("poisoned lock"))?;
            f(&mut guard)
        })
        .await
        .map_err(backend)?
    }
}

impl NotificationStore for SqliteStore {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, StoreError> {
        let key = key.to_owned();
        let lease = lease_ms(lease);
        self.with(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let now = now_ms();
            let row: Option<(String, i64)> = tx
                .query_row(
                    "SELECT state, until_ms FROM antom_notifications WHERE key = ?1",
                    params![key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(backend)?;
            let claim = match row {
                Some((state, _)) if state == "done" => Claim::Done,
                Some((_, until)) if until_as_u64(until) > now => Claim::InProgress,
                _ => {
                    let token = token();
                    tx.execute(
                        "INSERT INTO antom_notifications (key, state, token, until_ms, updated_ms)
                         VALUES (?1, 'claimed', ?2, ?3, ?4)
                         ON CONFLICT (key) DO UPDATE SET state = 'claimed', token = ?2, until_ms = ?3, updated_ms = ?4",
                        params![key, token, to_i64(now.saturating_add(lease)), to_i64(now)],
                    )
                    .map_err(backend)?;
                    Claim::Claimed(Lease { key, token })
                }
            };
            tx.commit().map_err(backend)?;
            Ok(claim)
        })
        .await
    }

    async fn complete(&self, lease: &Lease) -> Result<(), StoreError> {
        let lease = lease.clone();
        self.with(move |conn| {
            conn.execute(
                "UPDATE antom_notifications SET state = 'done', updated_ms = ?3
                 WHERE key = ?1 AND token = ?2 AND state = 'claimed'",
                params![lease.key, lease.token, to_i64(now_ms())],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn release(&self, lease: &Lease) -> Result<(), StoreError> {
        let lease = lease.clone();
        self.with(move |conn| {
            conn.execute(
                "DELETE FROM antom_notifications WHERE key = ?1 AND token = ?2 AND state = 'claimed'",
                params![lease.key, lease.token],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn until_as_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}
