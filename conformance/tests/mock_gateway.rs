//! The stateful mock Antom, driven by the reference client: payments are
//! created, read and captured; idempotency keys hold; bad requests get
//! Antom's refusals with the reason; notifyPayment reaches the webhook.

use antom_conformance::crypto::TestKeys;
use antom_conformance::mock_gateway::{MockAntom, Options};
use antom_runtime::{Client, ClientConfig, Outcome, PrivateKey, Response};
use serde_json::{json, Value};

const SANDBOX: &str = "SANDBOX_5X00000000000000";

fn client(url: &str, key: PrivateKey) -> Client {
    client_with(url, key, None)
}

/// A sandbox client of the gateway at `url`, with `retry` when given.
fn client_with(url: &str, key: PrivateKey, retry: Option<antom_runtime::RetryPolicy>) -> Client {
    let keys = TestKeys::load().unwrap();
    let mut builder = ClientConfig::builder()
        .client_id(SANDBOX)
        .merchant_private_key(key)
        .antom_public_key(keys.antom_public)
        .gateway_url(url)
        .allow_plain_http(true)
        .sandbox_rule(antom::SANDBOX_RULE);
    if let Some(policy) = retry {
        builder = builder.retry_policy(policy);
    }
    Client::new(builder.build().unwrap()).unwrap()
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

/// A webhook that acknowledges (or not) and keeps what it received.
async fn webhook(ack: bool) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    let reply = if ack {
        wiremock::ResponseTemplate::new(200).set_body_string(
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}"#,
        )
    } else {
        wiremock::ResponseTemplate::new(500)
    };
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(reply)
        .mount(&server)
        .await;
    server
}

/// The notifications the webhook received, verified and typed, waiting
/// until there are `n`.
async fn notifications(webhook: &wiremock::MockServer, n: usize) -> Vec<Value> {
    let keys = TestKeys::load().unwrap();
    for _ in 0..200 {
        let received = webhook.received_requests().await.unwrap();
        if received.len() >= n {
            return received
                .iter()
                .map(|r| {
                    let v = antom_runtime::notification::verify_notification(
                        &keys.antom_public,
                        "POST",
                        "/antom/notify",
                        r.headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes())),
                        &r.body,
                        &antom_runtime::notification::NotificationOptions::default(),
                    )
                    .expect("signed like Antom");
                    antom::notifications::Notification::parse(&v.raw_body)
                        .expect("a valid payload");
                    v.json
                })
                .collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("fewer than {n} notifications arrived");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_card_flow() {
    let hook = webhook(true).await;
    let gw = MockAntom::start(Options::default()).await.unwrap();
    let c = client(&gw.url(), merchant());
    // 1. A session, its notifications to the request's paymentNotifyUrl.
    let mut session = antom::schema::SCHEMAS.sample("CreatePaymentSessionRequest");
    session["paymentRequestId"] = "card-1".into();
    session["paymentNotifyUrl"] = format!("{}/antom/notify", hook.uri()).into();
    let created = call(&c, "createPaymentSession", &session).await;
    assert!(success(&created)["paymentSessionData"].is_string());
    let inquiry = call(&c, "inquiryPayment", &json!({"paymentRequestId": "card-1"})).await;
    assert_eq!(success(&inquiry)["paymentStatus"], "PROCESSING");
    // 2. The buyer pays in the SDK.
    let done = reqwest::Client::new()
        .post(format!("{}/mock/payments/card-1/complete", gw.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let n = notifications(&hook, 1).await;
    assert_eq!(n[0]["notifyType"], "PAYMENT_RESULT");
    assert_eq!(n[0]["paymentRequestId"], "card-1");
    assert_eq!(n[0]["result"]["resultStatus"], "S");
    let inquiry = call(&c, "inquiryPayment", &json!({"paymentRequestId": "card-1"})).await;
    assert_eq!(success(&inquiry)["paymentStatus"], "SUCCESS");
    let payment_id = success(&inquiry)["paymentId"].as_str().unwrap().to_owned();
    // 3. Capture, and its notification.
    let mut capture = antom::schema::SCHEMAS.sample("CaptureRequest");
    capture["captureRequestId"] = "cap-1".into();
    capture["paymentId"] = payment_id.as_str().into();
    success(&call(&c, "capture", &capture).await);
    let n = notifications(&hook, 2).await;
    assert_eq!(n[1]["notifyType"], "CAPTURE_RESULT");
    assert_eq!(n[1]["captureRequestId"], "cap-1");
    // 4. Refund, then its inquiry.
    let mut refund = antom::schema::SCHEMAS.sample("RefundRequest");
    refund["refundRequestId"] = "ref-1".into();
    refund["paymentId"] = payment_id.as_str().into();
    success(&call(&c, "refund", &refund).await);
    let r = call(&c, "inquiryRefund", &json!({"refundRequestId": "ref-1"})).await;
    assert_eq!(success(&r)["refundStatus"], "SUCCESS");
    // The buyer cannot pay twice.
    let again = reqwest::Client::new()
        .post(format!("{}/mock/payments/card-1/complete", gw.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
}

#[tokio::test(flavor = "multi_thread")]
async fn magic_amounts_select_each_branch() {
    use antom_conformance::mock_gateway::{
        MAGIC_BALANCE_NOT_ENOUGH, MAGIC_IN_PROCESS, MAGIC_RISK_REJECT,
    };
    let gw = MockAntom::start(Options::default()).await.unwrap();
    let c = client_with(
        &gw.url(),
        merchant(),
        Some(antom_runtime::RetryPolicy {
            max_attempts: 1,
            ..antom_runtime::RetryPolicy::default()
        }),
    );
    let pay = |id: &str, value: &str| {
        let mut p = pay_request(id);
        p["paymentAmount"]["value"] = value.into();
        p
    };
    assert_eq!(
        failure_code(&call(&c, "pay", &pay("m-1", MAGIC_BALANCE_NOT_ENOUGH)).await),
        "USER_BALANCE_NOT_ENOUGH"
    );
    assert_eq!(
        failure_code(&call(&c, "pay", &pay("m-2", MAGIC_RISK_REJECT)).await),
        "RISK_REJECT"
    );
    let pending = call(&c, "pay", &pay("m-3", MAGIC_IN_PROCESS)).await;
    assert_eq!(pending.outcome.kind(), "unknown", "{:?}", pending.outcome);
    let first = call(&c, "inquiryPayment", &json!({"paymentRequestId": "m-3"})).await;
    assert_eq!(success(&first)["paymentStatus"], "PROCESSING");
    let second = call(&c, "inquiryPayment", &json!({"paymentRequestId": "m-3"})).await;
    assert_eq!(success(&second)["paymentStatus"], "SUCCESS");
    // The same pay again now gets the final answer.
    let retried = call(&c, "pay", &pay("m-3", MAGIC_IN_PROCESS)).await;
    assert_eq!(retried.outcome.kind(), "success", "{:?}", retried.outcome);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unacknowledged_notification_is_delivered_on_the_whole_schedule() {
    let hook = webhook(false).await;
    let gw = MockAntom::start(Options {
        notify_url: Some(format!("{}/antom/notify", hook.uri())),
        time_scale: Some(0.0),
        ..Options::default()
    })
    .await
    .unwrap();
    success(&call(&client(&gw.url(), merchant()), "pay", &pay_request("r-1")).await);
    let n = notifications(&hook, 8).await;
    assert_eq!(n.len(), 8, "Antom's 8 deliveries");
    assert!(n.iter().all(|x| x["paymentRequestId"] == "r-1"));
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(
        hook.received_requests().await.unwrap().len(),
        8,
        "and no more"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scripted_faults_come_first_and_the_client_retries_through_them() {
    use antom_conformance::mock_gateway::Fault;
    let faults = Fault::parse_file(
        r#"[{"endpoint": "pay", "answer": "unknown", "times": 1},
            {"endpoint": "pay", "answer": "serverError"},
            {"endpoint": "*", "answer": "rateLimit"}]"#,
    )
    .unwrap();
    let gw = MockAntom::start(Options {
        faults,
        ..Options::default()
    })
    .await
    .unwrap();
    let c = client_with(
        &gw.url(),
        merchant(),
        Some(antom_runtime::RetryPolicy {
            max_attempts: 5,
            base_delay: std::time::Duration::from_millis(5),
            ..antom_runtime::RetryPolicy::default()
        }),
    );
    // U, then HTTP 500, then the rate limit, then the real success.
    let paid = call(&c, "pay", &pay_request("fault-1")).await;
    success(&paid);
    assert_eq!(paid.attempts, 4, "{:?}", paid.outcome);
    // Every fault is spent.
    let again = call(
        &c,
        "inquiryPayment",
        &json!({"paymentRequestId": "fault-1"}),
    )
    .await;
    assert_eq!(again.attempts, 1);
    assert!(
        Fault::parse_file(r#"[{"endpoint": "payy", "answer": "unknown"}]"#)
            .unwrap_err()
            .contains("no endpoint `payy`")
    );
    assert!(Fault::parse_file(r#"[{"endpoint": "pay", "answer": "explode"}]"#).is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_is_retried_with_the_same_request_and_gets_the_same_answer() {
    use antom_conformance::mock_gateway::Fault;
    let faults = Fault::parse_file(
        r#"[{"endpoint": "pay", "answer": "dropConnection"},
            {"endpoint": "pay", "answer": "cutBody"},
            {"endpoint": "pay", "answer": "stallBody"}]"#,
    )
    .unwrap();
    let gw = MockAntom::start(Options {
        faults,
        ..Options::default()
    })
    .await
    .unwrap();
    let config = gw
        .client_config()
        // The stalled body ends the third attempt by this timeout.
        .attempt_timeout(std::time::Duration::from_millis(1500))
        .retry_policy(antom_runtime::RetryPolicy {
            max_attempts: 4,
            base_delay: std::time::Duration::from_millis(5),
            ..antom_runtime::RetryPolicy::default()
        })
        .build()
        .unwrap();
    let c = Client::new(config).unwrap();
    // Each of the first three answers is lost after the payment was made;
    // the fourth attempt, the same request, gets the payment made by the
    // first.
    let paid = call(&c, "pay", &pay_request("lost-answer-1")).await;
    let first = success(&paid).clone();
    assert_eq!(paid.attempts, 4, "{:?}", paid.outcome);
    let read = call(
        &c,
        "inquiryPayment",
        &json!({"paymentRequestId": "lost-answer-1"}),
    )
    .await;
    assert_eq!(success(&read)["paymentId"], first["paymentId"]);
    assert_eq!(read.attempts, 1, "every fault is spent");
}
