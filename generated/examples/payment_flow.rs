//! A card payment after authorisation, end to end against a local mock
//! gateway: capture (the gateway first answers `CAPTURE_IN_PROCESS`, so the
//! client retries with the same `captureRequestId`), then poll
//! `inquiryPayment` until the payment status is final.
//!
//! ```sh
//! cargo run -p antom --example payment_flow
//! ```
//!
//! The mock signs its responses with the repository's test key playing
//! Antom's; against the real gateway, use your merchant private key, the
//! Antom public key from the dashboard and `antom::Region::…::host()`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use antom::models::{Amount, CaptureRequest, InquiryPaymentRequest};
use antom_runtime::signing::{self, SignInput};
use antom_runtime::{poll_until_final, Outcome, PollConfig, PrivateKey, PublicKey, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CLIENT_ID: &str = "SANDBOX_5X00000000000000";
const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/testdata/keys/");

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!("{KEYS}{name}")).expect("test key")
}

/// Answers with the next body of its script (the last one repeats), signed
/// like Antom signs responses.
struct Script {
    bodies: Vec<&'static str>,
    next: AtomicUsize,
    antom_key: PrivateKey,
}

impl Respond for Script {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        let body = self.bodies[i.min(self.bodies.len() - 1)];
        let time = antom_runtime::timestamp::format_iso8601(std::time::SystemTime::now());
        let time = time.as_str();
        let signature = signing::sign(
            &self.antom_key,
            1,
            &SignInput {
                method: "POST",
                path: req.url.path(),
                client_id: CLIENT_ID,
                time,
                body: body.as_bytes(),
            },
        )
        .expect("sign");
        ResponseTemplate::new(200)
            .set_body_raw(body, "application/json; charset=UTF-8")
            .insert_header("client-id", CLIENT_ID)
            .insert_header("response-time", time)
            .insert_header("signature", signature.as_str())
    }
}

async fn mount(server: &MockServer, endpoint_path: &str, bodies: Vec<&'static str>) {
    let antom_key = PrivateKey::from_pem_or_base64(&key_file("antom_private_pkcs8.pem"))
        .expect("Antom test key");
    Mock::given(method("POST"))
        .and(path(endpoint_path))
        .respond_with(Script {
            bodies,
            next: AtomicUsize::new(0),
            antom_key,
        })
        .mount(server)
        .await;
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    mount(
        &server,
        "/ams/sandbox/api/v1/payments/capture",
        vec![
            r#"{"result":{"resultCode":"CAPTURE_IN_PROCESS","resultStatus":"U","resultMessage":"capture in process"}}"#,
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"captureRequestId":"capture-0001","captureId":"2024010119400000001","paymentId":"2024010119400000000","captureAmount":{"currency":"USD","value":"1000"},"captureTime":"2024-01-01T12:00:00+08:00"}"#,
        ],
    )
    .await;
    mount(
        &server,
        "/ams/sandbox/api/v1/payments/inquiryPayment",
        vec![
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"paymentStatus":"PROCESSING"}"#,
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"paymentStatus":"SUCCESS","paymentResultCode":"SUCCESS","paymentId":"2024010119400000000"}"#,
        ],
    )
    .await;

    let config = antom::Client::config_builder()
        .client_id(CLIENT_ID)
        .merchant_private_key(PrivateKey::from_pem_or_base64(&key_file(
            "merchant_private_pkcs8.b64",
        ))?)
        .antom_public_key(PublicKey::from_pem_or_base64(&key_file(
            "antom_public_spki.pem",
        ))?)
        .gateway_url(server.uri())
        .retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(100),
            ..RetryPolicy::default()
        })
        .build()?;
    let client = antom::Client::new(config)?;

    // 1. Capture: unknown outcomes are retried with the same body and id.
    let capture = CaptureRequest::new(
        "capture-0001",
        "2024010119400000000",
        Amount::new("USD", "1000"),
    );
    let response = client.payments().capture(&capture).await?;
    println!(
        "capture: {} after {} attempt(s), request id {:?}",
        response.outcome.kind(),
        response.attempts,
        response.request_id
    );
    match &response.outcome {
        Outcome::Success(c) => println!("  captureId {:?}", c.capture_id),
        Outcome::Failed(f) => println!("  failed: {} → {}", f.code, f.action),
        Outcome::Unknown(u) => println!("  still unknown → {}", u.action),
    }

    // 2. Poll the payment until its status is final.
    let inquiry = InquiryPaymentRequest::default().with_payment_id("2024010119400000000");
    let polled = poll_until_final(
        &PollConfig {
            interval: Duration::from_millis(200),
            deadline: Duration::from_secs(10),
        },
        || client.payments().inquiry_payment(&inquiry),
    )
    .await?;
    println!(
        "inquiryPayment: stopped after {} poll(s): {:?}",
        polled.polls, polled.stop
    );
    if let Outcome::Success(payment) = &polled.last.outcome {
        println!("  paymentStatus {:?}", payment.payment_status);
    }
    Ok(())
}
