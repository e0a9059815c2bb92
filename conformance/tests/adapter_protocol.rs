//! The adapter protocol round trip with the reference adapter binary.

use std::sync::Arc;

use antom_conformance::adapter::{handle_line, AdapterProcess};
use antom_conformance::cases::{all_cases, glob_match};
use antom_conformance::reference::{spec_tables, ReferenceImplementation};
use antom_conformance::runner::{run_suite, RunOptions, Status};

const ADAPTER: &str = env!("CARGO_BIN_EXE_antom-conformance-adapter");

#[tokio::test(flavor = "multi_thread")]
async fn reference_adapter_passes_a_cross_section_of_the_suite() {
    let patterns = [
        "signature.vector.*",
        "signature.response.*",
        "signature.request.production",
        "signature.call.*",
        "retry.u-s",
        "retry.f-no-retry",
        "status.inquiryPayment.*",
        "status.business.*",
        "notification.*",
    ];
    let cases: Vec<_> = all_cases(&spec_tables())
        .into_iter()
        .filter(|c| patterns.iter().any(|p| glob_match(p, &c.id)))
        .collect();
    assert!(cases.len() > 40);
    let adapter = AdapterProcess::spawn(ADAPTER).expect("adapter starts");
    let report = run_suite(Arc::new(adapter), cases, RunOptions::default()).await;
    let bad = report.not_passed();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_adapter_fails_cases_instead_of_hanging() {
    let adapter = AdapterProcess::spawn("exit 0").expect("spawns");
    let cases: Vec<_> = all_cases(&spec_tables())
        .into_iter()
        .filter(|c| c.id == "signature.response.signed-s")
        .collect();
    let report = run_suite(Arc::new(adapter), cases, RunOptions::default()).await;
    assert_eq!(report.count(Status::Failed), 1);
}

#[tokio::test]
async fn protocol_errors_are_replies() {
    let imp = ReferenceImplementation::new();
    let r = handle_line(
        &imp,
        r#"{"v":2,"id":7,"op":"classify","endpoint":"pay","body":"{}"}"#,
    )
    .await;
    assert_eq!(r.id, 7);
    assert_eq!(r.error.as_ref().map(|e| e.kind.as_str()), Some("failed"));
    let r = handle_line(&imp, r#"{"v":1,"id":8,"op":"teleport"}"#).await;
    assert_eq!(
        r.error.as_ref().map(|e| e.kind.as_str()),
        Some("unsupported")
    );
    let r = handle_line(&imp, "not json").await;
    assert!(r.error.is_some());
    let r = handle_line(
        &imp,
        r#"{"v":1,"id":9,"op":"classify","endpoint":"inquiryPayment","body":"{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\"},\"paymentStatus\":\"PROCESSING\"}"}"#,
    )
    .await;
    let result = r.result.expect("a result");
    assert_eq!(result["outcome"], "success");
    assert_eq!(result["action"], "none");
    assert_eq!(result["businessOutcome"], "pending");
}
