//! The example shop against the local Antom: the card flow through the
//! webhook, the inquiry fallback for a lost notification, and a
//! redelivery after a restart acknowledged without acting again.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use antom_conformance::mock_gateway::{MockAntom, Options, CLIENT_ID, CONTROL_PREFIX};
use antom_example_shop::{app, OrderStatus, Shop};
use antom_store::SqliteStore;

struct Running {
    shop: Arc<Shop<SqliteStore>>,
    url: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A shop on a loopback port calling `gateway`, its notification store in
/// `db`; Antom is asked to notify `notify_url`, or the shop's own webhook.
async fn shop(gateway: &MockAntom, db: &Path, notify_url: Option<String>) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let client = antom::Client::new(gateway.client_config().build().unwrap()).unwrap();
    let shop = Arc::new(Shop::new(
        client,
        SqliteStore::open(db).unwrap(),
        notify_url.unwrap_or_else(|| format!("{url}/antom/notify")),
        format!("{url}/thanks"),
    ));
    let app = app(shop.clone(), gateway.antom_public_key(), CLIENT_ID);
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Running { shop, url, server }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn checkout_and_pay(gateway: &MockAntom, shop: &Running, order: &str) {
    let created = http()
        .post(format!("{}/orders", shop.url))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"id": "{order}", "currency": "USD", "value": "2500"}}"#
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200, "{:?}", created.text().await);
    let paid = http()
        .post(format!("{}{CONTROL_PREFIX}{order}/complete", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 200);
}

/// Waits (bounded) until `order` reaches `status` without asking Antom.
async fn wait_for(shop: &Shop<SqliteStore>, order: &str, status: OrderStatus) {
    for _ in 0..500 {
        if shop.order(order).unwrap().status == status {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("order {order} is {:?}", shop.order(order).unwrap().status);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_card_flow_through_the_webhook() {
    let dir = tempdir();
    let gateway = MockAntom::start(Options::default()).await.unwrap();
    let running = shop(&gateway, &dir.join("n.sqlite3"), None).await;
    checkout_and_pay(&gateway, &running, "order-1").await;
    // notifyPayment → capture (settled at once or by notifyCapture).
    wait_for(&running.shop, "order-1", OrderStatus::Captured).await;
    let refunded = http()
        .post(format!("{}/orders/order-1/refund", running.url))
        .send()
        .await
        .unwrap();
    assert_eq!(refunded.status(), 200);
    assert!(refunded
        .text()
        .await
        .unwrap()
        .contains(r#""status":"refunded""#));
    // A second refund is refused by the shop, not sent.
    let again = http()
        .post(format!("{}/orders/order-1/refund", running.url))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_notification_is_made_up_by_the_inquiry() {
    let dir = tempdir();
    let gateway = MockAntom::start(Options::default()).await.unwrap();
    // Antom's notifications go nowhere (a port nothing listens on).
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!("http://{}/antom/notify", dead.local_addr().unwrap());
    drop(dead);
    let running = shop(&gateway, &dir.join("n.sqlite3"), Some(nowhere)).await;
    checkout_and_pay(&gateway, &running, "order-2").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        running.shop.order("order-2").unwrap().status,
        OrderStatus::AwaitingPayment
    );
    let shown = http()
        .get(format!("{}/orders/order-2", running.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shown.contains(r#""status":"captured""#), "{shown}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redelivery_after_a_restart_is_acknowledged_without_acting_again() {
    let dir = tempdir();
    let db = dir.join("n.sqlite3");
    // Antom's deliveries are recorded (and not acknowledged) so the test can
    // hand the same delivery to the shop before and after a restart.
    let recorder = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(500))
        .mount(&recorder)
        .await;
    let gateway = MockAntom::start(Options::default()).await.unwrap();
    let first = shop(
        &gateway,
        &db,
        Some(format!("{}/antom/notify", recorder.uri())),
    )
    .await;
    checkout_and_pay(&gateway, &first, "order-3").await;
    let delivery = loop {
        if let Some(r) = recorder
            .received_requests()
            .await
            .unwrap()
            .into_iter()
            .next()
        {
            break r;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let deliver = |url: String| {
        let mut request = http().post(format!("{url}/antom/notify"));
        for (name, value) in delivery.headers.iter() {
            if name != "host" && name != "content-length" {
                request = request.header(name.as_str(), value.as_bytes());
            }
        }
        request.body(delivery.body.clone()).send()
    };
    let handled = deliver(first.url.clone()).await.unwrap();
    assert_eq!(handled.status(), 200);
    assert_eq!(
        handled.text().await.unwrap(),
        antom::notifications::ACKNOWLEDGEMENT_BODY
    );
    wait_for(&first.shop, "order-3", OrderStatus::Captured).await;
    drop(first);

    // The restarted shop knows no order (they were in memory), so acting
    // again would fail: the store's record of the handled delivery is what
    // acknowledges it.
    let restarted = shop(&gateway, &db, None).await;
    let redelivered = deliver(restarted.url.clone()).await.unwrap();
    assert_eq!(redelivered.status(), 200);
    assert!(restarted.shop.order("order-3").is_err());

    // A delivery that cannot be handled (its order unknown, as after a data
    // loss) is not acknowledged, so Antom delivers it again.
    let other_db = dir.join("other.sqlite3");
    let fresh = shop(&gateway, &other_db, None).await;
    assert_eq!(deliver(fresh.url.clone()).await.unwrap().status(), 503);
}

/// A fresh directory, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn join(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir() -> TempDir {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "antom-shop-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}
