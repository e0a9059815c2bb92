//! Exactly-once handling of Antom notifications, across restarts.
//!
//! Place in the data path: beside the runtime (runtime → **store**): it
//! keeps, across restarts, what the runtime verified and named.
//!
//! Antom delivers a notification until it is acknowledged, up to 8 times
//! over about a day, possibly to several replicas at once. A webhook must act
//! once. The runtime verifies a delivery and names it (its dedup key); this
//! crate remembers what was done with it:
//!
//! 1. [`NotificationStore::claim`] the key with a lease: only one delivery
//!    at a time holds it ([`Claim::Claimed`]); the others see
//!    [`Claim::InProgress`] (answer "not acknowledged": Antom delivers
//!    again) or [`Claim::Done`] (acknowledge without acting again).
//! 2. Act, then [`complete`](NotificationStore::complete) the claim; on a
//!    failure [`release`](NotificationStore::release) it so the next
//!    delivery retries. A holder that crashed leaves a lease that expires,
//!    and the next delivery claims it again.
//!
//! [`handle_once`] runs the whole protocol around a handler. Stores:
//! [`MemoryStore`] (bounded, one process, for tests), `SqliteStore`
//! (feature `sqlite`, the default: embedded, survives a restart) and
//! `PostgresStore` (feature `postgres`: several replicas on one database). A store that cannot
//! answer makes the delivery "not acknowledged", never acknowledged and
//! dropped.
//!
//! ```no_run
//! # async fn demo() -> Result<(), antom_store::StoreError> {
//! use std::time::Duration;
//! use antom_store::{handle_once, Handled, SqliteStore};
//!
//! let store = SqliteStore::open("notifications.sqlite3")?;
//! // `key` is the verified notification's dedup key.
//! let key = "SANDBOX_5X00000000000000/notifyPayment:paymentRequestId=order-1";
//! let handled = handle_once(&store, key, Duration::from_secs(60), || async {
//!     // mark the order paid ...
//!     Ok::<(), std::io::Error>(())
//! })
//! .await?;
//! let acknowledge = handled.acknowledge(); // false: answer non-200, Antom delivers again
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;

/// A store failed; the delivery must not be acknowledged.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The backend failed (I/O, database).
    #[error("notification store: {0}")]
    Backend(String),
    /// The store is full (the in-memory store's bound).
    #[error("notification store is full ({0} keys)")]
    Full(usize),
}

/// A claim on a key, held until completed or released (or its lease ends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The notification's dedup key.
    pub key: String,
    /// What tells this claim from a later one on the same key.
    pub token: String,
}

/// The answer to a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This delivery holds the key: act, then complete or release.
    Claimed(Lease),
    /// Another delivery holds it now: answer "not acknowledged".
    InProgress,
    /// It was handled: acknowledge without acting again.
    Done,
}

/// Remembers which notifications were handled. Implementations must make
/// `claim` atomic: of concurrent claims on a key, at most one is
/// [`Claim::Claimed`].
pub trait NotificationStore: Send + Sync {
    /// Claims `key` for `lease` (a claim older than its lease is taken over).
    fn claim(
        &self,
        key: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<Claim, StoreError>> + Send;
    /// Marks the claimed key handled for good.
    fn complete(&self, lease: &Lease) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Gives the claim up, so a later delivery acts again.
    fn release(&self, lease: &Lease) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// What [`handle_once`] did.
#[derive(Debug)]
pub enum Handled<E> {
    /// The handler ran and succeeded: acknowledge.
    Now,
    /// It was handled before: acknowledge.
    Before,
    /// Another delivery is handling it: do not acknowledge.
    InProgress,
    /// The handler failed (the claim is released): do not acknowledge.
    Failed(E),
}

impl<E> Handled<E> {
    /// Whether to answer Antom's acknowledgement.
    pub fn acknowledge(&self) -> bool {
        matches!(self, Handled::Now | Handled::Before)
    }
}

/// Claims `key`, runs `handler` if this delivery holds it, and completes
/// (or, on the handler's error, releases) the claim.
pub async fn handle_once<S, F, Fut, E>(
    store: &S,
    key: &str,
    lease: Duration,
    handler: F,
) -> Result<Handled<E>, StoreError>
where
    S: NotificationStore,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(), E>>,
{
    let lease = match store.claim(key, lease).await? {
        Claim::Done => return Ok(Handled::Before),
        Claim::InProgress => return Ok(Handled::InProgress),
        Claim::Claimed(lease) => lease,
    };
    match handler().await {
        Ok(()) => {
            store.complete(&lease).await?;
            Ok(Handled::Now)
        }
        Err(e) => {
            store.release(&lease).await?;
            Ok(Handled::Failed(e))
        }
    }
}

/// Milliseconds since the Unix epoch (saturating).
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn lease_ms(lease: Duration) -> u64 {
    u64::try_from(lease.as_millis()).unwrap_or(u64::MAX)
}

/// A fresh claim token.
fn token() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}-{}",
        std::process::id(),
        now_ms(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

#[derive(Debug, Clone)]
enum Entry {
    Claimed { token: String, until_ms: u64 },
    Done,
}

/// An in-memory store for one process (and tests): at most `capacity`
/// keys; when full, the oldest handled keys are forgotten first, and a claim
/// is refused when every key is still in progress.
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    inner: Mutex<Entries>,
}

impl MemoryStore {
    /// A store holding at most `capacity` keys.
    pub fn new(capacity: usize) -> Self {
        MemoryStore {
            capacity: capacity.max(1),
            inner: Mutex::new((HashMap::new(), VecDeque::new())),
        }
    }
}

type Entries = (HashMap<String, Entry>, VecDeque<String>);

impl MemoryStore {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Entries>, StoreError> {
        self.inner
            .lock()
            .map_err(|_| StoreError::Backend("poisoned lock".into()))
    }
}

impl NotificationStore for MemoryStore {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, StoreError> {
        let mut guard = self.lock()?;
        let (map, order) = &mut *guard;
        let now = now_ms();
        match map.get(key) {
            Some(Entry::Done) => return Ok(Claim::Done),
            Some(Entry::Claimed { until_ms, .. }) if *until_ms > now => {
                return Ok(Claim::InProgress)
            }
            Some(Entry::Claimed { .. }) => {}
            None => {
                while map.len() >= self.capacity {
                    let Some(at) = order
                        .iter()
                        .position(|k| matches!(map.get(k), Some(Entry::Done)))
                    else {
                        return Err(StoreError::Full(self.capacity));
                    };
                    if let Some(old) = order.remove(at) {
                        map.remove(&old);
                    }
                }
                order.push_back(key.to_owned());
            }
        }
        let token = token();
        map.insert(
            key.to_owned(),
            Entry::Claimed {
                token: token.clone(),
                until_ms: now.saturating_add(lease_ms(lease)),
            },
        );
        Ok(Claim::Claimed(Lease {
            key: key.to_owned(),
            token,
        }))
    }

    async fn complete(&self, lease: &Lease) -> Result<(), StoreError> {
        let mut guard = self.lock()?;
        let held = matches!(guard.0.get(&lease.key), Some(Entry::Claimed { token, .. }) if *token == lease.token);
        if held {
            guard.0.insert(lease.key.clone(), Entry::Done);
        }
        Ok(())
    }

    async fn release(&self, lease: &Lease) -> Result<(), StoreError> {
        let mut guard = self.lock()?;
        let (map, order) = &mut *guard;
        let held = matches!(map.get(&lease.key), Some(Entry::Claimed { token, .. }) if *token == lease.token);
        if held {
            map.remove(&lease.key);
            order.retain(|k| *k != lease.key);
        }
        Ok(())
    }
}
