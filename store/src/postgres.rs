//! The PostgreSQL store: one table shared by every replica, claims taken
//! with one `INSERT ... ON CONFLICT` statement.

use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::{Client, NoTls};

use crate::{lease_ms, now_ms, token, Claim, Lease, NotificationStore, StoreError};

/// The schema, applied when the store connects (idempotent).
pub const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS antom_notifications (
    key        TEXT PRIMARY KEY,
    state      TEXT NOT NULL CHECK (state IN ('claimed', 'done')),
    token      TEXT NOT NULL,
    until_ms   BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
";

/// A store in a PostgreSQL database. A claim is one statement: it inserts
/// the key, or takes over an expired claim, and returns the token only to
/// the delivery that won, so concurrent replicas get at most one
/// [`Claim::Claimed`] per key.
#[derive(Clone)]
pub struct PostgresStore {
    client: Arc<Client>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

fn backend(e: tokio_postgres::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

impl PostgresStore {
    /// Connects with a libpq-style configuration (`host=127.0.0.1 port=5432
    /// user=antom dbname=antom`, or a `postgresql://` URL) without TLS, and
    /// applies the migration. The connection task runs on the current tokio
    /// runtime.
    pub async fn connect(config: &str) -> Result<Self, StoreError> {
        let (client, connection) = tokio_postgres::connect(config, NoTls)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot connect to PostgreSQL: {e}")))?;
        tokio::spawn(async move {
            // The connection ends when the client is dropped, or on an error
            // that every later query reports.
            let _ = connection.await;
        });
        client.batch_execute(MIGRATION).await.map_err(backend)?;
        Ok(PostgresStore {
            client: Arc::new(client),
        })
    }
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl NotificationStore for PostgresStore {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, StoreError> {
        let now = now_ms();
        let mine = token();
        let won = self
            .client
            .query_opt(
                "INSERT INTO antom_notifications (key, state, token, until_ms, updated_ms)
                 VALUES ($1, 'claimed', $2, $3, $4)
                 ON CONFLICT (key) DO UPDATE
                   SET state = 'claimed', token = EXCLUDED.token,
                       until_ms = EXCLUDED.until_ms, updated_ms = EXCLUDED.updated_ms
                   WHERE antom_notifications.state = 'claimed'
                     AND antom_notifications.until_ms <= $4
                 RETURNING token",
                &[
                    &key,
                    &mine,
                    &to_i64(now.saturating_add(lease_ms(lease))),
                    &to_i64(now),
                ],
            )
            .await
            .map_err(backend)?;
        if won.is_some() {
            return Ok(Claim::Claimed(Lease {
                key: key.to_owned(),
                token: mine,
            }));
        }
        let state: Option<String> = self
            .client
            .query_opt(
                "SELECT state FROM antom_notifications WHERE key = $1",
                &[&key],
            )
            .await
            .map_err(backend)?
            .map(|row| row.get(0));
        Ok(match state.as_deref() {
            Some("done") => Claim::Done,
            _ => Claim::InProgress,
        })
    }

    async fn complete(&self, lease: &Lease) -> Result<(), StoreError> {
        self.client
            .execute(
                "UPDATE antom_notifications SET state = 'done', updated_ms = $3
                 WHERE key = $1 AND token = $2 AND state = 'claimed'",
                &[&lease.key, &lease.token, &to_i64(now_ms())],
            )
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn release(&self, lease: &Lease) -> Result<(), StoreError> {
        self.client
            .execute(
                "DELETE FROM antom_notifications WHERE key = $1 AND token = $2 AND state = 'claimed'",
                &[&lease.key, &lease.token],
            )
            .await
            .map_err(backend)?;
        Ok(())
    }
}
