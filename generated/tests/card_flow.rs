//! The seeds' card flow through the typed client against the local Antom
//! (`antom-mock-gateway`): session, the buyer pays, notifyPayment reaches
//! the webhook, inquiry, capture and its notification, refund and its
//! inquiry.

use antom::schema::SCHEMAS;
use antom_conformance::mock_gateway::{MockAntom, Options, CONTROL_PREFIX};
use antom_runtime::{Outcome, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn typed<T: DeserializeOwned>(model: &str, fields: Value) -> T {
    let mut v = SCHEMAS.sample(model);
    if let (Some(o), Value::Object(f)) = (v.as_object_mut(), fields) {
        o.extend(f);
    }
    serde_json::from_value(v).unwrap()
}

fn ok<T: std::fmt::Debug, C: std::fmt::Debug>(r: Response<T, C>) -> T {
    match r.outcome {
        Outcome::Success(t) => t,
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_card_flow_through_the_typed_client() {
    let webhook = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_string(antom::notifications::ACKNOWLEDGEMENT_BODY),
        )
        .mount(&webhook)
        .await;
    let gateway = MockAntom::start(Options {
        notify_url: Some(format!("{}/antom/notify", webhook.uri())),
        ..Options::default()
    })
    .await
    .unwrap();
    let client = antom::Client::new(gateway.client_config().build().unwrap()).unwrap();
    let payments = client.payments();

    let session = ok(payments
        .create_payment_session(&typed(
            "CreatePaymentSessionRequest",
            serde_json::json!({"paymentRequestId": "card-flow-1"}),
        ))
        .await
        .unwrap());
    assert!(session.payment_session_data.is_some());
    // The buyer pays in the SDK.
    let paid = reqwest::Client::new()
        .post(format!(
            "{}{CONTROL_PREFIX}card-flow-1/complete",
            gateway.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 200);
    let inquiry = ok(payments
        .inquiry_payment(&typed(
            "InquiryPaymentRequest",
            serde_json::json!({"paymentRequestId": "card-flow-1"}),
        ))
        .await
        .unwrap());
    assert_eq!(
        inquiry.payment_status,
        Some(antom::enums::TransactionStatus::Success)
    );
    let payment_id = inquiry.payment_id.clone().unwrap();
    let capture = ok(payments
        .capture(&typed(
            "CaptureRequest",
            serde_json::json!({"captureRequestId": "card-flow-cap", "paymentId": payment_id}),
        ))
        .await
        .unwrap());
    assert_eq!(capture.capture_request_id.as_deref(), Some("card-flow-cap"));
    ok(payments
        .refund(&typed(
            "RefundRequest",
            serde_json::json!({"refundRequestId": "card-flow-ref", "paymentId": payment_id}),
        ))
        .await
        .unwrap());
    let refund = ok(payments
        .inquiry_refund(&typed(
            "InquiryRefundRequest",
            serde_json::json!({"refundRequestId": "card-flow-ref"}),
        ))
        .await
        .unwrap());
    assert_eq!(
        refund
            .refund_status
            .map(|s| s.as_str().to_owned())
            .as_deref(),
        Some("SUCCESS")
    );
    // notifyPayment then notifyCapture reached the webhook, each parsed.
    let mut kinds = Vec::new();
    for _ in 0..200 {
        let received = webhook.received_requests().await.unwrap();
        if received.len() >= 2 {
            kinds = received
                .iter()
                .map(|r| {
                    antom::notifications::Notification::parse(&r.body)
                        .unwrap()
                        .kind()
                        .map(|k| k.name())
                        .unwrap()
                })
                .collect();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(kinds, ["notifyPayment", "notifyCapture"]);
}
