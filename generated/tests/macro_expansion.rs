//! `antom_codegen_macros::antom_api!` expands a small spec into a working
//! typed API, the same shape as this crate's checked-in modules. (The test
//! lives here because the expansion needs `antom-runtime`; the macro crate's
//! own UI tests then build without the runtime's dependency tree.)

mod api {
    antom_codegen_macros::antom_api!("../codegen-macros/tests/ui/specs/small");
}

use api::models::{CaptureRequest, CaptureResponse};

#[test]
fn generated_request_builds_validates_and_serializes() {
    let req = CaptureRequest::new("capture-1", "payment-1").with_is_last_capture(true);
    assert!(req.validate().is_ok());
    let json = serde_json::to_value(&req).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"captureRequestId": "capture-1", "paymentId": "payment-1", "isLastCapture": true})
    );
    let too_long = CaptureRequest::new("x".repeat(65), "payment-1");
    let err = too_long.validate().unwrap_err();
    assert_eq!(err.violations[0].path, "captureRequestId");
}

#[test]
fn generated_endpoint_and_codes() {
    let ep = api::endpoints::by_name("capture").unwrap();
    assert_eq!(ep.path, "/ams/api/v1/payments/capture");
    assert_eq!(ep.idempotency_key, Some("captureRequestId"));
    let codes: Vec<&str> = ep.result_codes.iter().map(|c| c.code).collect();
    assert_eq!(
        codes,
        ["CAPTURE_IN_PROCESS", "SUCCESS", "UNKNOWN_EXCEPTION"]
    );
    assert!(api::ResultCode::CaptureInProcess.is_retryable());
    assert_eq!(api::SANDBOX_RULE.sandbox_prefix, "/ams/sandbox/api");
    #[allow(deprecated)]
    let old = api::SdkEventCode::SdkCallUrlError;
    assert_eq!(
        old.replaced_by(),
        Some(api::SdkEventCode::SdkLaunchPaymentAppError)
    );
}

#[test]
fn generated_response_tolerates_error_bodies() {
    let body = r#"{"result":{"resultCode":"UNKNOWN_EXCEPTION","resultStatus":"U"}}"#;
    let resp: CaptureResponse = serde_json::from_str(body).unwrap();
    assert_eq!(resp.capture_id, None);
    assert_eq!(resp.result.result_status, antom_runtime::ResultStatus::U);
}
