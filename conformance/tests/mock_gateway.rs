//! The stateful mock Antom, driven by the reference client: payments are
//! created, read and captured; idempotency keys hold; bad requests get
//! Antom's refusals with the reason; notifyPayment reaches the webhook.

use antom_conformance::crypto::TestKeys;
use antom_conformance::mock_gateway::{MockAntom, Options};
use antom_runtime::{Client, ClientConfig, Outcome, PrivateKey, Response};
use serde_json::{json, Value};

const SANDBOX: &str = "SANDBOX_5X00000000000000";

fn client(url: &str, key: PrivateKey) -> Client {
    let keys = TestKeys::load().unwrap();
    Client::new(
        ClientConfig::builder()
            .client_id(SANDBOX)
            .merchant_private_key(key)
            .antom_public_key(keys.antom_public)
            .gateway_url(url)
            .allow_plain_http(true)
            .sandbox_rule(antom::SANDBOX_RULE)
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn merchant() -> PrivateKey {
    PrivateKey::from_pem_or_base64(&TestKeys::load().unwrap().merchant_private_base64()).unwrap()
}

async fn call(client: &Client, endpoint: &str, body: &Value) -> Response<Value> {
    let ep = antom::endpoints::by_name(endpoint).unwrap();
    client.execute_raw(ep, body.to_string()).await.unwrap()
}

fn success(r: &Response<Value>) -> &Value {
    match &r.outcome {
        Outcome::Success(v) => v,
        other => panic!("{other:?}"),
    }
}

fn failure_code(r: &Response<Value>) -> String {
    match &r.outcome {
        Outcome::Failed(f) => f.code.clone(),
        other => panic!("{other:?}"),
    }
}

fn pay_request(id: &str) -> Value {
    let mut pay = antom::schema::SCHEMAS.sample("PayRequest");
    pay["paymentRequestId"] = id.into();
    pay
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_is_created_read_and_captured_and_keys_are_idempotent() {
    let gw = MockAntom::start(Options::default()).await.unwrap();
    let c = client(&gw.url(), merchant());

    let paid = call(&c, "pay", &pay_request("order-1")).await;
    let payment_id = success(&paid)["paymentId"].as_str().unwrap().to_owned();
    // The same request again: the same answer.
    let again = call(&c, "pay", &pay_request("order-1")).await;
    assert_eq!(success(&again)["paymentId"], payment_id.as_str());
    // Other fields under the same key.
    let mut other = pay_request("order-1");
    other["paymentAmount"]["value"] = "999".into();
    assert_eq!(
        failure_code(&call(&c, "pay", &other).await),
        "REPEAT_REQ_INCONSISTENT"
    );

    let inquiry = call(
        &c,
        "inquiryPayment",
        &json!({"paymentRequestId": "order-1"}),
    )
    .await;
    assert_eq!(success(&inquiry)["paymentStatus"], "SUCCESS");
    assert_eq!(success(&inquiry)["paymentId"], payment_id.as_str());
    let missing = call(
        &c,
        "inquiryPayment",
        &json!({"paymentRequestId": "order-404"}),
    )
    .await;
    assert_eq!(failure_code(&missing), "ORDER_NOT_EXIST");

    let mut capture = antom::schema::SCHEMAS.sample("CaptureRequest");
    capture["captureRequestId"] = "capture-1".into();
    capture["paymentId"] = payment_id.as_str().into();
    let captured = call(&c, "capture", &capture).await;
    assert_eq!(success(&captured)["captureRequestId"], "capture-1");
    assert!(
        gw.refusals()
            .iter()
            .all(|r| r.starts_with("REPEAT_REQ_INCONSISTENT")),
        "{:?}",
        gw.refusals()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_get_antoms_refusals_with_the_reason() {
    let gw = MockAntom::start(Options::default()).await.unwrap();
    // A body that breaks the request model.
    let mut pay = pay_request("order-2");
    pay.as_object_mut().unwrap().remove("paymentAmount");
    let r = call(&client(&gw.url(), merchant()), "pay", &pay).await;
    assert_eq!(failure_code(&r), "PARAM_ILLEGAL");
    assert!(
        gw.refusals()[0].contains("`paymentAmount` is required"),
        "{:?}",
        gw.refusals()
    );
    // Signed with a key Antom does not hold.
    let wrong = PrivateKey::from_pem_or_base64(include_str!(
        "../../runtime/testdata/keys/antom_private_pkcs8.pem"
    ))
    .unwrap();
    let r = call(&client(&gw.url(), wrong), "pay", &pay_request("order-3")).await;
    assert_eq!(failure_code(&r), "INVALID_SIGNATURE");
    // A path no API has.
    let resp = reqwest::Client::new()
        .post(format!("{}/ams/api/v1/nothing/here", gw.url()))
        .body("{}")
        .send()
        .await
        .unwrap();
    let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(body["result"]["resultCode"], "NO_INTERFACE_DEF");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_successful_payment_is_notified_to_the_webhook() {
    let webhook = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_string(
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}"#,
        ))
        .mount(&webhook)
        .await;
    let gw = MockAntom::start(Options {
        notify_url: Some(format!("{}/antom/notify", webhook.uri())),
        ..Options::default()
    })
    .await
    .unwrap();
    let paid = call(
        &client(&gw.url(), merchant()),
        "pay",
        &pay_request("order-4"),
    )
    .await;
    success(&paid);
    let mut received = Vec::new();
    for _ in 0..100 {
        received = webhook.received_requests().await.unwrap();
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(received.len(), 1);
    let r = &received[0];
    let keys = TestKeys::load().unwrap();
    let verified = antom_runtime::notification::verify_notification(
        &keys.antom_public,
        "POST",
        "/antom/notify",
        r.headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes())),
        &r.body,
        &antom_runtime::notification::NotificationOptions::default(),
    )
    .unwrap();
    assert_eq!(verified.json["paymentRequestId"], "order-4");
    assert_eq!(verified.json["notifyType"], "PAYMENT_RESULT");
}
