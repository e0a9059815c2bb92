//! The wiremock building blocks: a reference client passes through them, a
//! request that Antom would refuse is answered like Antom with the reason
//! recorded, and the matcher tells the two apart.

use antom_conformance::crypto::TestKeys;
use antom_conformance::gateway::Reply;
use antom_conformance::wiremock::{endpoint_path, mount, AntomResponder, SignedByMerchant};
use antom_runtime::{Client, Outcome, PrivateKey, RetryPolicy};
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SANDBOX: &str = "SANDBOX_5X00000000000000";

fn client(server: &MockServer, key: PrivateKey) -> Client {
    let keys = TestKeys::load().unwrap();
    Client::new(
        antom_runtime::ClientConfig::builder()
            .client_id(SANDBOX)
            .merchant_private_key(key)
            .antom_public_key(keys.antom_public)
            .gateway_url(server.uri())
            .retry_policy(RetryPolicy {
                base_delay: std::time::Duration::from_millis(5),
                ..RetryPolicy::default()
            })
            .sandbox_rule(antom::SANDBOX_RULE)
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_sequence_is_served_signed_and_a_wrong_signature_is_refused_like_antom() {
    let server = MockServer::start().await;
    let responder = AntomResponder::sequence(vec![
        Reply::result("U", "UNKNOWN_EXCEPTION", json!({})),
        Reply::result("S", "SUCCESS", json!({"captureRequestId": "c-1"})),
    ]);
    let refusals = responder.refusals();
    mount(&server, "capture", SANDBOX, responder).await.unwrap();
    let capture = antom::endpoints::by_name("capture").unwrap();
    let keys = TestKeys::load().unwrap();
    let merchant = PrivateKey::from_pem_or_base64(&keys.merchant_private_base64()).unwrap();

    let ok = client(&server, merchant)
        .execute_raw(capture, r#"{"captureRequestId":"c-1"}"#)
        .await
        .unwrap();
    assert_eq!(ok.outcome.kind(), "success", "{:?}", ok.outcome);
    assert_eq!(ok.attempts, 2, "U then S: one retry");
    assert!(refusals.reasons().is_empty(), "{:?}", refusals.reasons());

    // Signed with a key Antom does not hold: Antom's unsigned F.
    let wrong = PrivateKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/antom_private_pkcs8.pem"
    ))
    .unwrap();
    let refused = client(&server, wrong)
        .execute_raw(capture, r#"{"captureRequestId":"c-2"}"#)
        .await
        .unwrap();
    match &refused.outcome {
        Outcome::Failed(f) => assert_eq!(f.code, "INVALID_SIGNATURE"),
        other => panic!("{other:?}"),
    }
    assert_eq!(refusals.reasons().len(), 1);
    assert!(
        refusals.reasons()[0].contains("content to sign"),
        "{:?}",
        refusals.reasons()
    );
}

#[tokio::test]
async fn the_matcher_records_why_a_request_does_not_match() {
    let server = MockServer::start().await;
    let matcher = SignedByMerchant::test_key();
    let refusals = matcher.refusals();
    Mock::given(matcher)
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let unsigned = reqwest::Client::new()
        .post(format!("{}/ams/api/v1/payments/pay", server.uri()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 404, "an unsigned request does not match");
    assert_eq!(refusals.reasons(), ["no Signature header"]);
}

#[test]
fn endpoint_paths_follow_the_spec_sandbox_rule() {
    assert_eq!(
        endpoint_path("capture", SANDBOX).unwrap(),
        "/ams/sandbox/api/v1/payments/capture"
    );
    assert_eq!(
        endpoint_path("decide", SANDBOX).unwrap(),
        "/ams/api/v1/risk/payments/decide",
        "the risk endpoints keep the production path"
    );
    assert!(endpoint_path("nope", SANDBOX).is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fault_layer_relays_exactly_and_enacts_the_marked_faults() {
    use antom_conformance::fault::{mark, ConnectionFault, FaultLayer};
    use wiremock::matchers::{body_string, header, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let body = r#"{"result":{"resultStatus":"S"},"note":"0123456789abcdef"}"#;
    for (route, fault) in [
        ("/drop", Some(ConnectionFault::Drop)),
        ("/cut", Some(ConnectionFault::CutBody)),
        ("/whole", None),
    ] {
        let template = ResponseTemplate::new(200)
            .insert_header("signature", "algorithm=RSA256,signature=x")
            .set_body_string(body);
        let template = match fault {
            Some(f) => mark(template, f),
            None => template,
        };
        Mock::given(path(route))
            .and(header("client-id", "SANDBOX_1"))
            .and(body_string("{ \"a\" : 1 }"))
            .respond_with(template)
            .mount(&server)
            .await;
    }
    let layer = FaultLayer::start(&server, 0).await.unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let send = |route: &str| {
        http.post(format!("{}{route}?x=1", layer.uri()))
            .header("client-id", "SANDBOX_1")
            .body("{ \"a\" : 1 }")
            .send()
    };

    // Passed through: the request's bytes and headers reach the server (the
    // mocks match on them), the answer's come back, the mark never shows.
    let whole = send("/whole").await.unwrap();
    assert_eq!(whole.status(), 200);
    assert!(whole.headers().get("x-antom-fault").is_none());
    assert_eq!(whole.headers()["signature"], "algorithm=RSA256,signature=x");
    assert_eq!(whole.text().await.unwrap(), body);

    // Dropped: no answer at all, after the server saw the request.
    let dropped = send("/drop").await.unwrap_err();
    assert!(!dropped.is_status(), "{dropped:?}");

    // Cut: the head arrives, the body breaks off.
    let cut = send("/cut").await.unwrap();
    assert_eq!(cut.status(), 200);
    assert!(cut.bytes().await.is_err(), "a cut body must not read whole");

    let seen = server.received_requests().await.unwrap();
    let paths: Vec<&str> = seen.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/whole", "/drop", "/cut"]);
}
