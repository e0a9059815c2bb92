//! Exactly-once under concurrency, crashes and restarts, on every store.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use antom_store::{handle_once, Claim, Handled, MemoryStore, NotificationStore, SqliteStore};

const KEY: &str = "SANDBOX_5X00000000000000/notifyPayment:paymentRequestId=order-1";

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("antom-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("notifications.sqlite3")
}

/// 64 tasks deliver the same notification 8 times each, while some
/// handlers fail (and release): the handler succeeds exactly once, and every
/// later delivery is acknowledged without running it.
async fn concurrent_deliveries_act_once<S: NotificationStore + 'static>(store: Arc<S>, key: &str) {
    let acted = Arc::new(AtomicUsize::new(0));
    let attempts = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let (store, acted, attempts) = (store.clone(), acted.clone(), attempts.clone());
        let key = key.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut acknowledged = 0;
            for _ in 0..8 {
                let handled = handle_once(&*store, &key, Duration::from_secs(30), || async {
                    // The first two handlers fail, as a crashed database call would.
                    if attempts.fetch_add(1, Ordering::SeqCst) < 2 {
                        return Err("downstream failed");
                    }
                    acted.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                })
                .await
                .unwrap();
                if handled.acknowledge() {
                    acknowledged += 1;
                }
                tokio::task::yield_now().await;
            }
            acknowledged
        }));
    }
    let mut acknowledged = 0;
    for t in tasks {
        acknowledged += t.await.unwrap();
    }
    assert_eq!(acted.load(Ordering::SeqCst), 1, "acted exactly once");
    assert!(acknowledged > 0);
    assert_eq!(
        store.claim(key, Duration::from_secs(1)).await.unwrap(),
        Claim::Done
    );
}

/// A holder that crashes (never completes) blocks the key only for its
/// lease; a later delivery takes it over, and the crashed holder's late
/// completion changes nothing.
async fn an_expired_lease_is_taken_over<S: NotificationStore>(store: &S, key: &str) {
    let Claim::Claimed(crashed) = store.claim(key, Duration::from_millis(1500)).await.unwrap()
    else {
        panic!("first claim")
    };
    assert_eq!(
        store.claim(key, Duration::from_secs(30)).await.unwrap(),
        Claim::InProgress
    );
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let Claim::Claimed(second) = store.claim(key, Duration::from_secs(30)).await.unwrap() else {
        panic!("the expired lease is taken over")
    };
    store.release(&crashed).await.unwrap();
    assert_eq!(
        store.claim(key, Duration::from_secs(30)).await.unwrap(),
        Claim::InProgress,
        "a stale release does not free the new holder's claim"
    );
    store.complete(&second).await.unwrap();
    assert_eq!(
        store.claim(key, Duration::from_secs(30)).await.unwrap(),
        Claim::Done
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn memory_store_acts_once() {
    concurrent_deliveries_act_once(Arc::new(MemoryStore::new(1000)), KEY).await;
    an_expired_lease_is_taken_over(&MemoryStore::new(10), KEY).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_store_acts_once_and_survives_a_restart() {
    let path = temp_db("once");
    concurrent_deliveries_act_once(Arc::new(SqliteStore::open(&path).unwrap()), KEY).await;
    // A restart: a new store on the same file remembers.
    let reopened = SqliteStore::open(&path).unwrap();
    assert_eq!(
        reopened.claim(KEY, Duration::from_secs(1)).await.unwrap(),
        Claim::Done
    );
    let path = temp_db("lease");
    an_expired_lease_is_taken_over(&SqliteStore::open(&path).unwrap(), KEY).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_stores_on_one_file_share_claims() {
    // Two processes' stores on one file (two connections).
    let path = temp_db("shared");
    let (a, b) = (
        SqliteStore::open(&path).unwrap(),
        SqliteStore::open(&path).unwrap(),
    );
    let Claim::Claimed(lease) = a.claim(KEY, Duration::from_secs(30)).await.unwrap() else {
        panic!()
    };
    assert_eq!(
        b.claim(KEY, Duration::from_secs(30)).await.unwrap(),
        Claim::InProgress
    );
    a.complete(&lease).await.unwrap();
    assert_eq!(
        b.claim(KEY, Duration::from_secs(30)).await.unwrap(),
        Claim::Done
    );
}

#[tokio::test]
async fn an_unusable_store_never_acknowledges() {
    let err = SqliteStore::open("/nonexistent-dir/for/sure/notifications.sqlite3").unwrap_err();
    assert!(err.to_string().contains("cannot open"), "{err}");
    // A full in-memory store refuses the claim instead of forgetting work in progress.
    let store = MemoryStore::new(1);
    let _held = store.claim("a", Duration::from_secs(30)).await.unwrap();
    let refused = handle_once(&store, "b", Duration::from_secs(30), || async {
        Ok::<(), ()>(())
    })
    .await;
    assert!(refused.is_err());
    // A handled key makes room.
    let store = MemoryStore::new(1);
    assert!(matches!(
        handle_once(&store, "a", Duration::from_secs(30), || async {
            Ok::<(), ()>(())
        })
        .await
        .unwrap(),
        Handled::Now
    ));
    assert!(matches!(
        handle_once(&store, "b", Duration::from_secs(30), || async {
            Ok::<(), ()>(())
        })
        .await
        .unwrap(),
        Handled::Now
    ));
}

/// A real PostgreSQL server: `.ci/run` starts one on loopback and sets
/// `ANTOM_TEST_POSTGRES` (a libpq connection string) and
/// `ANTOM_REQUIRE_POSTGRES=1`, so the test cannot pass without it there.
#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread")]
async fn postgres_store_acts_once_across_replicas() {
    use antom_store::PostgresStore;
    let Ok(config) = std::env::var("ANTOM_TEST_POSTGRES") else {
        assert!(
            std::env::var_os("ANTOM_REQUIRE_POSTGRES").is_none(),
            "ANTOM_REQUIRE_POSTGRES is set but ANTOM_TEST_POSTGRES is not"
        );
        eprintln!(
            "skipped: set ANTOM_TEST_POSTGRES to a PostgreSQL connection string (.ci/run does)"
        );
        return;
    };
    // Keys of their own, so runs against one database do not meet.
    let run = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let store = Arc::new(PostgresStore::connect(&config).await.unwrap());
    concurrent_deliveries_act_once(store.clone(), &format!("{KEY}-{run}-once")).await;
    an_expired_lease_is_taken_over(&*store, &format!("{KEY}-{run}-lease")).await;
    // Two replicas (two connections) share claims.
    let other = PostgresStore::connect(&config).await.unwrap();
    let key = format!("{KEY}-{run}-shared");
    let Claim::Claimed(lease) = store.claim(&key, Duration::from_secs(30)).await.unwrap() else {
        panic!()
    };
    assert_eq!(
        other.claim(&key, Duration::from_secs(30)).await.unwrap(),
        Claim::InProgress
    );
    store.complete(&lease).await.unwrap();
    assert_eq!(
        other.claim(&key, Duration::from_secs(30)).await.unwrap(),
        Claim::Done
    );
}

#[cfg(feature = "postgres")]
#[tokio::test]
async fn an_unreachable_postgres_is_an_error_not_an_acknowledgement() {
    let err =
        antom_store::PostgresStore::connect("host=127.0.0.1 port=1 user=nobody connect_timeout=2")
            .await
            .unwrap_err();
    assert!(
        err.to_string().contains("cannot connect to PostgreSQL"),
        "{err}"
    );
}
