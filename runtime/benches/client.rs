//! Client overhead per call, excluding network and RSA: request
//! serialization, request-id extraction, path rewrite, content to sign,
//! signature encoding, header construction, response peek, classification
//! and response deserialization.
//!
//! Run: `cargo bench -p antom-runtime --bench client`

use std::hint::black_box;

use antom_runtime::classify::{classify, Observed};
use antom_runtime::request_id::extract_request_id;
use antom_runtime::signing::{content_to_sign, encode_base64, percent_encode, SignatureHeader};
use antom_runtime::verify::peek_result;
use antom_runtime::{
    Action, ApiResult, CodeInfo, EndpointDef, SpecStatus, CONTENT_TYPE_JSON, DEFAULT_SANDBOX_RULE,
};
use criterion::{criterion_group, criterion_main, Criterion};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use serde::{Deserialize, Serialize};

static CODES: [CodeInfo; 4] = [
    CodeInfo {
        code: "ORDER_NOT_EXIST",
        status: SpecStatus::F,
        action: Action::FixRequest,
        uncertain: false,
    },
    CodeInfo {
        code: "PARAM_ILLEGAL",
        status: SpecStatus::F,
        action: Action::FixRequest,
        uncertain: false,
    },
    CodeInfo {
        code: "SUCCESS",
        status: SpecStatus::S,
        action: Action::None,
        uncertain: false,
    },
    CodeInfo {
        code: "UNKNOWN_EXCEPTION",
        status: SpecStatus::U,
        action: Action::Retry,
        uncertain: false,
    },
];

static EP: EndpointDef = EndpointDef {
    name: "createPaymentSession",
    family: "payments",
    path: "/ams/api/v1/payments/createPaymentSession",
    request: "Request",
    response: "Response",
    sandbox_rewrite: true,
    idempotency_key: Some("paymentRequestId"),
    echoes: &[],
    spent_on: &[SpecStatus::S, SpecStatus::F],
    uncertain_keys: &[],
    result_codes: &CODES,
    business_status: None,
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Amount {
    currency: &'static str,
    value: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Order {
    reference_order_id: &'static str,
    order_description: &'static str,
    order_amount: Amount,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionRequest {
    product_code: &'static str,
    payment_request_id: &'static str,
    order: Order,
    payment_amount: Amount,
    payment_redirect_url: &'static str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct SessionResponse {
    result: ApiResult,
    payment_session_data: Option<String>,
    payment_session_expiry_time: Option<String>,
    payment_session_id: Option<String>,
    normal_url: Option<String>,
}

const RESPONSE: &[u8] = br#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"paymentSessionData":"UNvjVWnWPXJA4BgW+vfjsQj7PbOraafHY3d3pOdGP1WK3W7BFFBQKUfw7QhLjrIsJdNuL8XZexUoaEzAnbw4HQ==&&SG&&111","paymentSessionExpiryTime":"2024-01-01T01:00:00+08:00","paymentSessionId":"UNvjVWnWPXJA4BgW+vfjsQj7PbOraafHY3d3pOdGP1WK3W7BFFBQKUfw7QhL","normalUrl":"https://open-sea-global.alipay.com/api/open/cashier?x=1"}"#;

fn overhead(req: &SessionRequest, fake_signature: &[u8]) -> usize {
    let client_id = "SANDBOX_5X00000000000000";
    let body = serde_json::to_vec(req).unwrap();
    let request_id = extract_request_id(&body, EP.idempotency_key.unwrap());
    let path = DEFAULT_SANDBOX_RULE.path_for(&EP, client_id);
    let time = "1685599933871";
    let content = content_to_sign("POST", &path, client_id, time, &body);
    let encoded = percent_encode(&encode_base64(fake_signature));
    let header = SignatureHeader::new(1, encoded).to_string();
    let mut h = HeaderMap::with_capacity(6);
    h.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
    h.insert(
        HeaderName::from_static("client-id"),
        HeaderValue::from_str(client_id).unwrap(),
    );
    h.insert(
        HeaderName::from_static("request-time"),
        HeaderValue::from_str(time).unwrap(),
    );
    h.insert(
        HeaderName::from_static("signature"),
        HeaderValue::from_str(&header).unwrap(),
    );
    let result = peek_result(RESPONSE).unwrap().unwrap();
    let class = classify(&EP, Observed::Result(result));
    let parsed: SessionResponse = serde_json::from_slice(RESPONSE).unwrap();
    content.len()
        + h.len()
        + request_id.map_or(0, |r| r.len())
        + class.action() as usize
        + parsed.payment_session_id.map_or(0, |s| s.len())
}

fn bench(c: &mut Criterion) {
    let req = SessionRequest {
        product_code: "CASHIER_PAYMENT",
        payment_request_id: "REQ-20240101-000001",
        order: Order {
            reference_order_id: "ORDER-1",
            order_description: "Test order",
            order_amount: Amount {
                currency: "USD",
                value: "1000",
            },
        },
        payment_amount: Amount {
            currency: "USD",
            value: "1000",
        },
        payment_redirect_url: "https://example.com/return",
    };
    let fake_signature = [0xA5u8; 256];
    c.bench_function("client_overhead_per_call", |b| {
        b.iter(|| overhead(black_box(&req), black_box(&fake_signature)))
    });
    c.bench_function("classify", |b| {
        let r = ApiResult {
            result_code: "UNKNOWN_EXCEPTION".into(),
            result_status: "U".into(),
            result_message: None,
        };
        b.iter(|| classify(&EP, Observed::Result(black_box(r.clone()))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
