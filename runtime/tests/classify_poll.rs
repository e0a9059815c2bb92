//! The pure status mapping, the response verification policy and polling.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use antom_runtime::classify::{classify, Classification, Observed};
use antom_runtime::signing::{self, Backend, SignInput};
use antom_runtime::verify::{verify_response, CalledEndpoint, ResponseHeaders};
use antom_runtime::{
    poll_until_final, Action, ApiResult, BusinessOutcome, BusinessStatus, CodeInfo, EndpointDef,
    Error, Failure, Outcome, PollConfig, PollStop, RequestIdState, Response, ResultStatus,
    SecurityError, SpecStatus, Unknown, UnknownReason, Verification,
};
use common::*;

static CODES: [CodeInfo; 4] = [
    CodeInfo {
        code: "CAPTURE_IN_PROCESS",
        status: SpecStatus::U,
        action: Action::Inquire,
        uncertain: false,
    },
    CodeInfo {
        code: "ORDER_NOT_EXIST",
        status: SpecStatus::F,
        action: Action::FixRequest,
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
];

static EP: EndpointDef = EndpointDef {
    name: "capture",
    family: "payments",
    path: "/ams/api/v1/payments/capture",
    request: "Request",
    response: "Response",
    sandbox_rewrite: true,
    idempotency_key: Some("captureRequestId"),
    echoes: &["captureRequestId"],
    spent_on: &[SpecStatus::S, SpecStatus::F],
    uncertain_keys: &[],
    result_codes: &CODES,
    business_status: None,
};

fn result(code: &str, status: &str) -> ApiResult {
    ApiResult {
        result_code: code.into(),
        result_status: ResultStatus::from(status),
        result_message: None,
    }
}

#[test]
fn classify_maps_every_case() {
    assert_eq!(
        classify(&EP, Observed::Result(result("SUCCESS", "S"))),
        Classification::Success
    );
    // success is success even with a code the spec does not list
    assert_eq!(
        classify(&EP, Observed::Result(result("WHATEVER", "S"))),
        Classification::Success
    );

    let f = classify(&EP, Observed::Result(result("ORDER_NOT_EXIST", "F")));
    assert_eq!(f.action(), Action::FixRequest);
    assert!(!f.is_retryable());
    assert!(matches!(f, Classification::Failed { .. }));

    let unknown_f = classify(&EP, Observed::Result(result("NEW_CODE", "F")));
    assert_eq!(unknown_f.action(), Action::ContactSupport);
    assert!(matches!(unknown_f, Classification::Failed { .. }));

    let u = classify(&EP, Observed::Result(result("CAPTURE_IN_PROCESS", "U")));
    assert_eq!(u.action(), Action::Inquire);
    assert!(u.is_retryable());

    let rl = classify(
        &EP,
        Observed::Result(result("REQUEST_TRAFFIC_EXCEED_LIMIT", "U")),
    );
    assert_eq!(rl.action(), Action::RetryAfterBackoff);

    let unknown_u = classify(&EP, Observed::Result(result("NEW_CODE", "U")));
    assert_eq!(unknown_u.action(), Action::Inquire);

    let other = classify(&EP, Observed::Result(result("SUCCESS", "X")));
    assert!(matches!(
        other,
        Classification::Unknown(Unknown {
            action: Action::Inquire,
            ..
        })
    ));

    // a known F code answered with U is not given the F action
    let mismatch = classify(&EP, Observed::Result(result("ORDER_NOT_EXIST", "U")));
    assert_eq!(mismatch.action(), Action::Inquire);

    for (obs, reason) in [
        (Observed::Timeout, UnknownReason::Timeout),
        (Observed::HttpStatus(502), UnknownReason::HttpStatus(502)),
        (
            Observed::Transport("reset".into()),
            UnknownReason::Transport("reset".into()),
        ),
    ] {
        let c = classify(&EP, obs);
        assert_eq!(
            c,
            Classification::Unknown(Unknown {
                reason,
                action: Action::Retry
            })
        );
        assert!(c.is_retryable(), "transport problems are never failures");
    }
}

const PATH: &str = "/ams/sandbox/api/v1/payments/capture";
const CID: &str = "SANDBOX_1";
const TIME: &str = "2024-01-01T00:00:00Z";

fn called() -> CalledEndpoint<'static> {
    CalledEndpoint {
        method: "POST",
        path: PATH,
        client_id: CID,
    }
}

fn antom_sig(body: &str, path: &str, cid: &str) -> String {
    let input = SignInput {
        method: "POST",
        path,
        client_id: cid,
        time: TIME,
        body: body.as_bytes(),
    };
    signing::sign_explained(Backend::default(), &antom_private(), 1, &input)
        .unwrap()
        .header
}

#[test]
fn response_policy() {
    let s = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#;
    let f = r#"{"result":{"resultCode":"X","resultStatus":"F"}}"#;
    let u = r#"{"result":{"resultCode":"X","resultStatus":"U"}}"#;
    let key = antom_public();
    for b in Backend::all() {
        let sig = antom_sig(s, PATH, CID);
        let signed = ResponseHeaders {
            signature: Some(&sig),
            response_time: Some(TIME),
        };
        assert_eq!(
            verify_response(*b, &key, &called(), signed, s.as_bytes()),
            Ok(Verification::Signed)
        );
        // verified over the request's client id and the called path
        let other_path = CalledEndpoint {
            path: "/ams/api/v1/payments/capture",
            ..called()
        };
        assert!(matches!(
            verify_response(*b, &key, &other_path, signed, s.as_bytes()),
            Err(SecurityError::BadSignature(_))
        ));
        let other_cid = CalledEndpoint {
            client_id: "SANDBOX_2",
            ..called()
        };
        assert!(verify_response(*b, &key, &other_cid, signed, s.as_bytes()).is_err());
        // a signed F must verify too
        let bad = ResponseHeaders {
            signature: Some(&sig),
            response_time: Some(TIME),
        };
        assert!(verify_response(*b, &key, &called(), bad, f.as_bytes()).is_err());
    }
    let none = ResponseHeaders::default();
    assert_eq!(
        verify_response(Backend::Rsa, &key, &called(), none, f.as_bytes()),
        Ok(Verification::UnsignedAccepted)
    );
    assert_eq!(
        verify_response(Backend::Rsa, &key, &called(), none, u.as_bytes()),
        Ok(Verification::UnsignedAccepted)
    );
    assert_eq!(
        verify_response(Backend::Rsa, &key, &called(), none, s.as_bytes()),
        Err(SecurityError::UnsignedSuccess { status: "S".into() })
    );
    let odd = r#"{"result":{"resultCode":"X","resultStatus":"Q"}}"#;
    assert!(matches!(
        verify_response(Backend::Rsa, &key, &called(), none, odd.as_bytes()),
        Err(SecurityError::UnsignedSuccess { .. })
    ));
    assert_eq!(
        verify_response(Backend::Rsa, &key, &called(), none, b"<html>"),
        Err(SecurityError::UnsignedWithoutResult)
    );
    assert_eq!(
        verify_response(Backend::Rsa, &key, &called(), none, b"{}"),
        Err(SecurityError::UnsignedWithoutResult)
    );
    let empty = ResponseHeaders {
        signature: Some(""),
        response_time: Some(" "),
    };
    assert_eq!(
        verify_response(Backend::Rsa, &key, &called(), empty, f.as_bytes()),
        Ok(Verification::UnsignedAccepted)
    );
    // `signature=` with an empty value and an empty response-time is an
    // unsigned response: judged by the unsigned rule, not as a forgery
    for header in [
        "algorithm=RSA256,keyVersion=1,signature=",
        "algorithm=RSA256, keyVersion=1, signature=",
    ] {
        let empty_value = ResponseHeaders {
            signature: Some(header),
            response_time: Some(""),
        };
        assert_eq!(
            verify_response(Backend::Rsa, &key, &called(), empty_value, u.as_bytes()),
            Ok(Verification::UnsignedAccepted),
            "{header}"
        );
        assert_eq!(
            verify_response(Backend::Rsa, &key, &called(), empty_value, s.as_bytes()),
            Err(SecurityError::UnsignedSuccess { status: "S".into() }),
            "{header}"
        );
    }
    // a signature under a parameter name of another case is no signature
    let sig = antom_sig(s, PATH, CID);
    let renamed = sig.replace("signature=", "Signature=");
    assert!(matches!(
        verify_response(
            Backend::Rsa,
            &key,
            &called(),
            ResponseHeaders {
                signature: Some(&renamed),
                response_time: Some(TIME),
            },
            s.as_bytes()
        ),
        Err(SecurityError::BadSignature(_))
    ));
    let only_time = ResponseHeaders {
        signature: None,
        response_time: Some(TIME),
    };
    assert_eq!(
        verify_response(Backend::Rsa, &key, &called(), only_time, f.as_bytes()),
        Err(SecurityError::HalfSigned {
            present: "response-time",
            missing: "signature"
        })
    );
}

#[derive(Debug, Clone)]
struct Inquiry(Option<BusinessOutcome>);

impl BusinessStatus for Inquiry {
    fn business_outcome(&self) -> Option<BusinessOutcome> {
        self.0
    }
}

fn response(outcome: Outcome<Inquiry>) -> Response<Inquiry> {
    Response {
        outcome,
        attempts: 1,
        request_id: None,
        http_status: Some(200),
        raw_body: None,
        verification: Some(Verification::Signed),
        path: PATH.into(),
    }
}

fn unknown() -> Outcome<Inquiry> {
    Outcome::Unknown(Unknown {
        reason: UnknownReason::Timeout,
        action: Action::Retry,
    })
}

#[tokio::test(start_paused = true)]
async fn polls_every_two_seconds_until_final() {
    let calls = AtomicU32::new(0);
    let started = tokio::time::Instant::now();
    let polled = poll_until_final(&PollConfig::default(), || {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        async move {
            Ok(response(match n {
                0 => Outcome::Success(Inquiry(Some(BusinessOutcome::Pending))),
                1 => unknown(),
                2 => Outcome::Success(Inquiry(None)),
                _ => Outcome::Success(Inquiry(Some(BusinessOutcome::Success))),
            }))
        }
    })
    .await
    .unwrap();
    assert_eq!(polled.stop, PollStop::Final(BusinessOutcome::Success));
    assert_eq!(polled.polls, 4);
    assert_eq!(started.elapsed(), Duration::from_secs(6));
    assert!(polled.last.success().is_some());
}

#[tokio::test(start_paused = true)]
async fn final_failure_stops_polling() {
    let polled = poll_until_final(&PollConfig::default(), || async {
        Ok(response(Outcome::Success(Inquiry(Some(
            BusinessOutcome::Failed,
        )))))
    })
    .await
    .unwrap();
    assert_eq!(polled.stop, PollStop::Final(BusinessOutcome::Failed));
    assert_eq!(polled.polls, 1);
}

#[tokio::test(start_paused = true)]
async fn deadline_stops_polling() {
    let started = tokio::time::Instant::now();
    let config = PollConfig {
        interval: Duration::from_secs(2),
        deadline: Duration::from_secs(11),
    };
    let polled = poll_until_final(&config, || async {
        Ok(response(Outcome::Success(Inquiry(Some(
            BusinessOutcome::Pending,
        )))))
    })
    .await
    .unwrap();
    assert_eq!(polled.stop, PollStop::Deadline);
    assert_eq!(polled.polls, 6, "t = 0, 2, 4, 6, 8, 10");
    assert_eq!(started.elapsed(), Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn a_deadline_of_duration_max_polls_until_final() {
    let mut left = 3;
    let config = PollConfig {
        interval: Duration::from_secs(2),
        deadline: Duration::MAX,
    };
    let polled = poll_until_final(&config, || {
        left -= 1;
        let status = if left == 0 {
            BusinessOutcome::Success
        } else {
            BusinessOutcome::Pending
        };
        async move { Ok(response(Outcome::Success(Inquiry(Some(status))))) }
    })
    .await
    .unwrap();
    assert_eq!(polled.stop, PollStop::Final(BusinessOutcome::Success));
    assert_eq!(polled.polls, 3);
}

#[tokio::test(start_paused = true)]
async fn failed_inquiry_stops_and_errors_propagate() {
    let polled = poll_until_final(&PollConfig::default(), || async {
        Ok(response(Outcome::Failed(Failure {
            code: "ORDER_NOT_EXIST".into(),
            result: result("ORDER_NOT_EXIST", "F"),
            action: Action::FixRequest,
            request_id: RequestIdState::NoKey,
            response: None,
        })))
    })
    .await
    .unwrap();
    assert_eq!(polled.stop, PollStop::InquiryFailed);

    let err = poll_until_final::<Inquiry, String, _, _>(&PollConfig::default(), || async {
        Err(Error::Security {
            endpoint: "inquiryPayment",
            attempt: 1,
            source: SecurityError::UnsignedSuccess { status: "S".into() },
        })
    })
    .await
    .unwrap_err();
    assert!(err.is_security());
}
