//! End to end: generated client methods against a mock gateway built from
//! the kit's wiremock pieces, which checks the request signature (merchant
//! test key) and signs its responses (the test key playing Antom's).

use antom::models::{CaptureRequest, InquiryPaymentRequest};
use antom::ResultCode;
use antom_conformance::gateway::{Reply, Signing};
use antom_conformance::wiremock::{AntomResponder, Refusals};
use antom_runtime::{Action, BusinessStatus, ClientConfig, Outcome, PrivateKey, PublicKey};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

const SANDBOX_ID: &str = "SANDBOX_5X00000000000000";

fn merchant_private() -> PrivateKey {
    PrivateKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/merchant_private_pkcs8.b64"
    ))
    .unwrap()
}
fn antom_public() -> PublicKey {
    PublicKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/antom_public_spki.pem"
    ))
    .unwrap()
}

/// A gateway answering every request with `body`, signed like Antom, after
/// checking the request's signature as Antom does: the requests it received
/// and the reasons of those it refused.
async fn gateway(body: &'static str) -> (MockServer, Refusals) {
    let server = MockServer::start().await;
    let responder = AntomResponder::new(Reply::raw(200, body, Signing::Signed));
    let refusals = responder.refusals();
    Mock::given(method("POST"))
        .respond_with(responder)
        .mount(&server)
        .await;
    (server, refusals)
}

fn client(server: &MockServer) -> antom::Client {
    let config = antom::Client::config_builder()
        .client_id(SANDBOX_ID)
        .merchant_private_key(merchant_private())
        .antom_public_key(antom_public())
        .gateway_url(server.uri())
        .build()
        .unwrap();
    antom::Client::new(config).unwrap()
}

#[tokio::test]
async fn inquiry_payment_end_to_end() {
    let (server, refusals) = gateway(
        r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"paymentStatus":"SUCCESS","paymentId":"2024010112345","paymentAmount":{"currency":"USD","value":"4200"},"aFieldFromTheFuture":1}"#,
    )
    .await;
    let client = client(&server);
    let request = InquiryPaymentRequest {
        payment_request_id: Some("paymentRequestId01".to_owned()),
        ..Default::default()
    };
    let response = client.payments().inquiry_payment(&request).await.unwrap();

    let seen = server.received_requests().await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].url.path(),
        "/ams/sandbox/api/v1/payments/inquiryPayment",
        "sandbox path is called and signed"
    );
    assert_eq!(
        refusals.reasons(),
        Vec::<String>::new(),
        "the request signature verifies with the merchant public key"
    );

    let Outcome::Success(payment) = response.outcome else {
        panic!("expected success, got {:?}", response.outcome);
    };
    assert_eq!(payment.payment_id.as_deref(), Some("2024010112345"));
    assert_eq!(
        payment.payment_status,
        Some(antom::enums::TransactionStatus::Success)
    );
    assert_eq!(
        payment.business_outcome(),
        Some(antom_runtime::BusinessOutcome::Success)
    );
    assert_eq!(payment.extra["aFieldFromTheFuture"], 1);
    assert_eq!(response.attempts, 1);
}

#[tokio::test]
async fn failure_carries_the_typed_result_code() {
    let (server, _) = gateway(
        r#"{"result":{"resultCode":"INVALID_SIGNATURE","resultStatus":"F","resultMessage":"bad"}}"#,
    )
    .await;
    let client = client(&server);
    let request = InquiryPaymentRequest {
        payment_request_id: Some("paymentRequestId01".to_owned()),
        ..Default::default()
    };
    let response = client.payments().inquiry_payment(&request).await.unwrap();
    let Outcome::Failed(failure) = response.outcome else {
        panic!("expected a failure, got {:?}", response.outcome);
    };
    assert_eq!(failure.code, ResultCode::InvalidSignature);
    assert_eq!(failure.action, Action::FixRequest);
}

#[tokio::test]
async fn invalid_request_is_rejected_before_sending() {
    let (server, _) = gateway(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#).await;
    let client = client(&server);
    let request = CaptureRequest::new(
        "c".repeat(65),
        "payment-1",
        antom::models::Amount::new("USD", "100"),
    );
    let err = client.payments().capture(&request).await.unwrap_err();
    let antom_runtime::Error::InvalidRequest { endpoint, source } = &err else {
        panic!("expected InvalidRequest, got {err:?}");
    };
    assert_eq!(*endpoint, "capture");
    let violations = &source
        .downcast_ref::<antom::models::ValidationError>()
        .expect("the generated validation error")
        .violations;
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].path, "captureRequestId");
    let text = err.to_string();
    assert!(text.contains("captureRequestId"), "{text}");
    assert!(text.contains("maximum is 64"), "{text}");
    assert_eq!(
        text.matches("invalid request").count(),
        1,
        "said once: {text}"
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing is sent"
    );
}

#[tokio::test]
async fn a_call_is_sent_when_awaited_and_holds_no_borrow_of_the_request() {
    let (server, refusals) =
        gateway(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentId":"p-1"}"#)
            .await;
    let client = client(&server);
    let call = {
        let request = InquiryPaymentRequest {
            payment_id: Some("p-1".to_owned()),
            ..Default::default()
        };
        client.payments().inquiry_payment(&request)
    };
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "a call not yet awaited sends nothing"
    );
    let response = call.await.unwrap();
    assert!(matches!(response.outcome, Outcome::Success(_)));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let sent: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(sent, serde_json::json!({"paymentId": "p-1"}));
    assert_eq!(
        refusals.reasons(),
        Vec::<String>::new(),
        "signed as Antom checks"
    );
}

#[test]
fn the_client_installs_the_spec_sandbox_rule() {
    let config = ClientConfig::builder()
        .client_id(SANDBOX_ID)
        .merchant_private_key(merchant_private())
        .antom_public_key(antom_public())
        .gateway_url(antom::Region::NorthAmerica.host())
        .sandbox_rule(antom_runtime::SandboxRule {
            client_id_prefix: "TEST_",
            production_prefix: "/ams/api",
            sandbox_prefix: "/ams/test/api",
        })
        .build()
        .unwrap();
    let client = antom::Client::new(config).unwrap();
    assert_eq!(
        client.runtime().config().sandbox_rule(),
        &antom::SANDBOX_RULE
    );
    assert_eq!(
        client
            .runtime()
            .config()
            .path_for(&antom::endpoints::CAPTURE),
        "/ams/sandbox/api/v1/payments/capture"
    );
}
