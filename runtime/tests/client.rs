//! End-to-end tests of the client against a mock gateway (wiremock).
//!
//! The mock verifies the signature of every captured request with the
//! merchant public key and signs its responses with the test Antom key.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use antom_runtime::signing::Backend;
use antom_runtime::{
    Action, Client, ClientConfig, Error, Outcome, RequestIdState, ResultStatus, RetryPolicy,
    SecurityError, UnknownReason, Verification,
};
use common::gateway::*;
use common::*;

#[tokio::test]
async fn unknown_unknown_success_retries_with_the_same_body_and_fresh_time() {
    let h = Harness::new(vec![Step::Signed(U), Step::Signed(U), Step::Signed(S)]).await;
    let client = h.client(SANDBOX_ID, |b| b);
    let resp = client
        .execute_bytes::<PayResponse, String>(&PAY, BODY.as_bytes().to_vec())
        .await
        .unwrap();
    assert_eq!(resp.attempts, 3);
    assert_eq!(resp.request_id.as_deref(), Some("REQ-42"));
    assert_eq!(resp.http_status, Some(200));
    assert_eq!(resp.verification, Some(Verification::Signed));
    match &resp.outcome {
        Outcome::Success(p) => assert_eq!(p.payment_id.as_deref(), Some("P1")),
        other => panic!("{other:?}"),
    }
    let reqs = h.requests().await;
    assert_eq!(reqs.len(), 3);
    assert_identical_bodies(&reqs);
    let times = request_times(&reqs);
    assert!(
        times.windows(2).all(|w| w[0] < w[1]),
        "fresh Request-Time per attempt: {times:?}"
    );
    let sigs: Vec<&str> = reqs.iter().map(|r| header(r, "signature")).collect();
    assert_ne!(sigs[0], sigs[1], "re-signed per attempt");
}

#[tokio::test]
async fn typed_execute_serializes_once_and_reports_request_id() {
    let h = Harness::new(vec![Step::Signed(S)]).await;
    let client = h.client(SANDBOX_ID, |b| b);
    let req = serde_json::json!({"paymentRequestId": "REQ-7"});
    let resp = client
        .execute::<_, PayResponse, String>(&PAY, &req)
        .await
        .unwrap();
    assert_eq!(resp.request_id.as_deref(), Some("REQ-7"));
    assert_eq!(resp.attempts, 1);
    assert!(resp.success().is_some());
    let reqs = h.requests().await;
    assert_eq!(reqs[0].body, serde_json::to_vec(&req).unwrap());
}

#[tokio::test]
async fn http_500_then_success() {
    let h = Harness::new(vec![Step::Status(500), Step::Signed(S)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.attempts, 2);
    assert_eq!(resp.outcome.kind(), "success");
    let reqs = h.requests().await;
    assert_identical_bodies(&reqs);
}

#[tokio::test]
async fn non_200_everywhere_is_unknown_never_failed() {
    let h = Harness::new(vec![
        Step::Status(502),
        Step::Status(503),
        Step::Status(500),
    ])
    .await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.attempts, 3);
    assert_eq!(resp.http_status, Some(500));
    match resp.outcome {
        Outcome::Unknown(u) => {
            assert_eq!(u.reason, UnknownReason::HttpStatus(500));
            assert_eq!(u.action, Action::Retry);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn timeout_then_success() {
    let h = Harness::new(vec![
        Step::Delayed(Duration::from_secs(3), S),
        Step::Signed(S),
    ])
    .await;
    let client = h.client(SANDBOX_ID, |b| {
        b.attempt_timeout(Duration::from_millis(300))
    });
    let started = std::time::Instant::now();
    let resp = client.execute_raw(&PAY, BODY).await.unwrap();
    assert_eq!(resp.attempts, 2);
    assert_eq!(resp.outcome.kind(), "success");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "first attempt must time out"
    );
    let reqs = h.requests().await;
    assert_eq!(reqs.len(), 2);
    assert_identical_bodies(&reqs);
    let times = request_times(&reqs);
    assert!(times[1] >= times[0] + 250, "{times:?}");
}

#[tokio::test]
async fn timeouts_only_give_unknown_timeout() {
    let h = Harness::new(vec![
        Step::Delayed(Duration::from_secs(3), S),
        Step::Delayed(Duration::from_secs(3), S),
    ])
    .await;
    let client = h.client(SANDBOX_ID, |b| {
        b.attempt_timeout(Duration::from_millis(200))
            .retry_policy(fast_policy(2))
    });
    let resp = client.execute_raw(&PAY, BODY).await.unwrap();
    assert_eq!(resp.attempts, 2);
    assert_eq!(resp.http_status, None);
    assert!(resp.raw_body.is_none());
    match resp.outcome {
        Outcome::Unknown(u) => assert_eq!(u.reason, UnknownReason::Timeout),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn failure_is_never_retried_and_uses_the_spec_action() {
    let h = Harness::new(vec![Step::Signed(F_KNOWN)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_bytes::<PayResponse, String>(&PAY, BODY.into())
        .await
        .unwrap();
    assert_eq!(resp.attempts, 1);
    match resp.outcome {
        Outcome::Failed(f) => {
            assert_eq!(f.code, "ORDER_NOT_EXIST");
            assert_eq!(f.action, Action::FixRequest);
            assert_eq!(f.result.result_status, ResultStatus::F);
            assert!(f.response.is_some(), "the parsed failure body is kept");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.requests().await.len(), 1);
}

#[derive(Debug, PartialEq)]
enum Code {
    OrderNotExist,
    Other(String),
}

impl From<&str> for Code {
    fn from(s: &str) -> Self {
        match s {
            "ORDER_NOT_EXIST" => Code::OrderNotExist,
            o => Code::Other(o.to_owned()),
        }
    }
}

#[tokio::test]
async fn unknown_failure_code_is_contact_support_with_a_typed_code() {
    let h = Harness::new(vec![Step::Signed(F_NEW)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_bytes::<PayResponse, Code>(&PAY, BODY.into())
        .await
        .unwrap();
    match resp.outcome {
        Outcome::Failed(f) => {
            assert_eq!(f.code, Code::Other("BRAND_NEW_CODE".into()));
            assert_eq!(f.action, Action::ContactSupport);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(resp.attempts, 1);
}

#[tokio::test]
async fn rate_limit_backs_off_longer_then_succeeds() {
    let h = Harness::new(vec![Step::Signed(RATE), Step::Signed(S)]).await;
    let started = std::time::Instant::now();
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.attempts, 2);
    assert_eq!(resp.outcome.kind(), "success");
    assert!(started.elapsed() >= Duration::from_millis(300));
    let times = request_times(&h.requests().await);
    assert!(
        times[1] - times[0] >= 300,
        "backoff observed between attempts: {times:?}"
    );
}

#[tokio::test]
async fn unknown_with_a_non_retryable_action_is_not_retried() {
    let h = Harness::new(vec![Step::Signed(IN_PROCESS)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.attempts, 1);
    match resp.outcome {
        Outcome::Unknown(u) => {
            assert_eq!(u.action, Action::UserAction);
            assert!(
                matches!(u.reason, UnknownReason::Status(ref r) if r.result_code == "PAYMENT_IN_PROCESS")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unknown_after_all_attempts_stays_unknown() {
    let h = Harness::new(vec![Step::Signed(U), Step::Signed(U)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b.retry_policy(fast_policy(2)))
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.attempts, 2);
    match resp.outcome {
        Outcome::Unknown(u) => assert_eq!(u.action, Action::Retry),
        other => panic!("{other:?}"),
    }
}

async fn security_error(step: Step) -> (SecurityError, usize) {
    let h = Harness::new(vec![step, Step::Signed(S)]).await;
    let err = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap_err();
    let n = h.requests().await.len();
    match err {
        Error::Security {
            endpoint,
            attempt,
            source,
        } => {
            assert_eq!(endpoint, "pay");
            assert_eq!(attempt, 1);
            (source, n)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn tampered_response_is_a_security_error_and_not_retried() {
    let (e, n) = security_error(Step::Tampered(S_FORGED)).await;
    assert!(matches!(e, SecurityError::BadSignature(_)), "{e}");
    assert_eq!(n, 1);
}

#[tokio::test]
async fn unsigned_success_is_a_security_error() {
    let (e, n) = security_error(Step::Unsigned(S)).await;
    assert_eq!(e, SecurityError::UnsignedSuccess { status: "S".into() });
    assert_eq!(n, 1);
}

#[tokio::test]
async fn half_signed_response_is_a_security_error() {
    let (e, _) = security_error(Step::HalfSigned(F_KNOWN)).await;
    assert_eq!(
        e,
        SecurityError::HalfSigned {
            present: "signature",
            missing: "response-time"
        }
    );
}

#[tokio::test]
async fn a_genuine_success_for_another_request_is_refused() {
    let (e, n) = security_error(Step::Signed(S_OTHER_REQUEST)).await;
    assert_eq!(
        e,
        SecurityError::EchoMismatch {
            field: "paymentRequestId",
            sent: r#""REQ-42""#.into(),
            received: r#""REQ-41""#.into(),
        }
    );
    assert!(e.to_string().contains("replayed"), "{e}");
    assert_eq!(n, 1, "a replayed answer is not retried");
}

#[tokio::test]
async fn an_unsigned_failure_for_another_request_is_refused() {
    const F_OTHER: &str = r#"{"result":{"resultCode":"ORDER_IS_CLOSED","resultStatus":"F","resultMessage":"closed"},"paymentRequestId":"REQ-41"}"#;
    let (e, _) = security_error(Step::Unsigned(F_OTHER)).await;
    assert!(
        matches!(
            e,
            SecurityError::EchoMismatch {
                field: "paymentRequestId",
                ..
            }
        ),
        "{e}"
    );
}

#[tokio::test]
async fn the_answer_to_this_request_is_accepted_with_or_without_the_echo() {
    for body in [S_ECHOED, S] {
        let h = Harness::new(vec![Step::Signed(body)]).await;
        let resp = h
            .client(SANDBOX_ID, |b| b)
            .execute_raw(&PAY, BODY)
            .await
            .unwrap();
        assert_eq!(resp.outcome.kind(), "success", "{body}");
    }
}

#[tokio::test]
async fn a_stale_response_time_is_refused() {
    let (e, n) = security_error(Step::SignedAt("2019-05-28T12:12:14+08:00", S)).await;
    match &e {
        SecurityError::ResponseTimeSkew {
            response_time,
            off_by,
            tolerance,
        } => {
            assert_eq!(response_time, "2019-05-28T12:12:14+08:00");
            assert!(*off_by > Duration::from_secs(365 * 86_400));
            assert_eq!(*tolerance, Duration::from_secs(300));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_response_time_from_the_future_is_refused() {
    let (e, _) = security_error(Step::SignedAt("2999-01-01T00:00:00Z", S)).await;
    assert!(matches!(e, SecurityError::ResponseTimeSkew { .. }), "{e}");
}

#[tokio::test]
async fn an_unreadable_signed_response_time_is_refused() {
    let (e, _) = security_error(Step::SignedAt("yesterday", S)).await;
    assert!(matches!(e, SecurityError::UnreadableResponseTime(_)), "{e}");
    assert!(e.to_string().contains("`yesterday`"), "{e}");
}

#[tokio::test]
async fn the_response_time_check_can_be_turned_off_but_not_the_echo() {
    let h = Harness::new(vec![
        Step::SignedAt("2019-05-28T12:12:14+08:00", S),
        Step::SignedAt("2019-05-28T12:12:14+08:00", S_OTHER_REQUEST),
    ])
    .await;
    let client = h.client(SANDBOX_ID, |b| b.response_time_tolerance(None));
    let first = client.execute_raw(&PAY, BODY).await.unwrap();
    assert_eq!(first.outcome.kind(), "success");
    let second = client.execute_raw(&PAY, BODY).await.unwrap_err();
    assert!(
        matches!(
            second,
            Error::Security {
                source: SecurityError::EchoMismatch { .. },
                ..
            }
        ),
        "{second}"
    );
}

#[tokio::test]
async fn a_response_time_within_the_tolerance_is_accepted() {
    let ten_seconds_ago = antom_runtime::timestamp::format_iso8601(
        std::time::SystemTime::now() - Duration::from_secs(10),
    );
    let at: &'static str = Box::leak(ten_seconds_ago.into_boxed_str());
    let h = Harness::new(vec![Step::SignedAt(at, S)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| {
            b.response_time_tolerance(Some(Duration::from_secs(60)))
        })
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.outcome.kind(), "success");
}

#[tokio::test]
async fn a_response_for_another_client_id_is_refused() {
    let (e, _) = security_error(Step::ClientIdHeader("SANDBOX_OTHER", S)).await;
    assert_eq!(
        e,
        SecurityError::ClientIdMismatch {
            sent: SANDBOX_ID.into(),
            received: "SANDBOX_OTHER".into(),
        }
    );
}

#[tokio::test]
async fn an_unsigned_200_page_that_is_not_an_antom_answer_is_unknown_and_retried() {
    let h = Harness::new(vec![
        Step::Unsigned("<html>upstream is warming up</html>"),
        Step::Signed(S),
    ])
    .await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.attempts, 2);
    assert_eq!(resp.outcome.kind(), "success");

    let h = Harness::new(vec![Step::Unsigned("<html>maintenance</html>")]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b.retry_policy(fast_policy(1)))
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    match &resp.outcome {
        Outcome::Unknown(u) => assert!(
            matches!(&u.reason, UnknownReason::Transport(t) if t.contains("not an Antom answer")),
            "{u:?}"
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn conflicting_idempotency_keys_are_refused_before_sending() {
    let h = Harness::new(vec![]).await;
    let err = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(
            &PAY,
            r#"{"paymentRequestId":"REQ-1","paymentRequestId":"REQ-2"}"#,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidRequest {
                endpoint: "pay",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("REQ-2"), "{err}");
    assert!(h.requests().await.is_empty(), "nothing is sent");
}

#[tokio::test]
async fn unsigned_failure_is_accepted() {
    let h = Harness::new(vec![Step::Unsigned(F_KNOWN)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.verification, Some(Verification::UnsignedAccepted));
    assert_eq!(resp.outcome.kind(), "failed");
}

#[tokio::test]
async fn signed_response_that_is_not_json_is_an_invalid_response() {
    let h = Harness::new(vec![Step::Signed("hello")]).await;
    let err = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidResponse {
                endpoint: "pay",
                ..
            }
        ),
        "{err}"
    );
    let h = Harness::new(vec![Step::Signed(r#"{"paymentId":"x"}"#)]).await;
    let err = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no well-formed `result`"), "{err}");
}

#[tokio::test]
async fn a_verified_success_that_does_not_match_the_type_is_still_a_success() {
    let h = Harness::new(vec![Step::Signed(
        r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentId":5}"#,
    )])
    .await;
    let err = h
        .client(SANDBOX_ID, |b| b)
        .execute_bytes::<PayResponse, String>(&PAY, BODY.into())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnparsedSuccess {
                endpoint: "pay",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("succeeded"), "{err}");
    let success = err.verified_success().expect("the success is kept");
    assert_eq!(success.outcome.kind(), "success");
    assert_eq!(success.verification, Some(Verification::Signed));
    assert_eq!(success.request_id.as_deref(), Some("REQ-42"));
    assert_eq!(success.attempts, 1);
    match &success.outcome {
        Outcome::Success(v) => assert_eq!(v["paymentId"], 5),
        other => panic!("{other:?}"),
    }
    assert!(success
        .raw_body_text()
        .unwrap()
        .contains(r#""paymentId":5"#));
}

#[tokio::test]
async fn sandbox_client_calls_and_signs_the_sandbox_path() {
    let h = Harness::new(vec![Step::Signed(S)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.path, "/ams/sandbox/api/v1/payments/pay");
    let reqs = h.requests().await; // signature over the called path checked here
    assert_eq!(reqs[0].url.path(), "/ams/sandbox/api/v1/payments/pay");
}

#[tokio::test]
async fn live_client_calls_the_production_path() {
    let h = Harness::new(vec![Step::Signed(S)]).await;
    h.client(LIVE_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(h.requests().await[0].url.path(), "/ams/api/v1/payments/pay");
}

#[tokio::test]
async fn risk_endpoint_is_not_rewritten_in_sandbox() {
    let h = Harness::new(vec![Step::Signed(S)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&RISK, "{}")
        .await
        .unwrap();
    assert_eq!(resp.path, "/ams/api/v1/risk/payments/decide");
    assert_eq!(resp.request_id, None);
    assert_eq!(
        h.requests().await[0].url.path(),
        "/ams/api/v1/risk/payments/decide"
    );
}

#[tokio::test]
async fn request_headers_are_complete() {
    let h = Harness::new(vec![Step::Signed(S)]).await;
    h.client(SANDBOX_ID, |b| b.agent_token("AGENT-1").key_version(3))
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    let reqs = h.requests().await;
    let r = &reqs[0];
    assert_eq!(header(r, "content-type"), "application/json; charset=UTF-8");
    assert_eq!(header(r, "client-id"), SANDBOX_ID);
    assert_eq!(header(r, "agent-token"), "AGENT-1");
    assert!(header(r, "user-agent").starts_with("antom-rust/"));
    assert!(header(r, "signature").starts_with("algorithm=RSA256,keyVersion=3,signature="));
    let t: u128 = header(r, "request-time").parse().unwrap();
    assert!(t > 1_600_000_000_000, "epoch milliseconds");
}

#[tokio::test]
async fn agent_token_is_absent_unless_configured() {
    let h = Harness::new(vec![Step::Signed(S)]).await;
    h.client(SANDBOX_ID, |b| b)
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert!(h.requests().await[0].headers.get("agent-token").is_none());
}

#[tokio::test]
async fn ring_backend_client_interoperates() {
    for backend in Backend::all() {
        let h = Harness::new(vec![Step::Signed(S)]).await;
        let resp = h
            .client(SANDBOX_ID, |b| b.backend(*backend))
            .execute_raw(&PAY, BODY)
            .await
            .unwrap();
        assert_eq!(resp.outcome.kind(), "success", "{backend:?}");
        h.requests().await;
    }
}

#[tokio::test]
async fn overall_deadline_stops_retrying() {
    let h = Harness::new(vec![Step::Signed(RATE), Step::Signed(S)]).await;
    let policy = RetryPolicy {
        rate_limit_min_delay: Duration::from_secs(5),
        deadline: Some(Duration::from_secs(1)),
        ..fast_policy(3)
    };
    let started = std::time::Instant::now();
    let resp = h
        .client(SANDBOX_ID, |b| b.retry_policy(policy))
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(resp.attempts, 1);
    assert_eq!(resp.outcome.action(), Action::RetryAfterBackoff);
}

#[tokio::test]
async fn an_unsigned_failure_never_asks_for_a_new_request_id() {
    let h = Harness::new(vec![Step::Unsigned(F_CLOSED), Step::Signed(F_CLOSED)]).await;
    let client = h.client(SANDBOX_ID, |b| b);
    let unsigned = client.execute_raw(&PAY, BODY).await.unwrap();
    assert_eq!(unsigned.attempts, 1, "an F is never retried");
    assert_eq!(unsigned.verification, Some(Verification::UnsignedAccepted));
    match &unsigned.outcome {
        Outcome::Failed(f) => {
            assert_eq!(f.code, "ORDER_IS_CLOSED");
            assert_eq!(
                f.action,
                Action::Inquire,
                "inquire before any new request id"
            );
            assert_eq!(f.request_id, RequestIdState::Unconfirmed);
        }
        other => panic!("{other:?}"),
    }
    let signed = client.execute_raw(&PAY, BODY).await.unwrap();
    assert_eq!(signed.verification, Some(Verification::Signed));
    match &signed.outcome {
        Outcome::Failed(f) => {
            assert_eq!(
                f.action,
                Action::NewRequestId,
                "a signed F keeps its action"
            );
            assert_eq!(
                f.request_id,
                RequestIdState::Spent,
                "a signed F spends the id"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_failure_without_an_idempotency_key_says_so() {
    let h = Harness::new(vec![Step::Signed(F_CLOSED)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b)
        .execute_raw(&RISK, "{}")
        .await
        .unwrap();
    match &resp.outcome {
        Outcome::Failed(f) => assert_eq!(f.request_id, RequestIdState::NoKey),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_deadline_of_duration_max_means_no_deadline() {
    let h = Harness::new(vec![Step::Signed(U), Step::Signed(S)]).await;
    let policy = RetryPolicy {
        deadline: Some(Duration::MAX),
        ..fast_policy(3)
    };
    let resp = h
        .client(SANDBOX_ID, |b| b.retry_policy(policy))
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.attempts, 2);
    assert_eq!(resp.outcome.kind(), "success");
}

/// A gateway that drops the first connection after reading the request,
/// then answers properly (wiremock cannot drop connections).
#[tokio::test]
async fn connection_drop_then_success() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let seen2 = seen.clone();
    let server = tokio::spawn(async move {
        for conn in 0..2 {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // read until the end of headers + Content-Length body
            loop {
                let n = sock.read(&mut chunk).await.unwrap();
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(pos) = find(&buf, b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..pos]).to_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map(|v| v.trim().parse().unwrap())
                        .unwrap_or(0);
                    if buf.len() >= pos + 4 + len {
                        break;
                    }
                }
            }
            seen2.lock().unwrap().push(buf.clone());
            if conn == 0 {
                drop(sock); // connection reset / closed without a response
                continue;
            }
            let head = String::from_utf8_lossy(&buf).to_string();
            let path = head.split_whitespace().nth(1).unwrap().to_owned();
            let time = response_time();
            let sig = antom_signature(&path, SANDBOX_ID, &time, S);
            let resp = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nresponse-time: {time}\r\nsignature: {sig}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{S}",
                S.len()
            );
            sock.write_all(resp.as_bytes()).await.unwrap();
            sock.shutdown().await.ok();
        }
    });
    let client = Client::new(
        ClientConfig::builder()
            .client_id(SANDBOX_ID)
            .merchant_private_key(merchant_private())
            .antom_public_key(antom_public())
            .gateway_url(format!("http://{addr}"))
            .retry_policy(fast_policy(3))
            .build()
            .unwrap(),
    )
    .unwrap();
    let resp = client.execute_raw(&PAY, BODY).await.unwrap();
    server.await.unwrap();
    assert_eq!(resp.attempts, 2);
    assert_eq!(resp.outcome.kind(), "success");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    for raw in seen.iter() {
        assert!(
            raw.ends_with(BODY.as_bytes()),
            "same body bytes on both attempts"
        );
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn connection_refused_gives_unknown_transport() {
    // bind then drop to get a port nobody listens on
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::new(
        ClientConfig::builder()
            .client_id(SANDBOX_ID)
            .merchant_private_key(merchant_private())
            .antom_public_key(antom_public())
            .gateway_url(format!("http://127.0.0.1:{port}"))
            .retry_policy(fast_policy(2))
            .build()
            .unwrap(),
    )
    .unwrap();
    let resp = client.execute_raw(&PAY, BODY).await.unwrap();
    assert_eq!(resp.attempts, 2);
    match resp.outcome {
        Outcome::Unknown(u) => assert!(matches!(u.reason, UnknownReason::Transport(_)), "{u:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn config_validation() {
    let base = || {
        ClientConfig::builder()
            .client_id("C")
            .merchant_private_key(merchant_private())
            .antom_public_key(antom_public())
    };
    assert!(base()
        .gateway_url("https://open-na-global.alipay.com/")
        .build()
        .is_ok());
    assert_eq!(
        base()
            .gateway_url("https://open-na-global.alipay.com/")
            .build()
            .unwrap()
            .gateway_url(),
        "https://open-na-global.alipay.com"
    );
    assert!(base().gateway_url("http://localhost:8080").build().is_ok());
    assert!(base().gateway_url("http://[::1]:8080").build().is_ok());
    let e = base()
        .gateway_url("http://open-na-global.alipay.com")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("scheme `http` not allowed"), "{e}");
    assert!(base()
        .gateway_url("http://mock:8080")
        .allow_plain_http(true)
        .build()
        .is_ok());
    assert!(base().gateway_url("not a url").build().is_err());
    assert!(base().gateway_url("https://h/?x=1").build().is_err());
    assert!(base().build().is_err(), "gateway URL required");
    assert!(ClientConfig::builder()
        .gateway_url("https://h")
        .build()
        .is_err());
    assert!(base()
        .gateway_url("https://h")
        .client_id("bad\nid")
        .build()
        .is_err());
    assert!(base()
        .gateway_url("https://h")
        .client_id(" C")
        .build()
        .is_err());
    let cfg = base().gateway_url("https://h").build().unwrap();
    assert_eq!(cfg.key_version(), 1);
    assert!(!cfg.is_sandbox());
}

#[test]
fn gateway_url_credentials_never_appear_in_errors() {
    let base = || {
        ClientConfig::builder()
            .client_id("C")
            .merchant_private_key(merchant_private())
            .antom_public_key(antom_public())
    };
    for url in [
        "https://merchant:s3cret@open-na-global.alipay.com",
        "https://merchant:s3cret@open-na-global.alipay.com/?x=1",
        "https://:s3cret@open-na-global.alipay.com",
        "http://merchant:s3cret@open-na-global.alipay.com",
        "https://merchant:s3cret@[not-an-ip",
        "merchant:s3cret@open-na-global.alipay.com",
    ] {
        let e = base().gateway_url(url).build().unwrap_err();
        let text = format!("{e} {e:?}");
        assert!(!text.contains("s3cret"), "{url}: {text}");
    }
}

#[tokio::test]
async fn large_answers_to_every_retry_stop_the_call_at_the_per_call_budget() {
    use antom_runtime::{MAX_CALL_RESPONSE_BYTES, MAX_RESPONSE_BYTES};
    let server = wiremock::MockServer::start().await;
    let page = vec![b'x'; MAX_RESPONSE_BYTES - 1024 * 1024];
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(502).set_body_bytes(page.clone()))
        .mount(&server)
        .await;
    let client = Client::new(
        ClientConfig::builder()
            .client_id(SANDBOX_ID)
            .merchant_private_key(merchant_private())
            .antom_public_key(antom_public())
            .gateway_url(server.uri())
            .retry_policy(fast_policy(20))
            .build()
            .unwrap(),
    )
    .unwrap();
    let resp = client.execute_raw(&PAY, BODY).await.unwrap();
    // Whole pages fit the budget this many times; the next one overruns it.
    let whole = MAX_CALL_RESPONSE_BYTES / page.len();
    assert_eq!(resp.attempts as usize, whole + 1, "{resp:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), whole + 1);
    match &resp.outcome {
        Outcome::Unknown(u) => {
            assert!(u.action.is_retryable(), "{u:?}");
            match &u.reason {
                UnknownReason::Transport(t) => assert!(t.contains("in total"), "{t}"),
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_4096_bit_merchant_key_signs_off_the_executor_and_the_call_succeeds() {
    use antom_runtime::signing::{self, SignInput};
    use antom_runtime::{PrivateKey, PublicKey};
    let private = PrivateKey::from_pem_or_base64(include_str!(
        "../testdata/keys/merchant4096_private_pkcs8.pem"
    ))
    .unwrap();
    let public = PublicKey::from_pem_or_base64(include_str!(
        "../testdata/keys/merchant4096_public_spki.pem"
    ))
    .unwrap();
    assert!(private.bits() > antom_runtime::INLINE_CRYPTO_MAX_BITS);
    let h = Harness::new(vec![Step::Signed(U), Step::Signed(S)]).await;
    let resp = h
        .client(SANDBOX_ID, |b| b.merchant_private_key(private))
        .execute_raw(&PAY, BODY)
        .await
        .unwrap();
    assert_eq!(resp.outcome.kind(), "success");
    assert_eq!(resp.attempts, 2);
    // The harness checks requests with the 2048-bit merchant key; check
    // them with the 4096-bit one instead.
    let reqs = h.server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        let input = SignInput {
            method: "POST",
            path: r.url.path(),
            client_id: header(r, "client-id"),
            time: header(r, "request-time"),
            body: &r.body,
        };
        signing::verify(&public, &input, header(r, "signature")).unwrap();
    }
}
