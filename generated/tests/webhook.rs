//! The axum webhook: a signed notification through the extractor is
//! verified, typed and acknowledged exactly; a tampered one is refused so
//! Antom delivers it again.
#![cfg(feature = "axum")]

use std::sync::{Arc, Mutex};

use antom::webhook::{Acknowledge, AntomNotification, Webhook};
use antom_runtime::notification::NotificationOptions;
use antom_runtime::signing::{self, SignInput};
use antom_runtime::{PrivateKey, PublicKey};
use axum::extract::FromRef;
use axum::routing::post;
use axum::Router;

#[derive(Clone)]
struct App {
    webhook: Webhook,
    seen: Arc<Mutex<Vec<String>>>,
}

impl FromRef<App> for Webhook {
    fn from_ref(app: &App) -> Webhook {
        app.webhook.clone()
    }
}

async fn notify(
    axum::extract::State(app): axum::extract::State<App>,
    n: AntomNotification,
) -> Acknowledge {
    let kind = n.notification.kind().map(|k| k.name()).unwrap_or("?");
    app.seen
        .lock()
        .unwrap()
        .push(format!("{kind} {}", n.verified.dedup_key()));
    Acknowledge
}

const BODY: &str = r#"{"notifyType":"PAYMENT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"paymentRequestId":"order-1","paymentId":"2026010100001","paymentAmount":{"currency":"USD","value":"100"},"paymentCreateTime":"2026-01-01T08:00:00+08:00","paymentTime":"2026-01-01T08:00:01+08:00"}"#;

fn signed(body: &str, time: &str) -> String {
    let key = PrivateKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/antom_private_pkcs8.pem"
    ))
    .unwrap();
    signing::sign(
        &key,
        1,
        &SignInput {
            method: "POST",
            path: "/antom/notify",
            client_id: "SANDBOX_5X00000000000000",
            time,
            body: body.as_bytes(),
        },
    )
    .unwrap()
}

#[tokio::test]
async fn a_signed_notification_is_verified_typed_and_acknowledged() {
    let public = PublicKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/antom_public_spki.pem"
    ))
    .unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = App {
        webhook: Webhook::new(public, NotificationOptions::default()),
        seen: seen.clone(),
    };
    let router = Router::new()
        .route("/antom/notify", post(notify))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/antom/notify", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let time = antom_runtime::timestamp::format_iso8601(std::time::SystemTime::now());
    let post = |body: &'static str, signature: String| {
        reqwest::Client::new()
            .post(&url)
            .header("content-type", "application/json")
            .header("client-id", "SANDBOX_5X00000000000000")
            .header("request-time", time.clone())
            .header("signature", signature)
            .body(body)
            .send()
    };
    let ok = post(BODY, signed(BODY, &time)).await.unwrap();
    assert_eq!(ok.status(), 200);
    let body: serde_json::Value = serde_json::from_str(&ok.text().await.unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::from_str::<serde_json::Value>(antom::notifications::ACKNOWLEDGEMENT_BODY)
            .unwrap()
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert!(
        seen.lock().unwrap()[0].starts_with("notifyPayment "),
        "{:?}",
        seen.lock().unwrap()
    );

    // The body changed after signing: refused, so Antom delivers again.
    let tampered = post(
        r#"{"notifyType":"PAYMENT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"paymentRequestId":"order-1","paymentId":"2026010100001","paymentAmount":{"currency":"USD","value":"999"}}"#,
        signed(BODY, &time),
    )
    .await
    .unwrap();
    assert_eq!(tampered.status(), 401);
    assert_eq!(seen.lock().unwrap().len(), 1, "not processed");

    // Genuine, but not the shape of its payload: unprocessable, not
    // unauthorized, and not acknowledged either.
    const MALFORMED: &str = r#"{"notifyType":"PAYMENT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentAmount":"one hundred"}"#;
    let malformed = post(MALFORMED, signed(MALFORMED, &time)).await.unwrap();
    assert_eq!(malformed.status(), 422);
    let text = malformed.text().await.unwrap();
    assert!(text.contains("notifyPayment"), "{text}");
    assert_eq!(seen.lock().unwrap().len(), 1, "not processed");
    server.abort();
}
