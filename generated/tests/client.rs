//! End to end: generated client methods against a mock gateway that checks
//! the request signature (merchant test key) and signs its responses (the
//! test key playing Antom's).

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use antom::models::{CaptureRequest, InquiryPaymentRequest};
use antom::ResultCode;
use antom_runtime::signing::{self, Backend, SignInput};
use antom_runtime::{Action, BusinessStatus, ClientConfig, Outcome, PrivateKey, PublicKey};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const SANDBOX_ID: &str = "SANDBOX_5X00000000000000";

fn merchant_private() -> PrivateKey {
    PrivateKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/merchant_private_pkcs8.b64"
    ))
    .unwrap()
}
fn merchant_public() -> PublicKey {
    PublicKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/merchant_public_spki.b64"
    ))
    .unwrap()
}
fn antom_private() -> PrivateKey {
    PrivateKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/antom_private_pkcs8.pem"
    ))
    .unwrap()
}
fn antom_public() -> PublicKey {
    PublicKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/antom_public_spki.pem"
    ))
    .unwrap()
}

/// Path called, and whether the request signature verified.
type Seen = Arc<Mutex<Vec<(String, Result<(), String>)>>>;

/// Answers every request with `body`, signed; records what it saw.
struct Gateway {
    body: &'static str,
    seen: Seen,
}

fn header<'a>(req: &'a Request, name: &str) -> &'a str {
    req.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

impl Respond for Gateway {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let path = req.url.path();
        let client_id = header(req, "client-id");
        let input = SignInput {
            method: "POST",
            path,
            client_id,
            time: header(req, "request-time"),
            body: &req.body,
        };
        let check = signing::verify(&merchant_public(), &input, header(req, "signature"))
            .map_err(|e| e.to_string());
        self.seen.lock().unwrap().push((path.to_owned(), check));
        let response_time = antom_runtime::timestamp::format_iso8601(SystemTime::now());
        let response = SignInput {
            method: "POST",
            path,
            client_id,
            time: &response_time,
            body: self.body.as_bytes(),
        };
        let signature = signing::sign_explained(Backend::default(), &antom_private(), 1, &response)
            .unwrap()
            .header;
        ResponseTemplate::new(200)
            .insert_header("client-id", client_id)
            .insert_header("response-time", response_time.as_str())
            .insert_header("signature", signature.as_str())
            .set_body_raw(self.body, "application/json")
    }
}

async fn gateway(body: &'static str) -> (MockServer, Seen) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .respond_with(Gateway {
            body,
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    (server, seen)
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
    let (server, seen) = gateway(
        r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"paymentStatus":"SUCCESS","paymentId":"2024010112345","paymentAmount":{"currency":"USD","value":"4200"},"aFieldFromTheFuture":1}"#,
    )
    .await;
    let client = client(&server);
    let request = InquiryPaymentRequest::default().with_payment_request_id("paymentRequestId01");
    let response = client.payments().inquiry_payment(&request).await.unwrap();

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].0, "/ams/sandbox/api/v1/payments/inquiryPayment",
        "sandbox path is called and signed"
    );
    assert_eq!(
        seen[0].1,
        Ok(()),
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
    let request = InquiryPaymentRequest::default().with_payment_request_id("paymentRequestId01");
    let response = client.payments().inquiry_payment(&request).await.unwrap();
    let Outcome::Failed(failure) = response.outcome else {
        panic!("expected a failure, got {:?}", response.outcome);
    };
    assert_eq!(failure.code, ResultCode::InvalidSignature);
    assert_eq!(failure.action, Action::FixRequest);
}

#[tokio::test]
async fn invalid_request_is_rejected_before_sending() {
    let (server, seen) = gateway(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#).await;
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
    assert!(seen.lock().unwrap().is_empty(), "nothing is sent");
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
