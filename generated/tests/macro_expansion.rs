//! `antom_codegen_macros::antom_api!` expands a small spec into a working
//! typed API, the same shape as this crate's checked-in modules. (The test
//! lives here because the expansion needs `antom-runtime`; the macro crate's
//! own UI tests then build without the runtime's dependency tree.)

mod api {
    antom_codegen_macros::antom_api!("../codegen-macros/tests/ui/specs/small");
}

use antom_runtime::Validate;
use api::models::{CaptureRequest, CaptureResponse};

#[test]
fn generated_request_builds_validates_and_serializes() {
    let req = CaptureRequest {
        is_last_capture: Some(true),
        ..CaptureRequest::new("capture-1", "payment-1")
    };
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

/// The full spec, only the `vaults` family: its endpoints, the models they
/// and the shared families need, nothing of the other families.
mod vaults_only {
    antom_codegen_macros::antom_api!("../spec/antom", families = ["vaults"]);
}

#[tokio::test]
async fn a_family_selection_generates_only_that_family() {
    assert!(!vaults_only::endpoints::ALL.is_empty());
    assert!(vaults_only::endpoints::ALL
        .iter()
        .all(|e| e.family == "vaults"));
    // The selected family's request types are there ...
    let _ = <vaults_only::models::CreateVaultingSessionRequest as Validate>::validate;
    // ... and another family's endpoint is not an endpoint of this API.
    let config = vaults_only::Client::config_builder()
        .client_id("SANDBOX_5X00000000000000")
        .merchant_private_key(
            antom_runtime::PrivateKey::from_pem_or_base64(include_str!(
                "../../runtime/testdata/keys/merchant_private_pkcs8.b64"
            ))
            .unwrap(),
        )
        .antom_public_key(
            antom_runtime::PublicKey::from_pem_or_base64(include_str!(
                "../../runtime/testdata/keys/antom_public_spki.pem"
            ))
            .unwrap(),
        )
        .gateway_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let client = vaults_only::Client::new(config).unwrap();
    let err = client
        .call_json(&antom::endpoints::CAPTURE, serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            antom_runtime::Error::InvalidRequest {
                endpoint: "capture",
                ..
            }
        ),
        "{err}"
    );
}
