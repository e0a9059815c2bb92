//! Notification verification, acknowledgement and deduplication.

mod common;

use std::time::Duration;

use antom_runtime::notification::{
    acknowledgement, resend_window, verify_notification, Deduplicator, InMemoryDeduplicator,
    NotificationError, NotificationOptions, ACKNOWLEDGEMENT_BODY, DEFAULT_NOTIFICATION_TOLERANCE,
    RESEND_SCHEDULE,
};
use antom_runtime::signing::{self, Backend, SignInput};
use antom_runtime::{ApiResult, ResultStatus};
use common::*;
use serde::Deserialize;

const PATH: &str = "/antom/notify/payment";
const CID: &str = "SANDBOX_5X00000000000000";
/// The `request-time` of a delivery sent now (fixed for the test run).
fn time() -> &'static str {
    static AT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    AT.get_or_init(|| antom_runtime::timestamp::format_iso8601(std::time::SystemTime::now()))
}
const BODY: &str = r#"{"notifyType":"PAYMENT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"paymentRequestId":"REQ-1","paymentId":"P-1","paymentAmount":{"currency":"USD","value":"100"}}"#;

fn sig(body: &str, path: &str, time: &str) -> String {
    let input = SignInput {
        method: "POST",
        path,
        client_id: CID,
        time,
        body: body.as_bytes(),
    };
    signing::sign_explained(Backend::default(), &antom_private(), 1, &input)
        .unwrap()
        .header
}

fn headers(body: &str) -> Vec<(String, String)> {
    vec![
        ("Content-Type".into(), "application/json".into()),
        ("Client-Id".into(), CID.into()),
        ("REQUEST-TIME".into(), time().into()),
        ("signature".into(), sig(body, PATH, time())),
    ]
}

fn check(
    headers: &[(String, String)],
    body: &str,
    opts: &NotificationOptions,
) -> Result<antom_runtime::notification::VerifiedNotification, NotificationError> {
    verify_notification(
        &antom_public(),
        "POST",
        PATH,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        body.as_bytes(),
        opts,
    )
}

#[test]
fn valid_notification_verifies_and_parses_on_every_backend() {
    for backend in Backend::all() {
        let opts = NotificationOptions {
            backend: *backend,
            ..Default::default()
        }
        .expect_client_id(CID);
        let n = check(&headers(BODY), BODY, &opts).unwrap();
        assert_eq!(n.client_id, CID);
        assert_eq!(n.request_time, time());
        assert_eq!(n.envelope.notify_type.as_deref(), Some("PAYMENT_RESULT"));
        assert_eq!(
            n.envelope.result.as_ref().unwrap().result_status,
            ResultStatus::S
        );
        assert_eq!(n.raw_body, BODY.as_bytes());

        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct PayNotify {
            payment_id: String,
            result: ApiResult,
        }
        let typed: PayNotify = n.parse().unwrap();
        assert_eq!(typed.payment_id, "P-1");
        assert_eq!(typed.result.result_code, "SUCCESS");
    }
}

#[test]
fn header_values_may_be_bytes() {
    let h = headers(BODY);
    let n = verify_notification(
        &antom_public(),
        "POST",
        PATH,
        h.iter().map(|(k, v)| (k.as_str(), v.as_bytes())),
        BODY.as_bytes(),
        &NotificationOptions::default(),
    );
    assert!(n.is_ok());
}

#[test]
fn the_published_notification_vector_verifies() {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../testdata/signature-vectors.json")).unwrap();
    let v = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "V3-notification-iso-time")
        .unwrap();
    let key = antom_runtime::PublicKey::from_pem_or_base64(
        doc["public_key_spki_der_base64"].as_str().unwrap(),
    )
    .unwrap();
    let h = [
        ("client-id", v["clientId"].as_str().unwrap()),
        ("request-time", v["time"].as_str().unwrap()),
        ("signature", v["signature_header"].as_str().unwrap()),
    ];
    let n = verify_notification(
        &key,
        "POST",
        v["path"].as_str().unwrap(),
        h,
        v["body"].as_str().unwrap().as_bytes(),
        // The published vector was signed once, long ago.
        &NotificationOptions::default().request_time_tolerance(None),
    )
    .unwrap();
    assert_eq!(
        n.dedup_key(),
        format!(
            "{}/PAYMENT_RESULT:paymentRequestId=paymentRequestId01",
            v["clientId"].as_str().unwrap()
        )
    );
}

#[test]
fn missing_headers_are_named() {
    for missing in ["client-id", "request-time", "signature"] {
        let h: Vec<_> = headers(BODY)
            .into_iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case(missing))
            .collect();
        assert_eq!(
            check(&h, BODY, &NotificationOptions::default()).unwrap_err(),
            NotificationError::MissingHeader(match missing {
                "client-id" => "client-id",
                "request-time" => "request-time",
                _ => "signature",
            })
        );
    }
    let mut empty = headers(BODY);
    empty[3].1 = "   ".into();
    assert_eq!(
        check(&empty, BODY, &NotificationOptions::default()).unwrap_err(),
        NotificationError::MissingHeader("signature")
    );
}

#[test]
fn tampered_body_wrong_path_or_wrong_key_fail() {
    let tampered = BODY.replace("\"100\"", "\"1\"");
    assert!(matches!(
        check(&headers(BODY), &tampered, &NotificationOptions::default()).unwrap_err(),
        NotificationError::BadSignature(_)
    ));
    let h = headers(BODY);
    let wrong_path = verify_notification(
        &antom_public(),
        "POST",
        "/other",
        h.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        BODY.as_bytes(),
        &NotificationOptions::default(),
    );
    assert!(matches!(
        wrong_path,
        Err(NotificationError::BadSignature(_))
    ));
    let wrong_key = verify_notification(
        &merchant_public(),
        "POST",
        PATH,
        h.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        BODY.as_bytes(),
        &NotificationOptions::default(),
    );
    assert!(matches!(wrong_key, Err(NotificationError::BadSignature(_))));
    let mut bad_alg = headers(BODY);
    bad_alg[3].1 = bad_alg[3].1.replace("RSA256", "RSA1");
    let e = check(&bad_alg, BODY, &NotificationOptions::default()).unwrap_err();
    assert!(
        e.to_string().contains("unsupported signature algorithm"),
        "{e}"
    );
}

#[test]
fn wrong_client_id_is_rejected_when_expected() {
    let e = check(
        &headers(BODY),
        BODY,
        &NotificationOptions::default().expect_client_id("OTHER"),
    )
    .unwrap_err();
    assert_eq!(
        e,
        NotificationError::WrongClientId {
            expected: "OTHER".into(),
            got: CID.into()
        }
    );
}

#[test]
fn signed_non_json_is_rejected_after_verification() {
    let body = "not json";
    let mut h = headers(BODY);
    h[3].1 = sig(body, PATH, time());
    assert!(matches!(
        check(&h, body, &NotificationOptions::default()).unwrap_err(),
        NotificationError::NotJson(_)
    ));
    let body = "[1,2]";
    h[3].1 = sig(body, PATH, time());
    assert!(matches!(
        check(&h, body, &NotificationOptions::default()).unwrap_err(),
        NotificationError::NotJson(_)
    ));
}

#[test]
fn acknowledgement_is_exact() {
    assert_eq!(
        ACKNOWLEDGEMENT_BODY,
        r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}"#
    );
    let (status, ct, body) = acknowledgement();
    assert_eq!(status, 200);
    assert!(ct.starts_with("application/json"));
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["result"]["resultStatus"], "S");
}

#[test]
fn resend_schedule_and_window() {
    assert_eq!(RESEND_SCHEDULE.len(), 8);
    assert_eq!(resend_window(), Duration::from_secs(24 * 3600 + 22 * 60));
    assert!(InMemoryDeduplicator::default().is_empty());
}

#[test]
fn dedup_keys_distinguish_kinds_and_ids() {
    let key = |body: &str| {
        let mut h = headers(BODY);
        h[3].1 = sig(body, PATH, time());
        check(&h, body, &NotificationOptions::default())
            .unwrap()
            .dedup_key()
    };
    assert_eq!(
        key(BODY),
        format!("{CID}/PAYMENT_RESULT:paymentRequestId=REQ-1")
    );
    assert_eq!(
        key(&BODY.replace("PAYMENT_RESULT", "PAYMENT_PENDING")),
        format!("{CID}/PAYMENT_PENDING:paymentRequestId=REQ-1")
    );
    assert_eq!(
        key(r#"{"notifyType":"CAPTURE_RESULT","captureRequestId":"C-1","paymentId":"P-1"}"#),
        format!("{CID}/CAPTURE_RESULT:captureRequestId=C-1")
    );
    assert_eq!(
        key(r#"{"notifyType":"REFUND_RESULT","refundRequestId":"R-1","refundStatus":"SUCCESS"}"#),
        format!("{CID}/REFUND_RESULT:refundRequestId=R-1")
    );
    assert_eq!(
        key(r#"{"disputeNotificationType":"DISPUTE_CREATED","disputeId":"D-1"}"#),
        format!("{CID}/DISPUTE_CREATED:disputeId=D-1")
    );
    let k = key(r#"{"something":"else"}"#);
    let hash = k.strip_prefix(&format!("{CID}/sha256:")).unwrap();
    assert_eq!(hash.len(), 64, "{k}");
    assert_eq!(k, key(r#"{"something":"else"}"#));
}

#[tokio::test(start_paused = true)]
async fn in_memory_deduplicator_follows_the_resend_schedule() {
    let dedup = InMemoryDeduplicator::default();
    let k = "PAYMENT_RESULT:paymentRequestId=REQ-1";
    // first delivery processed; the 7 resends within 24 h 22 min are duplicates
    assert!(dedup.claim(k));
    for delay in &RESEND_SCHEDULE[1..] {
        tokio::time::advance(*delay).await;
        assert!(
            !dedup.claim(k),
            "resend after {delay:?} must be a duplicate"
        );
    }
    assert!(dedup.claim("PAYMENT_RESULT:paymentRequestId=REQ-2"));
    assert_eq!(dedup.len(), 2);
    // after the TTL (twice the request-time tolerance) the key may be
    // claimed again
    tokio::time::advance(InMemoryDeduplicator::DEFAULT_TTL - resend_window()).await;
    assert!(dedup.claim(k));
}

#[tokio::test(start_paused = true)]
async fn a_ttl_of_duration_max_never_expires_and_never_panics() {
    let dedup = InMemoryDeduplicator::new(Duration::MAX);
    assert!(dedup.claim("a"));
    tokio::time::advance(Duration::from_secs(10 * 365 * 24 * 3600)).await;
    assert!(!dedup.claim("a"));
    assert_eq!(dedup.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_full_deduplicator_evicts_its_oldest_claim() {
    let dedup = InMemoryDeduplicator::with_capacity(Duration::from_secs(3600), 3);
    for k in ["a", "b", "c", "d"] {
        assert!(dedup.claim(k));
        tokio::time::advance(Duration::from_secs(1)).await;
    }
    assert_eq!(dedup.len(), 3, "never more than the capacity");
    assert!(dedup.claim("a"), "the oldest claim was evicted");
    for k in ["c", "d", "a"] {
        assert!(!dedup.claim(k), "{k} is still claimed");
    }
}

#[tokio::test(start_paused = true)]
async fn released_and_reclaimed_keys_keep_their_newest_expiry() {
    let dedup = InMemoryDeduplicator::new(Duration::from_secs(60));
    assert!(dedup.claim("a"));
    dedup.release("a");
    tokio::time::advance(Duration::from_secs(30)).await;
    assert!(dedup.claim("a"));
    // the first claim's queue row expires now; the second claim must survive it
    tokio::time::advance(Duration::from_secs(31)).await;
    assert!(dedup.claim("b"));
    assert!(!dedup.claim("a"), "the re-claim is still live");
    tokio::time::advance(Duration::from_secs(30)).await;
    assert!(dedup.claim("a"), "and it expires on its own schedule");
}

#[tokio::test(start_paused = true)]
async fn many_claims_stay_bounded() {
    let dedup = InMemoryDeduplicator::with_capacity(Duration::from_secs(60), 1000);
    for i in 0..20_000 {
        assert!(dedup.claim(&format!("key-{i}")));
        if i % 100 == 0 {
            tokio::time::advance(Duration::from_secs(1)).await;
        }
    }
    assert!(dedup.len() <= 1000);
}

#[tokio::test(start_paused = true)]
async fn release_lets_a_failed_delivery_be_processed_again() {
    let dedup = InMemoryDeduplicator::new(Duration::from_secs(60));
    assert!(dedup.claim("a"));
    assert!(!dedup.claim("a"));
    dedup.release("a");
    assert!(dedup.claim("a"));
    tokio::time::advance(Duration::from_secs(61)).await;
    assert!(dedup.is_empty());
    assert!(dedup.claim("b"));
    assert_eq!(dedup.len(), 1, "expired entries purged");
}

#[test]
fn client_verifies_notifications_for_its_own_client_id() {
    let make = |cid: &str| {
        antom_runtime::Client::new(
            antom_runtime::ClientConfig::builder()
                .client_id(cid)
                .merchant_private_key(merchant_private())
                .antom_public_key(antom_public())
                .gateway_url("https://open-sea-global.alipay.com")
                .build()
                .unwrap(),
        )
        .unwrap()
    };
    let h = headers(BODY);
    let pairs = || h.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let n = make(CID)
        .verify_notification("POST", PATH, pairs(), BODY.as_bytes())
        .unwrap();
    assert_eq!(n.client_id, CID);
    let e = make("SANDBOX_OTHER")
        .verify_notification("POST", PATH, pairs(), BODY.as_bytes())
        .unwrap_err();
    assert!(matches!(e, NotificationError::WrongClientId { .. }), "{e}");
}

fn delivered_at(time: &str) -> Vec<(String, String)> {
    vec![
        ("client-id".into(), CID.into()),
        ("request-time".into(), time.into()),
        ("signature".into(), sig(BODY, PATH, time)),
    ]
}

#[test]
fn an_old_delivery_is_refused_as_stale() {
    let err = check(
        &delivered_at("2019-05-28T12:12:14+08:00"),
        BODY,
        &NotificationOptions::default(),
    )
    .unwrap_err();
    match &err {
        NotificationError::Stale {
            request_time,
            off_by,
            tolerance,
        } => {
            assert_eq!(request_time, "2019-05-28T12:12:14+08:00");
            assert!(*off_by > Duration::from_secs(365 * 86_400));
            assert_eq!(*tolerance, DEFAULT_NOTIFICATION_TOLERANCE);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("replayed"), "{err}");
}

#[test]
fn a_delivery_from_the_future_is_refused() {
    let err = check(
        &delivered_at("2999-01-01T00:00:00Z"),
        BODY,
        &NotificationOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, NotificationError::Stale { .. }), "{err}");
}

#[test]
fn every_resend_of_the_schedule_is_inside_the_default_tolerance() {
    // Whether a resend carries the first delivery's time or a fresh one, the
    // last resend is accepted.
    let last = std::time::SystemTime::now() - resend_window() - Duration::from_secs(60);
    let at = antom_runtime::timestamp::format_iso8601(last);
    check(&delivered_at(&at), BODY, &NotificationOptions::default()).unwrap();
    assert!(InMemoryDeduplicator::DEFAULT_TTL >= 2 * DEFAULT_NOTIFICATION_TOLERANCE);
}

#[test]
fn an_unreadable_request_time_is_refused_and_names_the_way_out() {
    let err = check(
        &delivered_at("yesterday"),
        BODY,
        &NotificationOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, NotificationError::UnreadableRequestTime(_)),
        "{err}"
    );
    assert!(err.to_string().contains("request_time_tolerance"), "{err}");
}

#[test]
fn the_age_check_can_be_turned_off() {
    let opts = NotificationOptions::default().request_time_tolerance(None);
    let n = check(&delivered_at("2019-05-28T12:12:14+08:00"), BODY, &opts).unwrap();
    assert_eq!(n.request_time, "2019-05-28T12:12:14+08:00");
    let epoch_ms = antom_runtime::timestamp::epoch_millis(std::time::SystemTime::now());
    check(
        &delivered_at(&epoch_ms),
        BODY,
        &NotificationOptions::default(),
    )
    .unwrap();
}

#[test]
fn a_forged_old_delivery_fails_on_its_signature_first() {
    let mut h = delivered_at("2019-05-28T12:12:14+08:00");
    h[2].1 = sig(BODY, "/other/path", "2019-05-28T12:12:14+08:00");
    let err = check(&h, BODY, &NotificationOptions::default()).unwrap_err();
    assert!(matches!(err, NotificationError::BadSignature(_)), "{err}");
}

/// The framework-neutral entry point reads method, path, headers and body
/// from an `http::Request`, and the acknowledgement is an `http::Response`.
#[test]
fn an_http_request_is_verified_and_acknowledged() {
    let mut builder = http::Request::builder().method("POST").uri(PATH);
    for (k, v) in headers(BODY) {
        builder = builder.header(k, v);
    }
    let request = builder.body(BODY.as_bytes().to_vec()).unwrap();
    let verified = antom_runtime::notification::verify_http_request(
        &antom_public(),
        &request,
        &NotificationOptions::default(),
    )
    .unwrap();
    assert_eq!(verified.json["paymentRequestId"], "REQ-1");
    // Delivered to another path than the one signed: refused.
    let mut builder = http::Request::builder().method("POST").uri("/elsewhere");
    for (k, v) in headers(BODY) {
        builder = builder.header(k, v);
    }
    let moved = builder.body(BODY.as_bytes().to_vec()).unwrap();
    assert!(antom_runtime::notification::verify_http_request(
        &antom_public(),
        &moved,
        &NotificationOptions::default()
    )
    .is_err());
    let ack = antom_runtime::notification::acknowledgement_response();
    assert_eq!(ack.status(), 200);
    assert_eq!(ack.body(), ACKNOWLEDGEMENT_BODY);
}
