//! A card payment after authorisation, end to end against a local mock
//! gateway: capture (the gateway first answers `CAPTURE_IN_PROCESS`, so the
//! client retries with the same `captureRequestId`), then poll
//! `inquiryPayment` until the payment status is final.
//!
//! ```sh
//! cargo run -p antom --example payment_flow
//! ```
//!
//! The mock is built from the conformance kit's wiremock building blocks
//! (`antom_conformance::wiremock`): it checks each request's signature as
//! Antom's gateway does and signs its replies with the repository's test key
//! playing Antom's. Against the real gateway, use your merchant private key,
//! the Antom public key from the dashboard and `antom::Region::…::host()`.

use std::time::Duration;

use antom::models::{Amount, CaptureRequest, InquiryPaymentRequest};
use antom_conformance::crypto::TestKeys;
use antom_conformance::gateway::Reply;
use antom_conformance::wiremock::{mount, AntomResponder};
use antom_runtime::{poll_until_final, Outcome, PollConfig, PrivateKey, RetryPolicy};
use serde_json::json;
use wiremock::MockServer;

const CLIENT_ID: &str = "SANDBOX_5X00000000000000";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    // The mock verifies every request's signature and signs its replies like
    // Antom, over the path called (the sandbox one for a sandbox client id).
    mount(
        &server,
        "capture",
        CLIENT_ID,
        AntomResponder::sequence(vec![
            Reply::result("U", "CAPTURE_IN_PROCESS", json!({})),
            Reply::result(
                "S",
                "SUCCESS",
                json!({
                    "captureRequestId": "capture-0001",
                    "captureId": "2024010119400000001",
                    "paymentId": "2024010119400000000",
                    "captureAmount": {"currency": "USD", "value": "1000"},
                    "captureTime": "2024-01-01T12:00:00+08:00",
                }),
            ),
        ]),
    )
    .await?;
    mount(
        &server,
        "inquiryPayment",
        CLIENT_ID,
        AntomResponder::sequence(vec![
            Reply::result("S", "SUCCESS", json!({"paymentStatus": "PROCESSING"})),
            Reply::result(
                "S",
                "SUCCESS",
                json!({
                    "paymentStatus": "SUCCESS",
                    "paymentResultCode": "SUCCESS",
                    "paymentId": "2024010119400000000",
                }),
            ),
        ]),
    )
    .await?;
    let keys = TestKeys::load()?;

    let config = antom::Client::config_builder()
        .client_id(CLIENT_ID)
        .merchant_private_key(PrivateKey::from_pem_or_base64(
            &keys.merchant_private_base64(),
        )?)
        .antom_public_key(keys.antom_public.clone())
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
    let inquiry = InquiryPaymentRequest {
        payment_id: Some("2024010119400000000".to_owned()),
        ..Default::default()
    };
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
