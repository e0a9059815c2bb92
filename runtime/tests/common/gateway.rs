//! A scripted wiremock gateway shared by the client tests: it verifies the
//! signature of every captured request with the merchant public key and signs
//! its responses with the test Antom key.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use antom_runtime::signing::{self, Backend, SignInput};
use antom_runtime::{
    Action, ApiResult, Client, ClientConfig, CodeInfo, EndpointDef, RetryPolicy, SpecStatus,
};
use serde::Deserialize;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{antom_private, antom_public, merchant_private, merchant_public};

pub const SANDBOX_ID: &str = "SANDBOX_5X00000000000000";
pub const LIVE_ID: &str = "5X00000000000000";
/// A `response-time` for a reply sent now, as Antom writes it.
pub fn response_time() -> String {
    antom_runtime::timestamp::format_iso8601(std::time::SystemTime::now())
}

pub static CODES: [CodeInfo; 6] = [
    CodeInfo {
        code: "ORDER_IS_CLOSED",
        status: SpecStatus::F,
        action: Action::NewRequestId,
        uncertain: false,
    },
    CodeInfo {
        code: "ORDER_NOT_EXIST",
        status: SpecStatus::F,
        action: Action::FixRequest,
        uncertain: false,
    },
    CodeInfo {
        code: "PAYMENT_IN_PROCESS",
        status: SpecStatus::U,
        action: Action::UserAction,
        uncertain: false,
    },
    CodeInfo {
        code: "REQUEST_TRAFFIC_EXCEED_LIMIT",
        status: SpecStatus::U,
        action: Action::RetryAfterBackoff,
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

pub static PAY: EndpointDef = EndpointDef {
    name: "pay",
    family: "payments",
    path: "/ams/api/v1/payments/pay",
    request: "Request",
    response: "Response",
    sandbox_rewrite: true,
    idempotency_key: Some("paymentRequestId"),
    echoes: &["paymentRequestId"],
    spent_on: &[SpecStatus::S, SpecStatus::F],
    uncertain_keys: &[],
    result_codes: &CODES,
    business_status: None,
};

pub static RISK: EndpointDef = EndpointDef {
    name: "decide",
    family: "risk",
    path: "/ams/api/v1/risk/payments/decide",
    request: "Request",
    response: "Response",
    sandbox_rewrite: false,
    idempotency_key: None,
    echoes: &[],
    spent_on: &[],
    uncertain_keys: &[],
    result_codes: &CODES,
    business_status: None,
};

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PayResponse {
    pub result: ApiResult,
    pub payment_id: Option<String>,
}

/// One scripted gateway answer.
#[derive(Clone)]
pub enum Step {
    /// 200, signed with the Antom key.
    Signed(&'static str),
    /// 200, no signature headers.
    Unsigned(&'static str),
    /// 200, only the signature header.
    HalfSigned(&'static str),
    /// 200, signed over a different body than the one sent.
    Tampered(&'static str),
    /// A bare HTTP status with an HTML body.
    Status(u16),
    /// Signed, after a delay.
    Delayed(Duration, &'static str),
    /// Signed, with this `response-time` instead of now.
    SignedAt(&'static str, &'static str),
    /// Signed for the request's client id, but with this `client-id` header.
    ClientIdHeader(&'static str, &'static str),
}

pub const S: &str = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"paymentId":"P1"}"#;
/// A genuine success for `REQ-41`, replayed as the answer to `REQ-42` ([`BODY`]).
pub const S_OTHER_REQUEST: &str = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"paymentRequestId":"REQ-41","paymentId":"P1"}"#;
/// The genuine success for [`BODY`], echoing its request id.
pub const S_ECHOED: &str = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"paymentRequestId":"REQ-42","paymentId":"P1"}"#;
pub const S_FORGED: &str = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"paymentId":"P2"}"#;
pub const U: &str =
    r#"{"result":{"resultCode":"UNKNOWN_EXCEPTION","resultStatus":"U","resultMessage":"unknown"}}"#;
pub const F_KNOWN: &str =
    r#"{"result":{"resultCode":"ORDER_NOT_EXIST","resultStatus":"F","resultMessage":"no"}}"#;
pub const F_CLOSED: &str =
    r#"{"result":{"resultCode":"ORDER_IS_CLOSED","resultStatus":"F","resultMessage":"closed"}}"#;
pub const F_NEW: &str =
    r#"{"result":{"resultCode":"BRAND_NEW_CODE","resultStatus":"F","resultMessage":"?"}}"#;
pub const RATE: &str = r#"{"result":{"resultCode":"REQUEST_TRAFFIC_EXCEED_LIMIT","resultStatus":"U","resultMessage":"slow down"}}"#;
pub const IN_PROCESS: &str =
    r#"{"result":{"resultCode":"PAYMENT_IN_PROCESS","resultStatus":"U","resultMessage":"wait"}}"#;

/// Replays a script and checks every request's signature.
pub struct Gateway {
    pub script: Mutex<VecDeque<Step>>,
    pub bad_request_signatures: Arc<Mutex<Vec<String>>>,
}

pub fn header<'a>(req: &'a Request, name: &str) -> &'a str {
    req.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

pub fn antom_signature(path: &str, client_id: &str, time: &str, body: &str) -> String {
    let input = SignInput {
        method: "POST",
        path,
        client_id,
        time,
        body: body.as_bytes(),
    };
    signing::sign_explained(Backend::default(), &antom_private(), 1, &input)
        .unwrap()
        .header
}

impl Respond for Gateway {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let input = SignInput {
            method: req.method.as_str(),
            path: req.url.path(),
            client_id: header(req, "client-id"),
            time: header(req, "request-time"),
            body: &req.body,
        };
        if let Err(e) = signing::verify(&merchant_public(), &input, header(req, "signature")) {
            self.bad_request_signatures
                .lock()
                .unwrap()
                .push(e.to_string());
        }
        let step = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .expect("script exhausted");
        let path = req.url.path();
        let cid = header(req, "client-id");
        let time = response_time();
        let time = time.as_str();
        let signed = |body: &'static str| {
            ResponseTemplate::new(200)
                .insert_header("client-id", cid)
                .insert_header("response-time", time)
                .insert_header("signature", antom_signature(path, cid, time, body).as_str())
                .set_body_raw(body, "application/json")
        };
        match step {
            Step::Signed(b) => signed(b),
            Step::SignedAt(at, b) => ResponseTemplate::new(200)
                .insert_header("client-id", cid)
                .insert_header("response-time", at)
                .insert_header("signature", antom_signature(path, cid, at, b).as_str())
                .set_body_raw(b, "application/json"),
            Step::ClientIdHeader(other, b) => signed(b).insert_header("client-id", other),
            Step::Delayed(d, b) => signed(b).set_delay(d),
            Step::Unsigned(b) => ResponseTemplate::new(200).set_body_raw(b, "application/json"),
            Step::HalfSigned(b) => ResponseTemplate::new(200)
                .insert_header("signature", antom_signature(path, cid, time, b).as_str())
                .set_body_raw(b, "application/json"),
            Step::Tampered(b) => ResponseTemplate::new(200)
                .insert_header("response-time", time)
                .insert_header("signature", antom_signature(path, cid, time, S).as_str())
                .set_body_raw(b, "application/json"),
            Step::Status(code) => {
                ResponseTemplate::new(code).set_body_raw("<html>bad gateway</html>", "text/html")
            }
        }
    }
}

pub struct Harness {
    pub server: MockServer,
    pub bad: Arc<Mutex<Vec<String>>>,
}

impl Harness {
    pub async fn new(script: Vec<Step>) -> Harness {
        let server = MockServer::start().await;
        let bad = Arc::new(Mutex::new(Vec::new()));
        Mock::given(method("POST"))
            .respond_with(Gateway {
                script: Mutex::new(script.into()),
                bad_request_signatures: bad.clone(),
            })
            .mount(&server)
            .await;
        Harness { server, bad }
    }

    pub fn client(
        &self,
        client_id: &str,
        tweak: impl FnOnce(antom_runtime::ClientConfigBuilder) -> antom_runtime::ClientConfigBuilder,
    ) -> Client {
        let builder = ClientConfig::builder()
            .client_id(client_id)
            .merchant_private_key(merchant_private())
            .antom_public_key(antom_public())
            .gateway_url(self.server.uri())
            .attempt_timeout(Duration::from_secs(5))
            .retry_policy(fast_policy(3));
        Client::new(tweak(builder).build().unwrap()).unwrap()
    }

    pub async fn requests(&self) -> Vec<Request> {
        let reqs = self.server.received_requests().await.unwrap();
        let bad = self.bad.lock().unwrap();
        assert!(bad.is_empty(), "requests with bad signatures: {bad:?}");
        reqs
    }
}

pub fn fast_policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(50),
        min_delay: Duration::from_millis(5),
        rate_limit_min_delay: Duration::from_millis(300),
        deadline: Some(Duration::from_secs(20)),
    }
}

pub const BODY: &str =
    r#"{"paymentRequestId":"REQ-42","paymentAmount":{"currency":"USD","value":"100"}}"#;

pub fn request_times(reqs: &[Request]) -> Vec<u64> {
    reqs.iter()
        .map(|r| header(r, "request-time").parse().unwrap())
        .collect()
}

pub fn assert_identical_bodies(reqs: &[Request]) {
    for r in reqs {
        assert_eq!(r.body, BODY.as_bytes());
    }
}

/// Records every span and event field the client emits.
pub mod capture {
    use std::fmt::Debug;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Clone, Default)]
    pub struct Capture {
        pub lines: Arc<Mutex<Vec<String>>>,
        next: Arc<AtomicU64>,
    }

    struct Line(String);

    impl Visit for Line {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            self.0.push_str(&format!(" {}={:?}", field.name(), value));
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, attrs: &Attributes<'_>) -> Id {
            let mut line = Line(format!("span {}", attrs.metadata().name()));
            attrs.record(&mut line);
            self.lines.lock().unwrap().push(line.0);
            Id::from_u64(self.next.fetch_add(1, Ordering::SeqCst) + 1)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            let mut line = Line("record".into());
            values.record(&mut line);
            self.lines.lock().unwrap().push(line.0);
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut line = Line(format!("event {}", event.metadata().level()));
            event.record(&mut line);
            self.lines.lock().unwrap().push(line.0);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}
