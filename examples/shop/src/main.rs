//! Runs the example shop against the local Antom and walks one order through
//! the card flow: checkout, the buyer pays, notifyPayment reaches the
//! webhook, the shop captures, notifyCapture confirms, then a refund.
//!
//! ```sh
//! cargo run -p antom-example-shop
//! ```
//!
//! It starts `antom-mock-gateway` in process (the repository's test keys: the
//! merchant's private key signs, the gateway answers as Antom with its own),
//! serves the shop on a loopback port and plays the buyer through the
//! gateway's control endpoint. Against Antom's sandbox, build the client with
//! your client id, your private key, Antom's public key from the dashboard
//! and `antom::Region::…::host()`, and publish `/antom/notify` at the URL you
//! give as `paymentNotifyUrl`.

use std::sync::Arc;
use std::time::Duration;

use antom_conformance::mock_gateway::{MockAntom, Options, CLIENT_ID, CONTROL_PREFIX};
use antom_example_shop::{app, OrderStatus, Shop};
use antom_store::SqliteStore;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The shop listens first, so the gateway knows where to notify.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let shop_url = format!("http://{}", listener.local_addr()?);
    let gateway = MockAntom::start(Options::default()).await?;
    println!("local Antom at {}", gateway.url());

    let client = antom::Client::new(gateway.client_config().build()?)?;
    let dir = std::env::temp_dir().join(format!("antom-shop-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = SqliteStore::open(dir.join("notifications.sqlite3"))?;
    let shop = Arc::new(Shop::new(
        client,
        store,
        format!("{shop_url}/antom/notify"),
        format!("{shop_url}/thanks"),
    ));
    let app = app(shop.clone(), gateway.antom_public_key(), CLIENT_ID);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    println!("shop at {shop_url}");

    let http = reqwest::Client::builder().no_proxy().build()?;
    let order = "order-1001";
    let created = http
        .post(format!("{shop_url}/orders"))
        .header("content-type", "application/json")
        .body(r#"{"id": "order-1001", "currency": "USD", "value": "2500"}"#)
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    println!("checkout: {created}");

    // The buyer pays in the SDK.
    http.post(format!("{}{CONTROL_PREFIX}{order}/complete", gateway.url()))
        .send()
        .await?
        .error_for_status()?;
    println!("buyer paid");

    // notifyPayment → capture → notifyCapture, or the inquiry fallback.
    let mut status = OrderStatus::AwaitingPayment;
    for _ in 0..100 {
        status = shop.refresh(order).await?.status;
        if status == OrderStatus::Captured {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("order {order}: {status:?}");
    if status != OrderStatus::Captured {
        return Err(format!("the order was not captured: {status:?}").into());
    }

    let refunded = http
        .post(format!("{shop_url}/orders/{order}/refund"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    println!("refund: {refunded}");

    server.abort();
    drop(gateway);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
